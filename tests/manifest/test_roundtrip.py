"""The round-trip writer: every untouched byte kept, new values quoted as YAML needs, saves that never lose a change."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, run
from dossier.errors import Problem
from dossier.manifest.roundtrip import ManifestChanged, RoundTrip
from dossier.manifest.yamlfile import compose

N3 = REPO / "issues/03/issue.yaml"


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def read_back(text: str, tmp_path: Path):  # noqa: ANN201 - the data, through the project's own loader
    path = tmp_path / "read.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    data = compose(path, "read.yaml", problems).data
    assert not problems
    return data


@pytest.fixture
def scaffolded(project: Path) -> Path:
    assert run("new").exit_code == 0
    return project / "issues/04/issue.yaml"


def test_loading_and_saving_n3_and_a_scaffold_writes_the_same_bytes(project: Path, scaffolded: Path):
    for path in (project / "issues/03/issue.yaml", scaffolded):
        before = path.read_bytes()
        doc = RoundTrip.load(path)
        doc.update((), doc.data())
        doc.save()
        assert path.read_bytes() == before
        assert not doc.changed


def test_changing_one_title_changes_that_line_only():
    doc = RoundTrip.load(N3)
    doc.set(("practices", 1, "initiatives", 0, "title"), "Festival : la musique sans voiture")
    assert changed_lines(doc.base, doc.text) == [
        "-       - title: Plateforme numérique d'entraide",
        '+       - title: "Festival : la musique sans voiture"',
    ]


@pytest.mark.parametrize("text, written", [
    ("Festival : la musique sans voiture", '"Festival : la musique sans voiture"'),
    ("Le #1 des festivals", '"Le #1 des festivals"'),
    ("*Étoile*", '"*Étoile*"'),
    ("&co", '"&co"'),
    ("!important", '"!important"'),
    ("yes", '"yes"'),
    ("no", '"no"'),
    ("2020", '"2020"'),
    ("1:20", '"1:20"'),
    ("2020-04-03", '"2020-04-03"'),
    ("l'économie circulaire", "l'économie circulaire"),
])
def test_text_is_quoted_when_yaml_needs_it(text: str, written: str, tmp_path: Path):
    doc = RoundTrip.load(N3)
    doc.set(("practices", 0, "initiatives", 0, "place"), text)
    assert f"        place: {written}" in doc.text.splitlines()
    assert read_back(doc.text, tmp_path)["practices"][0]["initiatives"][0]["place"] == text


@pytest.mark.parametrize("text", ["0\n\n\xa0", "0\n\n ", "Un.\n \nDeux.", "Un.\n\u3000\nDeux."])
def test_a_line_of_only_spaces_is_kept_by_quoting(text: str, tmp_path: Path):
    """Found by the hypothesis test below: a block would have lost the line's indentation."""
    doc = RoundTrip.load(N3)
    doc.set(("practices", 1, "initiatives", 0, "text"), text)
    assert read_back(doc.text, tmp_path)["practices"][1]["initiatives"][0]["text"] == text


def test_multi_line_markdown_is_a_literal_block_and_blank_lines_between_cards_stay():
    doc = RoundTrip.load(N3)
    doc.set(("practices", 0, "initiatives", 0, "text"), "Un paragraphe.\n\nUn *second* : avec [lien](https://example.org).")
    assert "        text: |-\n          Un paragraphe.\n\n          Un *second* : avec [lien](https://example.org).\n\n" \
           "      - title: L'économie circulaire" in doc.text
    assert doc.get(("practices", 0, "initiatives", 0, "text")).startswith("Un paragraphe.\n\nUn *second*")


# Texts as editors type them: any characters YAML can hold in a file (the loader refuses control characters).
TEXTS = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\x85\u2028\u2029"),
                min_size=1, max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXTS, text=st.lists(TEXTS, min_size=1, max_size=3).map("\n\n".join), porteur=TEXTS)
def test_any_text_reads_back_equal_through_the_projects_loader(title: str, text: str, porteur: str, tmp_path: Path):
    doc = RoundTrip.load(N3)
    doc.set(("practices", 1, "initiatives", 0, "title"), title)
    doc.set(("practices", 1, "initiatives", 0, "text"), text)
    doc.set(("practices", 1, "initiatives", 0, "porteurs"), [porteur, title])
    doc.append(("resources",), {"organisation": porteur, "title": title})
    card = read_back(doc.text, tmp_path)["practices"][1]["initiatives"][0]
    assert (card["title"], card["text"], card["porteurs"]) == (title, text, [porteur, title])
    assert read_back(doc.text, tmp_path)["resources"][-1] == {"organisation": porteur, "title": title}
    assert doc.text.splitlines()[:60] == doc.base.splitlines()[:60]  # the lines before the card: untouched


