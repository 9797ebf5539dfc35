"""A typesetter's hyphenation (dossier.press.pdf.typesetting): names and short words whole, at most two
hyphenated line ends in a row, no paragraph ending on a word's tail alone; on real layouts."""

from __future__ import annotations

from pathlib import Path

import pyphen
import pytest
import weasyprint

from dossier.press.pdf.hyphenation import load_patterns
from dossier.press.pdf.typesetting import (
    TypesetterDictionary,
    block_lines,
    forbid,
    forgive,
    hyphen_runs,
    hyphenation_faults,
    hyphenation_limits,
)

# Text of n°3 that ran to four hyphenated lines in a row, and one that ended on « nance. ».
TEXTS = [
    "La Team France Export rassemble toutes les solutions publiques proposées par les Régions, les services de "
    "l’Etat, Business France, les CCI et Bpifrance pour accompagner les entreprises françaises à l’export. "
    "La plateforme propose des informations sur les marchés d’exportation et 170 webinaires gratuits pour aider "
    "les entreprises face à la crise du Covid19.",
    "Conçue pour les professionnels et les étudiants, cette formation de niveau Master 2 vise à acquérir des "
    "compétences en opérationnalité, réflexivité et transversalité, qui seront mises en pratique sur le terrain "
    "grâce au rythme en alternance.",
]
WIDTHS = [f"{width}mm" for width in range(40, 90)]


@pytest.fixture
def dictionaries(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pyphen, "hdcache", {})
    load_patterns('<html lang="fr">', tmp_path)


def lay_out(texts: list[str]) -> list[list[str]]:
    html = "".join(f'<p style="width: {width}">{text}</p>' for width in WIDTHS for text in texts)
    document = weasyprint.HTML(string=f'<html lang="fr"><body style="hyphens: auto; font-size: 9pt; '
                                      f'hyphenate-limit-chars: 7 3 3; hyphenate-character: \'-\'">{html}</body></html>'
                               ).render()
    return [lines for page in document.pages for lines in block_lines(page._page_box)]


def lone_tails(blocks: list[list[str]]) -> int:
    return sum(len(lines) >= 2 and lines[-2].endswith("-") and len(lines[-1].split()) == 1 for lines in blocks)


def test_names_short_and_forbidden_words_stay_whole(dictionaries: None):
    dictionary = pyphen.Pyphen(lang="fr")
    assert isinstance(dictionary.hd, TypesetterDictionary)
    assert dictionary.positions("accompagner")
    assert dictionary.positions("Coachella") == dictionary.positions("Francisco") == []
    assert dictionary.positions("nation") == []  # under 7 letters
    forbid(["accompagner"])
    assert dictionary.positions("accompagner") == []
    forgive()
    assert dictionary.positions("accompagner")


def test_no_third_hyphen_in_a_row_and_no_lone_tail(dictionaries: None):
    before = lay_out(TEXTS)  # WeasyPrint alone: the faults this module is for (so the test can fail)
    assert max(run for lines in before for run in hyphen_runs(lines)) > 2 or lone_tails(before)
    with hyphenation_limits():
        after = lay_out(TEXTS)
    assert max((run for lines in after for run in hyphen_runs(lines)), default=0) <= 2
    assert lone_tails(after) == 0
    assert sum(line.endswith("-") for lines in after for line in lines) > 0  # hyphenation still happens
    words = [" ".join(" ".join(lines) for lines in blocks).replace("- ", "").split() for blocks in (before, after)]
    assert words[0] == words[1]  # the same words, only broken elsewhere


def test_the_measured_pass_names_the_words_at_fault():
    lines = ["une ligne qui finit en accom-", "pagnant la suivante qui se ter-", "mine encore en coupe-", "ment ici",
             "et un para-", "graphe."]
    assert hyphenation_faults([]) == set()
    assert hyphen_runs(lines) == [3, 1]
    from dossier.press.pdf.typesetting import _block_faults

    assert set(_block_faults(lines)) == {"coupement", "paragraphe"}
