"""Print the HTML draft to PDF with WeasyPrint, fetching files from the project only."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import DossierError
from .project import ASSET_TYPES, Project

# A fixed base URL mapped to the project folder: the PDF does not depend on where
# the project is checked out (WeasyPrint names images after their URL).
PROJECT_URL = "https://dossier.invalid/"

# WeasyPrint warnings that mean something the user asked for is missing from the page.
_MISSING_MARKERS = ("Failed to load", "cannot be loaded")


class ProjectFetcher(URLFetcher):
    """Serves project files and data: URLs; refuses everything else.

    WeasyPrint's default fetcher would read any file the process can read (an
    ``<a rel="attachment" href="/etc/passwd">`` embeds it) and reach the network.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"data"})
        self.root = root.resolve()
        self.failures: list[str] = []  # one line per refused or missing resource

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.local_path(url)
        if path is None:
            self._fail(f"{url}: refused: only files inside the project folder (or data: URLs) can be used")
        if not path.is_file():
            shown = path.relative_to(self.root).as_posix()
            self._fail(f"{shown}: file not found: restore it, or correct the reference to it in templates/ or styles/")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": _content_type(path)})

    def _fail(self, message: str) -> NoReturn:
        if message not in self.failures:
            self.failures.append(message)
        raise ValueError(message)

    def local_path(self, url: str) -> Path | None:
        """The project file a URL names, or None when it names anything else."""
        if url.startswith(PROJECT_URL):
            relative = urllib.parse.unquote(urllib.parse.urlsplit(url).path).lstrip("/")
            path = (self.root / relative).resolve()
        elif url.startswith("file:"):
            path = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path)).resolve()
        else:
            return None
        return path if path.is_relative_to(self.root) else None


def _content_type(path: Path) -> str:
    return ASSET_TYPES.get(path.suffix.lower(), "application/octet-stream")


# Without HarfBuzz's subsetter WeasyPrint subsets fonts with fontTools: about 5× slower.
_FONTTOOLS_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"
NO_HARFBUZZ_SUBSET = (
    "HarfBuzz's font subsetter (libharfbuzz-subset0) is missing, so fonts are subset with fontTools, "
    "about 5 times slower: install it (sudo apt-get install libharfbuzz-subset0, or run scripts/install)"
)


@contextmanager
def _fixed_font_time(when: dt.datetime) -> Iterator[None]:
    """fontTools writes the time into the fonts it subsets unless SOURCE_DATE_EPOCH says which."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().replace(PROJECT_URL, "").splitlines()[0]
        if message.startswith(_FONTTOOLS_FALLBACK):  # said once per font by WeasyPrint: once here
            message = NO_HARFBUZZ_SUBSET
        if message not in self.messages:
            self.messages.append(message)


@contextmanager
def _weasyprint_warnings() -> Iterator[list[str]]:
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    # Without this, WeasyPrint's own stderr handler would print them a second time.
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collector.messages
    finally:
        logger.removeHandler(collector)
        logger.propagate = propagate


# Images are resampled to at most this resolution at their printed size and recompressed:
# print quality for an office printer, and a PDF small enough to be mailed.
IMAGE_DPI = 200
JPEG_QUALITY = 85
# Accessible by default (tagged, PDF/UA-1); the archive copy is PDF/A-3a (the "a" level keeps the tags).
ACCESSIBLE = "pdf/ua-1"
ARCHIVE = "pdf/a-3a"


def _base_url(project: Project, html_path: Path) -> str:
    return PROJECT_URL + html_path.resolve().relative_to(project.root.resolve()).as_posix()


def _render(project: Project, html: str, html_path: Path, fetcher: ProjectFetcher) -> weasyprint.Document:
    base_url = _base_url(project, html_path)
    # Image options act when images are loaded, during layout: they go to render().
    return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        dpi=IMAGE_DPI, jpeg_quality=JPEG_QUALITY
    )


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


@dataclass(frozen=True)
class PrintedPage:
    """How far down one page its content goes, and which parts (``section.part``, by id) it shows."""

    number: int
    fill: float  # from the top of the page's content area to the lowest line, image or card: 0 to 1
    parts: tuple[str, ...]
    back_page: bool  # it shows a back page (the publisher's page, an insert)


@dataclass
class Layout:
    """What checks need of the laid-out pages, without WeasyPrint's boxes."""

    page_height: float
    images: list[PrintedImage]
    elements: list[PrintedElement]
    pages: list[PrintedPage] = field(default_factory=list)


