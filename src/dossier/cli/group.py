"""The ``dossier`` group: its options, the run's language, Ctrl-C and termination said in words, ``echo``.

The run's language is chosen before click parses the command line (``_Commands.main``), so usage
errors and ``--help`` are translated too. The commands are added by ``dossier.cli``.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

import click

from .. import __version__, i18n
from ..errors import printable
from ..i18n import N_, _
from .words import Command, Group, Option, option, wire_click

# Each command imports its feature inside the function: `dossier --help` and `dossier validate`
# must not pay for WeasyPrint, the mail code or the preview server.

def echo(message: str, *, err: bool = False, nl: bool = True) -> None:
    """Print a line that may hold text from a manifest or a partner list, terminal controls escaped."""
    click.echo(printable(message), err=err, nl=nl)


# What a Ctrl-C left behind, said instead of click's bare "Aborted!".
_INTERRUPTED = {
    "send": N_("interrupted (Ctrl-C): every message the server accepted is recorded in the ledger; "
               "run the same command again to send the rest"),
}
_INTERRUPTED_DEFAULT = N_("interrupted (Ctrl-C): files are written whole or not at all, so nothing was left half-written")


_STOPPED = {
    "send": N_("stopped ({signal}): every message the server accepted is recorded in the ledger; "
               "run the same command again to send the rest"),
}
_STOPPED_DEFAULT = N_("stopped ({signal}): files are written whole or not at all, so nothing was left half-written")


class Interrupted(click.ClickException):
    exit_code = 130  # as shells report a command ended by SIGINT

    def __init__(self, message: str, exit_code: int = 130) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(self.format_message(), err=True, file=file)


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP (a ``timeout``, a closed terminal, a CI cancel), ending the command as a Ctrl-C does."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _stop(number: int, frame: FrameType | None) -> None:
    raise Stopped(number)


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """While the command runs, SIGTERM and SIGHUP unwind it (files whole, the print worker stopped) and say so."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _stop) for number in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class _Commands(Group):
    def main(self, args=None, *posargs, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201 - click's signature
        # Before click reads anything: its usage errors and every --help are then in the run's language.
        i18n.use(i18n.choose_language(sys.argv[1:] if args is None else args))
        wire_click()
        with _stopped_by_signals():
            return super().main(args, *posargs, **kwargs)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except Stopped as stopped:
            message = _STOPPED.get(ctx.invoked_subcommand or "", _STOPPED_DEFAULT)
            name = signal.Signals(stopped.number).name
            raise Interrupted(_(message).format(signal=name), exit_code=128 + stopped.number) from None
        except KeyboardInterrupt:
            message = _INTERRUPTED.get(ctx.invoked_subcommand or "", _INTERRUPTED_DEFAULT)
            raise Interrupted(_(message)) from None


def _use_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        i18n.use(value)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("""Publish the Chaire's numbered "Dossier spécial" from YAML manifests.

    Run it inside the project folder (the one with publication.yaml)."""),
)
@click.version_option(__version__, prog_name="dossier", cls=Option, help=N_("Show the version and exit."))
@option("--lang", type=click.Choice(i18n.available_languages()), metavar="LANG", is_eager=True, expose_value=False,
        callback=_use_language,
        help=N_("The language of messages for this run (en, fr); default: DOSSIER_LANG, else publication.yaml's language."))
def cli() -> None:
    pass



# Every command of the group is made with this (its help translated when shown), then added in ``dossier.cli``.
command = functools.partial(click.command, cls=Command)
