"""PDF/UA-1 checked by an independent tool (pdfua, on pikepdf): a numéro with every kind of image (n°3 and
generated numéros: tests/test_print_checkers.py, with two more checkers).

pdfua checks 16 of PDF/UA-1's 106 machine-checkable rules (structure tree, marked content
or artifact for every painted object, language, figure alt texts, tables, link and
annotation descriptions, headings, title, XMP identification); the README says which
remain unchecked.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from conftest import run

pdfua = pytest.importorskip("pdfua")

# UA-14-001 (headings not empty) raises inside pdfua 0.1.3 on WeasyPrint's structure tree
# (a /K array where it expects a dictionary): it is reported as skipped, not passed.
KNOWN_SKIPPED = {"UA-14-001"}


def check(pdf: Path) -> None:
    report = pdfua.validate(str(pdf))
    assert [(f.rule_id, f.location, f.message) for f in report.findings] == []
    assert {outcome.rule_id for outcome in report.skipped} <= KNOWN_SKIPPED
    assert len(report.outcomes) >= 12


def test_a_numero_with_every_kind_of_image_passes(mini_project: Path):
    folder = mini_project / "issues/01"
    for name, size in {"photo.jpg": (1200, 800), "logo.png": (300, 120), "portrait.jpg": (600, 900)}.items():
        Image.new("RGB", size, (30, 90, 150)).save(folder / name)
    Image.new("RGB", (400, 160), (150, 30, 60)).save(mini_project / "editeur.png")
    manifest = folder / "issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("        place: Ville-Exemple\n", "        place: Ville-Exemple\n        image: photo.jpg\n"
                        "        alt: Une place de village au soleil\n")
    text = text.replace("    title: Un guide fictif\n", "    title: Un guide fictif\n    logo: logo.png\n")
    text = text.replace("pages: []\n", "pages:\n  - title: Une page d'essai\n    intro: Un texte.\n"
                        "    image: portrait.jpg\n    alt: Un portrait\n")
    manifest.write_text(text, encoding="utf-8")
    publication = mini_project / "publication.yaml"
    publication.write_text("logo: editeur.png\n" + publication.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("build", "1")
    assert result.exit_code == 0, result.stderr
    check(mini_project / "output/dossier-special-01.pdf")


def test_a_generated_numero_with_photos_passes(project: Path):
    from numeros import CardSpec, NumeroSpec, write_numero

    cards = tuple(CardSpec(chars=120 + 90 * n, image=n % 2 == 0, place=n % 3 == 0) for n in range(9))
    write_numero(project, NumeroSpec(themes=(cards, cards[:4]), resources=7, readings=(5, 2), seed=11), number=9)
    result = run("build", "9")
    assert result.exit_code == 0, result.stderr
    check(project / "output/dossier-special-09.pdf")
