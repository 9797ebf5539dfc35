"""Errors that the CLI reports as one line each, without a traceback.

They derive from click.ClickException (as mkdocs does), so the CLI needs no
try/except: click prints ``format_message()`` and exits with ``exit_code``.
"""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in an input file, located by file and line."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DossierError(click.ClickException):
    """A failure the user can fix; its message says what to do."""

    exit_code = 1

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        # click prefixes "Error: "; our messages already start with file:line.
        click.echo(self.format_message(), err=True, file=file)


class ManifestError(DossierError):
    """Every problem found in a manifest (and publication.yaml), reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.field, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))

