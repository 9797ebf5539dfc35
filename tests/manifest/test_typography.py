"""Typography by language: French rules for French text only, the lang attribute, and what check says.

The golden file ``tests/golden/readings-typography.txt`` lists n°3's readings as they are
typeset (no-break spaces shown as ⍽ for U+00A0 and · for U+202F); DOSSIER_UPDATE_GOLDEN=1
refreshes it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import REPO, complete_sample, run
from dossier.manifest import load_issue
from dossier.manifest.typography import english, french, render_markdown, typeset
from dossier.press.render import render_html
from dossier.project import Project

GOLDEN = REPO / "tests" / "golden" / "readings-typography.txt"


@pytest.mark.parametrize(
    ("text", "typeset_text"),
    [
        ("L'économie d'après", "L’économie d’après"),
        ('le modèle "en donut"', "le modèle «\u202fen donut\u202f»"),
        ("au XXIe siècle, le 7e art", "au XXIᵉ siècle, le 7ᵉ art"),
        ("le 1er mai, la 1re fois, les 2es", "le 1ᵉʳ\u00a0mai, la 1ʳᵉ fois, les 2ᵉˢ"),
        ("Ce que Le Monde dit", "Ce que Le Monde dit"),  # not centuries
        ("le n° 3", "le n°\u00a03"),
        ("le 20 avril 2020 à Paris", "le 20\u00a0avril\u00a02020 à Paris"),
        ("46 % des habitants, 10 millions d'euros", "46\u00a0% des habitants, 10\u00a0millions d’euros"),
        ("https://example.org/l'adresse", "https://example.org/l'adresse"),
    ],
)
def test_french_typography(text: str, typeset_text: str):
    assert french(text) == typeset_text


def test_english_text_gets_no_french_spaces():
    title = "How will Covid-19 affect corporate location decisions?"
    assert typeset(title, "en") == title
    assert english('Don\'t say "hi"; ask: why?') == "Don’t say “hi”; ask: why?"
    assert typeset("Wie geht's?", "de") == "Wie geht's?"
    assert typeset("Pour qui ?", "fr-CA") == "Pour qui\u202f?"


def test_markdown_follows_the_entry_language():
    assert render_markdown("Why *now*?", "en") == "<p>Why <em>now</em>?</p>"
    assert render_markdown("Pourquoi *maintenant* ?") == "<p>Pourquoi <em>maintenant</em>\u202f?</p>"


def test_english_entries_of_n3_are_marked_in_the_html():
    project = Project(REPO)
    html = render_html(project, load_issue(project, project.manifest_for("3")))
    assert '<span class="article-title" lang="en">How will Covid-19 affect corporate location decisions?</span>' in html
    assert "decisions\u202f?" not in html
    assert "Coronavirus\u202f: quelles actions des agences de développement européennes\u202f?" in html


def test_readings_of_n3_are_typeset_as_the_golden_file_says():
    project = Project(REPO)
    issue = load_issue(project, project.manifest_for("3"))
    lines = []
    for theme in issue.readings:
        lines.append(f"## {theme.theme}")
        lines += [f"{article.lang or 'fr'} | {article.source} | {article.title}" for article in theme.articles]
    text = "\n".join(lines).replace("\u00a0", "⍽").replace("\u202f", "·") + "\n"
    if os.environ.get("DOSSIER_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_check_says_when_an_entry_looks_english(project: Path):
    complete_sample(project)
    manifest = project / "issues/03/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("      - source: FDI Intelligence\n        lang: en\n",
                                     "      - source: FDI Intelligence\n"), encoding="utf-8")
    result = run("check", "3")
    line = next(n for n, row in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1) if "How will" in row)
    assert result.stdout.splitlines() == [
        f"issues/03/issue.yaml:{line}: looks English: add lang: en to this entry, so that it gets English typography "
        "and hyphenation"
    ]


def test_a_language_tag_is_checked(project: Path):
    manifest = project / "issues/03/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("        lang: en\n", "        lang: anglais!\n", 1), encoding="utf-8")
    result = run("validate", "3")
    assert result.exit_code == 1
    assert re.search(r"lang: 'anglais!' is not a language tag: write e\.g\. en, fr, de or en-GB", result.stderr)
