"""Three independent accessibility checkers on n°3 (everyday and archive copies) and on generated numéros.

- ``pdfua`` (pikepdf, no JVM): 16 of PDF/UA-1's machine-checkable rules (structure tree and
  MarkInfo, every painted object tagged or an artifact, languages, figures' alt texts, tables,
  link and annotation descriptions, title and its display, PDF/UA identification in XMP). Its
  UA-14-001 (empty headings) cannot run on any PDF whose heading has an array as ``/K`` (ISO 32000-1
  allows an integer, a dictionary or an array; WeasyPrint writes arrays): pdfua 0.1.3 asks
  ``getattr(kid, "is_integer", False)`` of a ``pikepdf.Array``, which raises ValueError instead of
  AttributeError. Reported as skipped, with that reason asserted; a minimal reproduction
  (a one-heading PDF, ``/K [0]`` against ``/K 0``) shows it is pdfua's, and our own walk of the
  tree checks what the rule would (every heading marks content).
- ``outloud``: PDF/UA-1 conformance rules and semantic ones (running headers as artifacts,
  PAG-001; heading levels, HDG-*; the links' Print flag, LNK-004; title, text mapping, lists,
  figures; ORD-001, content painted in the tag tree's order); every rule must pass or be not
  applicable, warnings included.
- ``avalpdf`` (PDFix SDK): tagging, title, language, empty elements, figures, headings, tables,
  lists, links; no issue and no warning.

The generated numéros have eight themes, English entries, a long édito and theme line, a portrait
or no cover photograph, rows of cards with « En savoir plus », and many reading themes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from conftest import copy_project
from numeros import CardSpec, NumeroSpec, write_numero

pdfua = pytest.importorskip("pdfua")

BIN = Path(sys.executable).parent
# pdfua 0.1.3's UA-14-001 fails on any heading whose /K is an array (see the module's docstring).
PDFUA_BUG = ("UA-14-001", "cannot get key '/is_integer' on object of type array")
CARDS = tuple(CardSpec(chars=120 + 90 * n, image=n % 2 == 0, place=n % 3 == 0) for n in range(9))
NUMEROS = {
    11: NumeroSpec(themes=(CARDS, CARDS[:4], CARDS[2:5], CARDS[:2], CARDS[3:6], CARDS[:1], CARDS[5:8], CARDS[1:3]),
                   resources=7, readings=(12, 9, 7), seed=11, edito=6000, subtitle=190, english=True),
    12: NumeroSpec(themes=(CARDS[:5], CARDS[:3]), resources=4, readings=(5, 2), seed=12, edito=3000, subtitle=150,
                   cover="portrait", english=True),
}


def build(root: Path, number: int, *options: str) -> None:
    done = subprocess.run([sys.executable, "-m", "dossier", "build", str(number), *options], cwd=root,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = copy_project(tmp_path_factory.mktemp("checkers") / "project")
    build(root, 3)
    build(root, 3, "--pdf-a")
    for number, spec in NUMEROS.items():
        write_numero(root, spec, number=number)
        build(root, number)
    return sorted((root / "output").glob("*.pdf"))


def test_pdfua_finds_nothing(pdfs: list[Path]):
    assert len(pdfs) == 4
    for pdf in pdfs:
        report = pdfua.validate(str(pdf))
        assert [(f.rule_id, f.location, f.message) for f in report.findings] == [], pdf.name
        for outcome in report.skipped:  # only the rule pdfua cannot run, for that reason only
            assert (outcome.rule_id, PDFUA_BUG[1] in outcome.skipped_reason) == (PDFUA_BUG[0], True), outcome
        assert len(report.outcomes) >= 12


def test_every_heading_marks_content(pdfs: list[Path]):
    """What UA-14-001 would check: no heading is empty (its /K chain reaches a marked content)."""
    def marks_content(node: pikepdf.Object) -> bool:
        kid = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        if isinstance(kid, int):
            return True
        kids = list(kid) if isinstance(kid, pikepdf.Array) else [kid] if kid is not None else []
        return any(isinstance(item, int) or (isinstance(item, pikepdf.Dictionary) and (
            item.get("/Type") == "/MCR" or marks_content(item))) for item in kids)

    for pdf in pdfs:
        with pikepdf.open(pdf) as document:
            headings = []
            pending = [document.Root.StructTreeRoot]
            while pending:
                node = pending.pop()
                kids = node.get("/K")
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/MCR" and "/S" in kid:
                        pending.append(kid)
                if str(node.get("/S", "")) in {f"/H{level}" for level in range(1, 7)}:
                    headings.append(node)
            assert len(headings) > 10 and all(marks_content(heading) for heading in headings), pdf.name
            assert any(isinstance(heading.K, pikepdf.Array) for heading in headings)  # what pdfua cannot read


def _one_heading_pdf(path: Path, kid: object) -> Path:
    """A tagged one-page PDF with one H1 whose /K is ``kid`` (0 or [0]: both valid, ISO 32000-1 14.7.2)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"/H1 <</MCID 0>> BDC BT /F1 12 Tf 10 100 Td (Title) Tj ET EMC")
    page.StructParents = 0
    heading = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.H1, Pg=page.obj, K=kid))
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([heading]),
                                                ParentTree=pikepdf.Dictionary(Nums=pikepdf.Array([0, pikepdf.Array([heading])]))))
    heading.P = root
    pdf.Root.StructTreeRoot = root
    pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    pdf.save(path)
    return path


