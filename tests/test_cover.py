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
    # A landscape photograph takes the page's width instead of the themes; a portrait one stands beside them.
    assert ("DANS CE NUMÉRO" in cover_text(pdf)) == (size[1] > size[0])
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


# The extremes of what an editor can write on a cover: theme lines of 10 to 200 characters, one to
# eight themes, no photograph or a portrait or landscape one.
COVERS = [(10, 1, None), (200, 8, None), (120, 5, None), (200, 8, "portrait"), (10, 2, "portrait"),
          (200, 1, "landscape"), (90, 8, "landscape")]


@pytest.fixture(scope="module")
def cover_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import copy_project

    return copy_project(tmp_path_factory.mktemp("covers") / "project")


@pytest.mark.parametrize(("subtitle", "themes", "cover"), COVERS)
def test_no_text_collides_on_any_cover(cover_root: Path, subtitle: int, themes: int, cover: str | None):
    import shutil

    from dossier.manifest import load_issue
    from dossier.press import measure_draft, render_draft
    from dossier.project import Project
    from layout_defects import cover_defects
    from numeros import CardSpec, NumeroSpec, write_numero

    spec = NumeroSpec(themes=((CardSpec(60, False, False),),) * themes, resources=0, readings=(), seed=subtitle,
                      edito=200, subtitle=subtitle, cover=cover, back_pages=False)
    shutil.rmtree(cover_root / "issues/09", ignore_errors=True)
    write_numero(cover_root, spec)
    project = Project(cover_root)
    issue = load_issue(project, project.manifest_for("9"))
    layout = measure_draft(project, render_draft(project, issue))
    assert cover_defects(layout) == []
    cover_page = layout.pages[0]
    photo = [box for box in cover_page.boxes if box.kind == "image"]
    assert len(photo) == (1 if cover else 0)
    if cover == "portrait":  # beside the themes: most of a 2:3 photograph shows, not a third
        box = photo[0]
        assert box.width / box.height > 0.55
    texts = " ".join(box.text for box in cover_page.boxes)
    assert ("Dans ce numéro".upper() in texts.upper()) == (cover != "landscape")


def test_the_cover_fills_the_page(project: Path):
    from dossier.manifest import load_issue
    from dossier.press import measure_draft, render_draft
    from dossier.project import Project

    root = Project(project)
    issue = load_issue(root, root.manifest_for("3"))
    layout = measure_draft(root, render_draft(root, issue))
    page_height = 297 / 25.4 * 96
    assert layout.pages[0].size[1] == pytest.approx(page_height)
    cover = [element for element in layout.elements if element.id == "couverture"]
    assert [element.page for element in cover] == [1]
    assert cover[0].height == pytest.approx(page_height)  # no white strip at the foot
