"""The printed pages of a draft as JPEG images (pypdfium2), and the URLs they are served at.

Invariant: each draft's pages have their own URLs (the draft's id is in them), so a
page image never changes once served and a browser may cache it for good.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pypdfium2

# 1.5 × 72 dpi: sharp enough to read body text in the panel and at /pages. JPEG at
# quality 90 without chroma subsampling looks the same as PNG on these pages and
# encodes five times faster: rendering and encoding take about 15 ms a page.
PAGE_SCALE = 1.5
PAGE_JPEG = {"quality": 90, "subsampling": 0}

# The draft's id (token-generation) and the page's number, counted from 1.
# Bounded digits: int() of a huge page number would be an error, not a 404.
PAGE_URL = re.compile(r"/_preview/page-([0-9a-f]{1,32}-[0-9]{1,9})-([0-9]{1,6})\.jpg")


def page_url(draft: str, number: int) -> str:
    return f"/_preview/page-{draft}-{number}.jpg"


@dataclass(frozen=True)
class PrintedPages:
    """The real pages of one draft, as JPEG images."""

    draft: str  # id of the draft they were printed from
    images: tuple[bytes, ...]
    seconds: float  # from the start of the print to the last image
    warnings: tuple[str, ...] = ()

    def image(self, draft: str, number: int) -> bytes | None:
        """Page ``number`` (from 1) if these are ``draft``'s pages and it has one."""
        if draft != self.draft or not 1 <= number <= len(self.images):
            return None
        return self.images[number - 1]

    def public(self) -> dict[str, Any]:
        """What browsers are told about these pages."""
        return {
            "draft": self.draft,
            "count": len(self.images),
            "seconds": round(self.seconds, 2),
            "images": [page_url(self.draft, n) for n in range(1, len(self.images) + 1)],
            "warnings": list(self.warnings),
        }


def render_page_images(
    pdf: bytes, *, scale: float = PAGE_SCALE, stale: Callable[[], bool] = lambda: False
) -> list[bytes]:
    """Each page of ``pdf`` as a JPEG; stops early (returns what it has) once ``stale()`` is true."""
    document = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            if stale():
                break
            page = document[index]
            bitmap = page.render(scale=scale)
            out = io.BytesIO()
            bitmap.to_pil().save(out, "JPEG", **PAGE_JPEG)
            images.append(out.getvalue())
            bitmap.close()
            page.close()
    finally:
        document.close()
    return images
