"""dossier new: the next numéro's manifest, valid as it is, never over an existing one."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import jsonschema
import yaml

from conftest import run
from dossier.manifest.load import load_issue
from dossier.manifest.model import Month
from dossier.manifest.schema import schema_text
from dossier.project import Project
from dossier.scaffold import placeholder
from test_schema import editor_load

PLACEHOLDER = placeholder("fr")  # the publication's language: "À compléter"
MODELINE = "# yaml-language-server: $schema=../../schema/issue.schema.json"
N3_THEMES = [
    "Développement économique",
    "Attractivité, hospitalité & solidarité",
    "Tourisme",
    "Culture\u00a0– événementiel",
]


def load(root: Path, number: int):
    project = Project(root)
    return load_issue(project, project.manifest_for(str(number)))


def back_issues(root: Path, number: int) -> list[tuple]:
    return [(b.number, b.date, b.url) for b in load(root, number).back_issues]


def test_new_starts_numero_4_from_numero_3(project: Path):
    result = run("new")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "issues/04/issue.yaml\n"
    manifest = project / "issues/04/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert text.splitlines()[0] == MODELINE
    assert (manifest.parent / "../../schema/issue.schema.json").resolve().read_text(encoding="utf-8") == schema_text()

    issue = load(project, 4)
    n3 = load(project, 3)
    assert issue.number == 4
    assert issue.title == n3.title
    assert back_issues(project, 4) == [(1, dt.date(2020, 4, 3), None), (2, dt.date(2020, 4, 17), None), (3, None, None)]
    assert [t.theme for t in issue.practices] == N3_THEMES
    for theme in issue.practices:
        assert [(i.title, i.porteurs) for i in theme.initiatives] == [(PLACEHOLDER, [PLACEHOLDER])]
    assert issue.subtitle.startswith(PLACEHOLDER) and issue.edito.startswith(PLACEHOLDER)
    assert issue.resources == [] and issue.readings == []
    assert issue.pages == n3.pages == ["chaire", "master2"]
    # The comments are in the publication's language, French, whatever the messages' language.
    assert "jamais remplacée par «\u202f#\u202f»" in text and "dossier validate 4" in text and "dossier build 4" in text
    assert "# Remplacez chaque «\u202fÀ compléter\u202f», puis\u202f:" in text


def test_scaffold_passes_validate_build_and_the_schema(project: Path):
    assert run("new").exit_code == 0
    validated = run("validate", "4")
    assert validated.exit_code == 0, validated.stderr
    assert validated.stdout.startswith("issues/04/issue.yaml: valid: numéro 4, 4 initiatives in 4 themes")
    data = editor_load((project / "issues/04/issue.yaml").read_text(encoding="utf-8"))
    schema = yaml.safe_load((project / "schema/issue.schema.json").read_text(encoding="utf-8"))
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)] == []
    built = run("build", "4", "--draft")  # as final it is refused: « À compléter » is left (tests/check/test_gate.py)
    assert built.exit_code == 0, built.stderr
    assert (project / "output/dossier-special-04-brouillon.pdf").read_bytes().startswith(b"%PDF-")


def test_new_never_overwrites_a_numero(project: Path):
    assert run("new").exit_code == 0
    manifest = project / "issues/04/issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("À compléter\u202f: l’édito", "Mon édito"), encoding="utf-8")
    before = manifest.read_bytes()
    result = run("new", "--number", "4")
    assert result.exit_code == 1
    assert result.stderr == "issues/04/issue.yaml: numéro 4 exists already: choose another --number\n"
    assert result.stdout == ""
    assert manifest.read_bytes() == before
    again = run("new", "--number", "3")
    assert again.stderr == "issues/03/issue.yaml: numéro 3 exists already: choose another --number\n"
    assert sorted(p.name for p in (project / "issues").iterdir()) == ["03", "04"]  # no temporary folder left


def test_number_option_and_the_numero_after_it(project: Path):
    result = run("new", "--number", "7")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "issues/07/issue.yaml\n"
    assert [b[0] for b in back_issues(project, 7)] == [1, 2, 3]
    assert run("validate", "7").exit_code == 0
    assert run("new").stdout == "issues/08/issue.yaml\n"  # the highest plus one, gaps left alone
    assert [b[0] for b in back_issues(project, 8)] == [1, 2, 3, 7]
    assert [t.theme for t in load(project, 8).practices] == N3_THEMES  # n°7's themes, which are n°3's


def test_a_numero_before_the_latest_lists_what_came_before_it(project: Path):
    result = run("new", "--number", "2")
    assert result.exit_code == 0, result.stderr
    # n°1 is not in issues/, but n°3 says when it came out.
    assert back_issues(project, 2) == [(1, dt.date(2020, 4, 3), None)]
    assert [t.theme for t in load(project, 2).practices] == N3_THEMES


def test_dates_and_addresses_from_every_source(project: Path):
    n3 = project / "issues/03/issue.yaml"
    n3.write_text(
        n3.read_text(encoding="utf-8").replace(
            "  - number: 1\n    date: 2020-04-03\n",
            "  - number: 1\n    date: 2020-04-03\n    url: https://anmt.univ-amu.fr/dossier-special-01.pdf\n",
        ).replace("number: 3\ntitle:", "number: 3\ndate: 2020-05\ntitle:"),
        encoding="utf-8",
    )
    # n°2's own manifest knows better than n°3's listing (17 avril).
    (project / "issues/02").mkdir()
    (project / "issues/02/issue.yaml").write_text(
        "number: 2\nsubtitle: Deux\ndate: 2020-04-18\nedito: Texte.\n", encoding="utf-8"
    )
    assert run("new").exit_code == 0
    assert back_issues(project, 4) == [
        (1, dt.date(2020, 4, 3), "https://anmt.univ-amu.fr/dossier-special-01.pdf"),
        (2, dt.date(2020, 4, 18), None),
        (3, Month(year=2020, month=5), None),
    ]


def test_themes_keep_their_text_and_colour(project: Path):
    n3 = project / "issues/03/issue.yaml"
    tricky = "Culture: «arts» & #scène, 'off'"
    written = yaml.safe_dump(tricky, allow_unicode=True).splitlines()[0]
    text = n3.read_text(encoding="utf-8")
    # The first "Tourisme" is the practices' theme (the readings have one too).
    n3.write_text(text.replace("  - theme: Tourisme\n", f"  - theme: {written}\n    colour: '#112233'\n", 1), encoding="utf-8")
    assert load(project, 3).practices[2].theme != tricky  # the model adds French spacing…
    assert run("new").exit_code == 0
    raw = yaml.safe_load((project / "issues/04/issue.yaml").read_text(encoding="utf-8"))
    assert raw["practices"][2]["theme"] == tricky  # …which the scaffold does not copy
    assert raw["practices"][2]["colour"] == "#112233"
    assert "colour" not in raw["practices"][0]  # the palette's colour stays implicit


def test_inline_pages_keep_their_images(project: Path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    (project / "issues/03/encart.svg").write_text(svg, encoding="utf-8")
    n3 = project / "issues/03/issue.yaml"
    n3.write_text(
        n3.read_text(encoding="utf-8").replace(
            "pages:\n  - chaire\n  - master2\n",
            "pages:\n  - chaire\n  - layout: insert\n    title: Encart\n    image: encart.svg\n    alt: Un encart\n",
        ),
        encoding="utf-8",
    )
    assert run("new").exit_code == 0, run("validate", "3").stderr
    pages = load(project, 4).pages
    assert pages[0] == "chaire"
    assert (pages[1].title, pages[1].image) == ("Encart", "issues/03/encart.svg")


def test_first_numero_of_an_empty_project(project: Path):
    shutil.rmtree(project / "issues/03")
    result = run("new")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "issues/01/issue.yaml\n"
    issue = load(project, 1)
    assert issue.back_issues == []
    assert [t.theme for t in issue.practices] == [PLACEHOLDER]
    assert issue.pages is None  # every page of publication.yaml
    assert "# pages: [chaire, master2]" in (project / "issues/01/issue.yaml").read_text(encoding="utf-8")


def test_the_schema_file_is_written_when_missing(project: Path):
    shutil.rmtree(project / "schema")
    result = run("new")
    assert result.exit_code == 0
    assert result.stderr == "wrote schema/issue.schema.json (the manifest's schema)\n"
    assert (project / "schema/issue.schema.json").read_text(encoding="utf-8") == schema_text()
    assert run("new").stderr == ""  # up to date: left alone


def test_a_broken_numero_is_reported_and_nothing_written(project: Path):
    n3 = project / "issues/03/issue.yaml"
    n3.write_text(n3.read_text(encoding="utf-8").replace("subtitle:", "subtitel:"), encoding="utf-8")
    result = run("new")
    assert result.exit_code == 1
    assert "issues/03/issue.yaml:7: subtitel: unknown field: did you mean 'subtitle'?" in result.stderr
    assert sorted(p.name for p in (project / "issues").iterdir()) == ["03"]


def test_new_speaks_the_publications_language(project: Path):
    publication = project / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace("language: fr", "language: en"), encoding="utf-8")
    result = run("--lang", "fr", "new")  # the messages' language does not change the manifest's
    assert result.exit_code == 0, result.stderr
    text = (project / "issues/04/issue.yaml").read_text(encoding="utf-8")
    assert '# Replace every "To be completed", then:' in text
    assert 'subtitle: "To be completed: the numéro\'s theme line"' in text
    assert "À compléter" not in text and "Remplacez" not in text
    schema = (project / "schema/issue.schema.json").read_text(encoding="utf-8")
    assert "The theme line, on the cover and in the running footer." in schema  # the schema in English too
    checked = run("check", "4")
    assert "still «\u202fTo be completed\u202f» from 'dossier new'" in checked.stdout
