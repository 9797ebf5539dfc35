"""Print the HTML draft to PDF with WeasyPrint, fetching files from the project only.

The only package that imports WeasyPrint: ``fetch`` (what it may read), ``layout`` (laying
out, warnings), ``measure`` (what the laid-out pages hold), and printing here.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .libraries import quick_library_lookup

with quick_library_lookup():
    import weasyprint

from ...errors import DossierError
from ...i18n import _
from ...manifest.images import image_named_at
from ...project import Project
from ..printed import PrintedPdf, SourceFile
from .continued import continuation_styles
from .fetch import PROJECT_URL, ProjectFetcher
from .layout import ACCESSIBLE, ARCHIVE, NO_HARFBUZZ_SUBSET, render_document, weasyprint_warnings
from .measure import Layout, PrintedBox, PrintedElement, PrintedImage, PrintedPage, measure_layout
from .tagging import finisher, language_tags

__all__ = [
    "NO_HARFBUZZ_SUBSET", "PROJECT_URL", "Layout", "PrintedBox", "PrintedElement", "PrintedImage", "PrintedPage", "PrintedPdf",
    "SourceFile", "measure_layout", "print_pdf",
]

# WeasyPrint warnings that mean something the user asked for is missing from the page.
_MISSING_MARKERS = ("Failed to load", "cannot be loaded")
# The sources' media type (RFC 9512), which WeasyPrint cannot guess from a string.
_SOURCE_TYPE = "application/yaml"


def _data_url(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


_FAILED_IMAGE = re.compile(r"Failed to load image at '(?P<path>[^']*)': (?P<reason>.*)")


def _missing_message(project: Project, warning: str) -> str:
    """A file WeasyPrint could not load, said with its culprit: the manifest line naming an image, else styles/."""
    failed = _FAILED_IMAGE.fullmatch(warning)
    if failed is None:
        return _("styles/: {warning}: check the @font-face and url() rules").format(warning=warning)
    image, reason = failed["path"], failed["reason"]
    if where := image_named_at(project.root, project.root / image):
        return _("{where}: image '{image}' cannot be printed ({reason}): export it again, then run 'dossier validate'"
                 ).format(where=where, image=image, reason=reason)
    return _("{image}: this image cannot be printed ({reason}): export it again, or correct the url() of "
             "styles/ or templates/ that uses it").format(image=image, reason=reason)


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

    The same sources give the same bytes: no random file ID (``identifier`` names the archive
    copy, as PDF/A requires an ID; the everyday PDF has none, optional in PDF 1.7, because
    computing one makes pydyf serialise the whole file twice, 0.05 s), resources have
    project-relative URLs, and no date is written unless the HTML gives one; ``fixed_time`` is
    the date fontTools writes into the fonts it subsets (when HarfBuzz's subsetter is missing).
    Missing files (images, fonts, stylesheets) are errors; other WeasyPrint warnings are
    returned, or raised with ``strict``.
    """
    fetcher = ProjectFetcher(project.root)
    with weasyprint_warnings() as warnings:
        started = time.perf_counter()
        document, continued = render_document(project, html, html_path, fetcher)
        laid_out = time.perf_counter()
        attachments = [
            weasyprint.Attachment(
                url=_data_url(source.data, _SOURCE_TYPE),
                name=source.name,
                description=source.description,
                created=source.modified,
                modified=source.modified,
                relationship="Source",
            )
            for source in sources
        ]
        with _fixed_font_time(fixed_time), language_tags():
            data = document.write_pdf(
                pdf_identifier=identifier.encode() if archive else False,
                pdf_variant=ARCHIVE if archive else ACCESSIBLE,
                attachments=attachments,
                finisher=finisher(archive),
            )
        written = time.perf_counter()
    if fetcher.failures:
        raise DossierError("\n".join(fetcher.failures))
    missing = [w for w in warnings if any(marker in w for marker in _MISSING_MARKERS)]
    if missing:
        raise DossierError("\n".join(_missing_message(project, w) for w in missing))
    if strict and warnings:
        raise DossierError("\n".join(_("WeasyPrint: {warning} (--strict makes warnings errors)").format(warning=w)
                                     for w in warnings))
    return PrintedPdf(
        data=data,
        pages=len(document.pages),
        warnings=warnings,
        layout_seconds=laid_out - started,
        write_seconds=written - laid_out,
        draft_styles=continuation_styles(continued),
    )
