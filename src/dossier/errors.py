"""Errors that the CLI reports as one line each, without a traceback.

They derive from click.ClickException (as mkdocs does), so the CLI needs no
try/except: click prints ``format_message()`` and exits with ``exit_code``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an input file, located by file and line (a spreadsheet's: sheet and cell, ``C12``)."""

    file: str
    line: int
    field: str
    message: str
    column: str = ""  # a spreadsheet cell's column letters; ``file`` then names the sheet too

    def __str__(self) -> str:
        where = f"{self.file}:{self.column}{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


# Characters a terminal acts on instead of showing (escape sequences, bidi overrides): text
# from a manifest or a partner list could otherwise rewrite the screen or hide a warning.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: control characters shown as escapes (\\x1b)."""
    return _UNPRINTABLE.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


class DossierError(click.ClickException):
    """A failure the user can fix; its message says what to do."""

    exit_code = 1

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        # click prefixes "Error: "; our messages already start with file:line.
        click.echo(printable(self.format_message()), err=True, file=file)


class ManifestError(DossierError):
    """Every problem found in a manifest (and publication.yaml), reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.field, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

