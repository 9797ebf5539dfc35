"""Build a numéro: load → render → print, then write the HTML draft and the PDF atomically.

A build whose sources, options and tools are unchanged (``buildcache``) prints nothing: it
answers from the cache before importing the manifest's model, Jinja2 or WeasyPrint, which
are imported only when a build really runs. ``is_up_to_date`` is the one staleness test
for everything that needs a current PDF (``send``, a site).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import write_all_atomically
from ..i18n import N_, translation
from ..project import Project
from .cache import cached_build, hash_inputs, record_build

if TYPE_CHECKING:
    from ..manifest.model import Issue
    from .printing import Printer


@dataclass
class BuildResult:
    issue: Issue | None  # None when unchanged: the manifest was not even loaded
    manifest: Path
    html_path: Path
    pdf_path: Path
    pages: int
    size: int
    seconds: float
    warnings: list[str]
    timings: dict[str, float]  # seconds per stage: load, render, layout, pdf, write (check when unchanged)
    unchanged: bool = field(default=False)  # nothing was printed: the outputs were already those of the sources


def is_up_to_date(project: Project, issue_ref: str | Path, pdf_path: Path) -> bool:
    """True when ``pdf_path`` is the plain PDF (no --draft, no --pdf-a) of the numéro's current sources.

    Judged by content (see buildcache), never by file times; a PDF built in any other way,
    or not by dossier, is not up to date.
    """
    cached = cached_build(project, project.manifest_for(issue_ref))
    return cached is not None and cached.pdf_path.resolve() == Path(pdf_path).resolve()


def _source_date(issue: Issue) -> dt.datetime:
    """The date written on embedded sources: fixed by the sources, so builds stay reproducible."""
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    if isinstance(issue.date, dt.date):
        return dt.datetime(issue.date.year, issue.date.month, issue.date.day, tzinfo=dt.UTC)
    if issue.date is not None:
        return dt.datetime(issue.date.year, issue.date.month, 1, tzinfo=dt.UTC)
    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def build_issue(
    project: Project,
    issue_ref: str | Path,
    *,
    strict: bool = False,
    draft: bool = False,
    archive: bool = False,
    force: bool = False,
    ready: Callable[[], object] | None = None,
) -> BuildResult:
    """Build one numéro; nothing is written unless everything succeeded.

    ``draft`` marks every page "Brouillon" with today's date; ``archive`` prints PDF/A-3a
    with the manifest (and publication.yaml) embedded as sources. Unless ``force``, a build
    whose inputs are unchanged returns the recorded outputs (``unchanged``) without printing.
    ``ready`` (the CLI's gate) is called before a build that prints, and may raise to stop
    it; an unchanged build does not call it: its inputs, the manifest among them, passed it.
    """
    started = time.perf_counter()
    manifest = project.manifest_for(issue_ref)
    draft_date = dt.date.today() if draft else None
    if not force and (cached := cached_build(project, manifest, draft_date=draft_date, archive=archive, strict=strict)):
        return BuildResult(None, manifest, cached.html_path, cached.pdf_path, cached.pages, cached.size,
                           time.perf_counter() - started, cached.warnings,
                           {"check": time.perf_counter() - started}, unchanged=True)
    if ready is not None:
        ready()
    from .printing import start_printer

    # Started before loading: the worker imports WeasyPrint while this process loads and renders.
    printer = start_printer()
    try:
        return _build(project, manifest, printer, started, draft_date=draft_date, strict=strict, archive=archive)
    finally:
        printer.close()


def with_styles(html: str, styles: str) -> str:
    """The draft with the styles its print added, so that it prints the same pages on its own."""
    if not styles:
        return html
    return html.replace("</head>", f"<style>{styles}</style>\n</head>", 1)


def _build(project: Project, manifest: Path, printer: Printer, started: float, *,
           draft_date: dt.date | None, strict: bool, archive: bool) -> BuildResult:
    # Imported here, not above: an unchanged build must not pay for them.
    from ..manifest.load import load_issue
    from .printing import PrintJob, SourceFile
    from .render import render_html

    issue = load_issue(project, manifest)
    inputs = hash_inputs(project, project.sources(issue), draft_date=draft_date, archive=archive)
    loaded = time.perf_counter()
    html_path, pdf_path = project.output_paths(issue.slug, archive=archive, draft=draft_date is not None)
    html = render_html(project, issue, draft_date=draft_date)
    rendered = time.perf_counter()
    sources = []
    if archive:
        date = _source_date(issue)
        words = translation(issue.publication.language).gettext  # the PDF speaks the publication's language
        sources = [
            SourceFile(f"{issue.slug}.yaml", manifest.read_bytes(),
                       words(N_("The manifest of numéro {number}")).format(number=issue.number), date),
            SourceFile("publication.yaml", project.publication_file.read_bytes(),
                       words(N_("The publication's shared content")), date),
        ]
    printed = printer.print(PrintJob(project, html, html_path, identifier=issue.slug, strict=strict, archive=archive,
                                     sources=tuple(sources), fixed_time=_source_date(issue)))
    printed_at = time.perf_counter()
    html_bytes = with_styles(html, printed.draft_styles).encode("utf-8")
    # Both or neither: a PDF never stands beside the draft of another version.
    write_all_atomically([(html_path, html_bytes), (pdf_path, printed.data)])
    record_build(project, manifest, inputs, {html_path: html_bytes, pdf_path: printed.data},
                 pages=printed.pages, warnings=printed.warnings, archive=archive, draft=draft_date is not None)
    finished = time.perf_counter()
    return BuildResult(
        issue=issue,
        manifest=manifest,
        html_path=html_path,
        pdf_path=pdf_path,
        pages=printed.pages,
        size=len(printed.data),
        seconds=finished - started,
        warnings=printed.warnings,
        timings={
            "load": loaded - started,
            "render": rendered - loaded,
            "layout": printed.layout_seconds,
            "pdf": printed.write_seconds,
            "print other": printed_at - rendered - printed.layout_seconds - printed.write_seconds,
            "write": finished - printed_at,
        },
    )
