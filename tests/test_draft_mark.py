"""A draft is the final print with a mark: the same pages, the same running headers, « Brouillon » above all.

The mark once was a position: fixed box, which WeasyPrint puts first on every page, so string(theme, start)
read the theme a page starts in wrongly: a draft's Chaire page was headed with the last reading theme.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pypdf import PdfReader

from conftest import run
from numeros import CardSpec, NumeroSpec, write_numero

CARDS = (CardSpec(300, False, True), CardSpec(200, True, False))


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def headers(pdf: Path) -> list[str]:
    """Each page's running header: the text in its top margin (the first 17 mm)."""
    return [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-r", "72", "-x", "0", "-y", "0", "-W", "595",
                            "-H", "48", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.strip()
            for n in range(1, len(page_texts(pdf)) + 1)]


def test_a_draft_has_the_final_prints_pages_and_headers_and_its_mark_on_each(project: Path):
    write_numero(project, NumeroSpec(themes=(CARDS, CARDS), resources=2, readings=(10, 3, 8, 2, 9, 8), seed=21),
                 number=21)
    assert run("build", "21").exit_code == 0
    assert run("build", "21", "--draft").exit_code == 0
    final = project / "output/dossier-special-21.pdf"
    draft = project / "output/dossier-special-21-brouillon.pdf"
    assert headers(draft) == headers(final)
    assert any(header for header in headers(final)), "the numéro has running headers to compare"
    assert len(page_texts(draft)) == len(page_texts(final))
    # pdftotext leaves the rotated mark out; pypdf reads it (as test_print_standards does).
    assert all("BROUILLON" in "".join(page.extract_text().split()).upper() for page in PdfReader(draft).pages)
