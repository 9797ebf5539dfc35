"""The delivery ledger: which partner was sent which numéro, so nobody is mailed twice.

One SQLite file per project (``.dossier/deliveries.sqlite`` by default), keyed by
numéro and lower-cased address. A message is recorded (and committed to disk) as
soon as the server has accepted it, so an interrupted run resumes with the rest.
The same file holds the suppression list (``suppression``): schema 1 files are
migrated in place when opened for writing; read-only, they read as an empty list.

A message is *uncertain* when the connection was lost after the whole message had gone
and before the server's reply: the server may have stored it. It is kept apart
(``uncertain``) and never sent again unless asked (``--retry-uncertain``); a later
success or refusal replaces it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import DossierError
from ..i18n import _
from .suppression import SUPPRESSION_SCHEMA

DEFAULT_LEDGER = Path(".dossier") / "deliveries.sqlite"
SCHEMA_VERSION = 3  # 1: deliveries; 2: + the suppression list, soft bounces, messages read by `dossier inbox`; 3: + uncertain
SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    issue        INTEGER NOT NULL,
    address      TEXT    NOT NULL,   -- lower-cased: addresses compare case-insensitively
    status       TEXT    NOT NULL CHECK (status IN ('sent', 'failed')),
    message_id   TEXT,               -- of the accepted message
    at           TEXT    NOT NULL,   -- UTC, ISO 8601
    reply        TEXT,               -- the server's refusal, for failures
    partner_list TEXT,               -- the list it came from, for the record
    PRIMARY KEY (issue, address)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uncertain (
    issue        INTEGER NOT NULL,
    address      TEXT    NOT NULL,   -- lower-cased
    message_id   TEXT    NOT NULL,   -- of the message the server may have stored
    at           TEXT    NOT NULL,
    reply        TEXT,               -- how the connection was lost
    partner_list TEXT,
    PRIMARY KEY (issue, address)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Delivery:
    issue: int
    address: str
    status: str  # "sent", "failed" or "uncertain"
    message_id: str | None
    at: str
    reply: str | None
    partner_list: str | None


class LedgerBusy(DossierError):
    pass


class Ledger:
    """A connection to the ledger file; ``Ledger.open`` creates it, ``Ledger.read`` only reads."""

    def __init__(self, path: Path, connection: sqlite3.Connection | None, shown: str | None = None) -> None:
        self.path = path
        self.shown = shown or str(path)
        self._db = connection  # None: the file does not exist yet, nothing was ever sent

    @classmethod
    def open(cls, path: Path, shown: str | None = None) -> Ledger:
        """Open for recording deliveries, creating the file (and its folder) if needed."""
        path.parent.mkdir(parents=True, exist_ok=True)
        db = _connect(shown or str(path), f"{path.resolve().as_uri()}?mode=rwc")
        try:
            # WAL + FULL: each commit is on disk before the next message goes, at a small cost.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            _check_version(shown or str(path), db)
            # Every table is "IF NOT EXISTS": creating the missing ones is the whole migration.
            db.executescript(SCHEMA + SUPPRESSION_SCHEMA)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            db.close()
            raise not_a_ledger(shown or str(path), exc) from None
        return cls(path, db, shown)

    @classmethod
    def read(cls, path: Path, shown: str | None = None) -> Ledger:
        """Open read-only (dry run, --status); a missing file reads as an empty ledger."""
        if not path.exists():
            return cls(path, None, shown)
        db = _connect(shown or str(path), f"{path.resolve().as_uri()}?mode=ro")
        try:
            _check_version(shown or str(path), db)
        except BaseException:
            db.close()
            raise
        return cls(path, db, shown)

    @property
    def db(self) -> sqlite3.Connection | None:
        """The connection, for the suppression list's queries; None when the file does not exist yet."""
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def deliveries(self, issue: int) -> dict[str, Delivery]:
        """Every record for a numéro, by lower-cased address."""
        if self._db is None:
            return {}
        try:
            rows = self._db.execute(
                "SELECT issue, address, status, message_id, at, reply, partner_list FROM deliveries WHERE issue = ?",
                (issue,),
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise not_a_ledger(self.shown, exc) from None
        found = {row[1]: Delivery(*row) for row in rows}
        for row in self._uncertain(issue):  # newer than a failure (recording one clears it), never than a delivery
            if getattr(found.get(row[1]), "status", None) != "sent":
                found[row[1]] = Delivery(row[0], row[1], "uncertain", *row[2:])
        return found

    def _uncertain(self, issue: int) -> list[tuple]:
        assert self._db is not None
        try:
            return self._db.execute(
                "SELECT issue, address, message_id, at, reply, partner_list FROM uncertain WHERE issue = ?", (issue,)
            ).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []  # a schema 2 file read without writing: nothing was ever uncertain in it
            raise not_a_ledger(self.shown, exc) from None
        except sqlite3.DatabaseError as exc:
            raise not_a_ledger(self.shown, exc) from None

    def record_sent(self, issue: int, address: str, message_id: str, partner_list: str | None) -> None:
        """Record an accepted message; committed before returning."""
        assert self._db is not None, "ledger opened read-only"
        try:
            self._record_sent(issue, address, message_id, partner_list)
        except sqlite3.Error as exc:
            # The server has the message but the ledger does not know: stop before sending more.
            raise DossierError(_(
                "{ledger}: could not record the message to {address} that the server accepted ({error}): sending "
                "stopped; fix the cause (disk full?) — the next run will send it to {address} again"
            ).format(ledger=self.shown, address=address, error=exc)) from None

    def _record_sent(self, issue: int, address: str, message_id: str, partner_list: str | None) -> None:
        assert self._db is not None
        with self._db:
            self._db.execute("DELETE FROM uncertain WHERE issue = ? AND address = ?", (issue, address.lower()))
            self._db.execute(
                "INSERT INTO deliveries (issue, address, status, message_id, at, reply, partner_list)"
                " VALUES (?, ?, 'sent', ?, ?, NULL, ?)"
                " ON CONFLICT (issue, address) DO UPDATE SET status = 'sent', message_id = excluded.message_id,"
                " at = excluded.at, reply = NULL, partner_list = excluded.partner_list"
                " WHERE deliveries.status != 'sent'",
                (issue, address.lower(), message_id, _now(), partner_list),
            )

    def record_failed(self, issue: int, address: str, reply: str, partner_list: str | None) -> None:
        """Record a refusal; never overwrites a delivery."""
        assert self._db is not None, "ledger opened read-only"
        with _write_errors(self.shown), self._db:
            self._db.execute("DELETE FROM uncertain WHERE issue = ? AND address = ?", (issue, address.lower()))
            self._db.execute(
                "INSERT INTO deliveries (issue, address, status, message_id, at, reply, partner_list)"
                " VALUES (?, ?, 'failed', NULL, ?, ?, ?)"
                " ON CONFLICT (issue, address) DO UPDATE SET at = excluded.at, reply = excluded.reply,"
                " partner_list = excluded.partner_list WHERE deliveries.status = 'failed'",
                (issue, address.lower(), _now(), reply, partner_list),
            )


    def record_uncertain(self, issue: int, address: str, message_id: str, reply: str, partner_list: str | None) -> None:
        """Record a message the server may have stored (the connection lost after its end); committed before returning."""
        assert self._db is not None, "ledger opened read-only"
        with _write_errors(self.shown), self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO uncertain (issue, address, message_id, at, reply, partner_list)"
                " VALUES (?, ?, ?, ?, ?, ?)", (issue, address.lower(), message_id, _now(), reply, partner_list))


