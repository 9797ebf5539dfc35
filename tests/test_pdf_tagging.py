"""The tags WeasyPrint 70 leaves out, added by dossier.press.pdf.tagging: checked on the PDF's objects with pikepdf.

Running headers and footers are artifacts, not content; so are the sommaire's leader dots, whose
link annotations stay in their /Link with its text; elements with another language than the
document's carry /Lang; links have the Print flag; the archive copy claims PDF/UA-1 and lists
each source once, with its media type.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from conftest import copy_project
from numeros import CardSpec, NumeroSpec, write_numero

ENGLISH = NumeroSpec(themes=((CardSpec(300, False, True),) * 6,), resources=2, readings=(6,), seed=5, english=True)


def build(root: Path, number: int, *options: str) -> Path:
    done = subprocess.run([sys.executable, "-m", "dossier", "build", str(number), *options], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return Path(root / done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("tagging") / "project")
    write_numero(root, ENGLISH, number=9)
    return root


def structure_elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found, pending = [], list(pdf.Root.StructTreeRoot.K)
    while pending:
        element = pending.pop()
        if isinstance(element, pikepdf.Dictionary) and element.get("/Type") == "/StructElem":
            found.append(element)
            kids = element.get("/K", [])
            pending.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return found


def marked_content(pdf: pikepdf.Pdf, page: int) -> list[tuple[str, pikepdf.Object]]:
    """(tag, properties) of every BDC of a page's content stream."""
    return [(str(operands[0]), operands[1]) for operands, operator in pikepdf.parse_content_stream(pdf.pages[page])
            if str(operator) == "BDC"]


def test_running_headers_and_footers_are_artifacts(root: Path):
    with pikepdf.open(build(root, 9)) as pdf:
        in_tree = {element.objgen for element in structure_elements(pdf)}
        parent_tree = pdf.Root.StructTreeRoot.ParentTree.Nums
        for index in range(0, len(parent_tree), 2):
            entries = parent_tree[index + 1]
            if isinstance(entries, pikepdf.Array):  # a page's marked contents, by MCID
                assert all(entry.objgen in in_tree for entry in entries if entry is not None)
        for page in range(1, len(pdf.pages)):  # the cover has no furniture
            pagination = [tag for tag, properties in marked_content(pdf, page)
                          if tag == "/Artifact" and isinstance(properties, pikepdf.Dictionary)
                          and properties.get("/Type") == "/Pagination"]
            assert len(pagination) >= 2, page + 1  # the footer's title and the page number at least


def test_the_sommaire_leaders_are_artifacts_and_its_links_keep_their_text(root: Path):
    with pikepdf.open(build(root, 3)) as pdf:
        layout = [tag for tag, properties in marked_content(pdf, 1) if tag == "/Artifact"
                  and isinstance(properties, pikepdf.Dictionary) and properties.get("/Type") == "/Layout"]
        assert len(layout) >= 8 * 5  # the dots of the sommaire's eight lines, a marked content each
        annotations = [annotation.objgen for annotation in pdf.pages[1].get("/Annots", [])]
        owners = {}
        for element in structure_elements(pdf):
            for kid in element.get("/K", []) if isinstance(element.get("/K"), pikepdf.Array) else []:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    owners[kid.Obj.objgen] = element
        assert len(annotations) >= 8
        for annotation in annotations:  # every link annotation in a /Link that has content of its own
            owner = owners[annotation]
            assert str(owner.S) == "/Link"
            assert any(isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR")
                       for kid in owner.K)


def test_english_entries_have_their_language(root: Path):
    html = (root / "output/dossier-special-09.html").read_text(encoding="utf-8")
    assert len(re.findall(r'lang="en"', html)) >= 4
    with pikepdf.open(root / "output/dossier-special-09.pdf") as pdf:
        assert str(pdf.Root.Lang) == "fr"
        languages = [str(element.Lang) for element in structure_elements(pdf) if "/Lang" in element]
    assert languages.count("en") >= len(re.findall(r'lang="en"', html))
    assert "fr" in languages  # the French line of an English card ("Porteur : …") says so


def test_links_print(root: Path):
    with pikepdf.open(root / "output/dossier-special-09.pdf") as pdf:
        links = [annot for page in pdf.pages for annot in page.get("/Annots", [])]
        assert links
        assert all(int(annot.F) & 4 for annot in links)


def test_the_archive_copy_claims_pdf_ua_and_lists_each_source_once(root: Path):
    with pikepdf.open(build(root, 3, "--pdf-a")) as pdf:
        metadata = pdf.open_metadata()
        assert metadata.get("pdfaid:part") == "3"
        assert metadata.get("pdfuaid:part") == "1"
        files = pdf.Root.AF
        assert sorted(str(spec.F) for spec in files) == ["dossier-special-03.yaml", "publication.yaml"]
        assert {str(spec.EF.F.Subtype) for spec in files} == {"/application/yaml"}
        assert all(int(annot.F) & 4 for page in pdf.pages for annot in page.get("/Annots", []))
