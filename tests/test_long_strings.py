"""Unbreakable strings wider than their column wrap inside it, on a real build.

The grids' tracks are ``minmax(0, 1fr)`` (cheap for WeasyPrint: no min-content measure of
every card), so a long address or compound word can no longer widen a column; the
stylesheet's ``overflow-wrap`` must break it instead of letting it run over the next
column or out of the page. Word boxes come from ``pdftotext -bbox``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import copy_project

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")

URL = "https://example.org/rapport?id=" + "7f3a9c2e" * 14  # 144 characters, no break opportunity
WORD = "Gemeindeentwicklungsfinanzierungsberatungsgesellschaftsvorsitzendenstellvertreter"
A4_WIDTH = 595.28  # points
MARGIN = 15 / 25.4 * 72  # the pages' 15 mm side margins, in points
COLUMN_GAP = 5 / 25.4 * 72  # the cards' column gap
TOLERANCE = 0.5


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x_min: float
    x_max: float


def _words(pdf: Path) -> list[Word]:
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = []
    for number, page in enumerate(xhtml.split("<page ")[1:], start=1):
        for x_min, x_max, text in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', page):
            words.append(Word(number, text, float(x_min), float(x_max)))
    return words


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> list[Word]:
    root = copy_project(tmp_path_factory.mktemp("long") / "project")
    manifest = root / "issues/03/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    replacements = {
        # The first card (left column) and the second (right column) of the first theme.
        "report des cotisations aux Sociétés de développement commercial.": f"voir {URL} pour le détail.",
        "reliant aux enjeux écologiques mondiaux.": f"reliant aux enjeux du {WORD} mondial.",
        "title: Note de conjoncture du 23 avril 2020": f"title: Note de conjoncture {URL}",
        "title: Une certaine idée de la France, une certaine idée du tourisme": f"title: Tourisme {URL}",
    }
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    manifest.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "dossier", "build", "3"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return _words(root / "output/dossier-special-03.pdf")


def test_no_word_leaves_the_page_content_box(words: list[Word]):
    outside = [w for w in words if w.page > 1 and not MARGIN - TOLERANCE <= w.x_min <= w.x_max <= A4_WIDTH - MARGIN + TOLERANCE]
    assert not outside


def test_a_long_address_wraps_inside_its_card_column(words: list[Word]):
    pieces = [w for w in words if "7f3a9c2e" in w.text]
    assert len(pieces) >= 3 * 2  # the card, the tile and the reading: each broken over two lines or more
    card = [w for w in pieces if w.page == 3]
    assert card and all(w.x_max <= A4_WIDTH / 2 - COLUMN_GAP / 2 + TOLERANCE for w in card)


def test_a_long_word_wraps_inside_its_card_column(words: list[Word]):
    pieces = [w for w in words if w.page == 3 and re.search(r"Gemeinde|vorsitz|stellvertreter", w.text)]
    assert pieces
    assert all(w.x_min >= A4_WIDTH / 2 + COLUMN_GAP / 2 - TOLERANCE for w in pieces)
    assert all(w.x_max <= A4_WIDTH - MARGIN + TOLERANCE for w in pieces)
