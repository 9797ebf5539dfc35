"""What a print is given besides its draft, and what it gives back: plain data, crossing between processes.

Invariant: this module imports nothing of WeasyPrint nor of the print worker, so the build,
the worker and ``pdf`` can all import it (``pdf`` and ``printing`` need not import each other).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceFile:
    """A file embedded in the PDF as its source (PDF/A-3 allows any file)."""

    name: str
    data: bytes
    description: str
    modified: dt.datetime


@dataclass
class PrintedPdf:
    data: bytes
    pages: int
    warnings: list[str]
    layout_seconds: float
    write_seconds: float
    draft_styles: str = ""  # styles the print added (the readings' continuation headings), for the HTML draft
