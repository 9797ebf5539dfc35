"""Readings: a theme that goes on in a new column or on a new page is named there, « Thème (suite) ».

Measured on the laid-out boxes (layout_defects.continuation_defects: every column of readings opens with its
theme's title or its continuation, which names that theme and stands nowhere else) and on the printed text
(pdftotext), on n°3 and on generated numéros of many reading themes, up to 40 readings; the sommaire's page
numbers stay those of the pages where the parts start.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project
from dossier.manifest import load_issue
from dossier.press import measure_draft, render_draft
from dossier.project import Project
from layout_defects import continuation_defects
from numeros import CardSpec, NumeroSpec, write_numero

CARDS = (CardSpec(300, False, True), CardSpec(200, True, False))
NUMEROS = {
    21: NumeroSpec(themes=(CARDS,), resources=2, readings=(10, 3, 8, 2, 9, 8), seed=21, english=True),  # 40
    22: NumeroSpec(themes=(CARDS, CARDS), resources=0, readings=(6, 7, 5, 6, 7, 9), seed=22),  # 40
    23: NumeroSpec(themes=(CARDS,), resources=12, readings=(9, 9), seed=23),
}


def squashed(text: str) -> str:
    """Letter-spaced headings come out of pdftotext with spaces between letters: compare without spaces."""
    return "".join(text.split())


def page_texts(pdf: Path, *options: str) -> list[str]:
    text = subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def columns(pdf: Path) -> list[str]:
    """Each page's left half then its right half, from 16 mm down (under the running header), in points."""
    pages = len(page_texts(pdf)) - 1
    return [subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-r", "72", "-x", str(x), "-y", "45",
                            "-W", "298", "-H", "797", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            for page in range(1, pages + 1) for x in (0, 298)]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("readings") / "project")
    for number, spec in NUMEROS.items():
        write_numero(root, spec, number=number)
    return root


@pytest.mark.parametrize("number", [3, *NUMEROS])
def test_each_column_of_readings_opens_with_its_theme_named(root: Path, number: int):
    project = Project(root)
    layout = measure_draft(project, render_draft(project, load_issue(project, project.manifest_for(str(number)))))
    assert continuation_defects(layout) == []
    continued = [box.text for page in layout.pages for box in page.boxes if "reading-continued" in box.classes]
    assert continued, "these numéros have themes that cross a column or a page"


def test_the_printed_numero_names_the_continued_themes_and_keeps_its_sommaire(root: Path):
    for number in (3, 21):
        done = subprocess.run([sys.executable, "-m", "dossier", "build", str(number)], cwd=root, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
    n3 = page_texts(root / "output/dossier-special-03.pdf", "-layout")
    # Tourisme's readings go on at the top of page 8, under the running header.
    assert squashed(n3[7]).startswith("ANALYSE&PROSPECTIVE·TOURISMETOURISME(SUITE)")
    # The numéro's text in reading order, column after column, below the running headers (which name the
    # theme a page starts in), squashed.
    body = "".join(squashed(column) for column in columns(root / "output/dossier-special-21.pdf"))
    continued = list(re.finditer(r"LECTURES(\d)\(SUITE\)", body))
    assert len(continued) >= 3
    for found in continued:  # the theme's own title stands earlier in the numéro
        assert re.search(rf"LECTURES{found[1]}(?!\d|\(SUITE\))", body[:found.start()]), found[0]
    # The sommaire's numbers (after its leader) are the pages where the parts start, back pages included.
    laid_out = page_texts(root / "output/dossier-special-21.pdf", "-layout")
    entries = re.findall(r"^\s*(.*?)\s*(?:\. )+\.?\s*(\d+)\s*$", laid_out[1].split("SOMMAIRE", 1)[1], re.M)
    assert entries
    for label, page in entries:
        label = label.split("   ")[-1]  # the édito's column, left of the sommaire's
        first = next(number for number, text in enumerate(laid_out, start=1)
                     if number > 2 and squashed(label.upper()) in squashed(text.upper()))
        assert first == int(page), label


def test_the_html_draft_prints_the_continuation_headings_on_its_own(root: Path):
    """The draft carries the styles the measured pass added: WeasyPrint alone prints « Tourisme (suite) » too."""
    done = subprocess.run([sys.executable, "-m", "dossier", "build", "3"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    draft = root / "output/dossier-special-03.html"
    assert "> .reading-continued" in draft.read_text(encoding="utf-8")
    alone = root / "alone.pdf"
    subprocess.run([sys.executable, "-m", "weasyprint", str(draft), str(alone)], cwd=root, capture_output=True,
                   check=True)
    assert squashed(page_texts(alone, "-layout")[7]).startswith("ANALYSE&PROSPECTIVE·TOURISMETOURISME(SUITE)")
