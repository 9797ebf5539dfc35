"""The CLI's words in the run's language: help translated when shown, click's own messages in the catalog.

Help texts are written ``help=N_("…")`` when the commands are defined (at import) and
translated each time click reads them, so ``--lang`` and ``DOSSIER_LANG`` apply to ``--help``
as to everything else, in a process that runs several commands (the tests) too.
A help text with ``{issue}`` gets the sentence that says what ISSUE may be.
"""

from __future__ import annotations

import functools
import importlib

import click

from ..i18n import N_, Nn_, _, ngettext

ISSUE_HELP = N_("ISSUE is a numéro's folder (issues/03), its manifest file, or its number (3).")


def _translated(text: str | None) -> str | None:
    if not text:
        return text
    return _(text).replace("{issue}", _(ISSUE_HELP))


class TranslatedHelp:
    """``help`` stored as the English source, read in the run's language."""

    _help_source: str | None = None

    @property
    def help(self) -> str | None:
        return _translated(self._help_source)

    @help.setter
    def help(self, value: str | None) -> None:
        self._help_source = value


class HelpFormatter(click.HelpFormatter):
    """click's, with the headings' colon set the language's way ("Options :" in French)."""

    def write_heading(self, heading: str) -> None:
        line = _("{heading}:").format(heading=heading)
        self.write(f"{'':>{self.current_indent}}{line}\n")


class Context(click.Context):
    formatter_class = HelpFormatter


class TranslatedHelpOption:
    """click keeps a command's --help option once made: its help is translated again each time it is read."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = _(HELP_OPTION)
        return option


HELP_OPTION = N_("Show this message and exit.")


# The names that usage lines and help give to arguments and values, as click or our commands write them.
METAVARS = (
    N_("[OPTIONS]"), N_("COMMAND [ARGS]..."), N_("ISSUE"), N_("[ISSUES]..."), N_("ADDRESS"), N_("[ADDRESS]..."),
    N_("FILE"), N_("DIR"), N_("PATH"), N_("LIST"), N_("TEXT"), N_("LANG"), N_("URL"), N_("N"), N_("INTEGER RANGE"),
    N_("FLOAT"), N_("INTEGER"),
)


class TranslatedUsage:
    """A command's usage line in the run's language: ``[OPTIONS]`` and, for a group, ``COMMAND [ARGS]...``."""

    @property
    def options_metavar(self) -> str:
        return _("[OPTIONS]")

    @options_metavar.setter
    def options_metavar(self, value: str | None) -> None:
        pass  # always click's default, translated

    @property
    def subcommand_metavar(self) -> str:
        return _("COMMAND [ARGS]...")

    @subcommand_metavar.setter
    def subcommand_metavar(self, value: str | None) -> None:
        pass


class TranslatedMetavar:
    """An argument's or option's value name (``ISSUE``, ``FILE``) in the run's language."""

    def make_metavar(self, *args: object, **kwargs: object) -> str:
        return _(super().make_metavar(*args, **kwargs))  # type: ignore[misc]


class Command(TranslatedUsage, TranslatedHelpOption, TranslatedHelp, click.Command):
    context_class = Context


class Group(TranslatedUsage, TranslatedHelpOption, TranslatedHelp, click.Group):
    command_class = Command
    context_class = Context


class Option(TranslatedMetavar, TranslatedHelp, click.Option):
    pass


class Argument(TranslatedMetavar, click.Argument):
    pass


class IntRange(click.IntRange):
    """click's whole-number range, named in the run's language in its errors."""

    @property
    def name(self) -> str:
        return _("integer range")

    @name.setter
    def name(self, value: str) -> None:
        pass


class Float(click.types.FloatParamType):
    """click's decimal number, named in the run's language in its errors."""

    @property
    def name(self) -> str:
        return _("float")

    @name.setter
    def name(self, value: str) -> None:
        pass


option = functools.partial(click.option, cls=Option)
argument = functools.partial(click.argument, cls=Argument)


# click's messages that this CLI can show, as click writes them (its gettext calls find them
# in our catalog; tests/test_i18n.py checks that the installed click still has each one).
CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Positional arguments"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Missing command."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("required"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("Choose from:\n\t{choices}"),
    Nn_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    Nn_("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    Nn_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    Nn_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
)


# click translates its own messages with gettext's functions, bound in its modules at import
# (``from gettext import gettext as _``). No public hook exists: ``wire_click`` rebinds them to
# ours, which read the run's language at each call. click is pinned by the lock, and the tests
# run the French CLI to catch an upgrade that moves a message (tests/test_i18n.py).
_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils", "_termui_impl")


def wire_click() -> None:
    """Make click speak the run's language (``dossier.i18n``): once per process is enough."""
    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # pragma: no cover - another click version
            continue
        if hasattr(module, "_"):
            module._ = _
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
