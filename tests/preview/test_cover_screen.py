"""The live draft's cover on screen: no two of its parts overlap, nothing leaves it, at 320 to 1920 px.

Measured in Chromium on n°3 and on a numéro with a three-line theme, a long byline and a
cover photograph (the printed cover has its own tests: this is screen CSS only).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser

from browser import chromium_browser  # noqa: F401 - the browser fixture
from conftest import copy_project
from dossier.preview import PreviewServer
from dossier.project import Project

WIDTHS = (320, 768, 1280, 1920)
PARTS = (".cover-top", ".cover-theme", ".cover-byline", ".cover-date", ".cover-contents", ".cover-photo", ".cover-foot")
LONG_SUBTITLE = ("Territoires en transition : mobilités douces, tourisme de proximité, culture hors les murs "
                 "et nouvelles hospitalités dans les villes moyennes")


def long_numero(root: Path) -> None:
    manifest = root / "issues/03/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('subtitle: "Territoires, gestion de crise & résilience | COVID-19"',
                        f'subtitle: "{LONG_SUBTITLE}"\ncover_image: couverture.jpg\ncover_alt: Une place de village\n'
                        "cover_credit: \"Photo : Jeanne Martin\"")
    manifest.write_text(text, encoding="utf-8")
    Image.new("RGB", (2400, 1600), (90, 120, 150)).save(root / "issues/03/couverture.jpg", "JPEG")


@pytest.fixture(scope="module", params=["n3", "long"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PreviewServer]:
    root = copy_project(tmp_path_factory.mktemp(request.param) / "project")
    if request.param == "long":
        long_numero(root)
    project = Project(root)
    with PreviewServer(project, project.manifest_for("3"), port=0) as preview:
        yield preview


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] - 0.5 and b["x"] < a["x"] + a["width"] - 0.5
            and a["y"] < b["y"] + b["height"] - 0.5 and b["y"] < a["y"] + a["height"] - 0.5)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_covers_parts_do_not_overlap(browser: Browser, server: PreviewServer, width: int):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.goto(server.url)
    page.wait_for_selector("#couverture")
    page.evaluate("document.fonts.ready")
    cover = page.locator("#couverture").bounding_box()
    boxes = {part: page.locator(f"#couverture {part}").bounding_box() for part in PARTS
             if page.locator(f"#couverture {part}").count()}
    assert {".cover-top", ".cover-theme", ".cover-foot"} <= set(boxes)
    for part, box in boxes.items():
        assert box["x"] >= cover["x"] - 0.5 and box["x"] + box["width"] <= cover["x"] + cover["width"] + 0.5, part
        assert box["y"] + box["height"] <= cover["y"] + cover["height"] + 0.5, f"{part} leaves the cover"
    number = page.locator("#couverture .cover-number").evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e); const b = r.getBoundingClientRect();"
        " const c = e.closest('.cover').getBoundingClientRect(); return b.left >= c.left - 0.5 && b.right <= c.right + 0.5; }")
    assert number, "the numéro's number is wider than the cover"
    names = list(boxes)
    clashes = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
               if not (a == ".cover-top" and b == ".cover-theme") and overlap(boxes[a], boxes[b])]
    assert clashes == [], f"at {width} px: {clashes}"
    page.close()
