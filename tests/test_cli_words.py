"""The French CLI at run time: every --help and click's usage errors, with no English left.

click's own messages reach our catalog because ``cli.words.wire_click`` rebinds its gettext
functions; an upgraded click that moved or reworded a message would speak English again here.
"""

from __future__ import annotations

import re

import pytest

from conftest import run
from dossier.cli import cli
from dossier.cli.words import CLICK_MESSAGES, METAVARS
from dossier.i18n import translation


def _english_fragments() -> list[re.Pattern[str]]:
    """The English words of every click message and value name that French says otherwise."""
    french = translation("fr")
    fragments = set()
    for message in (*CLICK_MESSAGES, *METAVARS):
        source = message if isinstance(message, str) else message[0]
        if french.gettext(source) == source:
            continue  # the same in both languages ("URL", "N")
        for piece in re.split(r"\{[^}]*\}|[\n\t:.?!()\[\]]", source):
            if len(piece.strip()) >= 4:
                fragments.add(piece.strip())
    return [re.compile(rf"(?<![\w'’-]){re.escape(fragment)}(?![\w'’])") for fragment in sorted(fragments)]


ENGLISH = _english_fragments()


def _assert_french(output: str) -> None:
    left = [pattern.pattern for pattern in ENGLISH if pattern.search(output)]
    assert not left, f"English left in French output: {left}\n{output}"


def test_the_english_fragments_are_many():
    assert len(ENGLISH) > 40  # the check below looks for something


@pytest.mark.parametrize("command", [[], *[[name] for name in sorted(cli.commands)]])
def test_every_help_is_french(command: list[str], project):
    result = run("--lang", "fr", *command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Utilisation\u202f: ")
    _assert_french(result.stdout)


@pytest.mark.parametrize("args", [
    [],
    ["nosuch"],
    ["bulid", "3"],
    ["build"],
    ["build", "3", "4"],
    ["build", "--nope", "3"],
    ["preview", "3", "--port", "abc"],
    ["preview", "3", "--port", "70000"],
    ["check", "3", "--timeout", "soon"],
    ["new", "--number", "0"],
    ["schema", "--lang", "xx"],
    ["send", "3", "--partners", "missing.csv"],
    ["send", "3", "--rate"],
    ["unsubscribe", "--file"],
])
def test_usage_errors_are_french(args: list[str], project):
    result = run("--lang", "fr", *args)
    assert result.exit_code == 2
    assert "Erreur\u202f: " in result.stderr
    _assert_french(result.stdout + result.stderr)
