"""Loading and validating manifests: the sample, and every error path with its exact message."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run
from dossier.errors import ManifestError
from dossier.manifest.load import load_issue
from dossier.manifest.model import Month
from dossier.project import Project

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(path.stem for path in BROKEN.glob("*.yaml"))


def load_sample():
    project = Project(REPO)
    return load_issue(project, project.manifest_for("3"))


def test_sample_is_complete():
    issue = load_sample()
    assert issue.number == 3
    assert issue.date is None  # the seed does not say when n°3 came out
    assert [(b.number, b.date) for b in issue.back_issues] == [
        (1, dt.date(2020, 4, 3)),
        (2, dt.date(2020, 4, 17)),
    ]
    assert [t.theme for t in issue.practices] == [
        "Développement économique",
        "Attractivité, hospitalité & solidarité",
        "Tourisme",
        "Culture\u00a0– événementiel",  # the dash may not start a line
    ]
    assert sum(len(t.initiatives) for t in issue.practices) == 30
    assert len(issue.resources) == 10
    assert [t.theme for t in issue.readings] == [
        "Développement économique",
        "Tourisme",
        "Management",
        "Prospective",
        "Résilience",
        "Autres",
    ]
    assert sum(len(t.articles) for t in issue.readings) == 29
    assert [p.title for p in issue.back_pages] == ["La Chaire Attractivité et Nouveau Marketing Territorial", "Master 2"]
    missions = issue.back_pages[0].sections[0].blocks
    assert [b.title for b in missions] == ["Veille & recherche", "Expertise", "Rencontres", "Formations"]


def test_sample_carries_no_placeholder_links():
    text = (REPO / "issues/03/issue.yaml").read_text(encoding="utf-8")
    assert "(#)" not in text and '"#"' not in text
    issue = load_sample()
    links = [i.url for t in issue.practices for i in t.initiatives] + [r.url for r in issue.resources]
    assert links == [None] * 40  # the seed gives no real address for any of them


def test_plain_text_fields_get_french_spacing():
    issue = load_sample()
    covid_bot = next(i for t in issue.practices for i in t.initiatives if i.title.startswith("Covid bot"))
    assert covid_bot.title == "Covid bot\u202f: un chat bot pour répondre aux questions"


def test_month_dates_and_free_text_dates():
    issue = load_sample()
    dates = [a.date for t in issue.readings for a in t.articles]
    assert Month(year=2020, month=4) in dates
    assert dt.date(2020, 4, 22) in dates


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("case", CASES)
def test_broken_manifest_reports_every_problem(project: Path, case: str, language: str):
    """Each case's messages in English (NAME.expected) and in French (NAME.fr.expected)."""
    (project / "issues/09").mkdir()
    shutil.copy(BROKEN / f"{case}.yaml", project / "issues/09/issue.yaml")
    expected = (BROKEN / f"{case}{'.fr' if language == 'fr' else ''}.expected").read_text(encoding="utf-8")
    result = run("--lang", language, "validate", "9")
    assert result.exit_code == 1
    assert result.stderr == expected
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_broken_publication_is_reported_with_its_own_lines(project: Path):
    path = project / "publication.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("publisher:", "publsher:", 1).replace('accent: "#123a5a"', "accent: navy"),
        encoding="utf-8",
    )
    result = run("validate", "3")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "publication.yaml:4: publisher: missing: this field is required",
        "publication.yaml:5: publsher: unknown field: did you mean 'publisher'?",
        "publication.yaml:11: colours.accent: 'navy' is not a colour: write it as #RRGGBB, e.g. #1b4f72",
    ]


def test_not_utf8(project: Path):
    (project / "issues/09").mkdir()
    (project / "issues/09/issue.yaml").write_bytes("number: 9\nsubtitle: \xe9t\xe9\n".encode("latin-1"))
    result = run("validate", "9")
    assert result.exit_code == 1
    assert result.stderr.startswith("issues/09/issue.yaml: not UTF-8 text (")
    assert result.stderr.rstrip().endswith("save the file as UTF-8")


def test_manifest_problem_collection_is_an_exception_with_all_problems(project: Path):
    (project / "issues/09").mkdir()
    shutil.copy(BROKEN / "unknown_keys.yaml", project / "issues/09/issue.yaml")
    with pytest.raises(ManifestError) as caught:
        load_issue(Project(project), project / "issues/09/issue.yaml")
    assert [(p.line, p.field) for p in caught.value.problems] == [
        (1, "subtitle"),
        (2, "subtitel"),
        (8, "practices[0].initiatives[0].titel"),
        (8, "practices[0].initiatives[0].title"),
        (11, "practices[0].initiatives[0].lien"),
    ]


@pytest.mark.parametrize("ref", ["3", "03", "issues/03", "issues/03/", "issues/03/issue.yaml"])
def test_issue_can_be_named_by_number_folder_or_file(project: Path, ref: str):
    result = run("validate", ref)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("issues/03/issue.yaml: valid: numéro 3, 30 initiatives in 4 themes, 10 resources, 29 readings\n")


def test_unknown_number_says_how_to_create_it(project: Path):
    result = run("validate", "7")
    assert result.exit_code == 1
    assert result.stderr == (
        "issues/07/issue.yaml: no numéro 7 in issues/: create it with 'dossier new --number 7' or check the number\n"
    )


def test_outside_a_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate", "3")
    assert result.exit_code == 1
    assert result.stderr == (
        f"{tmp_path.resolve()}: no publication.yaml here or in any parent folder: run dossier inside the project folder\n"
    )
