"""The print shop's copy (dossier build N --imprimeur): PDF/X-4, 3 mm bleed, crop marks, boxes, output intent.

No PDF/X validator runs here (veraPDF checks PDF/A and PDF/UA, not PDF/X; proof-pdf, the one on PyPI that
checks PDF/X-4, needs Python 3.15), so ``test_pdf_x_4_conformance`` is our own check of ISO 15930-7's
requirements that a file shows (on n°3 and a generated numéro with a landscape cover photograph and
English entries): version, identification in the XMP and the Info, the output intent and its embedded
CMYK printer profile, no encryption, an ID, Trapped, the page boxes and their 3 mm bleed, every font
embedded, no annotation, no device RGB without its ICC definition, no transfer function, no JavaScript
and no embedded file.
"""

from __future__ import annotations

import importlib.resources
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from conftest import copy_project
from numeros import CardSpec, NumeroSpec, write_numero

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
LANDSCAPE = NumeroSpec(themes=((CardSpec(300, True, True), CardSpec(500, True, False)),), resources=3, readings=(4, 2),
                       seed=41, cover="landscape", english=True)


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("print-shop") / "project")
    write_numero(root, LANDSCAPE, number=41)
    for number, options in (("3", ["--imprimeur"]), ("3", []), ("41", ["--imprimeur"])):
        done = subprocess.run([sys.executable, "-m", "dossier", "build", number, *options], cwd=root,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    return root / "output"


def _rect(box: pikepdf.Array) -> list[float]:
    left, bottom, right, top = (float(value) for value in box)
    return [min(left, right), min(bottom, top), max(left, right), max(bottom, top)]


def _inside(inner: list[float], outer: list[float]) -> bool:
    return all(inner[i] >= outer[i] - 0.01 for i in (0, 1)) and all(inner[i] <= outer[i] + 0.01 for i in (2, 3))


def _dictionaries(pdf: pikepdf.Pdf):
    for item in pdf.objects:
        if isinstance(item, pikepdf.Stream):
            yield item.stream_dict
        elif isinstance(item, pikepdf.Dictionary):
            yield item


@pytest.mark.parametrize("name", ["dossier-special-03-imprimeur.pdf", "dossier-special-41-imprimeur.pdf"])
def test_pdf_x_4_conformance(copies: Path, name: str):
    """Our own check of PDF/X-4 (ISO 15930-7), as far as a file shows it (see the module's docstring)."""
    with pikepdf.open(copies / name) as pdf:
        assert pdf.pdf_version <= "1.6" and not pdf.is_encrypted and "/Encrypt" not in pdf.trailer
        assert len(pdf.trailer.ID) == 2 and all(len(bytes(part)) >= 16 for part in pdf.trailer.ID)
        info = pdf.docinfo
        assert info.Trapped in ("/True", "/False") and str(info.Title) and "/CreationDate" in info and "/ModDate" in info
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
        for key in ("xmpMM:DocumentID", "xmpMM:VersionID", "xmpMM:RenditionClass", "dc:title", "xmp:CreateDate",
                    "xmp:ModifyDate", "pdf:Trapped"):
            assert f"<{key}>" in xmp, key
        # One PDF/X output intent: FOGRA39, registered with the ICC, its CMYK printer profile embedded.
        intents = list(pdf.Root.OutputIntents)
        assert [str(intent.S) for intent in intents] == ["/GTS_PDFX"]
        intent = intents[0]
        assert (str(intent.OutputConditionIdentifier), str(intent.RegistryName)) == ("FOGRA39", "http://www.color.org")
        profile = intent.DestOutputProfile.read_bytes()
        assert int(intent.DestOutputProfile.N) == 4 and profile[36:40] == b"acsp" and profile[8] <= 4
        assert (profile[12:16], profile[16:20], profile[20:24]) in {(b"prtr", b"CMYK", b"Lab "), (b"prtr", b"CMYK", b"XYZ ")}
        assert profile == importlib.resources.files("dossier.press.pdf").joinpath("FOGRA39L.icc").read_bytes()
        # Boxes: TrimBox (the A4 page) ⊆ BleedBox (3 mm out) ⊆ MediaBox, on every page; no ArtBox beside the TrimBox.
        for page in pdf.pages:
            media, bleed, trim = (_rect(page.obj[key]) for key in ("/MediaBox", "/BleedBox", "/TrimBox"))
            assert "/ArtBox" not in page.obj
            assert _inside(trim, bleed) and _inside(bleed, media)
            assert [trim[2] - trim[0], trim[3] - trim[1]] == pytest.approx(A4, abs=0.01)
            assert [trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]] == \
                pytest.approx([3 * MM] * 4, abs=0.01)
            assert not [annotation for annotation in page.obj.get("/Annots", [])
                        if annotation.get("/Subtype") not in ("/TrapNet", "/PrinterMark")]
        fonts = 0
        for entries in _dictionaries(pdf):
            if entries.get("/Type") == "/Font" and entries.get("/Subtype") != "/Type3":
                fonts += 1
                font = entries.DescendantFonts[0] if entries.get("/Subtype") == "/Type0" else entries
                descriptor = font.FontDescriptor
                assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
            # RGB only through its ICC definition: images and shadings in sRGB, DefaultRGB where "rg" paints.
            assert entries.get("/ColorSpace") != "/DeviceRGB"
            if "/Group" in entries:
                assert entries.Group.get("/CS") != "/DeviceRGB"
            if "/Resources" in entries:
                default = entries.Resources.ColorSpace.DefaultRGB
                assert str(default[0]) == "/ICCBased" and int(default[1].N) == 3
            if entries.get("/Type") == "/ExtGState":
                assert entries.get("/TR", "/Default") == "/Default" and entries.get("/TR2", "/Default") == "/Default"
        assert fonts >= 3
        names = pdf.Root.get("/Names", {})
        assert "/JavaScript" not in names and "/EmbeddedFiles" not in names and "/AA" not in pdf.Root
        assert not re.search(rb"/S\s*/JavaScript", b"".join(
            bytes(obj.unparse()) for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary)))


