"""CSV exports neutralise cells a spreadsheet would run as formulas (OWASP's CSV injection rule)."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from conftest import run
from dossier.csv_export import csv_text, neutralised


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"https://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)",
                                  "\tcmd", "\r=1"])
def test_formula_starts_are_prefixed(cell: str) -> None:
    assert neutralised(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["jean@example.org", "demandé par téléphone", "", " =not at the start", "1,5"])
def test_ordinary_cells_are_unchanged(cell: str) -> None:
    assert neutralised(cell) == cell


def test_csv_text_quotes_and_neutralises_every_cell() -> None:
    text = csv_text(("email", "=why"), [("a@example.org", '=cmd|"/c calc"!A1'), ("b@example.org", None)])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["email", "'=why"], ["a@example.org", "'=cmd|\"/c calc\"!A1"], ["b@example.org", ""]]


def test_suppressed_csv_neutralises_a_hostile_reason(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("DOSSIER_"):
            monkeypatch.delenv(name)
    assert run("unsubscribe", "jean@example.org", "--reason", "=HYPERLINK(\"https://evil.example\")").exit_code == 0
    assert run("unsubscribe", "marie@example.net", "--reason", "@SUM(1+1)").exit_code == 0
    exported = run("suppressed", "--csv").stdout
    rows = list(csv.reader(io.StringIO(exported)))
    details = {row[0]: row[4] for row in rows[1:]}
    assert details == {"jean@example.org": "'=HYPERLINK(\"https://evil.example\")", "marie@example.net": "'@SUM(1+1)"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
