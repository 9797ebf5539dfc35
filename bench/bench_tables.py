"""Benchmark: an .xlsx partner list as offices keep it, merged cells and all, read by dossier.tables; and a forged one.

The list has --rows partners, its « Structure » merged down every ten rows (as an office groups
its contacts); the figures are the whole read (openpyxl streaming the sheet, the merges read
from the sheet's XML, each cell filled) and the merges' part alone. The forged list claims the
same range --rows times over: it is refused, and the time to say so is printed too.

Run from the project folder:  .venv/bin/python bench/bench_tables.py [--rows 50000]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl

from dossier.errors import DossierError
from dossier.tables import read_table
from dossier.tables.merges import xlsx_merges

GROUP = 10  # rows per merged « Structure »


def write_list(path: Path, rows: int) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Feuille1")
    sheet.append(["Adresse e-mail", "Prénom", "Nom", "Structure", "Civilité"])
    for row in range(rows):
        sheet.append([f"partenaire{row}@example.org", "Marie", "Dupont",
                      f"Structure {row // GROUP}" if row % GROUP == 0 else None, "Mme"])
    workbook.save(path)
    merges = "".join(f'<mergeCell ref="D{top}:D{min(top + GROUP - 1, rows + 1)}"/>' for top in range(2, rows + 2, GROUP))
    _set_merges(path, f'<mergeCells count="{merges.count("<")}">{merges}</mergeCells>')


def _set_merges(path: Path, merge_cells: str) -> None:
    """openpyxl's write-only mode writes no merges: they are added to the sheet's XML as Excel writes them."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = next(name for name in parts if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name))
    sheet = re.sub(r"<mergeCells.*</mergeCells>", "", parts[name].decode("utf-8"))
    parts[name] = sheet.replace("</sheetData>", "</sheetData>" + merge_cells, 1).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "partenaires.xlsx"
        write_list(path, rows)
        started = time.perf_counter()
        table = read_table(path, path.name)
        whole = time.perf_counter() - started
        assert len(table.rows) == rows and all(row.cells[3] for row in table.rows), "a merged cell left empty"
        with zipfile.ZipFile(path) as archive:
            started = time.perf_counter()
            merges = xlsx_merges(archive, "Feuille1")
            merging = time.perf_counter() - started
        print(f"{rows:,} partners, {len(merges):,} merged ranges: read in {whole:.2f} s, of which the merges' XML "
              f"{merging:.2f} s ({merging / whole:.0%})")

        _set_merges(path, f'<mergeCells count="{rows}">' + f'<mergeCell ref="D2:D{rows + 1}"/>' * rows + "</mergeCells>")
        started = time.perf_counter()
        try:
            read_table(path, path.name)
        except DossierError as refused:
            print(f"the same range {rows:,} times over: refused in {time.perf_counter() - started:.2f} s: "
                  f"{refused.format_message()}")
        else:
            raise AssertionError("overlapping merges were not refused")


if __name__ == "__main__":
    main()
