"""The print stage: a numéro → its HTML draft (``render``) → its PDF (``pdf``, in a worker: ``printing``).

The one way in for every feature: ``build_issue`` (load → render → print → write, answered
from ``cache`` when nothing changed), ``is_up_to_date`` (is that PDF the current one?),
and for the preview and ``check``, which hold a loaded numéro, ``render_draft`` then
``print_draft`` or ``measure_draft``.

Invariants: importing this package imports nothing heavy (``dossier`` imports
``press.printing`` first thing, to fork a build's worker); only ``pdf`` imports WeasyPrint;
``pdf`` and ``printing`` share their data through ``printed`` and never import each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..manifest.model import Issue
    from ..project import Project
    from .build import BuildResult, build_issue, is_up_to_date
    from .pdf import Layout
    from .print_shop import PrintShopCopy, build_for_print_shop
    from .printed import PrintedPdf

__all__ = ["BuildResult", "Draft", "PrintShopCopy", "build_for_print_shop", "build_issue", "is_up_to_date",
           "measure_draft", "print_draft", "render_draft"]


@dataclass(frozen=True)
class Draft:
    """A numéro's HTML draft, and where it is saved in output/ (its links are relative to that place)."""

    html: str
    path: Path


def render_draft(project: Project, issue: Issue, *, draft_date: dt.date | None = None) -> Draft:
    """The numéro as one HTML document; ``draft_date`` marks every page "Brouillon"."""
    from .render import render_html

    return Draft(render_html(project, issue, draft_date=draft_date), project.output_paths(issue.slug)[0])


def print_draft(project: Project, draft: Draft, *, identifier: str = "dossier") -> PrintedPdf:
    """The draft's everyday PDF, printed in this process (a process that has WeasyPrint imported already)."""
    from .printing import PrintJob

    return PrintJob(project, draft.html, draft.path, identifier=identifier).run()


def measure_draft(project: Project, draft: Draft) -> Layout:
    """What the draft's laid-out pages hold (images, fragments, fill), without writing a PDF."""
    from .pdf import measure_layout

    return measure_layout(project, draft.html, draft.path)


def __getattr__(name: str) -> Any:  # noqa: ANN401 - the build's names, imported when first asked for
    if name in {"BuildResult", "build_issue", "is_up_to_date"}:
        from . import build

        return getattr(build, name)
    if name in {"PrintShopCopy", "build_for_print_shop"}:
        from . import print_shop

        return getattr(print_shop, name)
    raise AttributeError(name)
