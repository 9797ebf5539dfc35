"""English left in a French run: every message of the catalog whose French differs, found in the output.

Each message's English (``msgid``) is cut at its placeholders; a piece of two words or more
(or a whole one-word message of six letters or more, such as "unsubscribed") found in a
French run's output is English that was not translated: a string outside ``_()``, or a
stored value (a reason, a status) printed as it is.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parent.parent / "src/dossier/locale/fr/LC_MESSAGES/dossier.po"
GOLDEN = Path(__file__).parent / "golden" / "cli-fr"
# What changes from run to run, replaced in golden files by a placeholder.
VARYING = [
    (re.compile(r"\d{1,2} \w+ \d{4} à \d\d h \d\d"), "<date>"),  # a recorded moment, in local time
    # Numbers may hold French thousands separators (« 2 400/min »: a fast machine's rate).
    (re.compile(r"\b\d+(?:[\u202f\u00a0]\d{3})*(?:,\d+)? s\b"), "… s"),
    (re.compile(r"\b\d+(?:[\u202f\u00a0]\d{3})*/min\b"), "…/min"),
    (re.compile(r"\b\d+(?:[\u202f\u00a0]\d{3})*(?:,\d+)? (?:Ko|Mo)\b"), "… Ko"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r"token=[\w-]+"), "token=<jeton>"),  # the editing view's address
    (re.compile(r"<[^<>@\s]+@[^<>\s]+>"), "<message-id>"),
]
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sd]|%[sd]|\n")
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
# English that no message holds whole but that must not reach a French reader either.
EXTRA = ("nothing", "was", "were", "rebuilt", "unchanged", "failed", "pending", "skipped")
EXTRA_LITERALS = ("(none)", "(empty)")


@functools.cache
def english_pieces() -> frozenset[str]:
    with CATALOG.open("rb") as file:
        catalog = read_po(file)
    pieces = set(EXTRA)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            if text in strings:  # the same in both languages (« UTF-8 », « %(num)s pages »)
                continue
            for piece in _PLACEHOLDER.split(text):
                words = _WORD.findall(piece)
                if len(words) >= 2 and sum(map(len, words)) >= 7:
                    pieces.add(" ".join(words))
                elif len(words) == 1 and len(words[0]) >= 6 and piece.strip() == words[0]:
                    pieces.add(words[0])
    return frozenset(pieces)


def english_left(output: str, literals: Iterable[str] = ()) -> list[str]:
    """The English pieces found in ``output`` (words compared whole, never inside an address or a file name).

    ``literals`` are words typed as they are whatever the language (the commands' names).
    """
    literals = set(literals)
    # Words alone; a token that is not a plain word (--partners, a@example.org, output/mail-01) stands apart.
    tokens = re.findall(r"[\w'@./-]+", output.replace("’", "'"))
    flat = " ".join(token if _WORD.fullmatch(token) and token not in literals else "§" for token in tokens)
    found = [piece for piece in english_pieces() if re.search(r"(?<![\w'])" + re.escape(piece) + r"(?![\w'])", flat)]
    return sorted(found + [literal for literal in EXTRA_LITERALS if literal in output])


def compare_golden(name: str, command: Sequence[str], stdout: str, stderr: str) -> None:
    """A French run's output against tests/golden/cli-fr/NAME.txt (DOSSIER_UPDATE_GOLDEN=1 rewrites it); no English
    left, no traceback."""
    from dossier.cli import cli

    assert "Traceback" not in stdout + stderr
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", stdout + stderr), "a time in ISO form, not in French"
    text = f"$ dossier {' '.join(command)}\n{stdout}--- stderr ---\n{stderr}"
    for pattern, replacement in VARYING:
        text = pattern.sub(replacement, text)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("DOSSIER_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")
    left = english_left(stdout + stderr, literals=cli.commands)
    assert not left, f"English in a French run of dossier {' '.join(command)}: {left}"
