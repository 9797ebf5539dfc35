"""Back pages' actions in print: with a url a button (a link), without one a plain label that looks like no button.

Measured on the printed page: the ring of paper round the label's words has its block's light background
(a button would fill it with its colour), and no link annotation covers the words.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from conftest import copy_project

SCALE = 100 / 72  # 100 dpi
RING = 4  # points round the words: inside a button's 2 mm × 5 mm padding


def build(root: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "dossier", "build", "3"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return root / "output" / "dossier-special-03.pdf"


def action(pdf: Path, label: str) -> tuple[float, bool]:
    """The mean lightness (0–255) of the ring round ``label``'s words, and whether a link covers them."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number, page in enumerate(document):
            text = page.get_textpage()
            found = text.search(label).get_next()
            if not found:
                continue
            boxes = [text.get_charbox(index) for index in range(found[0], found[0] + found[1])]
            left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
            right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
            image = page.render(scale=SCALE).to_pil().convert("L")
            height = page.get_height()
            ring = []
            for x in range(round((left - RING) * SCALE), round((right + RING) * SCALE)):
                for y in (round((height - top - RING) * SCALE), round((height - bottom + RING) * SCALE)):
                    ring.append(image.getpixel((x, y)))
            linked = any(rect[0] <= left and right <= rect[2] and rect[1] <= bottom and top <= rect[3]
                         for rect in _links(pdf, number))
            return sum(ring) / len(ring), linked
    finally:
        document.close()
    raise AssertionError(f"{label!r} is not printed")


def _links(pdf: Path, number: int) -> list[list[float]]:
    """The rectangles of the links on page ``number`` (from 0): left, bottom, right, top, in points from the foot."""
    with pikepdf.open(pdf) as document:
        rects = [[float(value) for value in annotation.Rect] for annotation in document.pages[number].get("/Annots", [])
                 if annotation.get("/Subtype") == "/Link"]
    # A Rect is any two opposite corners (WeasyPrint writes the top one second).
    return [[min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)] for x1, y1, x2, y2 in rects]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """n°3 as published (its three actions have no url), and with a url given to « Candidater »."""
    plain = copy_project(tmp_path_factory.mktemp("actions") / "project")
    linked = copy_project(tmp_path_factory.mktemp("actions-linked") / "project")
    publication = linked / "publication.yaml"
    text = publication.read_text(encoding="utf-8")
    assert text.count("label: Candidater\n") == 1
    publication.write_text(text.replace("label: Candidater\n", "label: Candidater\n              url: https://example.org/candidater\n"),
                           encoding="utf-8")
    return build(plain), build(linked)


@pytest.mark.parametrize("label", ["Candidater", "Proposer une offre", "Télécharger la plaquette"])
def test_an_action_without_url_is_a_plain_label(printed: tuple[Path, Path], label: str):
    lightness, linked = action(printed[0], label)
    assert not linked
    # The paper round the words: the block's pale tint, or the insert head's navy for its own action.
    if label == "Télécharger la plaquette":
        assert lightness < 90
    else:
        assert lightness > 220


def test_an_action_with_a_url_is_a_button(printed: tuple[Path, Path]):
    lightness, linked = action(printed[1], "Candidater")
    assert linked and lightness < 90  # the button's colour round its words
