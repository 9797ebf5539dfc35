"""Where ``dossier inbox`` reads messages: an mbox file or a Maildir folder (IMAP: ``imap``).

A source yields the head of each message (its first HEAD_LIMIT bytes: the headers and
the first parts, all that a bounce or a request is read from) with where it is, its
size and a digest of all of it; however big a message, no more than HEAD_LIMIT bytes of
it are held at once. Reading changes nothing. ``mark`` flags a message as seen, for the
sources that have flags.
"""

from __future__ import annotations

import hashlib
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from ...errors import DossierError
from ...files import display_path
from ...i18n import _

HEAD_LIMIT = 1 << 20  # bytes of each message read: a DSN's returned headers come well within it
_CHUNK = 1 << 20


@dataclass(frozen=True)
class MailboxMessage:
    where: str  # as the report names it: bounces.mbox#3, Maildir/new/1700…, INBOX uid 42
    raw: bytes = field(repr=False)  # the first HEAD_LIMIT bytes
    key: str = ""  # the source's own key, for mark()
    size: int = -1  # of the whole message; -1: raw is all of it
    digest: str = ""  # sha256 of the whole message, hex; "" until read_head or hashed from raw

    @property
    def fingerprint(self) -> str:
        """What identifies the message without a Message-ID: the digest of all its bytes."""
        return "sha256:" + (self.digest or hashlib.sha256(self.raw).hexdigest())


def read_head(where: str, stream: BinaryIO | _Span, key: str = "") -> MailboxMessage:
    """A message from a file-like object: its head kept, the rest only hashed (bounded memory)."""
    head = stream.read(HEAD_LIMIT)
    digest = hashlib.sha256(head)
    size = len(head)
    while chunk := stream.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return MailboxMessage(where, head, key, size, digest.hexdigest())


class Source(Protocol):
    name: str

    def messages(self) -> Iterator[MailboxMessage]: ...

    def mark(self, message: MailboxMessage) -> None: ...

    def close(self) -> None: ...


class MboxSource:
    """An mbox file, read only (--mark is refused: rewriting someone's mbox is not ours to do).

    Its messages are found by scanning it in blocks for lines that start with "From ", as
    the standard library's mailbox.mbox splits it (same bytes per message), without its
    line-by-line index (seconds on a message of a million lines)."""

    def __init__(self, path: Path) -> None:
        self.name = display_path(path, Path.cwd())
        if not path.is_file():
            raise DossierError(_("{name}: no such mbox file").format(name=self.name))
        self._file = path.open("rb")
        start = self._file.read(5)
        if start and start != b"From ":
            self._file.close()
            raise DossierError(_("{name}: not an mbox file (it must start with a 'From ' line): give a mailbox "
                                 "exported as mbox, or a Maildir folder with --maildir").format(name=self.name))

    def messages(self) -> Iterator[MailboxMessage]:
        for index, (start, stop) in enumerate(self._spans(), start=1):
            self._file.seek(start)
            self._file.readline()  # the "From " line is the mbox's, not the message's
            yield read_head(f"{self.name}#{index}", _Span(self._file, stop), str(index - 1))

    def _spans(self) -> list[tuple[int, int]]:
        """(start, stop) of each message: from its "From " line to the blank line before the next one."""
        starts, size, tail, position = [], 0, b"", 0
        self._file.seek(0)
        while block := self._file.read(_CHUNK):
            data = tail + block
            offset = position - len(tail)
            if position == 0 and data.startswith(b"From "):
                starts.append(0)
            found = data.find(b"\nFrom ")
            while found != -1:
                if offset + found + 1 not in starts[-1:]:
                    starts.append(offset + found + 1)
                found = data.find(b"\nFrom ", found + 1)
            position += len(block)
            tail = data[-6:]
            size = position
        spans = []
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else size
            self._file.seek(max(end - 2, start))
            blank_before = self._file.read(2) == b"\n\n" and end - 2 >= start
            spans.append((start, end - 1 if blank_before else end))
        return spans

    def mark(self, message: MailboxMessage) -> None:
        raise AssertionError("mbox files are read only")

    def close(self) -> None:
        self._file.close()


class _Span:
    """The bytes of an open file up to ``stop``, read from where it stands."""

    def __init__(self, file: BinaryIO, stop: int) -> None:
        self._file, self._stop = file, stop

    def read(self, size: int) -> bytes:
        left = self._stop - self._file.tell()
        return self._file.read(min(size, left)) if left > 0 else b""


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
                stream = self._box.get_file(key)
            except (FileNotFoundError, KeyError):  # taken by a mail client meanwhile
                continue
            try:
                message = read_head(f"{self.name}:{key}", stream, key)
            finally:
                stream.close()
            yield message

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
