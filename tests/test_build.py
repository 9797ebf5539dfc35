"""End-to-end builds of the sample numéro, inspected with pypdf and pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import copy_project, run
from dossier.manifest.load import load_issue
from dossier.project import Project

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample built once for this module, in its own copy of the project."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    completed = subprocess.run(
        [sys.executable, "-m", "dossier", "build", "3"], cwd=root, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[-1] == "output/dossier-special-03.pdf"
    return root


@pytest.fixture(scope="module")
def pdf(built: Path) -> PdfReader:
    return PdfReader(built / "output/dossier-special-03.pdf")


@pytest.fixture(scope="module")
def page_texts(built: Path, pdf: PdfReader) -> list[str]:
    path = built / "output/dossier-special-03.pdf"
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, len(pdf.pages) + 1)
    ]


def outline(pdf: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every bookmark, in order."""
    entries = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                entries.append((level, item.title, pdf.get_destination_page_number(item) + 1))

    walk(pdf.outline, 1)
    return entries


def sommaire(page_text: str) -> list[tuple[str, int]]:
    """The sommaire's entries as printed: label and page number after the leader dots."""
    text = page_text.split("SOMMAIRE", 1)[1]
    return [
        (m["label"].strip(), int(m["page"]))
        for m in re.finditer(r"(?P<label>[^\s.][^\n]*?)\s*(?:\. )+\.?\s*(?P<page>\d+)\s*$", text, re.M)
    ]


def first_page_with(page_texts: list[str], needle: str) -> int:
    # Letter-spaced headings come out of pdftotext with spaces between letters: compare without spaces.
    squashed = "".join(needle.upper().split())
    for number, text in enumerate(page_texts, start=1):
        if number > 2 and squashed in "".join(text.upper().split()):
            return number
    raise AssertionError(f"{needle!r} is on no page")


