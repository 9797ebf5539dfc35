"""Spreadsheets as offices keep them: .xlsx, .ods and .csv read into one shape, a header and rows of text.

Partner lists (``dossier send``) and imports (``dossier import``) read their files here, so
both accept the same files and locate a cell the same way: ``liste.xlsx:Feuille1:C12`` in a
workbook, ``liste.csv:12`` (the row's first line) in a CSV file.

Invariants:
- Every cell is text, stripped; an empty cell is ``""``. A formula cell reads as the value its
  spreadsheet last computed (what the editor sees); nothing in a file is evaluated.
- A malformed row is left out and its problem kept in ``Table.problems``, so that a reader
  reports it with every other problem at once; only an unreadable file raises.
- Input is bounded before it is read: the file's size, a workbook's unpacked size, the number of
  rows and columns, the length of a cell. A file over a bound is refused with one line saying
  which, never read half-way.
- A workbook's first visible sheet is read unless a sheet is named; hidden sheets are skipped.
- Headers are matched by ``header_key``: case, accents, spacing and punctuation do not count
  (« Adresse e-mail », « ADRESSE E-MAIL » and « adresse_email » are one header).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import DossierError, Problem
from ..i18n import _, integer

MAX_FILE_BYTES = 20 * 1024 * 1024  # a partner list of 100,000 rows is a few MB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # a workbook is a zip file: its parts unpacked, all together
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL = 32_767  # Excel's own limit for one cell

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".ods"}
TABLE_SUFFIXES = WORKBOOK_SUFFIXES | {".csv"}


@dataclass(frozen=True)
class Row:
    line: int  # the row's number in its sheet, or its first line in a CSV file
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A header and its rows, with where they came from (to locate each cell in messages)."""

    shown: str  # the file as the user names it
    sheet: str | None  # the sheet read, for a workbook
    header: tuple[str, ...]
    header_line: int
    rows: tuple[Row, ...]
    encoding: str | None = None  # a CSV file's: utf-8, utf-8-sig, cp1252, latin-1 or cp1252-or-latin-1
    delimiter: str | None = None  # a CSV file's
    problems: tuple[Problem, ...] = ()  # rows left out (a cell too long, too many cells): the reader reports them with its own

    @property
    def where(self) -> str:
        """The file, and its sheet for a workbook: ``liste.xlsx:Feuille1``."""
        return f"{self.shown}:{self.sheet}" if self.sheet is not None else self.shown

    def problem(self, line: int, column: int | None, field: str, message: str) -> Problem:
        """A problem at a cell (``column`` counts from 0), or at a row when ``column`` is None."""
        if self.sheet is None or column is None:
            return Problem(self.where, line, field, message)
        return Problem(self.where, line, field, message, column=column_letters(column))

    def describe(self) -> str:
        """How the file was read, for a summary: its sheet, or its CSV encoding and separator."""
        if self.sheet is not None:
            return _("sheet «\u202f{sheet}\u202f»").format(sheet=self.sheet)
        return _("{encoding}, separator «\u202f{delimiter}\u202f»").format(
            encoding=encoding_name(self.encoding or "utf-8"), delimiter=self.delimiter)


def encoding_name(encoding: str) -> str:
    names = {
        "utf-8": _("UTF-8"),
        "utf-8-sig": _("UTF-8 with byte-order mark"),
        "cp1252": _("Windows-1252 (Excel's CSV)"),
        "latin-1": _("Latin-1 (ISO-8859-1)"),
        "cp1252-or-latin-1": _("Windows-1252 or Latin-1 (they read this file alike)"),
    }
    return names.get(encoding, encoding)


class TableError(DossierError):
    """Every problem found reading a table, one located line each."""

    def __init__(self, problems: list[Problem], conclusion: str = "") -> None:
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, len(p.column), p.column, p.field, p.message))
        lines = [str(p) for p in self.problems] + ([conclusion] if conclusion else [])
        super().__init__("\n".join(lines))


def column_letters(index: int) -> str:
    """A column's letters as spreadsheets show them: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def header_key(text: str) -> str:
    """A header with case, accents, spacing and punctuation left out: « Adresse e-mail » → ``adresseemail``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", plain)


def match_columns(header: Iterable[str], aliases: Mapping[str, Iterable[str]]) -> dict[int, str]:
    """Which column holds which field: ``{column index: field}``, from each field's accepted headers."""
    by_key = {header_key(alias): name for name, names in aliases.items() for alias in (name, *names)}
    return {index: by_key[key] for index, text in enumerate(header) if (key := header_key(text)) in by_key}


def read_table(path: Path, shown: str | None = None, *, sheet: str | None = None) -> Table:
    """The header (the first non-empty row) and rows of a .xlsx, .ods or .csv file; TableError or DossierError if unreadable."""
    shown = shown or str(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise DossierError(_("{file}: not a spreadsheet: give a .xlsx, .ods or .csv file").format(file=shown))
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DossierError(_("{file}: cannot be read: {reason}").format(file=shown, reason=exc.strerror)) from None
    if size > MAX_FILE_BYTES:
        raise DossierError(_("{file}: {size} MB, more than a table of {rows} rows needs: is it the right file?").format(
            file=shown, size=integer(size // (1024 * 1024)), rows=integer(MAX_ROWS)))
    if suffix == ".csv":
        from .text import read_csv

        return read_csv(path, shown)
    from .sheets import read_workbook

    return read_workbook(path, shown, sheet)


def too_many_rows(where: str) -> DossierError:
    return DossierError(_("{where}: more than {rows} rows: split the table, or delete the empty rows at its end").format(
        where=where, rows=integer(MAX_ROWS)))
