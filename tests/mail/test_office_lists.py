"""Partner lists as offices keep them: Excel's CSV (Windows-1252, « ; »), .xlsx and .ods, French headers, greetings."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import openpyxl
import pytest

from conftest import run
from dossier.errors import DossierError
from dossier.mail.partners import load_partners
from dossier.tables import MAX_ROWS, header_key, read_table
from sheet_support import write_ods_tables
from smtp_support import configure_mail, fake_pdf

FRENCH_HEADER = ["Civilité", "Prénom", "NOM", "Adresse e-mail", "Structure"]
ROWS = [
    ["", "Marie", "Dupont", "marie.dupont@example.org", "Ville de Test"],
    ["Mme", "Hélène", "Lefèvre", "helene@example.net", "Communauté d’agglomération Fictive"],
    ["", "", "", "anonyme@example.com", ""],
]


def write_xlsx(path: Path, rows: list[list[object]], *, hidden_first: bool = False) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if hidden_first:
        sheet.title = "Brouillon"
        sheet.append(["email"])
        sheet.append(["hidden@example.org"])
        sheet.sheet_state = "hidden"
        sheet = workbook.create_sheet("Feuille1")
    else:
        sheet.title = "Feuille1"
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_ods(path: Path, rows: list[list[str]], *, repeat_last: int = 1) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice's structure has it (no office suite in the tests)."""
    def row_xml(cells: list[str], repeat: int = 1) -> str:
        xml = "".join(f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
                      if c else "<table:table-cell/>" for c in cells)
        return f'<table:table-row table:number-rows-repeated="{repeat}">{xml}</table:table-row>'

    body = "".join(row_xml(r) for r in rows[:-1]) + row_xml(rows[-1], repeat_last)
    return write_ods_tables(path, f'<table:table table:name="Feuille1">{body}</table:table>')


def test_headers_match_without_case_accents_or_spacing() -> None:
    assert header_key("Adresse e-mail") == header_key("ADRESSE  E-MAIL") == header_key("adresse_email ") != ""
    assert header_key("Prénom") == header_key("prenom") == header_key("PRÉNOM")


@pytest.mark.parametrize(("encoding", "expected"), [
    ("cp1252", "Windows-1252 (Excel's CSV)"), ("latin-1", "Windows-1252 or Latin-1 (they read this file alike)"),
    ("utf-8", "UTF-8"), ("utf-8-sig", "byte-order mark"),
])
def test_excel_csv_in_each_encoding_reads_the_same(tmp_path: Path, encoding: str, expected: str) -> None:
    text = "\r\n".join(";".join(row) for row in [FRENCH_HEADER, *ROWS]) + "\r\n"
    if encoding == "latin-1":  # « ’ » is Windows-1252's only (0x92): without it, the two read alike
        text = text.replace("’", "'")
    path = tmp_path / "partenaires.csv"
    path.write_bytes(text.encode(encoding))
    partners = load_partners(path, "partenaires.csv")
    marie, helene, anonymous = partners
    assert (marie.name, marie.title, marie.organisation) == ("Marie Dupont", "", "Ville de Test")
    assert (helene.name, helene.title, helene.first_name, helene.last_name) == ("Hélène Lefèvre", "Madame", "Hélène", "Lefèvre")
    assert helene.organisation.startswith("Communauté d")
    assert anonymous.name == ""
    assert expected in partners.read_as and "«\u202f;\u202f»" in partners.read_as


def test_a_byte_windows_1252_leaves_undefined_is_read_as_latin_1() -> None:
    from dossier.tables.text import decode

    # 0x81 has no letter in Windows-1252: Latin-1 reads it (a control, which the list's rules then refuse).
    assert decode("Dupont\x81 é".encode("latin-1")) == ("Dupont\x81 é", "latin-1")
    assert decode("Lefèvre’".encode("cp1252")) == ("Lefèvre’", "cp1252")
    assert decode("Lefèvre".encode("cp1252")) == ("Lefèvre", "cp1252-or-latin-1")


