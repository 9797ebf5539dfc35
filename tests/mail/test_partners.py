"""Partner lists: CSV exports and YAML lists read right, every mistake reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run
from dossier.errors import DossierError
from dossier.mail.partners import load_partners
from smtp_support import configure_mail


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(DossierError) as caught:
        load_partners(path, path.name)
    return caught.value.format_message().splitlines()


def test_a_french_spreadsheet_export_reads_with_its_columns(tmp_path: Path) -> None:
    # Semicolons, a byte-order mark, CRLF, a quoted cell with the separator and a line break, blank rows.
    path = write(tmp_path / "export.csv", (
        "\ufeffE-mail;Nom;Organisation;Ville\r\n"
        "jean.dupont@example.org;Jean Dupont;Ville de Test;Marseille\r\n"
        ";;;\r\n"
        '  Marie@Example.NET ;Marie;"Région; Sud\nservice com";Aix\r\n'
        "bob@example.com;;;\r\n"
        ";;;\r\n"
    ))
    partners = load_partners(path, "export.csv")
    assert [p.email for p in partners] == ["jean.dupont@example.org", "Marie@Example.NET", "bob@example.com"]
    assert [p.line for p in partners] == [2, 4, 6]
    assert partners.columns == ("email", "nom", "organisation", "ville", "name", "first_name", "last_name", "title")
    assert partners.partners[0].name == "Jean Dupont"  # « Nom » alone is the whole name
    assert "UTF-8" in partners.read_as and "«\u202f;\u202f»" in partners.read_as
    marie = partners.partners[1]
    assert marie.key == "marie@example.net"
    assert marie.organisation == "Région; Sud\nservice com"
    assert marie.ville == "Aix"
    assert partners.partners[2].name == ""  # absent columns a template may test are empty, not undefined
    with pytest.raises(AttributeError):
        _ = marie.prenom


def test_a_yaml_list_takes_addresses_or_mappings(tmp_path: Path) -> None:
    path = write(tmp_path / "partners.yaml", (
        "- jean@example.org\n"
        "- email: marie@example.net\n"
        "  name: Marie Curie\n"
        "  telephone: 0612345678\n"
        "  organisation:\n"
    ))
    partners = load_partners(path)
    assert [(p.email, p.line) for p in partners] == [("jean@example.org", 1), ("marie@example.net", 2)]
    marie = partners.partners[1]
    assert (marie.name, marie.telephone, marie.organisation) == ("Marie Curie", "0612345678", "")


def test_every_bad_or_duplicate_address_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path / "partners.csv", (
        "email,name\n"
        "jean@example.org,Jean\n"
        "jean.example.org,Sans arobase\n"
        ",Sans adresse\n"
        "JEAN@example.org,Jean encore\n"
        "Marie Curie <marie@example.net>,Marie\n"
        "bob@example,Bob\n"
        "ok@example.com,Ok,extra cell\n"
    ))
    assert problems(path) == [
        "partners.csv:3: email: 'jean.example.org' is not an email address: write it as name@example.org, "
        "or delete the row",
        "partners.csv:4: email: empty: write an address such as name@example.org, or delete the row",
        "partners.csv:5: email: 'JEAN@example.org' is already on line 2: delete one of the two rows",
        "partners.csv:6: email: 'Marie Curie <marie@example.net>' is not a bare address: write only "
        "name@example.org, without name or spaces, or delete the row",
        "partners.csv:7: email: 'bob@example' is not an email address: write it as name@example.org, "
        "or delete the row",
        "partners.csv:8: 3 cells but the header has 2 columns: check the separators (',') and quotes on this row",
        "nothing was sent: correct the list and run again",
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("no-email.csv", "nom;organisation\nJean;Ville\n",
         "no-email.csv:1: no column of addresses (the header has nom, organisation): name it « Adresse e-mail », "
         "« Courriel » or « email »"),
        ("empty.csv", "", "empty.csv:1: the list is empty: write a header row with an email column"),
        ("header-only.csv", "email,name\n", "header-only.csv:1: no partners in the list: add one row per partner"),
        ("twice.csv", "email,Name,name\na@example.org,A,B\n",
         "twice.csv:1: name: column given twice (\u00ab\u202fName\u202f\u00bb and \u00ab\u202fname\u202f\u00bb): "
         "rename or delete one"),
        ("list.yaml", "- name: Jean\n- email: [a@example.org]\n",
         "list.yaml:1: email: missing: every partner needs an address"),
        ("mapping.yaml", "jean: jean@example.org\n", "mapping.yaml:1: expected a list of partners (lines starting with '- ')"),
        ("partners.txt", "a@example.org\n",
         "partners.txt: not a partner list: give a spreadsheet (.xlsx, .ods or .csv, a header row) or a .yaml list"),
    ],
)
def test_malformed_lists_say_what_to_fix(tmp_path: Path, name: str, content: str | bytes, expected: str) -> None:
    assert problems(write(tmp_path / name, content))[0] == expected


def test_yaml_list_reports_nested_values(tmp_path: Path) -> None:
    path = write(tmp_path / "list.yaml", "- email: a@example.org\n- email: [b@example.org]\n  name: B\n")
    assert problems(path)[0] == "list.yaml:2: email: expected text, not a list or mapping"


def test_the_command_stops_before_anything_is_written(project: Path) -> None:
    configure_mail(project)
    write(project / "fake-partners.csv", "email,name\nok@example.org,Ok\nnot-an-address,Bad\nOK@example.org,Dup\n")
    result = run("send", "3", "--partners", "fake-partners.csv")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "fake-partners.csv:3: email: 'not-an-address' is not an email address: write it as name@example.org, "
        "or delete the row",
        "fake-partners.csv:4: email: 'OK@example.org' is already on line 2: delete one of the two rows",
        "nothing was sent: correct the list and run again",
    ]
    assert "Traceback" not in result.output
    assert not (project / "output" / "mail-03").exists()
    assert not (project / ".dossier").exists()