def test_pdfua_cannot_run_its_empty_heading_rule_on_an_array(tmp_path: Path):
    """The minimal reproduction of pdfua's bug: the same heading, /K 0 runs UA-14-001, /K [0] makes it fail.

    When a pdfua release reads arrays, this fails: then drop PDFUA_BUG and the README's note.
    """
    whole = pdfua.validate(str(_one_heading_pdf(tmp_path / "integer.pdf", 0)))
    assert "UA-14-001" not in {outcome.rule_id for outcome in whole.skipped}
    assert "UA-14-001" in {outcome.rule_id for outcome in whole.outcomes}
    array = pdfua.validate(str(_one_heading_pdf(tmp_path / "array.pdf", pikepdf.Array([0]))))
    assert [(o.rule_id, PDFUA_BUG[1] in o.skipped_reason) for o in array.skipped] == [(PDFUA_BUG[0], True)]


@pytest.mark.skipif(not shutil.which("outloud", path=str(BIN)), reason="outloud is not installed")
def test_outloud_passes_every_rule(pdfs: list[Path], tmp_path: Path):
    report = tmp_path / "outloud.json"
    subprocess.run([str(BIN / "outloud"), "--json", str(report), "--fail-on", "never", "-q", *map(str, pdfs)],
                   capture_output=True, check=True)
    results = json.loads(report.read_text(encoding="utf-8"))["results"]
    assert len(results) == len(pdfs)
    for result in results:
        findings = [(f["rule"], f["severity"], f["message"]) for f in result["findings"] if f["severity"] != "info"]
        assert findings == [], result["path"]
        ran = {rule["rule"] for rule in result["rules"] if rule["status"] == "ran"}
        assert {"PAG-001", "HDG-001", "LNK-004", "DOC-012", "TAG-001", "ORD-001"} <= ran


@pytest.mark.skipif(not shutil.which("avalpdf", path=str(BIN)), reason="avalpdf is not installed")
def test_avalpdf_has_no_issue_and_no_warning(pdfs: list[Path], tmp_path: Path):
    report = tmp_path / "avalpdf.json"
    subprocess.run([str(BIN / "avalpdf"), *map(str, pdfs), "-o", str(report), "--quiet", "--lang", "fr",
                    "--workers", "1"], capture_output=True, check=True)
    files = json.loads(report.read_text(encoding="utf-8"))["files"]
    assert len(files) == len(pdfs)
    for result in files:
        assert (result["issues_count"], result["warnings_count"]) == (0, 0), result
