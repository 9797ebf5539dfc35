"""Page filling for any numéro: no near-empty page, no stranded theme or reading title (issue 9).

Every numéro Hypothesis generates (1 to 8 themes of 1 to 12 cards from one line to the long-card
limit, with and without images, 0 to 16 resources, 0 to 40 readings, long éditos and theme lines,
cover photos, English entries) is laid out for real, and measured on the laid-out boxes
(``pdf.measure_layout``), with the typesetter's rules of layout_defects (cover, headers, rows,
hyphenation, édito):
- from the first "Bonnes pratiques" page to the last page before the back pages, every page
  but that last one is at least 40 % filled;
- a theme's band stands on the page of its first card; a reading theme's title on the page of
  its second article (or its only one).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings

from conftest import copy_project
from dossier.manifest import load_issue
from dossier.press import measure_draft, render_draft
from dossier.press.pdf import Layout
from dossier.project import Project
from layout_defects import (
    continuation_defects,
    cover_defects,
    edito_defects,
    header_defects,
    hyphenation_defects,
    row_defects,
)
from numeros import CardSpec, NumeroSpec, numero_specs, write_numero

MIN_FILL = 0.40


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_project(tmp_path_factory.mktemp("filling") / "project")


def lay_out(root: Path, spec: NumeroSpec) -> Layout:
    shutil.rmtree(root / "issues/09", ignore_errors=True)
    write_numero(root, spec)
    project = Project(root)
    issue = load_issue(project, project.manifest_for("9"))
    return measure_draft(project, render_draft(project, issue))


def defects(layout: Layout) -> list[str]:
    """Every rule broken by a layout, in words."""
    found = []
    pages = layout.pages
    first = next((p.number for p in pages if "bonnes-pratiques" in p.parts), None)
    back = next((p.number for p in pages if p.back_page), len(pages) + 1)
    if first is not None:
        for page in pages[first - 1: back - 2]:  # the page just before the back pages is excepted
            if page.fill < MIN_FILL:
                found.append(f"page {page.number} is {page.fill:.0%} filled")
    first_page = {}
    for element in layout.elements:
        first_page.setdefault(element.id, element.page)
    for element_id, page in first_page.items():
        if element_id.startswith("theme-"):
            card = first_page.get(f"initiative-{element_id.removeprefix('theme-')}-1")
            if card is not None and card != page:
                found.append(f"{element_id}'s band is on page {page}, its first card on page {card}")
        if element_id.startswith("lectures-"):
            number = element_id.removeprefix("lectures-")
            kept = first_page.get(f"lecture-{number}-2", first_page.get(f"lecture-{number}-1"))
            if kept is not None and kept != page:
                found.append(f"reading theme {number}'s title is on page {page}, its articles from page {kept}")
    return (found + cover_defects(layout) + header_defects(layout) + row_defects(layout) + hyphenation_defects(layout)
            + edito_defects(layout) + continuation_defects(layout))


def card(chars: int, image: bool = False) -> CardSpec:
    return CardSpec(chars=chars, image=image, place=True)


# The worst shapes found, kept as fixed examples (their pages were looked at as PNGs).
STRANDED = NumeroSpec(themes=((card(400),) * 8, (card(300),) * 6 + (card(880),)), resources=5, readings=(4, 3),
                      seed=4)


# A fixed set of examples in CI (derandomized: no run passes by luck); DOSSIER_EXAMPLES=200 explores more.
@settings(max_examples=int(os.environ.get("DOSSIER_EXAMPLES", "12")), deadline=None,
          derandomize="DOSSIER_EXAMPLES" not in os.environ,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=numero_specs())
@example(spec=STRANDED)
def test_every_numero_fills_its_pages(root: Path, spec: NumeroSpec):
    assert defects(lay_out(root, spec)) == []


def test_a_theme_continued_on_a_new_page_is_named_in_the_running_header(project: Path):
    """Cards' themes and readings' themes alike."""
    import subprocess

    from conftest import run

    assert run("build", "3").exit_code == 0
    pdf = project / "output/dossier-special-03.pdf"
    headers = []
    for number in (3, 4, 5, 6, 8):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        headers.append(text.splitlines()[0].replace(" ", ""))
    assert headers[0] == "BONNESPRATIQUES"  # the part's own page: its title stands there
    assert "BONNESPRATIQUES·TOURISME" in headers  # Tourisme goes on over a page in n°3
    assert all(header.startswith("BONNESPRATIQUES·") for header in headers[1:4])
    assert headers[4] == "ANALYSE&PROSPECTIVE·TOURISME"  # Tourisme's readings go on at the top of page 8