@contextmanager
def _write_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise DossierError(_("{ledger}: cannot write to the delivery ledger ({error}): sending stopped").format(
            ledger=path, error=exc)) from None


@contextmanager
def sending_lock(ledger_path: Path, shown: str) -> Iterator[None]:
    """Only one sending run per ledger at a time: two would mail the same partners.

    The operating system's lock on a file beside the ledger (``deliveries.sqlite.lock``,
    through filelock): released when the run ends, or by the system if the process dies.
    """
    ledger_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(ledger_path.with_name(ledger_path.name + ".lock"), mode=0o600)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise LedgerBusy(_("{ledger}: another 'dossier send' is sending with this ledger: wait for it to finish").format(
            ledger=shown)) from None
    try:
        yield
    finally:
        lock.release()


def _connect(shown: str, uri: str) -> sqlite3.Connection:
    try:
        # Used from the sending's recording thread too, one thread at a time (mail/recording.py).
        db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level="DEFERRED", check_same_thread=False)
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise not_a_ledger(shown, exc) from None
    return db


def _check_version(shown: str, db: sqlite3.Connection) -> None:
    (version,) = db.execute("PRAGMA user_version").fetchone()
    if version > SCHEMA_VERSION:
        raise DossierError(_(
            "{ledger}: this delivery ledger was written by a newer version of dossier (schema {version}, this one "
            "knows {known}): update dossier (scripts/install) before sending"
        ).format(ledger=shown, version=version, known=SCHEMA_VERSION))


def not_a_ledger(shown: str, exc: Exception) -> DossierError:
    # Never advise to delete or move it: without the ledger every partner would be mailed again.
    keep = _("do not delete or move it: it records who was sent what, and without it every partner would be mailed again")
    text = str(exc)
    # SQLite's own words, in English: the usual ones said in the run's language.
    error = {"file is not a database": _("not a database file"),
             "database disk image is malformed": _("its pages are damaged")}.get(text, text)
    if "readonly" in text or "unable to open" in text:
        return DossierError(_("{ledger}: cannot write to the delivery ledger ({error}): make the file and its folder "
                              "writable; {keep}").format(ledger=shown, error=error, keep=keep))
    return DossierError(_("{ledger}: the delivery ledger is damaged ({error}): restore it from a backup; {keep}").format(
        ledger=shown, error=error, keep=keep))


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
