"""``dossier build N --imprimeur``: the print shop's copy of a numéro, output/dossier-special-NN-imprimeur.pdf.

Load → render → print as PDF/X-4 with bleed and crop marks (``press.pdf.print_shop``) → write. Printed in
this process, every time it is asked for (it is asked for once a numéro, when it goes to press);
the everyday PDF and its build record are not touched.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from ..files import write_atomically
from ..project import Project

SUFFIX = "-imprimeur.pdf"


@dataclass(frozen=True)
class PrintShopCopy:
    pdf_path: Path
    pages: int
    size: int
    seconds: float
    warnings: list[str]


def build_for_print_shop(project: Project, issue_ref: str | Path) -> PrintShopCopy:
    from ..manifest.load import load_issue
    from .pdf.print_shop import print_for_print_shop
    from .render import render_html

    started = time.perf_counter()
    issue = load_issue(project, project.manifest_for(issue_ref))
    html = render_html(project, issue)
    html_path = project.output_dir / f"{issue.slug}.html"
    when = dt.datetime(issue.date.year, issue.date.month, getattr(issue.date, "day", 1), tzinfo=dt.UTC) \
        if issue.date is not None else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    printed = print_for_print_shop(project, html, html_path, identifier=f"{issue.slug}-imprimeur", fixed_time=when)
    pdf_path = project.output_dir / f"{issue.slug}{SUFFIX}"
    write_atomically(pdf_path, printed.data)
    return PrintShopCopy(pdf_path, printed.pages, len(printed.data), time.perf_counter() - started, printed.warnings)
