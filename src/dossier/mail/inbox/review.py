"""The « à vérifier » list: messages ``dossier inbox`` did not act on, for a person to confirm or dismiss.

It lives in the ledger's SQLite file (table ``inbox_review``), beside the suppression list
it may change, so a confirmation and its record are committed together. Invariants:

- a message is listed once (by the key ``inbox_seen`` uses); reading it again shows its number;
- confirming applies only what was proposed (unsubscribe, bounce, complaint) to the
  address recorded, with the confirmation as the suppression's source; dismissing changes
  no address; either way the message then reads as already read, and a decided entry
  cannot be decided again;
- a ledger without the table (older, or opened read-only) has an empty list.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from ...errors import DossierError
from ...i18n import N_, _, moment, ngettext
from ..ledger import Ledger
from ..suppression import SuppressionList, reason_label
from .classify import Verdict

REASONS = {"unsubscribe": "unsubscribed", "hard bounce": "bounced", "complaint": "complained"}
PROPOSALS = {"unsubscribe": N_("unsubscribe {address}"), "hard bounce": N_("suppress {address} as bounced"),
             "complaint": N_("suppress {address} as complained")}
COLUMNS = "id, message_key, at, place, sender, subject, address, proposal, issue, why, excerpt, status"


@dataclass(frozen=True)
class Pending:
    id: int
    message_key: str
    at: str
    place: str
    sender: str | None
    subject: str | None
    address: str | None
    proposal: str | None
    issue: int | None
    why: str
    excerpt: str | None
    status: str

    def lines(self) -> list[str]:
        subject = _('"{subject}"').format(subject=self.subject or "")  # « … » in French
        out = [f"  #{self.id}  {moment(self.at)}  {self.place}  {self.sender or '-'}  {subject}"]
        if self.excerpt:
            out.append("      " + _('says: "{excerpt}"').format(excerpt=self.excerpt))
        out.append("      " + _("why: {why}").format(why=self.why))
        if self.proposal and self.address:
            proposal = _(PROPOSALS[self.proposal]).format(address=self.address)
            out.append("      " + _("--confirm {id}: {proposal}; --dismiss {id}: change nothing").format(
                id=self.id, proposal=proposal))
        else:
            out.append("      " + _("nothing to confirm (no address to act on): --dismiss {id} once read").format(id=self.id))
        return out


def add(book: Ledger, key: str, place: str, sender: str | None, subject: str, verdict: Verdict, excerpt: str) -> int:
    """List a message for review (inside the caller's transaction); its number, the same when it was listed before."""
    assert book.db is not None
    book.db.execute(
        "INSERT OR IGNORE INTO inbox_review (message_key, at, place, sender, subject, address, proposal, issue, why, "
        "excerpt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (key, _now(), place, sender, subject, verdict.address if verdict.proposal else None, verdict.proposal,
         verdict.issue, verdict.why, excerpt or None))
    return book.db.execute("SELECT id FROM inbox_review WHERE message_key = ?", (key,)).fetchone()[0]


def pending(book: Ledger) -> list[Pending]:
    return [entry for entry in _entries(book, "status = 'pending'")]


def listing(book: Ledger) -> str:
    entries = pending(book)
    if not entries:
        return _("nothing to review in {ledger}").format(ledger=book.shown)
    out = [ngettext("{count} message to review (à vérifier) in {ledger}:", "{count} messages to review (à vérifier) "
                    "in {ledger}:", len(entries)).format(count=len(entries), ledger=book.shown)]
    for entry in entries:
        out += entry.lines()
    return "\n".join(out)


def decide(book: Ledger, ids: Iterable[int], confirm: bool) -> list[str]:
    """Confirm (apply the proposal) or dismiss each entry, each in its own transaction; what was done, line by line."""
    stops = SuppressionList(book)
    out = []
    for number in ids:
        found = _entries(book, "id = ?", (number,))
        if not found:
            raise DossierError(_("#{id}: no such message in the review list (dossier inbox --review lists them)").format(
                id=number))
        entry = found[0]
        if entry.status != "pending":
            out.append(_("#{id}: already {status}: nothing changed").format(id=number, status=_(STATUS_LABELS[entry.status])))
            continue
        if confirm and not (entry.proposal and entry.address):
            raise DossierError(_("#{id}: nothing to confirm (no address to act on): dismiss it with --dismiss {id}, or "
                                 "suppress an address with dossier unsubscribe").format(id=number))
        with stops.transaction():
            if confirm:
                assert entry.proposal is not None and entry.address is not None
                source = f"dossier inbox --confirm {number}: {entry.place} {entry.message_key}"
                done = stops.suppress(entry.address, REASONS[entry.proposal], source, entry.why)
                previous = None if done else stops.get(entry.address)
                line = (_("#{id}: {address}: {why}").format(id=number, address=entry.address,
                                                          why=reason_label(REASONS[entry.proposal])) if done else
                        _("#{id}: {address}: already suppressed ({why} since {at})").format(
                            id=number, address=entry.address, why=reason_label(previous.why), at=previous.at))
            else:
                line = _("#{id}: dismissed: nothing changed").format(id=number)
            status = "confirmed" if confirm else "dismissed"
            book.db.execute("UPDATE inbox_review SET status = ?, decided_at = ? WHERE id = ?", (status, _now(), number))
            stops.mark_seen(entry.message_key, status)
        out.append(line)
    return out


STATUS_LABELS = {"pending": N_("pending"), "confirmed": N_("confirmed"), "dismissed": N_("dismissed")}


def _entries(book: Ledger, where: str, args: tuple = ()) -> list[Pending]:
    if book.db is None:
        return []
    try:
        rows = book.db.execute(f"SELECT {COLUMNS} FROM inbox_review WHERE {where} ORDER BY id", args).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise
    return [Pending(*row) for row in rows]


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
