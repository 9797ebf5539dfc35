"""Zero counts read as words, in both languages: « aucune adresse ajoutée », "no address added", never « 0 adresse ».

French puts 0 in the singular (« 0 adresse ajoutée »), which reads as a slip in a summary;
each summary that can count nothing says so in words instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import run

ZERO = re.compile(r"(?<![\w,.])0 (?!s\b)")  # a count of zero (not « 0,4 s », not a time)
LEDGER = ".dossier/deliveries.sqlite"
EXPECTED = {
    "en": {
        "validate": "issues/01/issue.yaml: valid: numéro 1, 2 initiatives in 1 theme, no resources, no readings\n",
        "check": "no findings\n",
        "unsubscribe": f"no address added to the suppression list in {LEDGER}",
        "inbox": f"inbox: no message read from vide.mbox; suppression list in {LEDGER}\n",
        "import-unsubscribes": "demandes.jsonl: no requests read\n",
        "site": r"1 numéro in output/site/, none rebuilt, [\d.]+ s",
    },
    "fr": {
        "validate": "issues/01/issue.yaml: valide\u202f: numéro 1, 2 initiatives dans 1 thème, aucune ressource, "
                    "aucune lecture\n",
        "check": "aucune remarque\n",
        "unsubscribe": f"aucune adresse ajoutée à la liste d’exclusion de {LEDGER}",
        "inbox": f"boîte aux lettres\u202f: aucun message lu dans vide.mbox\u202f; liste d’exclusion dans {LEDGER}\n",
        "import-unsubscribes": "demandes.jsonl: aucune demande lue\n",
        "site": r"1 numéro dans output/site/, aucun refait, [\d,]+ s",
    },
}


@pytest.fixture
def numero(mini_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini numéro without resources nor readings (and nothing for check to say)."""
    monkeypatch.setenv("DOSSIER_SECRET", "zero-counts-secret-0123456789abcdef")
    manifest = mini_project / "issues/01/issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[:text.index("resources:")] + "pages: []\n", encoding="utf-8")
    (mini_project / "vide.mbox").write_bytes(b"")
    (mini_project / "demandes.jsonl").write_bytes(b"")
    assert run("unsubscribe", "jeanne@example.org").exit_code == 0
    assert run("site").exit_code == 0
    return mini_project


@pytest.mark.parametrize("language", ["en", "fr"])
def test_summaries_that_count_nothing_say_so_in_words(numero: Path, language: str) -> None:
    said = {
        "validate": run("--lang", language, "validate", "1"),
        "check": run("--lang", language, "check", "1"),
        "unsubscribe": run("--lang", language, "unsubscribe", "jeanne@example.org"),
        "inbox": run("--lang", language, "inbox", "--mbox", "vide.mbox"),
        "import-unsubscribes": run("--lang", language, "import-unsubscribes", "demandes.jsonl"),
        "site": run("--lang", language, "site"),
    }
    for command, result in said.items():
        assert result.exit_code == 0, (command, result.output)
        assert not ZERO.search(result.output), (command, result.output)
    expected = EXPECTED[language]
    assert said["validate"].stdout == expected["validate"]
    assert said["check"].stderr == expected["check"]
    assert said["unsubscribe"].stdout.splitlines()[-1] == expected["unsubscribe"]
    assert said["inbox"].stdout == expected["inbox"]
    assert said["import-unsubscribes"].stdout == expected["import-unsubscribes"]
    assert re.fullmatch(expected["site"], said["site"].stderr.splitlines()[-1]), said["site"].stderr
