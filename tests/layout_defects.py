"""What a typesetter would mark on laid-out pages, measured on WeasyPrint's boxes (dossier.pdf.measure).

Each function takes a ``Layout`` and returns the defects it finds, in words; the property tests
(test_page_filling) and the cover's tests use them on every numéro they lay out.
"""

from __future__ import annotations

from dossier.pdf import Layout, PrintedPage

SEPARATORS = "·-–—|/"


def cover_defects(layout: Layout) -> list[str]:
    """On the cover: no line of text on another or on an image (but the photo's credit), nothing off the page."""
    page = layout.pages[0]
    found = []
    width, height = page.size
    lines = [box for box in page.boxes if box.kind == "line"]
    images = [box for box in page.boxes if box.kind == "image"]
    for box in page.boxes:
        if box.x < -0.5 or box.y < -0.5 or box.x + box.width > width + 0.5 or box.y + box.height > height + 0.5:
            found.append(f"cover: {box.kind} {box.text[:30]!r} goes off the page")
    for index, line in enumerate(lines):
        for other in lines[index + 1:]:
            if line.overlaps(other):
                found.append(f"cover: {line.text[:30]!r} overlaps {other.text[:30]!r}")
        if "cover-credit" not in line.classes:
            found.extend(f"cover: {line.text[:30]!r} overlaps an image" for image in images if line.overlaps(image))
    return found


def header_defects(layout: Layout) -> list[str]:
    """No running header starts (or ends) with a separator."""
    return [f"page {page.number}'s header is {page.header!r}" for page in layout.pages
            if page.header.strip() and (page.header.strip()[0] in SEPARATORS or page.header.strip()[-1] in SEPARATORS)]


def page_of(layout: Layout, number: int) -> PrintedPage:
    return layout.pages[number - 1]
