"""Mailboxes for the inbox tests: mbox files written with the standard library, the bounce corpus."""

from __future__ import annotations

import mailbox
from pathlib import Path

BOUNCES = Path(__file__).parent / "fixtures" / "bounces"


def write_mbox(path: Path, messages: list[bytes]) -> Path:
    """An mbox file holding ``messages`` (raw bytes, as a mail client would export them)."""
    box = mailbox.mbox(path)
    box.lock()
    try:
        for raw in messages:
            box.add(raw)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return path


def corpus(name: str, **replace: str) -> bytes:
    """A message of tests/mail/fixtures/bounces/, with placeholders replaced (e.g. the Message-ID sent)."""
    text = (BOUNCES / name).read_text(encoding="utf-8")
    for old, new in replace.items():
        text = text.replace(old, new)
    return text.replace("\r\n", "\n").encode("utf-8")
