"""Print standards: tagged accessible PDF, PDF/A-3a archive, image resampling, reproducible bytes, draft mark."""

from __future__ import annotations

import hashlib
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfReader

from conftest import copy_project, run


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [sys.executable, "-m", "dossier", "build", "3", *args], cwd=root, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed


def structure_elements(reader: PdfReader) -> list:
    """Every element of the structure tree, depth first."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict) or hasattr(node, "get"):
            if node.get("/Type") == "/StructElem" or "/S" in node:
                found.append(node)
            kids = node.get("/K")
            if kids is None:
                return
            if not isinstance(kids, list):
                kids = [kids]
            for kid in kids:
                if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                    walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def xmp(reader: PdfReader) -> str:
    return reader.xmp_metadata.stream.get_data().decode("utf-8")


def photo(path: Path, seed: int) -> None:
    """A 3000×2000 photo-like JPEG: noise under blurred shapes compresses like a real photo."""
    rng = random.Random(seed)
    image = Image.effect_noise((750, 500), 40).convert("RGB").resize((3000, 2000))
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y, r = rng.randrange(3000), rng.randrange(2000), rng.randrange(50, 400)
        draw.ellipse((x, y, x + r, y + r), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    image.filter(ImageFilter.GaussianBlur(2)).save(path, quality=90)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("standards") / "project")
    build(root)
    build(root, "--pdf-a")
    return root


def test_accessible_by_default(sample: Path):
    reader = PdfReader(sample / "output/dossier-special-03.pdf")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "fr"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert 'pdfuaid:part="1"' in xmp(reader)
    assert "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Dossier spécial n°3" in xmp(reader)
    kinds = [str(element["/S"]) for element in structure_elements(reader)]
    # Headings in reading order, no level skipped: the part titles are H2, theme bands H3, cards H4; a
    # back page's blocks are H3 under its title, H4 under a section's title.
    assert kinds.count("/H4") == 30 + 3  # initiatives, the Master 2's facts under "Coup d'œil sur la formation"
    # Theme bands, reading themes, missions, the facts' section, the Master 2's calls.
    assert kinds.count("/H3") == 4 + 6 + 4 + 1 + 2
    assert "/Link" in kinds and "/L" in kinds and "/P" in kinds


def test_pdf_a_3a_archive_with_its_sources(sample: Path):
    reader = PdfReader(sample / "output/dossier-special-03-pdfa.pdf")
    metadata = xmp(reader)
    assert 'pdfaid:part="3"' in metadata and 'pdfaid:conformance="A"' in metadata
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"])  # the "a" level keeps the tags
    assert "/OutputIntents" in reader.trailer["/Root"]
    attachments = reader.attachments
    assert sorted(attachments) == ["dossier-special-03.yaml", "publication.yaml"]
    assert attachments["dossier-special-03.yaml"][0] == (sample / "issues/03/issue.yaml").read_bytes()
    assert attachments["publication.yaml"][0] == (sample / "publication.yaml").read_bytes()


def test_same_sources_same_bytes_from_two_folders(sample: Path, tmp_path: Path):
    other = copy_project(tmp_path / "elsewhere" / "deeper" / "checkout")
    build(other)
    build(other, "--pdf-a")
    for name in ("dossier-special-03.pdf", "dossier-special-03-pdfa.pdf"):
        first = hashlib.sha256((sample / "output" / name).read_bytes()).hexdigest()
        second = hashlib.sha256((other / "output" / name).read_bytes()).hexdigest()
        assert first == second, name


def test_draft_marks_every_page_and_a_plain_build_does_not(project: Path):
    assert run("build", "3", "--draft").exit_code == 0
    pages = PdfReader(project / "output/dossier-special-03-brouillon.pdf").pages
    for page in pages:
        assert "BROUILLON" in "".join(page.extract_text().split()).upper()
    assert run("build", "3").exit_code == 0
    for page in PdfReader(project / "output/dossier-special-03.pdf").pages:
        assert "BROUILLON" not in "".join(page.extract_text().split()).upper()


def test_thirty_large_photos_print_under_two_megabytes(project: Path):
    manifest = project / "issues/03/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    count = 0

    def add_photo(match: re.Match) -> str:
        nonlocal count
        count += 1
        photo(project / f"issues/03/photo{count}.jpg", count)
        return match.group(0) + f"        image: photo{count}.jpg\n        alt: Photo de l'initiative {count}\n"

    manifest.write_text(re.sub(r"      - title: .*\n", add_photo, text), encoding="utf-8")
    assert count == 30
    result = run("build", "3")
    assert result.exit_code == 0, result.output
    pdf = project / "output/dossier-special-03.pdf"
    assert pdf.stat().st_size <= 2 * 1024 * 1024
    assert f"{pdf.stat().st_size // 1024} KB" in result.stderr or f"{round(pdf.stat().st_size / 1024)} KB" in result.stderr
    reader = PdfReader(pdf)
    images = {}  # pages may share one resource dictionary: count each image once
    alts = []
    for page in reader.pages:
        for ref in page["/Resources"].get("/XObject", {}).values():
            obj = ref.get_object()
            if obj["/Subtype"] == "/Image":
                images[ref.idnum] = (obj["/Width"], obj["/Height"])
    sizes = list(images.values())
    for element in structure_elements(reader):
        if element["/S"] == "/Figure":
            alts.append(str(element.get("/Alt")))
    assert len(sizes) == 30
    # A card's image prints about 80 mm wide: at most 200 dpi is 630 px, not the 3000 px given.
    assert all(width <= 700 for width, _ in sizes), sizes
    assert sorted(alts) == sorted(f"Photo de l’initiative {n}" for n in range(1, 31))


def test_reproducible_and_said_once_without_harfbuzz_subset(mini_project: Path, monkeypatch: pytest.MonkeyPatch):
    # Where libharfbuzz-subset0 is missing WeasyPrint subsets fonts with fontTools, which writes
    # the current time into each font unless SOURCE_DATE_EPOCH fixes it.
    import time

    import weasyprint.pdf.fonts

    from dossier.press.pdf import NO_HARFBUZZ_SUBSET

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = run("build", "1")
    assert first.exit_code == 0, first.stderr
    assert first.stderr.count("warning: ") == 1
    assert f"warning: {NO_HARFBUZZ_SUBSET}\n" in first.stderr
    pdf = mini_project / "output/dossier-special-01.pdf"
    before = pdf.read_bytes()
    time.sleep(1.1)  # fontTools' timestamps have a resolution of one second
    assert run("build", "1").exit_code == 0
    assert pdf.read_bytes() == before
    assert "SOURCE_DATE_EPOCH" not in __import__("os").environ
