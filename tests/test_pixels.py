"""n°3's printed pages, pixel by pixel: a speed change must not silently move anything.

The sample is built, its pages rendered with pypdfium2 at 50 dpi in grayscale and compared
with the reference PNGs in tests/pixels/. A pixel counts as changed when it differs by more
than a grey level of antialiasing; a page may have a few such pixels, no more. When the
layout changes on purpose, refresh the references with DOSSIER_UPDATE_PIXELS=1, look at
them and at the diff before committing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops

from conftest import copy_project

PIXELS = Path(__file__).parent / "pixels"
DPI = 50
GREY_TOLERANCE = 40  # out of 255: antialiasing differences stay under this
CHANGED_PIXELS_ALLOWED = 20  # per page (a page is about 410 × 580 pixels)


def render_pages(pdf: Path) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L") for page in document]
    finally:
        document.close()


def changed_pixels(reference: Image.Image, page: Image.Image) -> int:
    difference = ImageChops.difference(reference, page).point(lambda grey: 255 if grey > GREY_TOLERANCE else 0)
    return difference.histogram()[255]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Image.Image]:
    root = copy_project(tmp_path_factory.mktemp("pixels") / "project")
    done = subprocess.run([sys.executable, "-m", "dossier", "build", "3"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return render_pages(root / "output/dossier-special-03.pdf")


def test_pages_match_the_reference_images(pages: list[Image.Image]):
    if os.environ.get("DOSSIER_UPDATE_PIXELS"):
        PIXELS.mkdir(exist_ok=True)
        for old in PIXELS.glob("page-*.png"):
            old.unlink()
        for number, page in enumerate(pages, start=1):
            page.save(PIXELS / f"page-{number:02d}.png", optimize=True)
    references = sorted(PIXELS.glob("page-*.png"))
    assert len(pages) == len(references), "page count changed (DOSSIER_UPDATE_PIXELS=1 if on purpose)"
    changed = {}
    for number, (reference_file, page) in enumerate(zip(references, pages, strict=True), start=1):
        with Image.open(reference_file) as reference:
            assert reference.size == page.size, f"page {number}: size changed"
            count = changed_pixels(reference.convert("L"), page)
        if count > CHANGED_PIXELS_ALLOWED:
            changed[number] = count
    assert not changed, f"pixels changed per page: {changed} (DOSSIER_UPDATE_PIXELS=1 if on purpose)"