def test_a_missing_key_is_inserted_in_the_models_order(scaffolded: Path):
    doc = RoundTrip.load(scaffolded)
    doc.set(("date",), dt.date(2026, 5, 4))
    doc.set(("practices", 0, "initiatives", 0, "place"), "Lyon")
    doc.set(("practices", 0, "colour"), "#2e7d32")
    lines = doc.text.splitlines()
    assert lines[lines.index("date: 2026-05-04") - 1].startswith("subtitle:")
    assert lines[lines.index("        place: Lyon") - 1] == "      - title: À compléter"
    assert lines[lines.index('    colour: "#2e7d32"') - 1] == "  - theme: Développement économique"
    assert len(changed_lines(doc.base, doc.text)) == 3


def test_lists_grow_shrink_and_items_move_with_their_comments(scaffolded: Path, tmp_path: Path):
    doc = RoundTrip.load(scaffolded)
    comments = [line for line in doc.text.splitlines() if line.lstrip().startswith("#")]
    doc.append(("practices", 1, "initiatives"), {"title": "Deux", "porteurs": ["B"], "text": "Texte : deux."})
    doc.insert(("practices", 1, "initiatives", 0), {"title": "Zéro", "porteurs": ["Z"], "text": "Texte."})
    doc.append(("resources",), {"organisation": "OCDE", "title": "Titre"})
    doc.append(("readings",), {"theme": "Tourisme", "articles": [{"source": "Le Monde", "title": "Un article"}]})
    doc.append(("practices",), {"theme": "Mobilités", "initiatives": [{"title": "T", "porteurs": ["P"], "text": "X"}]})
    doc.move(("practices", 0, "initiatives", 0), ("practices", 1, "initiatives", 1))  # the card with the hints
    doc.move(("practices", 1, "initiatives", 2), ("practices", 1, "initiatives", 0))
    doc.duplicate(("practices", 2, "initiatives", 0))
    doc.delete(("practices", 3))
    data = read_back(doc.text, tmp_path)
    assert [card["title"] for card in data["practices"][1]["initiatives"]] == ["À compléter", "Zéro", "À compléter", "Deux"]
    assert data["practices"][0]["initiatives"] == []
    assert len(data["practices"][2]["initiatives"]) == 2
    assert [theme["theme"] for theme in data["practices"]][-1] == "Mobilités"
    assert data["resources"] == [{"organisation": "OCDE", "title": "Titre"}]
    assert data["readings"][0]["articles"][0]["source"] == "Le Monde"
    # Every comment is still there: the card's hints moved with it, the sections' stayed.
    assert sorted(line for line in doc.text.splitlines() if line.lstrip().startswith("#")) == sorted(comments)
    hint = doc.text.index("        # place: Montréal")
    assert doc.text.rfind("- title:", 0, hint) == doc.text.rfind("- title: À compléter", 0, hint)


def test_update_writes_only_the_differences():
    doc = RoundTrip.load(N3)
    data = doc.data()
    data["practices"][0]["initiatives"][2]["place"] = "Buenos Aires (Argentine)"
    data["practices"][0]["initiatives"][3]["porteurs"].append("Business France")
    data["resources"][0]["title"] = "Nouveau titre"
    doc.update((), data)
    assert len(changed_lines(doc.base, doc.text)) == 5  # two lines changed, one added
    assert doc.data() == data


def test_a_change_on_disk_is_never_overwritten(tmp_path: Path):
    path = tmp_path / "issue.yaml"
    path.write_bytes(N3.read_bytes())
    doc = RoundTrip.load(path)
    doc.set(("subtitle",), "Le nôtre")
    path.write_text(N3.read_text(encoding="utf-8").replace("title: Dossier spécial", "title: Le leur"), encoding="utf-8")
    with pytest.raises(ManifestChanged) as caught:
        doc.save()
    assert "title: Le leur" in path.read_text(encoding="utf-8")
    assert "title: Le leur" in caught.value.disk and 'subtitle: "Le nôtre"' in caught.value.ours
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_save_is_atomic_and_updates_the_digest(tmp_path: Path):
    path = tmp_path / "issue.yaml"
    path.write_bytes(N3.read_bytes())
    doc = RoundTrip.load(path)
    doc.set(("subtitle",), "Un")
    doc.save()
    doc.set(("subtitle",), "Deux")
    doc.save()  # the second save compares with the first's bytes
    assert RoundTrip.load(path).get(("subtitle",)) == "Deux"
