"""CSV files as spreadsheets export them: UTF-8 (with or without a byte-order mark), Windows-1252 or Latin-1; ``;`` or ``,``.

The encoding is found, not asked: UTF-8 when the bytes are UTF-8 (other encodings almost never
are), else Windows-1252 (what French Excel writes for "CSV (séparateur : point-virgule)") when
a byte only it gives a letter to is there (’ – œ €), Latin-1 when such a byte is one Windows-1252
leaves undefined, and "Windows-1252 or Latin-1" when there is none (the two read every other
byte alike).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..errors import Problem
from ..i18n import _
from . import MAX_CELL, MAX_COLUMNS, MAX_ROWS, Row, Table, too_many_rows


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Windows-1252 and Latin-1 differ only in bytes 0x80-0x9F (’ – œ € in one, controls in the other):
    # without any, both read the same text, and the summary says so rather than pick one.
    if re.search(rb"[\x80-\x9f]", data):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "latin-1"
    return data.decode("latin-1"), "cp1252-or-latin-1"


def read_csv(path: Path, shown: str) -> Table:
    text, encoding = decode(path.read_bytes())
    first_line = text.split("\n", 1)[0]
    # French spreadsheets export with ';'; a header has no quotes worth sniffing.
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: tuple[str, ...] | None = None
    header_line = 1
    rows: list[Row] = []
    problems: list[Problem] = []
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue  # blank rows, often at the end of an export
            if len(cells) > MAX_COLUMNS:
                problems.append(Problem(shown, line, "", _("{count} cells: more than {maximum} columns").format(
                    count=len(cells), maximum=MAX_COLUMNS)))
                break
            if any(len(cell) > MAX_CELL for cell in cells):
                problems.append(Problem(shown, line, "", _("a cell of more than {maximum} characters").format(
                    maximum=MAX_CELL)))
                continue
            if header is None:
                header, header_line = tuple(cells), line
                continue
            if len(rows) >= MAX_ROWS:
                raise too_many_rows(shown)
            if len(cells) > len(header) and any(cells[len(header):]):
                problems.append(Problem(
                    shown, line, "",
                    _("{cells} cells but the header has {columns} columns: check the separators ('{delimiter}') and "
                      "quotes on this row").format(cells=len(cells), columns=len(header), delimiter=delimiter),
                ))
                continue
            rows.append(Row(line, tuple(cells)))
    except csv.Error as exc:
        problems.append(Problem(shown, reader.line_num, "", _("CSV syntax error: {error}: check the quotes on this row")
                                .format(error=exc)))
    return Table(shown, None, header or (), header_line, tuple(rows), encoding=encoding, delimiter=delimiter,
                 problems=tuple(problems))
