"""What a typesetter would mark on laid-out pages, measured on WeasyPrint's boxes (dossier.press.pdf.measure).

Each function takes a ``Layout`` and returns the defects it finds, in words; the property tests
(test_page_filling) and the cover's tests use them on every numéro they lay out.
"""

from __future__ import annotations

from dossier.press.pdf import Layout, PrintedPage

SEPARATORS = "·-–—|/"
FOOT = 4 / 25.4 * 96  # CSS pixels: « En savoir plus » stands within 4 mm of its card's foot


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


def row_defects(layout: Layout) -> list[str]:
    """Cards side by side: their titles' first lines at one height, their « En savoir plus » at one height."""
    found = []
    cards = [element for element in layout.elements if "card" in element.classes]
    rows: dict[tuple[int, int], list] = {}
    for card in cards:
        rows.setdefault((card.page, round(card.y)), []).append(card)
    for (page_number, _), row in rows.items():
        if len(row) < 2:
            continue
        page = layout.pages[page_number - 1]
        for kind in ("card-title", "card-more"):
            tops = {}
            for card in row:
                lines = [box for box in page.boxes if box.kind == "line" and kind in box.classes
                         and card.x <= box.x < card.x + card.width and card.y <= box.y < card.y + card.height]
                if lines:
                    tops[card.id] = min(box.y for box in lines)
                if kind == "card-more" and lines and card.y + card.height - max(b.y + b.height for b in lines) > FOOT:
                    found.append(f"page {page_number}: {card.id}'s « En savoir plus » is not at its foot")
            if kind == "card-title" and len(tops) != len(row):
                found.append(f"page {page_number}: a card of {[c.id for c in row]} has no title line")
            if tops and max(tops.values()) - min(tops.values()) > 0.5:
                found.append(f"page {page_number}: {kind} of {sorted(tops)} at {sorted(set(map(round, tops.values())))}")
    return found


def hyphenation_defects(layout: Layout) -> list[str]:
    """At most two hyphenated line ends in a row in any block (measured as laid out: Layout.hyphen_runs)."""
    return [f"{run} hyphenated lines in a row" for run in layout.hyphen_runs if run > 2]


def edito_defects(layout: Layout) -> list[str]:
    """Every page an édito runs on to (after the opening's own) at least a quarter full.

    The opening's first page holds the whole of a short édito with the sommaire: it is as full as they are.
    """
    first = next((page.number for page in layout.pages if "bonnes-pratiques" in page.parts), len(layout.pages) + 1)
    return [f"page {page.number} of the édito is {page.fill:.0%} full" for page in layout.pages[2:first - 1]
            if page.fill < 0.25]


READING_LINES = ("article", "article-source", "reading-theme-title", "reading-continued")


def continuation_defects(layout: Layout) -> list[str]:
    """Readings: each column opens with a theme's title or its continuation « Thème (suite) », naming the theme
    whose readings go on there; a continuation stands only at the top of a column."""
    found, theme = [], None
    for page in layout.pages:
        middle = page.size[0] / 2
        for column in (0, 1):
            lines = sorted((box for box in page.boxes if box.kind == "line" and set(box.classes) & set(READING_LINES)
                            and (box.x >= middle) == bool(column)), key=lambda box: box.y)
            for index, line in enumerate(lines):
                if "reading-theme-title" in line.classes:
                    theme = line.text
                elif "reading-continued" in line.classes:
                    if index > 0:
                        found.append(f"page {page.number}: {line.text!r} stands inside a column")
                    if not (theme and line.text.startswith(theme + " (")):
                        found.append(f"page {page.number}: {line.text!r} continues another theme than {theme!r}")
                elif index == 0:
                    found.append(f"page {page.number}: a column opens inside {theme!r} without its name")
    return found
