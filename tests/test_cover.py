"""The cover's lower half: the numéro's themes without a photograph, the photograph (cropped, credited) with one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import run


def cover_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_without_a_photograph_the_cover_lists_the_themes(project: Path):
    assert run("build", "3").exit_code == 0
    text = cover_text(project / "output/dossier-special-03.pdf")
    assert "DANS CE NUMÉRO" in text
    for theme in ("DÉVELOPPEMENT ÉCONOMIQUE", "ATTRACTIVITÉ, HOSPITALITÉ & SOLIDARITÉ", "TOURISME"):
        assert theme in text


@pytest.mark.parametrize("size", [(3000, 2000), (1600, 2400)], ids=["landscape", "portrait"])
def test_a_cover_photograph_is_printed_with_its_credit(mini_project: Path, size: tuple[int, int]):
    Image.new("RGB", size, (60, 120, 170)).save(mini_project / "issues/01/couverture.jpg")
    manifest = mini_project / "issues/01/issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "edito: |", 'cover_image: couverture.jpg\ncover_alt: Une place au soleil\ncover_credit: "Photo : Jeanne Exemple"\n'
        "edito: |"), encoding="utf-8")
    result = run("build", "1")
    assert result.exit_code == 0, result.stderr
    pdf = mini_project / "output/dossier-special-01.pdf"
    assert "Photo : Jeanne Exemple" in cover_text(pdf).replace("\u202f", " ")
    assert "DANS CE NUMÉRO" not in cover_text(pdf)
    images = PdfReader(pdf).pages[0].images
    assert len(images) == 1
    # Resampled to 200 dpi at its printed size (the full width, 210 mm): never the 3000 px source.
    assert images[0].image.width <= 210 / 25.4 * 200 + 2


def test_a_credit_without_a_photograph_is_an_error(mini_project: Path):
    manifest = mini_project / "issues/01/issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("edito: |", "cover_credit: Photo\nedito: |"),
                        encoding="utf-8")
    result = run("validate", "1")
    assert result.exit_code == 1
    assert "cover_alt or cover_credit is given without cover_image" in result.stderr
