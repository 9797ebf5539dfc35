"""Build a numéro: load → render → print, then write the HTML draft and the PDF atomically."""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .load import load_issue
from .model import Issue
from .pdf import print_pdf
from .project import Project
from .render import render_html


@dataclass
class BuildResult:
    issue: Issue
    manifest: Path
    html_path: Path
    pdf_path: Path
    pages: int
    size: int
    seconds: float
    warnings: list[str]
    timings: dict[str, float]  # seconds per stage: load, render, layout, pdf, write


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the whole new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def output_paths(project: Project, issue: Issue) -> tuple[Path, Path]:
    """Where a numéro's HTML draft and PDF go."""
    return project.output_dir / f"{issue.slug}.html", project.output_dir / f"{issue.slug}.pdf"


def build_issue(project: Project, issue_ref: str | Path, *, strict: bool = False) -> BuildResult:
    """Build one numéro; nothing is written unless everything succeeded."""
    started = time.perf_counter()
    manifest = project.manifest_for(issue_ref)
    issue = load_issue(project, manifest)
    loaded = time.perf_counter()
    html_path, pdf_path = output_paths(project, issue)
    html = render_html(project, issue)
    rendered = time.perf_counter()
    printed = print_pdf(project, html, html_path, strict=strict)
    printed_at = time.perf_counter()
    write_atomically(html_path, html.encode("utf-8"))
    write_atomically(pdf_path, printed.data)
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
