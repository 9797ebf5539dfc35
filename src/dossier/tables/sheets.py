"""Workbooks: .xlsx with openpyxl (read-only, streamed row by row), .ods with python-calamine.

Why two readers: openpyxl's read-only mode streams a sheet, so a sheet that claims a cell at
XFD1048576 costs nothing past the rows read; calamine (Rust) builds the whole sheet in memory
and aborts the process on such a sheet, so it never reads .xlsx here. For .ods no streaming
reader is maintained (odfpy, last released 2020, builds a DOM of the whole file); calamine is,
and refuses sheets of over 100 million cells with an error of its own. Both are bounded first
by the workbook's unpacked size (a zip file's declared sizes are what zipfile will unpack).
Merged cells: neither reader sees them; ``merges`` reads the ranges from the file's XML and
gives them their meaning (a title row skipped, a heading over several columns, a theme merged
down over its rows).
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import DossierError, Problem
from ..i18n import _, integer
from . import MAX_CELL, MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES, Row, Table, column_letters, too_many_rows
from .merges import Merge, header_index, ods_merges, spread, xlsx_merges


def read_workbook(path: Path, shown: str, sheet: str | None) -> Table:
    _check_unpacked_size(path, shown)
    ods = path.suffix.lower() == ".ods"
    name, rows = (_ods_rows if ods else _xlsx_rows)(path, shown, sheet)
    try:
        with zipfile.ZipFile(path) as archive:
            merges = (ods_merges if ods else xlsx_merges)(archive, name)
    except (ValueError, OSError, zipfile.BadZipFile) as exc:
        raise _unreadable(shown, exc) from None
    return _table(shown, name, rows, merges)


def _check_unpacked_size(path: Path, shown: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise DossierError(_("{file}: not the workbook its name says (or protected by a password): save it again from "
                             "Excel or LibreOffice as {kind}, without a password").format(
            file=shown, kind=path.suffix.lower())) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise DossierError(_("{file}: unpacks to {size} MB, more than a table of {rows} rows needs: is it the right "
                             "file?").format(file=shown, size=integer(unpacked // (1024 * 1024)), rows=integer(MAX_ROWS)))


def _unreadable(shown: str, exc: Exception) -> DossierError:
    return DossierError(_("{file}: the workbook cannot be read ({reason}): open it in Excel or LibreOffice and save it "
                          "again").format(file=shown, reason=str(exc).strip() or type(exc).__name__))


def _pick(names: list[str], visible: list[str], sheet: str | None, shown: str) -> str:
    if sheet is None:
        if not visible:
            raise DossierError(_("{file}: no visible sheet").format(file=shown))
        return visible[0]
    if sheet not in names:
        raise DossierError(_("{file}: no sheet «\u202f{sheet}\u202f» (its sheets: {names})").format(
            file=shown, sheet=sheet, names=", ".join(names)))
    return sheet


def _xlsx_rows(path: Path, shown: str, sheet: str | None) -> tuple[str, list[list[object]]]:
    import openpyxl

    try:
        # data_only: a formula cell gives the value Excel last computed, never the formula.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            names = workbook.sheetnames
            visible = [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]
            name = _pick(names, visible, sheet, shown)
            rows = [list(values) for values in workbook[name].iter_rows(
                max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS, values_only=True)]
        finally:
            workbook.close()
    except DossierError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged part; each is one line here
        raise _unreadable(shown, exc) from None
    return name, rows


def _ods_rows(path: Path, shown: str, sheet: str | None) -> tuple[str, list[list[object]]]:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        try:
            metadata = [m for m in workbook.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
            names = [m.name for m in metadata]
            visible = [m.name for m in metadata if m.visible == python_calamine.SheetVisibleEnum.Visible]
            name = _pick(names, visible, sheet, shown)
            found = workbook.get_sheet_by_name(name)
            rows = [list(values) for values in found.to_python(skip_empty_area=False, nrows=MAX_ROWS + 2)]
        finally:
            workbook.close()
    except DossierError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine's errors (XML, zip, cell limit) are one line here
        raise _unreadable(shown, exc) from None
    return name, [row[:MAX_COLUMNS] for row in rows]


def cell_text(value: object) -> str:
    """A cell as the editor reads it: 3.0 → 3, a date → 2026-12-03, nothing → empty."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


def _table(shown: str, sheet: str, values: list[list[object]], merges: Sequence[Merge] = ()) -> Table:
    """The first non-empty row is the header (a title merged across it skipped); rows are numbered as the
    spreadsheet shows them (from 1).

    Cells right of the header's last column have no name: they are not read (a row is padded
    to MAX_COLUMNS by the reader; converting only the header's width keeps 5,000 rows quick).
    """
    where = f"{shown}:{sheet}"
    header: tuple[str, ...] | None = None
    header_line = 1
    rows: list[Row] = []
    problems: list[Problem] = []
    if len(values) > MAX_ROWS + 1:  # rows past the bound were not read: refuse rather than drop them unsaid
        raise too_many_rows(where)
    first = header_index(values, merges)
    spread(values, merges, first, where)
    width = MAX_COLUMNS
    for number, row in enumerate(values[first:], start=first + 1):
        cells = [cell_text(value) for value in row[:width]]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        long = [index for index, cell in enumerate(cells) if len(cell) > MAX_CELL]
        for index in long:
            problems.append(Problem(where, number, "", _("more than {maximum} characters").format(maximum=MAX_CELL),
                                    column=column_letters(index)))
        if long:
            continue
        if header is None:
            header, header_line, width = tuple(cells), number, len(cells)
        elif len(rows) >= MAX_ROWS:
            raise too_many_rows(where)
        else:
            rows.append(Row(number, tuple(cells)))
    return Table(shown, sheet, header or (), header_line, tuple(rows), problems=tuple(problems))