def cover_image(pdf: Path, dpi: int):  # noqa: ANN201 - a PIL image
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()


def test_a_landscape_cover_photograph_runs_into_the_bleed(copies: Path):
    cover = cover_image(copies / "dossier-special-41-imprimeur.pdf", 100)
    bleed, inside = round(1.5 * 100 / 25.4), round(6 * 100 / 25.4)  # 1.5 mm outside the trim, 3 mm inside
    rows = [y for y in range(cover.height) if cover.getpixel((inside, y)) != cover.getpixel((inside, 5))]
    photo = (rows[len(rows) // 2] if rows else 0)  # halfway down what is not the panel's navy
    assert rows and cover.getpixel((bleed, photo)) == pytest.approx(cover.getpixel((inside, photo)), abs=6)
    assert cover.getpixel((cover.width - 1 - bleed, photo)) == pytest.approx(cover.getpixel((inside, photo)), abs=6)


def test_the_cover_runs_into_the_bleed_and_the_everyday_pdf_has_none(copies: Path):
    cover = cover_image(copies / "dossier-special-03-imprimeur.pdf", 50)
    # A point in the bleed, 1.5 mm outside the trim at the left, halfway down: the cover's navy.
    x, y = round(1.5 * 50 / 25.4), cover.height // 2
    red, green, blue = cover.getpixel((x, y))
    assert (red, green, blue) == pytest.approx((0x12, 0x3A, 0x5A), abs=12)
    with pikepdf.open(copies / "dossier-special-03.pdf") as everyday:
        box = [float(value) for value in everyday.pages[0].MediaBox]
        assert box[2] - box[0] == pytest.approx(A4[0], abs=0.01)
        assert "/OutputIntents" not in everyday.Root
