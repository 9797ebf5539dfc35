"""Readings: a theme that goes on in a new column or on a new page is named there, « Lectures (suite) ».

WeasyPrint repeats no heading, and the readings flow through their two columns as one block
(``.reading-flow``, for speed: see styles/dossier.css). So the continuation is measured: every
article but a theme's first carries its theme's continuation heading, hidden
(``.reading-continued``, templates/readings.html.j2); after a layout, ``continued_articles`` finds the
articles that open a column without their theme's title above them, and the layout is done again
with ``continuation_stylesheet`` showing the heading of those articles (``layout.render_document``).
The heading is inside its article, which never splits: it never ends a column alone.

Invariant: a shown heading stands at the top of a column; a layout whose shown headings are not exactly
the ones its columns need is never the last one when a further pass is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import weasyprint
from weasyprint.formatting_structure import boxes

COLUMNS = "reading-columns"
ARTICLE = "article"
TITLE = "reading-theme-title"
HEADING = "reading-continued"


def continued_articles(document_pages: Iterable) -> frozenset[str]:
    """The ids of the articles that open a column (or a page) of readings without their theme's title."""
    found = set()
    for page in document_pages:
        for columns in _boxes_of(page._page_box, COLUMNS):
            # The columns' box holds one box a column, each a fragment of the flow: its first leaf says
            # whether the column opens on a theme's title or inside a theme's list.
            for column in columns.children:
                opening = _opening(column)
                if opening is not None and ARTICLE in _classes(opening) and opening.element.get("id"):
                    found.add(opening.element.get("id"))
    return frozenset(found)


def continuation_styles(article_ids: Iterable[str]) -> str:
    """Styles that show the continuation heading of these articles (ids made by the template: [a-z0-9-]); "" for none.

    Also written into the HTML draft, so that it prints the same pages on its own.
    """
    selectors = ", ".join(f"#{article_id} > .{HEADING}" for article_id in sorted(article_ids))
    # WeasyPrint's render(stylesheets=…) are user styles, which yield to the author's but for !important.
    return f"{selectors} {{ display: block !important; }}" if selectors else ""


def continuation_stylesheet(article_ids: Iterable[str]) -> weasyprint.CSS:
    return weasyprint.CSS(string=continuation_styles(article_ids))


def _opening(box: boxes.Box) -> boxes.Box | None:
    """The first theme title or article down the first children of ``box``."""
    while isinstance(box, boxes.ParentBox) and box.children:
        box = box.children[0]
        classes = _classes(box)
        if TITLE in classes or ARTICLE in classes:
            return box
    return None


def _boxes_of(box: boxes.Box, name: str) -> Iterator[boxes.Box]:
    """The outermost boxes of elements of class ``name`` in ``box`` (page furniture left out)."""
    if isinstance(box, boxes.MarginBox):
        return
    if name in _classes(box):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _boxes_of(child, name)


def _classes(box: boxes.Box) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []
