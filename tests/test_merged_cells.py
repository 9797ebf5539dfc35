"""Merged cells as offices use them, in .xlsx (made by openpyxl) and .ods (LibreOffice's XML, written here):
a title merged across the top, a heading over several columns, a place or an organisation merged down its rows;
and forged merges (overlapping, huge, with XML entities) refused or bounded."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from dossier.errors import DossierError
from dossier.importer import plan_import
from dossier.mail.partners import load_partners
from dossier.project import Project
from dossier.tables import read_table
from sheet_support import write_ods_tables

# A call for contributions: a title over the sheet, « Porteur(s) » over two columns, a place merged down.
CALL = [
    ["Appel à initiatives — dossier spécial", None, None, None, None, None],
    ["Thème", "Titre", "Lieu", "Porteur(s)", None, "Texte"],
    ["Essais", "Un jardin partagé", "Ville-Exemple", "Commune d'Exemple", "Association Exemple", "Un jardin."],
    [None, "Une navette", None, "Région Fictive", None, "Une navette."],
    [None, "Un atelier", None, "Collectif Essai", None, "Un atelier."],
]
CALL_MERGES = ["A1:F1", "D2:E2", "A3:A5", "C3:C4"]


def xlsx(path: Path, rows: list[list[object]], merges: list[str], sheet: str = "Appel", **_other: bool) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = sheet
    for row in rows:
        workbook.active.append(row)
    for merge in merges:
        workbook.active.merge_cells(merge)
    workbook.save(path)
    return path


def _span(reference: str) -> tuple[int, int, int, int]:
    (first, last) = reference.split(":")
    def cell(text: str) -> tuple[int, int]:
        letters, digits = re.match(r"([A-Z]+)(\d+)", text).groups()
        return int(digits) - 1, ord(letters) - ord("A")
    (top, left), (bottom, right) = cell(first), cell(last)
    return top, left, bottom, right


def ods(path: Path, rows: list[list[object]], merges: list[str], sheet: str = "Appel", *, other_first: bool = False) -> Path:
    """LibreOffice's way: the range's first cell spanned, the others <table:covered-table-cell> (their text dropped).

    Another sheet, with a spanned cell of its own, comes before or after it: its spans are not the sheet's."""
    spans = {(top, left): (bottom - top + 1, right - left + 1) for top, left, bottom, right in map(_span, merges)}
    covered = {(r, c) for (top, left), (height, width) in spans.items()
               for r in range(top, top + height) for c in range(left, left + width)} - set(spans)
    body = ""
    for r, row in enumerate(rows):
        cells = ""
        for c, value in enumerate(row):
            if (r, c) in covered:
                cells += "<table:covered-table-cell/>"
                continue
            height, width = spans.get((r, c), (1, 1))
            attributes = (f' table:number-rows-spanned="{height}"' if height > 1 else "") + (
                f' table:number-columns-spanned="{width}"' if width > 1 else "")
            cells += (f'<table:table-cell office:value-type="string"{attributes}><text:p>{value}</text:p>'
                      "</table:table-cell>" if value is not None else f"<table:table-cell{attributes}/>")
        body += f"<table:table-row>{cells}</table:table-row>"
    other = ('<table:table table:name="Brouillon"><table:table-row><table:table-cell table:number-rows-spanned="9">'
             "<text:p>autre feuille</text:p></table:table-cell></table:table-row></table:table>")
    table = f'<table:table table:name="{sheet}">{body}</table:table>'
    return write_ods_tables(path, other + table if other_first else table + other)


@pytest.mark.parametrize("write", [xlsx, ods])
def test_a_call_with_merged_cells_imports_as_the_editor_sees_it(mini_project: Path, write) -> None:
    source = write(mini_project / f"appel.{write.__name__}", CALL, CALL_MERGES, other_first=True)
    plan = plan_import(Project.find(), "1", source, sheet="Appel")
    assert plan.table.header_line == 2  # the title above the header is skipped
    assert plan.table.header[3:5] == ("Porteur(s)", "Porteur(s)")  # the heading names both columns under it
    assert [(e.theme, e.data["title"], e.data.get("place"), e.data["porteurs"]) for e in plan.entries] == [
        ("Essais", "Un jardin partagé", "Ville-Exemple", ["Commune d'Exemple", "Association Exemple"]),
        ("Essais", "Une navette", "Ville-Exemple", ["Région Fictive"]),  # the place merged down C3:C4
        ("Essais", "Un atelier", None, ["Collectif Essai"]),
    ]