def measure_layout(project: Project, html: str, html_path: Path) -> Layout:
    """Lay out ``html`` with the same limits as print_pdf and measure its images and identified elements.

    WeasyPrint's private page boxes are read here and nowhere else.
    """
    fetcher = ProjectFetcher(project.root)
    with _weasyprint_warnings():
        document = _render(project, html, html_path, fetcher)
    if fetcher.failures:
        raise DossierError("\n".join(fetcher.failures))
    base_url = _base_url(project, html_path)
    layout = Layout(document.pages[0]._page_box.height if document.pages else 0, [], [])
    for number, page in enumerate(document.pages, start=1):
        layout.pages.append(_measure_page(number, page._page_box))
        for box in _walk_boxes(page._page_box):
            element = box.element
            if element is None:
                continue
            if element.get("id") and box.element_tag in {"article", "section", "div", "li"}:
                classes = tuple((element.get("class") or "").split())
                layout.elements.append(PrintedElement(element.get("id"), box.element_tag, classes, number,
                                                      box.margin_height()))
            if isinstance(box, boxes.ReplacedBox) and box.element_tag == "img":
                pixels = (getattr(box.replacement, "width", 0), getattr(box.replacement, "height", 0))
                source = _project_file(urllib.parse.urljoin(base_url, element.get("src") or ""))
                if source and all(pixels) and box.width and box.height:
                    layout.images.append(PrintedImage(source, pixels, (box.width, box.height),
                                                      box.style["object_fit"], number))
    return layout


def _measure_page(number: int, page_box: boxes.PageBox) -> PrintedPage:
    top, height = page_box.content_box_y(), page_box.height
    lowest, parts, back_page = top, [], False
    # The running header and footer are page furniture, not content.
    for box in _walk_boxes(page_box, skip=boxes.MarginBox):
        classes = (box.element.get("class") or "").split() if box.element is not None else []
        if "part" in classes and box.element.get("id") and box.element.get("id") not in parts:
            parts.append(box.element.get("id"))
            back_page = back_page or "back-page" in classes
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox) or "card" in classes or "tile" in classes:
            lowest = max(lowest, box.position_y + box.margin_height() - box.margin_bottom)
    return PrintedPage(number, round((lowest - top) / height, 3) if height else 0.0, tuple(parts), back_page)


def _walk_boxes(box: boxes.Box, skip: type | None = None) -> Iterator[boxes.Box]:
    """``box`` and its descendants, depth first; a ``skip`` box is left out with its descendants."""
    if skip is not None and isinstance(box, skip):
        return
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk_boxes(child, skip)


def _project_file(url: str) -> str | None:
    return urllib.parse.unquote(url.removeprefix(PROJECT_URL)) if url.startswith(PROJECT_URL) else None


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


def print_pdf(
    project: Project,
    html: str,
    html_path: Path,
    *,
    identifier: str = "dossier",
    strict: bool = False,
    archive: bool = False,
    sources: Sequence[SourceFile] = (),
    fixed_time: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
) -> PrintedPdf:
    """Lay out ``html`` (as if saved at ``html_path``) and return the PDF bytes.

    The same sources give the same bytes: ``identifier`` names the document (no random
    file ID), resources have project-relative URLs, and no date is written unless the
    HTML gives one; ``fixed_time`` is the date fontTools writes into the fonts it subsets
    (when HarfBuzz's subsetter is missing). Missing files (images, fonts, stylesheets) are
    errors; other WeasyPrint warnings are returned, or raised with ``strict``.
    """
    fetcher = ProjectFetcher(project.root)
    with _weasyprint_warnings() as warnings:
        started = time.perf_counter()
        document = _render(project, html, html_path, fetcher)
        laid_out = time.perf_counter()
        attachments = [
            weasyprint.Attachment(
                string=source.data,
                name=source.name,
                description=source.description,
                created=source.modified,
                modified=source.modified,
                relationship="Source",
            )
            for source in sources
        ]
        with _fixed_font_time(fixed_time):
            data = document.write_pdf(
                pdf_identifier=identifier.encode(),
                pdf_variant=ARCHIVE if archive else ACCESSIBLE,
                attachments=attachments,
            )
        written = time.perf_counter()
    if fetcher.failures:
        raise DossierError("\n".join(fetcher.failures))
    missing = [w for w in warnings if any(marker in w for marker in _MISSING_MARKERS)]
    if missing:
        raise DossierError("\n".join(f"styles/: {w}: check the @font-face and url() rules" for w in missing))
    if strict and warnings:
        raise DossierError("\n".join(f"WeasyPrint: {w} (--strict makes warnings errors)" for w in warnings))
    return PrintedPdf(
        data=data,
        pages=len(document.pages),
        warnings=warnings,
        layout_seconds=laid_out - started,
        write_seconds=written - laid_out,
    )
