"""Merged cells in workbooks: where they are (read from the file's XML), and what each one means to the editor.

Neither reader sees merges: openpyxl's streaming mode skips ``<mergeCells>``, and calamine
(0.9) gives no ranges for .ods, where LibreOffice writes a merge as a spanned cell followed by
``<table:covered-table-cell>`` placeholders. So the ranges are read here from the workbook's own
XML, once, as a stream, by expat with every handler ours (the parse of ``manifest.imagebounds``):
an entity declaration refuses the file, nothing outside it is read, and reading stops at the
end of the sheet's ranges (.xlsx) or of its table (.ods). At most ``MAX_MERGES`` ranges are kept.

What a merge means (``spread``), as offices use them:
- A title merged across the top of the sheet, above the header, is a title: that row is skipped.
- A heading merged across columns names each column under it that holds data.
- A data cell merged down (a « Thème » over the rows of its initiatives) gives its value to every
  row it covers, in its first column; it is never copied sideways into the columns beside it
  (a text merged over the link's column is not a link).
- Only a range's first cell shows: text kept in the cells it covers (LibreOffice can keep it,
  hidden) is not read.
The cells filled are bounded by the rows read times the header's width: overlapping ranges
(only a forged file has them) are refused, never expanded without end.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.parsers import expat

from ..errors import DossierError
from ..i18n import _, integer
from . import MAX_COLUMNS, MAX_ROWS

MAX_MERGES = MAX_ROWS  # one per row is already more than any list or call for contributions has
_ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


@dataclass(frozen=True)
class Merge:
    """A merged range, rows and columns counted from 0, both ends included."""

    top: int
    left: int
    bottom: int
    right: int


class _Stop(Exception):
    """Everything needed was read: the parse ends early."""


def _parse(archive: zipfile.ZipFile, member: str, start: Callable, end: Callable | None = None) -> None:
    """Stream ``member`` through expat with our handlers; DossierError-free: a damaged part raises ValueError."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end

    def refuse(*_args: object) -> None:
        raise ValueError(_("it declares XML entities"))

    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        with archive.open(member) as part:
            while piece := part.read(1 << 20):
                parser.Parse(piece, False)
            parser.Parse(b"", True)
    except _Stop:
        pass
    except (expat.ExpatError, KeyError) as exc:
        raise ValueError(str(exc)) from None


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def _attribute(attributes: dict[str, str], local: str) -> str | None:
    return next((value for key, value in attributes.items() if _local(key) == local), None)


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: {id: (type, target as a member name)}."""
    folder, name = posixpath.split(part)
    found: dict[str, tuple[str, str]] = {}

    def start(tag: str, attributes: dict[str, str]) -> None:
        if _local(tag) == "Relationship" and len(found) < 10_000:
            target = attributes.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[attributes.get("Id", "")] = (attributes.get("Type", ""), member)

    _parse(archive, posixpath.join(folder, "_rels", f"{name}.rels"), start)
    return found


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str:
    """The member holding ``sheet``: the package's workbook, its sheet of that name, that sheet's relationship."""
    workbook = next(target for kind, target in _relationships(archive, "").values() if kind.endswith("/officeDocument"))
    ids: list[str] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        if _local(tag) == "sheet" and attributes.get("name") == sheet:
            ids.append(_attribute(attributes, "id") or "")
            raise _Stop

    _parse(archive, workbook, start)
    return _relationships(archive, workbook)[ids[0]][1]


def _cell(reference: str) -> tuple[int, int]:
    match = _CELL.match(reference)
    if match is None:
        raise ValueError(_("«\u202f{reference}\u202f» is not a cell").format(reference=reference[:20]))
    column = 0
    for letter in match[1].upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match[2]) - 1, column - 1


def xlsx_merges(archive: zipfile.ZipFile, sheet: str) -> list[Merge]:
    """The merged ranges of an .xlsx sheet (its ``<mergeCell ref="A3:A7">``); ValueError if the parts are damaged."""
    merges: list[Merge] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        if _local(tag) == "mergeCell":
            first, _colon, last = attributes.get("ref", "").partition(":")
            (top, left), (bottom, right) = _cell(first), _cell(last or first)
            _keep(merges, Merge(top, left, bottom, right))

    def end(tag: str) -> None:
        if _local(tag) == "mergeCells":
            raise _Stop

    try:
        part = _sheet_part(archive, sheet)
    except (StopIteration, IndexError, KeyError):
        raise ValueError(_("the sheet has no part of its own")) from None
    _parse(archive, part, start, end)
    return merges


def ods_merges(archive: zipfile.ZipFile, sheet: str) -> list[Merge]:
    """The spanned cells of an .ods table (``table:number-rows-spanned``, ``…-columns-spanned``), by position."""
    merges: list[Merge] = []
    state = {"inside": False, "depth": 0, "row": 0, "column": 0, "repeat": 1}

    def number(attributes: dict[str, str], name: str) -> int:
        value = attributes.get(f"{_ODS_TABLE}}}{name}", "1")
        return max(1, int(value)) if value.isdigit() else 1

    def start(tag: str, attributes: dict[str, str]) -> None:
        namespace, _sep, local = tag.rpartition("}")
        if namespace != _ODS_TABLE:
            return
        if local == "table":
            if state["inside"]:
                state["depth"] += 1  # a table inside a cell: its rows are not the sheet's
            elif attributes.get(f"{_ODS_TABLE}}}name") == sheet:
                state["inside"] = True
        elif not state["inside"] or state["depth"]:
            return
        elif local == "table-row":
            state["column"], state["repeat"] = 0, number(attributes, "number-rows-repeated")
        elif local in ("table-cell", "covered-table-cell"):
            rows, columns = number(attributes, "number-rows-spanned"), number(attributes, "number-columns-spanned")
            if local == "table-cell" and (rows > 1 or columns > 1) and state["column"] < MAX_COLUMNS:
                top, left = state["row"], state["column"]
                _keep(merges, Merge(top, left, top + rows - 1, left + columns - 1))
            state["column"] += number(attributes, "number-columns-repeated")

    def end(tag: str) -> None:
        namespace, _sep, local = tag.rpartition("}")
        if namespace != _ODS_TABLE or not state["inside"]:
            return
        if local == "table":
            if not state["depth"]:
                raise _Stop
            state["depth"] -= 1
        elif local == "table-row" and not state["depth"]:
            state["row"] += state["repeat"]
            if state["row"] > MAX_ROWS + 2:  # past what the reader reads: the rest cannot change it
                raise _Stop

    _parse(archive, "content.xml", start, end)
    return merges


def _keep(merges: list[Merge], merge: Merge) -> None:
    if merge.bottom < merge.top or merge.right < merge.left:
        raise ValueError(_("a merged range ends before it starts"))
    if len(merges) >= MAX_MERGES:
        raise ValueError(_("more than {count} merged ranges").format(count=integer(MAX_MERGES)))
    merges.append(merge)


def _text(value: object) -> bool:
    return value is not None and str(value).strip() != ""


def header_index(values: Sequence[Sequence[object]], merges: Sequence[Merge]) -> int:
    """The header's row: the first row holding something that is not a title (one cell merged across columns)."""
    titles = {(m.top, m.left) for m in merges if m.right > m.left}
    for index, row in enumerate(values):
        filled = [column for column, value in enumerate(row) if _text(value)]
        if filled and not (len(filled) == 1 and (index, filled[0]) in titles):
            return index
    return len(values)


