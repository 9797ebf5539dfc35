"""What checks and tests need of the laid-out pages, measured once on WeasyPrint's boxes.

Invariant: WeasyPrint's private page boxes (``_page_box``) are read here and nowhere else;
callers get plain dataclasses.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint.formatting_structure import boxes

from ...errors import DossierError
from ...project import Project
from .fetch import PROJECT_URL, ProjectFetcher, base_url
from .layout import render_document, weasyprint_warnings
from .typesetting import block_lines, hyphen_runs


@dataclass(frozen=True)
class PrintedImage:
    """An image as laid out: its project file, its pixels and the CSS pixels (96 per inch) it fills."""

    source: str  # project-relative path
    pixels: tuple[int, int]
    size: tuple[float, float]
    fit: str  # the CSS object-fit
    page: int


@dataclass(frozen=True)
class PrintedElement:
    """A fragment of an element with an id, on one page: cards split over pages have several."""

    id: str
    tag: str
    classes: tuple[str, ...]
    page: int
    height: float  # margin height, CSS pixels
    x: float = 0.0  # its border box's left and top on the page, and its width
    y: float = 0.0
    width: float = 0.0


@dataclass(frozen=True)
class PrintedBox:
    """A line of text (its glyphs' extent, not its block's width) or an image, as laid out on a page."""

    kind: str  # "line" or "image"
    classes: tuple[str, ...]  # the classes of the element the line or image belongs to
    text: str
    x: float  # CSS pixels from the page's top left corner
    y: float
    width: float
    height: float

    def overlaps(self, other: PrintedBox, tolerance: float = 0.5) -> bool:
        return (self.x + tolerance < other.x + other.width and other.x + tolerance < self.x + self.width
                and self.y + tolerance < other.y + other.height and other.y + tolerance < self.y + self.height)


@dataclass(frozen=True)
class PrintedPage:
    """How far down one page its content goes, and which parts (``section.part``, by id) it shows."""

    number: int
    fill: float  # from the top of the page's content area to the lowest line, image or card: 0 to 1
    parts: tuple[str, ...]
    back_page: bool  # it shows a back page (the publisher's page, an insert)
    header: str = ""  # the running header's text, as laid out (upper-cased by the styles)
    boxes: tuple[PrintedBox, ...] = ()  # its lines and images, page furniture left out
    size: tuple[float, float] = (0.0, 0.0)  # the page's width and height, CSS pixels


@dataclass
class Layout:
    """What checks need of the laid-out pages, without WeasyPrint's boxes."""

    page_height: float
    images: list[PrintedImage]
    elements: list[PrintedElement]
    pages: list[PrintedPage] = field(default_factory=list)
    hyphen_runs: list[int] = field(default_factory=list)  # hyphenated line ends in a row, per run, every block


def measure_layout(project: Project, html: str, html_path: Path) -> Layout:
    """Lay out ``html`` with the same limits as print_pdf and measure its images and identified elements.

    WeasyPrint's private page boxes are read here and nowhere else.
    """
    fetcher = ProjectFetcher(project.root)
    with weasyprint_warnings():
        document = render_document(project, html, html_path, fetcher).document
    if fetcher.failures:
        raise DossierError("\n".join(fetcher.failures))
    draft_url = base_url(project, html_path)
    layout = Layout(document.pages[0]._page_box.height if document.pages else 0, [], [])
    for number, page in enumerate(document.pages, start=1):
        layout.pages.append(_measure_page(number, page._page_box))
        layout.hyphen_runs += [run for lines in block_lines(page._page_box) for run in hyphen_runs(lines)]
        for box in _walk_boxes(page._page_box):
            element = box.element
            if element is None:
                continue
            if element.get("id") and box.element_tag in {"article", "section", "div", "li"}:
                classes = tuple((element.get("class") or "").split())
                layout.elements.append(PrintedElement(element.get("id"), box.element_tag, classes, number,
                                                      box.margin_height(), box.border_box_x(), box.border_box_y(),
                                                      box.border_width()))
            if isinstance(box, boxes.ReplacedBox) and box.element_tag == "img":
                pixels = (getattr(box.replacement, "width", 0), getattr(box.replacement, "height", 0))
                source = _project_file(urllib.parse.urljoin(draft_url, element.get("src") or ""))
                if source and all(pixels) and box.width and box.height:
                    layout.images.append(PrintedImage(source, pixels, (box.width, box.height),
                                                      box.style["object_fit"], number))
    return layout


def _measure_page(number: int, page_box: boxes.PageBox) -> PrintedPage:
    top, height = page_box.content_box_y(), page_box.height
    lowest, parts, back_page, printed = top, [], False, []
    # The running header and footer are page furniture, not content.
    for box in _walk_boxes(page_box, skip=boxes.MarginBox):
        classes = (box.element.get("class") or "").split() if box.element is not None else []
        if "part" in classes and box.element.get("id") and box.element.get("id") not in parts:
            parts.append(box.element.get("id"))
            back_page = back_page or "back-page" in classes
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox) or "card" in classes or "tile" in classes:
            lowest = max(lowest, box.position_y + box.margin_height() - box.margin_bottom)
        if isinstance(box, boxes.LineBox) and (line := _printed_line(box, tuple(classes))):
            printed.append(line)
        elif isinstance(box, boxes.ReplacedBox):
            printed.append(PrintedBox("image", tuple(classes), "", box.content_box_x(), box.content_box_y(),
                                      box.width, box.height))
    header = "".join(box.text for margin in page_box.children
                     if isinstance(margin, boxes.MarginBox) and margin.at_keyword.startswith("@top")
                     for box in _walk_boxes(margin) if isinstance(box, boxes.TextBox))
    return PrintedPage(number, round((lowest - top) / height, 3) if height else 0.0, tuple(parts), back_page,
                       header, tuple(printed), (page_box.margin_width(), page_box.margin_height()))


def _printed_line(line: boxes.LineBox, classes: tuple[str, ...]) -> PrintedBox | None:
    """A line's glyphs: from its first text's left to its last text's right, its own height."""
    texts = [box for box in _walk_boxes(line)
             if isinstance(box, boxes.TextBox) and box.text.strip() and box.style["visibility"] == "visible"]
    if not texts:
        return None
    left = min(box.position_x for box in texts)
    right = max(box.position_x + box.width for box in texts)
    return PrintedBox("line", classes, "".join(box.text for box in texts), left, line.position_y,
                      right - left, line.height)


def _walk_boxes(box: boxes.Box, skip: type | None = None) -> Iterator[boxes.Box]:
    """``box`` and its descendants, depth first; a ``skip`` box is left out with its descendants."""
    if skip is not None and isinstance(box, skip):
        return
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk_boxes(child, skip)


def _project_file(url: str) -> str | None:
    return urllib.parse.unquote(url.removeprefix(PROJECT_URL)) if url.startswith(PROJECT_URL) else None