@pytest.fixture(scope="module")
def sommaire_text(built: Path) -> str:
    """Page 2's side column (the édito fills the other), where the sommaire is."""
    return subprocess.run(
        [
            "pdftotext",
            "-f",
            "2",
            "-l",
            "2",
            "-r",
            "72",
            "-x",
            "360",
            "-y",
            "0",
            "-W",
            "235",
            "-H",
            "842",
            "-layout",
            str(built / "output/dossier-special-03.pdf"),
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_sommaire_numbers_are_the_pages_where_parts_start(sommaire_text: str, page_texts: list[str]):
    entries = sommaire(sommaire_text)
    labels = [label for label, _ in entries]
    assert labels == [
        "BONNES PRATIQUES",
        "Développement économique",
        "Attractivité, hospitalité & solidarité",
        "Tourisme",
        "Culture – événementiel",
        "S’INFORMER & S’OUTILLER",
        "ANALYSE & PROSPECTIVE",
        "LA CHAIRE A&NMT",
    ]
    headings = {
        "BONNES PRATIQUES": "Bonnes pratiques",
        "S’INFORMER & S’OUTILLER": "S’informer & s’outiller",
        "ANALYSE & PROSPECTIVE": "Analyse & prospective",
        "LA CHAIRE A&NMT": "La Chaire Attractivité et Nouveau Marketing Territorial",
    }
    for label, page in entries:
        assert first_page_with(page_texts, headings.get(label, label)) == page, label


def test_bookmarks_mirror_the_sommaire(pdf: PdfReader, sommaire_text: str):
    printed = sommaire(sommaire_text)
    marks = outline(pdf)
    assert [(title.upper().replace("\u00a0", " "), page) for _, title, page in marks] == [
        (label.upper(), page) for label, page in printed
    ]
    assert [level for level, _, _ in marks] == [1, 2, 2, 2, 2, 1, 1, 1]


def test_sommaire_entries_are_links_to_their_parts(pdf: PdfReader):
    page_two = pdf.pages[1]
    targets = []
    for annotation in page_two.get("/Annots", []):
        annotation = annotation.get_object()
        if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
            target = str(annotation["/Dest"])
            if target not in targets:
                targets.append(target)
    assert targets == [
        "bonnes-pratiques",
        "theme-1",
        "theme-2",
        "theme-3",
        "theme-4",
        "ressources",
        "analyse",
        "page-1",
    ]
    destinations = {name: pdf.get_destination_page_number(dest) + 1 for name, dest in pdf.named_destinations.items()}
    marks = {title: page for _, title, page in outline(pdf)}
    assert destinations["theme-3"] == marks["Tourisme"]


def test_external_links_are_real_addresses_only(pdf: PdfReader):
    uris = []
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A")
            if action and action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
    assert "https://anmt.univ-amu.fr" in uris
    assert "mailto:annie.delanghe@univ-amu.fr" in uris
    assert all(uri.startswith(("https://", "mailto:")) for uri in uris), uris


def test_every_initiative_is_printed_whole(pdf: PdfReader, page_texts: list[str]):
    project = _sample_project()
    issue = load_issue(project, project.manifest_for("3"))
    flat = [" ".join(text.upper().replace("\u00a0", " ").replace("\u202f", " ").split()) for text in page_texts]
    initiatives = [i for theme in issue.practices for i in theme.initiatives]
    assert len(initiatives) == 30
    for initiative in initiatives:
        title = " ".join(initiative.title.upper().replace("\u00a0", " ").replace("\u202f", " ").split())
        pages = [n for n, text in enumerate(flat, 1) if _words_in(title, text)]
        assert pages, f"{initiative.title!r} missing"
        porteur = initiative.porteurs[0].upper().replace("\u00a0", " ").replace("\u202f", " ")
        # A card never splits: its porteur line is on the page of its title.
        assert _words_in(porteur, flat[pages[0] - 1]), initiative.title


def _columns(layout_text: str) -> list[list[str]]:
    """Split pdftotext -layout lines into their columns (runs of 3+ spaces separate them)."""
    columns: list[list[str]] = [[], [], []]
    for line in layout_text.splitlines():
        for index, part in enumerate(re.split(r" {3,}", line.strip())[:3]):
            columns[index].append(part)
    return columns


def _sample_project() -> Project:
    return Project(Path(__file__).resolve().parent.parent)


def _words_in(needle: str, text: str) -> bool:
    # pdftotext may cut a title across lines of a two-column page; look for its words in order.
    words = re.split(r"[\s-]+", needle)
    position = 0
    for word in words:
        position = text.find(word, position)
        if position < 0:
            return False
    return True


def test_fonts_are_the_shipped_ones_and_embedded(pdf: PdfReader):
    fonts = {}
    for page in pdf.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts
    families = {name.split("+", 1)[1].split("-")[0] for name in fonts}
    assert families == {"Inter", "Charis"}


def test_document_metadata(pdf: PdfReader):
    meta = pdf.metadata
    assert meta["/Title"] == "Dossier spécial n°3 · Territoires, gestion de crise & résilience | COVID-19"
    assert meta["/Author"] == "Chaire Attractivité et Nouveau Marketing Territorial"
    assert meta["/Subject"] == "Territoires, gestion de crise & résilience | COVID-19"
    assert pdf.trailer["/Root"]["/Lang"] == "fr"


def test_running_footer_on_every_page_but_the_cover(page_texts: list[str]):
    footer = "Dossier spécial n°3 · Territoires, gestion de crise & résilience | COVID-19"
    assert footer not in page_texts[0]
    for number, text in enumerate(page_texts[1:], start=2):
        last_line = [line for line in text.splitlines() if line.strip()][-1]
        assert footer in last_line and last_line.split()[-1] == str(number), (number, last_line)


def test_pages_are_a4_and_none_is_empty(pdf: PdfReader, page_texts: list[str]):
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    for number, text in enumerate(page_texts[1:], start=2):
        body = [line for line in text.splitlines() if line.strip()][:-1]  # without the footer
        assert len(body) >= 5, f"page {number} is nearly empty"


def test_french_spacing_reaches_the_pdf(built: Path, page_texts: list[str]):
    html = (built / "output/dossier-special-03.html").read_text(encoding="utf-8")
    assert "«\u202fen donut\u202f»" in html
    assert "Porteur\u202f:" in html
    # The no-break spaces hold: no line of the PDF starts with a high punctuation sign or a closing guillemet.
    starts = [line.split()[0] for text in page_texts for column in _columns(text) for line in column if line.split()]
    assert not [word for word in starts if word[0] in ":;!?»"]
    text = "".join(page_texts)
    assert "Porteur :" in text.replace("\u202f", " ")
    assert "Porteur:" not in text


def test_build_prints_the_pdf_path_last(project: Path):
    result = run("build", "issues/03")
    assert result.exit_code == 0, result.output
    assert result.stdout == "output/dossier-special-03.pdf\n"
    # The gate's warnings (check's findings that do not block) come first.
    assert re.fullmatch(r"(warning: .*\n)*\d+ pages, \d+ KB, [\d.]+ s; HTML: output/dossier-special-03.html\n",
                        result.stderr)
    assert (project / "output/dossier-special-03.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_failed_build_leaves_the_previous_pdf_untouched(project: Path):
    assert run("build", "3").exit_code == 0
    pdf_path = project / "output/dossier-special-03.pdf"
    before = pdf_path.read_bytes()
    manifest = project / "issues/03/issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("subtitle:", "subtitel:"), encoding="utf-8")
    result = run("build", "3")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == "issues/03/issue.yaml:7: subtitel: unknown field: did you mean 'subtitle'?"
    assert pdf_path.read_bytes() == before
    assert sorted(p.name for p in (project / "output").iterdir()) == ["dossier-special-03.html", "dossier-special-03.pdf"]


def test_a_numero_folder_named_with_a_superscript_digit_is_not_a_number(mini_project: Path):
    # "²".isdigit() is true but int("²") fails: such a folder must be passed over, never a traceback.
    odd = mini_project / "issues" / "²"
    shutil.copytree(mini_project / "issues" / "01", odd)
    assert Project(mini_project).numbers() == frozenset({1})
    built = run("build", "1")
    assert built.exit_code == 0, built.output
    checked = run("validate", "issues/²/issue.yaml")
    assert checked.exit_code == 1
    assert checked.stderr.startswith("issues/²/issue.yaml:2: Number: numéro 1 is issues/01/issue.yaml: ")