@pytest.mark.parametrize("write", [xlsx, ods])
def test_a_value_merged_across_is_not_copied_sideways_and_a_heading_over_nothing_names_nothing(
        tmp_path: Path, write) -> None:
    rows = [["Adresse e-mail", "Structure", None, "Nom"],
            ["a@example.org", "Ville d'Exemple", None, "Anne"],
            ["b@example.org", None, None, "Bruno"],
            ["c@example.org", "Région Fictive", None, "Chloé"]]
    path = write(tmp_path / f"liste.{write.__name__}", rows, ["B1:C1", "B2:C3", "B4:C4"], sheet="Feuille1")
    table = read_table(path, path.name)
    assert table.header == ("Adresse e-mail", "Structure", "", "Nom")  # C has no data: the heading stays over B
    assert [row.cells[1:3] for row in table.rows] == [("Ville d'Exemple", ""), ("Ville d'Exemple", ""),
                                                      ("Région Fictive", "")]
    partners = load_partners(path, path.name)
    assert [(p.email, p.organisation) for p in partners] == [
        ("a@example.org", "Ville d'Exemple"), ("b@example.org", "Ville d'Exemple"), ("c@example.org", "Région Fictive")]


def _with_merges(path: Path, merge_cells: str, doctype: str = "") -> Path:
    """The workbook with its sheet's <mergeCells> replaced by ``merge_cells`` (what a forged file may hold)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    sheet = re.sub(r"<mergeCells.*</mergeCells>", "", sheet).replace("</sheetData>", "</sheetData>" + merge_cells)
    parts["xl/worksheets/sheet1.xml"] = (doctype + sheet).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_a_range_down_to_the_last_row_of_excel_fills_only_the_rows_there_are(tmp_path: Path) -> None:
    path = xlsx(tmp_path / "liste.xlsx", [["Adresse e-mail", "Structure"], ["a@example.org", "Ville"],
                                          ["b@example.org", None]], [], sheet="Feuille1")
    _with_merges(path, '<mergeCells count="1"><mergeCell ref="B2:XFD1048576"/></mergeCells>')
    table = read_table(path, "liste.xlsx")  # filling the range whole would be 17 billion cells
    assert [row.cells for row in table.rows] == [("a@example.org", "Ville"), ("b@example.org", "Ville")]


@pytest.mark.parametrize(("merge_cells", "doctype", "message"), [
    # The same range five times fills more cells than ranges side by side ever can (a few repeats pass: no harm).
    ('<mergeCells count="5">' + '<mergeCell ref="B2:B3"/>' * 5 + "</mergeCells>", "",
     "liste.xlsx:Feuille1: its merged cells overlap (a damaged file): open it in Excel or LibreOffice and save it "
     "again"),
    ('<mergeCells count="1"><mergeCell ref="B2:B3"/></mergeCells>',
     '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>',
     "liste.xlsx: the workbook cannot be read (it declares XML entities): open it in Excel or LibreOffice and save it "
     "again"),
    ('<mergeCells count="1"><mergeCell ref="B2:not-a-cell"/></mergeCells>', "",
     "liste.xlsx: the workbook cannot be read (…): open it in Excel or LibreOffice and save it again"),
])
def test_forged_merges_are_refused_in_one_line(tmp_path: Path, merge_cells: str, doctype: str, message: str) -> None:
    path = xlsx(tmp_path / "liste.xlsx", [["Adresse e-mail", "Structure"], ["a@example.org", "Ville"],
                                          ["b@example.org", None]], [], sheet="Feuille1")
    _with_merges(path, merge_cells, doctype)
    with pytest.raises(DossierError) as caught:
        read_table(path, "liste.xlsx")
    found = caught.value.format_message()
    assert re.fullmatch(re.escape(message).replace("…", r"[^\n]+"), found), found


def test_the_import_command_reads_a_merged_call_in_french(mini_project: Path) -> None:
    xlsx(mini_project / "appel.xlsx", CALL, CALL_MERGES)
    result = run("--lang", "fr", "import", "1", "appel.xlsx")
    assert result.exit_code == 0, result.output
    assert "Porteur(s) → porteurs, Porteur(s) → porteurs" in result.stdout
    assert "+ Essais — Une navette" in result.stdout and "Traceback" not in result.output


def test_text_hidden_under_a_merge_is_not_read(tmp_path: Path) -> None:
    """LibreOffice can keep the text of the cells a merge covers, hidden; a forged .xlsx can hold values there too."""
    covered = ('<table:covered-table-cell office:value-type="string"><text:p>{}</text:p>'
               "</table:covered-table-cell>")
    cell = '<table:table-cell office:value-type="string"{}><text:p>{}</text:p></table:table-cell>'
    rows = [cell.format("", "Adresse e-mail") + cell.format("", "Structure") + cell.format("", "Nom"),
            cell.format("", "a@example.org") + cell.format(' table:number-rows-spanned="2" table:number-columns-spanned="2"',
                                                            "Ville d'Exemple") + covered.format("caché C2"),
            cell.format("", "b@example.org") + covered.format("caché B3") + covered.format("caché C3")]
    body = "".join(f"<table:table-row>{row}</table:table-row>" for row in rows)
    path = write_ods_tables(tmp_path / "liste.ods", f'<table:table table:name="Feuille1">{body}</table:table>')
    assert [row.cells for row in read_table(path, "liste.ods").rows] == [
        ("a@example.org", "Ville d'Exemple"), ("b@example.org", "Ville d'Exemple")]

    sheet = xlsx(tmp_path / "liste.xlsx", [["Adresse e-mail", "Structure", "Nom"], ["a@example.org", "Ville", "caché"],
                                           ["b@example.org", "caché", "caché"]], [], sheet="Feuille1")
    _with_merges(sheet, '<mergeCells count="1"><mergeCell ref="B2:C3"/></mergeCells>')
    assert [row.cells for row in read_table(sheet, "liste.xlsx").rows] == [("a@example.org", "Ville"),
                                                                          ("b@example.org", "Ville")]


def test_ranges_land_on_their_cells_when_the_table_starts_further_down_and_right(tmp_path: Path) -> None:
    """Readers give rows from A1 (empty rows and columns included): a range's place needs no shifting."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Feuille1"
    for reference, value in {"B3": "Adresse e-mail", "C3": "Structure", "B4": "a@example.org", "C4": "Ville",
                             "B5": "b@example.org"}.items():
        sheet[reference] = value
    sheet.merge_cells("C4:C5")
    workbook.save(tmp_path / "liste.xlsx")

    def cell(text: str, attributes: str = "") -> str:
        return f'<table:table-cell office:value-type="string"{attributes}><text:p>{text}</text:p></table:table-cell>'
    rows = ['<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3"/>'
            "</table:table-row>",
            f"<table:table-row><table:table-cell/>{cell('Adresse e-mail')}{cell('Structure')}</table:table-row>",
            f"<table:table-row><table:table-cell/>{cell('a@example.org')}"
            + cell("Ville", ' table:number-rows-spanned="2"') + "</table:table-row>",
            f"<table:table-row><table:table-cell/>{cell('b@example.org')}<table:covered-table-cell/></table:table-row>"]
    write_ods_tables(tmp_path / "liste.ods", '<table:table table:name="Feuille1">' + "".join(rows) + "</table:table>")
    for name in ("liste.xlsx", "liste.ods"):
        table = read_table(tmp_path / name, name)
        assert table.header_line == 3 and table.header == ("", "Adresse e-mail", "Structure")
        assert [(row.line, row.cells) for row in table.rows] == [(4, ("", "a@example.org", "Ville")),
                                                                 (5, ("", "b@example.org", "Ville"))], name
