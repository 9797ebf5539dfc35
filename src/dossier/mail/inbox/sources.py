"""Where ``dossier inbox`` reads messages: an mbox file or a Maildir folder (IMAP: ``imap``).

A source yields each message's raw bytes with where it is (for the report); reading
changes nothing. ``mark`` flags a message as seen, for the sources that have flags.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ...errors import DossierError
from ...files import display_path
from ...i18n import _


@dataclass(frozen=True)
class MailboxMessage:
    where: str  # as the report names it: bounces.mbox#3, Maildir/new/1700…, INBOX uid 42
    raw: bytes = field(repr=False)
    key: str = ""  # the source's own key, for mark()


class Source(Protocol):
    name: str

    def messages(self) -> Iterator[MailboxMessage]: ...

    def mark(self, message: MailboxMessage) -> None: ...

    def close(self) -> None: ...


class MboxSource:
    """An mbox file, read only (--mark is refused: rewriting someone's mbox is not ours to do)."""

    def __init__(self, path: Path) -> None:
        self.name = display_path(path, Path.cwd())
        if not path.is_file():
            raise DossierError(_("{name}: no such mbox file").format(name=self.name))
        with path.open("rb") as head:
            start = head.read(5)
        if start and start != b"From ":
            raise DossierError(_("{name}: not an mbox file (it must start with a 'From ' line): give a mailbox "
                                 "exported as mbox, or a Maildir folder with --maildir").format(name=self.name))
        self._box = mailbox.mbox(path, create=False)

    def messages(self) -> Iterator[MailboxMessage]:
        for index, key in enumerate(self._box.iterkeys(), start=1):
            yield MailboxMessage(f"{self.name}#{index}", self._box.get_bytes(key), str(key))

    def mark(self, message: MailboxMessage) -> None:
        raise AssertionError("mbox files are read only")

    def close(self) -> None:
        self._box.close()


class MaildirSource:
    """A Maildir folder (new/ and cur/); --mark moves a message to cur/ with the Seen flag."""

    def __init__(self, path: Path) -> None:
        self.name = display_path(path, Path.cwd())
        if not all((path / sub).is_dir() for sub in ("new", "cur", "tmp")):
            raise DossierError(_("{name}: not a Maildir folder (it must hold new/, cur/ and tmp/)").format(name=self.name))
        self._box = mailbox.Maildir(path, factory=None, create=False)

    def messages(self) -> Iterator[MailboxMessage]:
        # Sorted: Maildir names start with the delivery time, so this is arrival order.
        for key in sorted(self._box.iterkeys()):
            try:
                raw = self._box.get_bytes(key)
            except (FileNotFoundError, KeyError):  # taken by a mail client meanwhile
                continue
            yield MailboxMessage(f"{self.name}:{key}", raw, key)

    def mark(self, message: MailboxMessage) -> None:
        try:
            stored = self._box[message.key]
            stored.set_subdir("cur")
            stored.add_flag("S")
            self._box[message.key] = stored
        except KeyError:
            pass  # moved by a mail client meanwhile: nothing to mark

    def close(self) -> None:
        self._box.close()
