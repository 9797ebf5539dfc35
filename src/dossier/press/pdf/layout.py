"""Laying out the draft with WeasyPrint: the image options, and WeasyPrint's warnings collected, once each."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import weasyprint

from ...i18n import N_, _
from ...project import Project
from .continued import continuation_stylesheet, continued_articles
from .fetch import PROJECT_URL, ProjectFetcher, base_url
from .hyphenation import CACHE as HYPHENATION_CACHE
from .hyphenation import load_patterns
from .typesetting import forbid, forgive, hyphenation_faults, hyphenation_limits

# Without HarfBuzz's subsetter WeasyPrint subsets fonts with fontTools: about 5× slower.
_FONTTOOLS_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"
NO_HARFBUZZ_SUBSET = N_(
    "HarfBuzz's font subsetter (libharfbuzz-subset0) is missing, so fonts are subset with fontTools, "
    "about 5 times slower: install it (sudo apt-get install libharfbuzz-subset0, or run scripts/install)"
)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.args, tuple):  # WeasyPrint's ImageLoadingError says nothing: its cause says why
            record.args = tuple(_reason(arg) if isinstance(arg, Exception) else arg for arg in record.args)
        message = record.getMessage().replace(PROJECT_URL, "").splitlines()[0]
        if message.startswith(_FONTTOOLS_FALLBACK):  # said once per font by WeasyPrint: once here
            message = _(NO_HARFBUZZ_SUBSET)
        if message not in self.messages:
            self.messages.append(message)


def _reason(exc: BaseException) -> str:
    while not str(exc) and exc.__cause__ is not None:
        exc = exc.__cause__
    return " ".join(str(exc).split()) or type(exc).__name__


@contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
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


# Images are resampled to at most this resolution at their printed size (and recompressed, at
# Pillow's JPEG quality 75): print quality for an office printer, a PDF small enough to be mailed.
# No jpeg_quality: WeasyPrint would then re-encode every JPEG at its full size when loading it,
# only to resample it again when painting (the 3000×2000 photo of a card: 50 ms wasted); without
# it a photo is decoded straight at the reduced scale (Pillow's draft mode), and a JPEG already
# at or under 200 dpi goes into the PDF as it is, without a generation loss.
IMAGE_DPI = 200
# Accessible by default (tagged, PDF/UA-1); the archive copy is PDF/A-3a (the "a" level keeps the tags).
ACCESSIBLE = "pdf/ua-1"
ARCHIVE = "pdf/a-3a"


# Layouts at most per print: the first, then again while the measured passes find something to
# correct (hyphenation faults, readings' continuation headings to show or hide).
PASSES = 4


class LaidOut(NamedTuple):
    document: weasyprint.Document
    continued: frozenset[str]  # the readings' articles whose continuation heading is shown (continued)


def render_document(project: Project, html: str, html_path: Path, fetcher: ProjectFetcher,
                    stylesheets: tuple[weasyprint.CSS, ...] = (), **options: object) -> LaidOut:
    """Lay out the draft (with ``stylesheets`` after its own, WeasyPrint's render ``options``); lay it out
    again while hyphenation has faults (the words at fault kept whole) or the readings' columns open inside
    a theme whose continuation heading is not shown there (``continued``)."""
    url = base_url(project, html_path)
    load_patterns(html, project.root / HYPHENATION_CACHE)
    forgive()
    shown: frozenset[str] = frozenset()
    # Parsed once for every pass (WeasyPrint's render reads the tree, never changes it), with the
    # images decoded once: a further pass costs its layout only.
    parsed = weasyprint.HTML(string=html, base_url=url, url_fetcher=fetcher)
    images: dict = {}
    for _pass in range(PASSES):
        extra = (continuation_stylesheet(shown),) if shown else ()
        # Image options act when images are loaded, during layout: they go to render().
        with hyphenation_limits():
            document = parsed.render(dpi=IMAGE_DPI, stylesheets=[*stylesheets, *extra], cache=images, **options)
        faults = hyphenation_faults(document.pages)
        wanted = continued_articles(document.pages)
        if not faults and wanted == shown:
            break
        forbid(faults)
        shown = wanted
    return LaidOut(document, shown)
