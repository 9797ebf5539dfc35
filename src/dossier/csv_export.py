"""Every CSV the tool writes goes through here: cells a spreadsheet would run as formulas are neutralised.

OWASP's rule for CSV injection: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is prefixed with ``'``, which spreadsheets show as text and do not
keep in the value. Partner names, server replies and the reasons people give come from
outside; opened in Excel or LibreOffice, ``=HYPERLINK(…)`` would otherwise run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: object) -> str:
    """The cell as text, prefixed with ``'`` when a spreadsheet would take it for a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Iterable[object], rows: Iterable[Iterable[object]]) -> str:
    """A whole CSV document (comma-separated, one line per row, no final newline), every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralised(cell) for cell in header])
    writer.writerows([neutralised(cell) for cell in row] for row in rows)
    return out.getvalue().rstrip("\n")