def spread(values: list[list[object]], merges: Sequence[Merge], header: int, where: str) -> None:
    """Give merged cells their meaning in place (see the module's docstring); DossierError on overlapping ranges."""
    if header >= len(values):
        return
    heading, last = values[header], len(values) - 1
    width = _width(heading)  # the columns read: the header's, and those a heading is merged over
    for merge in merges:
        if merge.top == header:
            width = max(width, min(merge.right, MAX_COLUMNS - 1) + 1)
    budget = (last - header + 1) * width  # the cells that ranges which do not overlap can cover at most
    below = [merge for merge in merges if header <= merge.top <= last and merge.left < width]
    for merge in below:  # only a range's first cell shows: text kept in the cells it covers is hidden
        rows, columns = range(merge.top, min(merge.bottom, last) + 1), range(merge.left, min(merge.right, width - 1) + 1)
        budget -= len(rows) * len(columns)
        if budget < 0:
            raise DossierError(_("{where}: its merged cells overlap (a damaged file): open it in Excel or LibreOffice "
                                 "and save it again").format(where=where))
        for row in rows:
            for column in columns:
                if (row, column) != (merge.top, merge.left) and column < len(values[row]):
                    values[row][column] = None
    with_data: dict[int, bool] = {}  # columns holding something under the header (each scanned once)
    for merge in below:
        if merge.top == header:
            for column in range(merge.left + 1, min(merge.right, width - 1) + 1):
                if column not in with_data:
                    with_data[column] = any(column < len(row) and _text(row[column]) for row in values[header + 1:])
                if with_data[column]:
                    _put(heading, column, heading[merge.left] if merge.left < len(heading) else None)
        elif merge.bottom > merge.top:  # merged down: each row it covers has its value, in its first column
            value = values[merge.top][merge.left] if merge.left < len(values[merge.top]) else None
            for row in range(merge.top + 1, min(merge.bottom, last) + 1):
                _put(values[row], merge.left, value)


def _width(row: Sequence[object]) -> int:
    width = len(row)
    while width and not _text(row[width - 1]):
        width -= 1
    return width


def _put(row: list[object], column: int, value: object) -> None:
    if column >= len(row):
        row.extend([None] * (column + 1 - len(row)))
    row[column] = value
