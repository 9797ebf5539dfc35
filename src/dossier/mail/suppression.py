"""The suppression list: addresses no numéro is sent to any more, whatever a partner list says.

It lives in the ledger's SQLite file (``Ledger.open`` creates its tables: schema 2).
Invariants:

- addresses are stored lower-cased: compared case-insensitively, as in the ledger;
- an address is suppressed once: the first reason and source stay; every act on the
  list, a resubscribe included, is appended to ``suppression_log`` with its source;
- a temporary bounce counts once per numéro, and SOFT_BOUNCE_LIMIT of them for the
  latest numéros sent to the address, in a row, suppress it as bounced;
- a message ``dossier inbox`` read is remembered by its key: reading it again (a second
  run, a replayed copy, after a resubscribe) changes nothing.

A ledger that does not exist, or a schema 1 file opened read-only, reads as an empty list.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import DossierError
from ..i18n import N_, _

if TYPE_CHECKING:
    from .ledger import Ledger

REASONS = ("unsubscribed", "bounced", "complained", "manual")
SOFT_BOUNCE_LIMIT = 3  # temporary failures, one per numéro, in a row
SUPPRESSION_SCHEMA = """
CREATE TABLE IF NOT EXISTS suppressions (
    address TEXT PRIMARY KEY,            -- lower-cased
    why     TEXT NOT NULL CHECK (why IN ('unsubscribed', 'bounced', 'complained', 'manual')),
    at      TEXT NOT NULL,               -- UTC, ISO 8601
    source  TEXT NOT NULL,               -- the message (mailbox and Message-ID) or the command
    detail  TEXT                         -- the reason given, the server's reply
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS suppression_log (
    id      INTEGER PRIMARY KEY,
    address TEXT NOT NULL,
    action  TEXT NOT NULL CHECK (action IN ('suppressed', 'resubscribed')),
    why     TEXT,
    at      TEXT NOT NULL,
    source  TEXT NOT NULL,
    detail  TEXT
);
CREATE TABLE IF NOT EXISTS soft_bounces (
    address TEXT    NOT NULL,
    issue   INTEGER NOT NULL,            -- the numéro whose message was refused for now
    at      TEXT    NOT NULL,
    source  TEXT    NOT NULL,
    detail  TEXT,
    PRIMARY KEY (address, issue)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inbox_seen (
    message_key TEXT PRIMARY KEY,        -- the Message-ID, else a hash of the message
    at          TEXT NOT NULL,
    decision    TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inbox_review (  -- « à vérifier »: messages a person confirms or dismisses (inbox.review)
    id          INTEGER PRIMARY KEY,
    message_key TEXT NOT NULL UNIQUE,    -- as in inbox_seen
    at          TEXT NOT NULL,
    place       TEXT NOT NULL,           -- where it was read: bounces.mbox#3, INBOX uid 42
    sender      TEXT,
    subject     TEXT,
    address     TEXT,                    -- whom a confirmation acts on
    proposal    TEXT CHECK (proposal IN ('unsubscribe', 'hard bounce', 'complaint')),
    issue       INTEGER,
    why         TEXT NOT NULL,           -- why it was not acted on, in the language of the run
    excerpt     TEXT,                    -- the start of the writer's words
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'dismissed')),
    decided_at  TEXT
);
"""


@dataclass(frozen=True)
class Suppression:
    address: str
    why: str
    at: str
    source: str
    detail: str | None


class SuppressionList:
    """The list's queries on an open ledger; writes happen inside ``transaction()``."""

    def __init__(self, ledger: Ledger) -> None:
        self.shown = ledger.shown
        self._db = ledger.db
        self._ready = self._db is not None and self._has_tables()

    def _has_tables(self) -> bool:
        assert self._db is not None
        row = self._query("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'suppressions'")
        return bool(row and row[0][0])

    def _query(self, sql: str, args: Iterable[object] = ()) -> list[tuple]:
        assert self._db is not None
        try:
            return self._db.execute(sql, tuple(args)).fetchall()
        except sqlite3.DatabaseError as exc:
            from .ledger import not_a_ledger

            raise not_a_ledger(self.shown, exc) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Everything inside is committed together, or not at all."""
        assert self._db is not None and self._ready, "ledger opened read-only"
        try:
            with self._db:
                yield
        except sqlite3.Error as exc:
            raise DossierError(_("{ledger}: cannot write to the delivery ledger ({error}): nothing was changed").format(
                ledger=self.shown, error=exc)) from None

    def all(self) -> dict[str, Suppression]:
        """Every suppressed address (lower-cased), oldest first."""
        if not self._ready:
            return {}
        rows = self._query("SELECT address, why, at, source, detail FROM suppressions ORDER BY at, address")
        return {row[0]: Suppression(*row) for row in rows}

    def get(self, address: str) -> Suppression | None:
        if not self._ready:
            return None
        rows = self._query("SELECT address, why, at, source, detail FROM suppressions WHERE address = ?",
                           (address.lower(),))
        return Suppression(*rows[0]) if rows else None

    def suppress(self, address: str, why: str, source: str, detail: str | None = None) -> bool:
        """Suppress ``address``; False (and nothing written) when it already was."""
        assert why in REASONS, why
        if self.get(address) is not None:
            return False
        now = _now()
        self._query("INSERT INTO suppressions VALUES (?, ?, ?, ?, ?)", (address.lower(), why, now, source, detail))
        self._log(address, "suppressed", why, now, source, detail)
        return True

    def resubscribe(self, address: str, source: str) -> Suppression | None:
        """Take ``address`` off the list (and forget its soft bounces); the act is logged. None if it was not on it."""
        previous = self.get(address)
        if previous is None:
            return None
        self._query("DELETE FROM suppressions WHERE address = ?", (address.lower(),))
        self._query("DELETE FROM soft_bounces WHERE address = ?", (address.lower(),))
        self._log(address, "resubscribed", previous.why, _now(), source, None)
        return previous

    def _log(self, address: str, action: str, why: str | None, at: str, source: str, detail: str | None) -> None:
        self._query("INSERT INTO suppression_log (address, action, why, at, source, detail) VALUES (?, ?, ?, ?, ?, ?)",
                    (address.lower(), action, why, at, source, detail))

    def record_soft_bounce(self, address: str, issue: int, source: str, detail: str | None) -> int:
        """Count a temporary failure of ``issue``'s message; return how many numéros in a row failed so."""
        key = address.lower()
        self._query("INSERT OR IGNORE INTO soft_bounces VALUES (?, ?, ?, ?, ?)", (key, issue, _now(), source, detail))
        bounced = {row[0] for row in self._query("SELECT issue FROM soft_bounces WHERE address = ?", (key,))}
        sent = sorted({issue} | {row[0] for row in self._query(
            "SELECT issue FROM deliveries WHERE address = ? AND status = 'sent'", (key,))})
        # The run of consecutive numéros sent to the address, each refused for now, that holds this one.
        start = end = sent.index(issue)
        while start > 0 and sent[start - 1] in bounced:
            start -= 1
        while end + 1 < len(sent) and sent[end + 1] in bounced:
            end += 1
        return end - start + 1

    def seen(self, key: str) -> bool:
        return self._ready and bool(self._query("SELECT 1 FROM inbox_seen WHERE message_key = ?", (key,)))

    def mark_seen(self, key: str, decision: str) -> None:
        self._query("INSERT OR IGNORE INTO inbox_seen VALUES (?, ?, ?)", (key, _now(), decision))

    def sent(self) -> list[tuple[int, str, str | None]]:
        """Every message the ledger records as sent: (numéro, address, Message-ID)."""
        if self._db is None:
            return []
        return [tuple(row) for row in self._query("SELECT issue, address, message_id FROM deliveries WHERE status = 'sent'")]


def skipped_summary(reasons: Iterable[str]) -> str | None:
    """'6 skipped: unsubscribed 3, bounced 2, manual 1', or None when nobody was skipped."""
    counts = Counter(reasons)
    if not counts:
        return None
    ordered = sorted(counts.items(), key=lambda item: (-item[1], REASONS.index(item[0])))
    return _("{count} skipped: {reasons}").format(
        count=sum(counts.values()), reasons=", ".join(f"{reason_label(why)} {n}" for why, n in ordered))


# The reasons as people read them (the ledger stores the English keys).
REASON_LABELS = {"unsubscribed": N_("unsubscribed"), "bounced": N_("bounced"), "complained": N_("complained"),
                 "manual": N_("manual")}


def reason_label(why: str) -> str:
    """Why an address is on the list, in the run's language."""
    return _(REASON_LABELS[why]) if why in REASON_LABELS else why


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
