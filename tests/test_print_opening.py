"""The opening's page: the édito's title rule stops at the side column, whether (re)lire or the sommaire is on top.

Measured on the printed page 2 of a generated numéro without back issues (the sommaire on top of the column):
along the rule's row, the side column's area is paper, the édito's column has the rule.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2

from conftest import copy_project
from numeros import CardSpec, NumeroSpec, write_numero

DPI = 100


def test_the_edito_rule_stops_at_the_side_column(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    write_numero(root, NumeroSpec(themes=((CardSpec(200, False, False),),), resources=0, readings=(), seed=7), number=31)
    done = subprocess.run([sys.executable, "-m", "dossier", "build", "31"], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    document = pypdfium2.PdfDocument(root / "output/dossier-special-31.pdf")
    try:
        page = document[1].render(scale=DPI / 72).to_pil().convert("L")
    finally:
        document.close()
    left = round(20 * DPI / 25.4)  # inside the édito's column, 5 mm into the text area
    rule = next(y for y in range(round(15 * DPI / 25.4), round(60 * DPI / 25.4)) if page.getpixel((left, y)) < 100)
    column = range(round(140 * DPI / 25.4), round(190 * DPI / 25.4))  # the side column's width, well inside
    assert [x for x in column if page.getpixel((x, rule)) < 200] == []
