"""The print shop's copy (dossier build N --imprimeur): PDF/X-4, 3 mm bleed, crop marks, boxes, output intent."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from conftest import copy_project

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("print-shop") / "project")
    for options in (["--imprimeur"], []):
        done = subprocess.run([sys.executable, "-m", "dossier", "build", "3", *options], cwd=root,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    return root / "output"


def test_pdf_x_4_with_bleed_boxes_and_an_output_intent(copies: Path):
    with pikepdf.open(copies / "dossier-special-03-imprimeur.pdf") as pdf:
        metadata = pdf.open_metadata()
        assert metadata.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and int(intent.DestOutputProfile.N) == 4  # a CMYK characterisation
        assert "xmp.did:" in str(pdf.Root.Metadata.read_bytes()) and len(pdf.pages) == 10
        for page in pdf.pages:
            trim = [float(value) for value in page.TrimBox]
            bleed = [float(value) for value in page.BleedBox]
            media = [float(value) for value in page.MediaBox]
            assert trim[2] - trim[0] == pytest.approx(A4[0], abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(A4[1], abs=0.01)
            assert [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]] == \
                pytest.approx([3 * MM] * 4, abs=0.01)
            assert media[0] <= bleed[0] and media[2] >= bleed[2]


def test_the_cover_runs_into_the_bleed_and_the_everyday_pdf_has_none(copies: Path):
    document = pypdfium2.PdfDocument(copies / "dossier-special-03-imprimeur.pdf")
    try:
        cover = document[0].render(scale=50 / 72).to_pil().convert("RGB")
    finally:
        document.close()
    # A point in the bleed, 1.5 mm outside the trim at the left, halfway down: the cover's navy.
    x, y = round(1.5 * 50 / 25.4), cover.height // 2
    red, green, blue = cover.getpixel((x, y))
    assert (red, green, blue) == pytest.approx((0x12, 0x3A, 0x5A), abs=12)
    with pikepdf.open(copies / "dossier-special-03.pdf") as everyday:
        box = [float(value) for value in everyday.pages[0].MediaBox]
        assert box[2] - box[0] == pytest.approx(A4[0], abs=0.01)
        assert "/OutputIntents" not in everyday.Root