def test_a_workbook_reads_its_first_visible_sheet_and_locates_cells(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "partenaires.xlsx", [FRENCH_HEADER, *ROWS], hidden_first=True)
    partners = load_partners(path, "partenaires.xlsx")
    assert [p.email for p in partners] == ["marie.dupont@example.org", "helene@example.net", "anonyme@example.com"]
    assert partners.read_as == "sheet «\u202fFeuille1\u202f»"

    bad = [FRENCH_HEADER, ROWS[0], ["", "Jean", "Martin", "jean.martin@", ""], ROWS[1], ["", "", "", "MARIE.dupont@example.org"]]
    with pytest.raises(DossierError) as caught:
        load_partners(write_xlsx(tmp_path / "mauvaise.xlsx", bad), "mauvaise.xlsx")
    assert caught.value.format_message().splitlines() == [
        "mauvaise.xlsx:Feuille1:D3: email: 'jean.martin@' is not an email address: write it as name@example.org, "
        "or delete the row",
        "mauvaise.xlsx:Feuille1:D5: email: 'MARIE.dupont@example.org' is already on line 2: delete one of the two rows",
        "nothing was sent: correct the list and run again",
    ]


def test_an_ods_list_reads_and_a_huge_one_is_refused(tmp_path: Path) -> None:
    partners = load_partners(write_ods(tmp_path / "liste.ods", [FRENCH_HEADER, *ROWS]), "liste.ods")
    assert [p.name for p in partners] == ["Marie Dupont", "Hélène Lefèvre", ""]
    # A row repeated a million times (a few bytes of XML) is refused, not read into a million partners.
    huge = write_ods(tmp_path / "huge.ods", [FRENCH_HEADER, ROWS[0]], repeat_last=1_000_000)
    with pytest.raises(DossierError, match=f"huge.ods:Feuille1: more than {MAX_ROWS:,} rows"):
        read_table(huge, "huge.ods")


def test_a_sheet_that_claims_its_last_cell_is_refused_without_reading_it(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "email"
    workbook.active["XFD1048576"] = "x@example.org"  # a sparse sheet: a reader that builds it whole needs 500 GB
    workbook.save(tmp_path / "sparse.xlsx")
    with pytest.raises(DossierError, match="more than 50,000 rows"):
        read_table(tmp_path / "sparse.xlsx", "sparse.xlsx")


@pytest.mark.parametrize("content", [b"not a zip at all", b"PK\x03\x04broken"])
def test_a_damaged_workbook_is_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "liste.xlsx"
    path.write_bytes(content)
    with pytest.raises(DossierError) as caught:
        load_partners(path, "liste.xlsx")
    assert caught.value.format_message().startswith("liste.xlsx: not the workbook")


def _greetings(project: Path) -> list[str]:
    lines = []
    for eml in sorted((project / "output/mail-03").glob("*.eml")):
        message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        greeting = text.splitlines()[0]
        assert f"<p>{greeting}</p>" in html
        lines.append(greeting)
    return lines


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_messages_greet_by_civilite_or_name(project: Path, kind: str) -> None:
    configure_mail(project)
    fake_pdf(project)
    if kind == "csv":
        path = project / "partenaires.csv"
        path.write_bytes("\r\n".join(";".join(row) for row in [FRENCH_HEADER, *ROWS]).encode("cp1252"))
    else:
        path = write_xlsx(project / "partenaires.xlsx", [FRENCH_HEADER, *ROWS])
    result = run("--lang", "fr", "send", "3", "--partners", path.name)
    assert result.exit_code == 0, result.output
    assert _greetings(project) == ["Bonjour Marie Dupont,", "Madame,", "Bonjour,"]
    expected = "Windows-1252" if kind == "csv" else "feuille «\u202fFeuille1\u202f»"
    assert f"{path.name}: 3 partenaires" in result.stderr and expected in result.stderr
