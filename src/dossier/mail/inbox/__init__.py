"""``dossier inbox``: read the Chaire's mailbox and keep the suppression list up to date.

Modules: ``sources`` (mbox, Maildir) and ``imap`` read the head of each message;
``parse`` reads it (bounded work); ``evidence`` ties it to a message we sent;
``request`` reads a partner's words; ``classify`` decides; ``review`` keeps the
« à vérifier » list; ``report`` says what was done and why. Invariants:

- each message is decided and applied in one ledger transaction, together with the
  record that it was read: a run stopped midway has applied exactly what it reports,
  and a message read before (same Message-ID, else same bytes) changes nothing;
- a message that cannot be parsed is reported and skipped; one that cannot be tied to
  a message we sent, or whose words are not surely a request, goes to the review list
  (``review``) for a person to confirm or dismiss; none is dropped silently;
- the mailbox is read only; --mark flags the messages used as seen (Maildir, IMAP).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from email.message import Message
from pathlib import Path

from ...errors import DossierError
from ...files import display_path
from ...i18n import _, moment
from ...manifest.load import load_publication
from ...manifest.mail_settings import ImapSettings
from ...project import Project
from ..ledger import Ledger
from ..manage import project_ledger
from ..partners import load_partners
from ..suppression import SOFT_BOUNCE_LIMIT, SuppressionList, reason_label
from ..tokens import secret_from_environ, token_index
from . import review
from .classify import Verdict, classify
from .evidence import Known
from .imap import ImapSource
from .parse import first_text, header, parse, shown
from .report import Entry, InboxReport
from .request import footers
from .sources import MailboxMessage, MaildirSource, MboxSource, Source

__all__ = ["InboxReport", "read_inbox", "review_inbox"]


def read_inbox(project: Project, *, mbox: Path | None = None, maildir: Path | None = None, folder: str | None = None,
               mark: bool = False, partners_files: Sequence[Path] = (), ledger: Path | None = None) -> InboxReport:
    """Read every message of the mailbox and apply what it asks to the suppression list."""
    if mbox is not None and maildir is not None:
        raise DossierError(_("give one mailbox: --mbox FILE or --maildir DIR (or neither, for IMAP)"))
    if mark and mbox is not None:
        raise DossierError(_("--mark flags messages in a Maildir folder or over IMAP: an mbox file is only read"))
    settings = load_publication(project).mail
    bounce_address = settings.bounce_address
    secret = secret_from_environ()
    listed = {p.key for f in partners_files for p in load_partners(f, display_path(f, Path.cwd()))}
    path, shown = project_ledger(project, ledger)
    source = _open_source(project, settings.imap, mbox, maildir, folder, mark)
    report = InboxReport(source.name, shown)
    try:
        with Ledger.open(path, shown) as book:
            stops = SuppressionList(book)
            known = _known(stops, secret, listed, bounce_address)
            for message in source.messages():
                entry = _handle(message, known, book, stops)
                report.entries.append(entry)
                if mark and entry.used:
                    source.mark(message)
                    report.marked += 1
    finally:
        report.reconnects = getattr(source, "reconnects", 0)
        source.close()
    return report


def _open_source(project: Project, imap: ImapSettings | None, mbox: Path | None, maildir: Path | None,
                 folder: str | None, mark: bool) -> Source:
    if mbox is not None:
        return MboxSource(mbox)
    if maildir is not None:
        return MaildirSource(maildir)
    from ..server import imap_config

    return ImapSource(imap_config(imap, project.root), folder or (imap and imap.folder) or "INBOX", writable=mark)


def review_inbox(project: Project, *, confirm: Sequence[int] = (), dismiss: Sequence[int] = (),
                 ledger: Path | None = None) -> str:
    """The review list (« à vérifier »), after confirming and dismissing the entries given."""
    path, shown_path = project_ledger(project, ledger)
    if not confirm and not dismiss:
        with Ledger.read(path, shown_path) as book:
            return review.listing(book)
    if set(confirm) & set(dismiss):
        raise DossierError(_("#{id}: both --confirm and --dismiss: choose one").format(id=min(set(confirm) & set(dismiss))))
    with Ledger.open(path, shown_path) as book:
        return "\n".join(review.decide(book, confirm, True) + review.decide(book, dismiss, False))


def _known(stops: SuppressionList, secret: bytes | None, listed: set[str], bounce_address: str | None) -> Known:
    sent = stops.sent()
    numeros: dict[str, list[int]] = defaultdict(list)
    for issue, address, _message_id in sent:
        numeros[address].append(issue)
    return Known(
        tokens=token_index(secret, [(issue, address) for issue, address, _message_id in sent]),
        message_ids={message_id: (issue, address) for issue, address, message_id in sent if message_id},
        sent=dict(numeros),
        listed=listed,
        bounce_address=bounce_address,
        secret=secret,
        footers=footers(),
    )


def _handle(message: MailboxMessage, known: Known, book: Ledger, stops: SuppressionList) -> Entry:
    try:
        # The headers first: a message read before costs no more than its Message-ID.
        message_id = header(parse(message.raw, headers_only=True).message, "message-id")
        key = message_id or message.fingerprint
        if stops.seen(key):
            return Entry(message.where, Verdict("ignored", _("read by an earlier run: nothing changed")), "already read")
        parsed = parse(message.raw)
        verdict = classify(parsed.message, known)
    except DossierError:
        raise
    except Exception as exc:  # noqa: BLE001 - untrusted input: a message no parser expected must not stop the run
        why = _("cannot be parsed ({error}): skipped").format(error=shown(f"{type(exc).__name__}: {exc}"))
        return Entry(message.where, Verdict("unreadable", why), "unreadable")
    if parsed.cut:
        verdict = dataclasses.replace(verdict, why=verdict.why + _(" (read: headers and the first {count} parts)").format(
            count=parsed.parts))
    source = f"dossier inbox: {message.where} {message_id}".strip()
    with stops.transaction():
        if verdict.action == "review":
            number = review.add(book, key, message.where, _sender_text(parsed.message), shown(header(parsed.message,
                                "subject")), verdict, shown(first_text(parsed.message), 160))
            return Entry(message.where, verdict, "for review", f"#{number}")
        entry = _apply(message.where, verdict, stops, source)
        if entry.used:
            stops.mark_seen(key, entry.outcome)
    return entry


def _sender_text(message: Message) -> str:
    return shown(header(message, "from"), 120)


def _apply(where: str, verdict: Verdict, stops: SuppressionList, source: str) -> Entry:
    reasons = {"unsubscribe": "unsubscribed", "hard bounce": "bounced", "complaint": "complained"}
    if verdict.action in reasons or verdict.action == "soft bounce":
        assert verdict.address is not None
        previous = stops.get(verdict.address)
        if previous is not None:
            return Entry(where, verdict, "already suppressed", _("{why} since {at}").format(
                why=reason_label(previous.why), at=moment(previous.at)))
    if verdict.action in reasons:
        stops.suppress(verdict.address, reasons[verdict.action], source, verdict.why)
        return Entry(where, verdict, reasons[verdict.action])
    if verdict.action == "soft bounce":
        issue = verdict.issue if verdict.issue is not None else 0
        streak = stops.record_soft_bounce(verdict.address, issue, source, verdict.why)
        if streak >= SOFT_BOUNCE_LIMIT:
            detail = _("{count} numéros in a row refused for now ({why})").format(count=streak, why=verdict.why)
            stops.suppress(verdict.address, "bounced", source, detail)
            return Entry(where, verdict, "bounced", _("{count} temporary failures in a row").format(count=streak))
        return Entry(where, verdict, "soft bounce counted", _("numéro {number}, {count} of {limit} in a row").format(
            number=issue, count=streak, limit=SOFT_BOUNCE_LIMIT))
    outcome = {"unclassified": "not classified"}.get(verdict.action, verdict.action)
    return Entry(where, verdict, outcome)
