"""What one message of the mailbox is, and what may be done about it: evidence before action.

Invariants:

- a bounce or a complaint acts only on evidence (``evidence``) that ties it to a message
  the ledger records as sent, and on the address the ledger sent to; what a bounce merely
  names (Final-Recipient, X-Failed-Recipients, an untagged VERP address) is reported;
- a plain request acts only when its words surely ask (``request``), it comes from the
  partner's own address, and it answers a message the ledger sent to that address;
- an unsubscribe token acts for the numéro and address it was made for, from any address;
- anything short of that is "review" (with the action a person may confirm) or
  "unclassified"; a detector that fails is reported in the verdict, never raised.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email.message import Message
from email.utils import getaddresses

from flufl.bounce import all_failures

from ...i18n import _
from ..tokens import UNSUBSCRIBE_PREFIX
from .evidence import Evidence, Known, reply_evidence, returned_evidence, unsigned_verp, verp_evidence
from .parse import first_text, header, shown
from .request import read_request

__all__ = ["ACTIONS", "Known", "Verdict", "classify"]

TOKEN_IN_TEXT = re.compile(re.escape(UNSUBSCRIBE_PREFIX) + r"([a-z2-7]{20})\b", re.IGNORECASE)
STATUS_CODE = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
AUTO_REPLY_SUBJECT = re.compile(r"^(out of office|absence|automatic reply|r[ée]ponse automatique|auto:)", re.IGNORECASE)
ADDRESS = re.compile(r"[^\s<>;,:\"'()\[\]]+@[\w.-]+\.\w+")


@dataclass(frozen=True)
class Verdict:
    """What to do with one message; ``action`` is one of ACTIONS.

    For "review", ``proposal`` is what a person's confirmation would do ("unsubscribe",
    "hard bounce", "complaint") to ``address``, None when there is nothing to confirm."""

    action: str
    why: str
    address: str | None = None
    issue: int | None = None
    proposal: str | None = None


ACTIONS = ("unsubscribe", "hard bounce", "soft bounce", "complaint", "review", "unclassified", "ignored", "unreadable")


def classify(message: Message, known: Known) -> Verdict:
    report_type = str(message.get_param("report-type", "", header="content-type")).lower()
    if message.get_content_type() == "multipart/report" and report_type == "feedback-report":
        return _complaint(message, known)
    bounce = _bounce(message, known)
    if bounce is not None:
        return bounce
    sender = _sender(message)
    if _is_auto_reply(message):
        return Verdict("ignored", _('automatic reply ("{subject}"): nothing to do').format(
            subject=shown(header(message, "subject"))), sender)
    return _request(message, known, sender)


def _bounce(message: Message, known: Known) -> Verdict | None:
    temporary, permanent, failed = _failures(message)
    sender = _sender(message) or ""
    looks_like = (temporary or permanent or message.get_content_type() == "multipart/report" or failed
                  or sender.split("@")[0] in {"mailer-daemon", "postmaster"} or message.get("x-failed-recipients"))
    if not looks_like:
        return None
    text = _texts(message)
    evidence = returned_evidence(message, text, known) or reply_evidence(message, known) or verp_evidence(message, known)
    if evidence is None:
        return _unproven_bounce(message, known, temporary, permanent, sender, failed)
    code = _status_code(message, evidence.address)
    if code and code.startswith("2"):
        return Verdict("ignored", _("a delivery report ({code}: delivered or relayed), not a failure").format(code=code)
                       + failed, evidence.address, evidence.issue)
    if not (temporary or permanent or code):
        return Verdict("review", _("an error report about {address} that says no failure ({how}){failed}").format(
            address=evidence.address, how=evidence.how, failed=failed), evidence.address, evidence.issue, "hard bounce")
    hard = code.startswith("5") if code else (evidence.address in permanent or (not temporary and bool(permanent)))
    kind = code or (_("permanent") if hard else _("temporary"))
    detail = _("{kind} failure; evidence: {how}").format(kind=kind, how=evidence.how) + failed
    return Verdict("hard bounce" if hard else "soft bounce", detail, evidence.address, evidence.issue)


def _unproven_bounce(message: Message, known: Known, temporary: set[str], permanent: set[str], sender: str,
                     failed: str) -> Verdict:
    named = sorted(temporary | permanent | set(_final_recipients(message)) | set(_failed_recipients(message)))
    verp = unsigned_verp(message, known)
    claims = sorted(set(named) | set(verp))
    listing = ", ".join(claims) or _("no address")
    why = _("a bounce from {sender} about {named}, not tied to a message the ledger records as sent (no Message-ID "
            "of the ledger, no honoured token, no signed VERP address)").format(sender=sender or "?", named=listing)
    if verp:
        why += _("; an unsigned VERP address ({address}) is no evidence: anybody can write to it").format(
            address=", ".join(verp))
    candidate = claims[0] if len(claims) == 1 else None
    if temporary and not permanent:
        return Verdict("ignored", why + _(": a temporary failure, nothing counted") + failed, candidate)
    return Verdict("review", why + failed, candidate, None, "hard bounce")


def _failures(message: Message) -> tuple[set[str], set[str], str]:
    """flufl.bounce's temporary and permanent failures; a detector that fails is reported, not raised."""
    try:
        temporary, permanent = all_failures(message)
    except Exception as exc:  # noqa: BLE001 - a third-party heuristic on untrusted input
        return set(), set(), _(" (the bounce detector failed: {error})").format(error=f"{type(exc).__name__}: {exc}")
    decode = lambda address: address.decode("utf-8", "replace").lower()  # noqa: E731
    return {decode(a) for a in temporary}, {decode(a) for a in permanent}, ""


def _status_blocks(message: Message) -> list[Message]:
    """The per-recipient blocks of a DSN's status part (message/delivery-status, or RFC 6533's UTF-8 one).

    The parser splits the first into blocks; the second it reads as one message whose body
    holds the blocks after the first: they are split here."""
    blocks: list[Message] = []
    for part in message.walk():
        if part.get_content_type() not in {"message/delivery-status", "message/global-delivery-status"}:
            continue
        for block in part.get_payload() if part.is_multipart() else []:
            if not isinstance(block, Message):
                continue
            blocks.append(block)
            rest = block.get_payload(decode=True) if not block.is_multipart() else None
            if isinstance(rest, bytes) and rest.strip():
                text = rest[:65536].decode("utf-8", "replace").replace("\r\n", "\n")
                blocks += [email.message_from_string(chunk) for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    return blocks


def _final_recipients(message: Message) -> list[str]:
    return [address for block in _status_blocks(message)
            for address in ADDRESS.findall(header(block, "final-recipient").lower())]


def _failed_recipients(message: Message) -> list[str]:
    return ADDRESS.findall(header(message, "x-failed-recipients").lower())


def _status_code(message: Message, address: str) -> str | None:
    """The DSN status (5.1.1) of ``address``'s block, if the bounce has one."""
    for block in _status_blocks(message):
        recipients = " ".join(header(block, h) for h in ("final-recipient", "original-recipient")).lower()
        match = STATUS_CODE.search(header(block, "status"))
        if match and address in recipients:
            return match.group(0)
    return None


def _complaint(message: Message, known: Known) -> Verdict:
    evidence = returned_evidence(message, _texts(message), known) or reply_evidence(message, known)
    if evidence is not None:
        return Verdict("complaint", _("marked as spam (feedback report); evidence: {how}").format(how=evidence.how),
                       evidence.address, evidence.issue)
    return Verdict("review", _("a spam complaint about a message the ledger does not know: left for a person"),
                   None, None, "complaint")


def _request(message: Message, known: Known, sender: str | None) -> Verdict:
    subject = header(message, "subject")
    match = TOKEN_IN_TEXT.search(subject)
    if match:
        found = known.tokens.get(match.group(1).lower())
        if found is None:
            return Verdict("ignored", _("an unsubscribe token that is not honoured (forged, from a test copy, or for a "
                                        "message never sent): nothing changed"), sender)
        issue, address = found
        via = "" if sender == address else _(", sent from {sender}").format(sender=sender or _("an unknown address"))
        return Verdict("unsubscribe", _("unsubscribe link of numéro {issue} (its token){via}").format(issue=issue, via=via),
                       address, issue)
    reading = read_request(subject, first_text(message), known.footers)
    if reading.kind != "none" and _is_bulk(message) and reply_evidence(message, known) is None:
        return Verdict("unclassified", _('a bulk message (List-Unsubscribe, Precedence), not a request ("{subject}"): '
                                         "left for a person").format(subject=shown(subject)), sender)
    if reading.kind == "none":
        return Verdict("unclassified", _('neither a bounce nor an unsubscribe request ("{subject}"): left for a '
                                         "person").format(subject=shown(subject)), sender)
    if reading.kind == "unsure":
        return Verdict("review", _("perhaps a request to unsubscribe, not sure: {why}").format(why=shown(reading.why)),
                       sender, known.latest(sender or ""), "unsubscribe")
    said = shown(reading.said, 80)
    answered = reply_evidence(message, known)
    if sender is None:
        return Verdict("review", _('asks to unsubscribe ("{said}"), but its From names no single address').format(
            said=said), None, None, None)
    if answered is not None and answered.address == sender:
        return Verdict("unsubscribe", _('asked "{said}" from their own address; evidence: {how}').format(
            said=said, how=answered.how), sender, answered.issue)
    return Verdict("review", _('asks to unsubscribe ("{said}"), but {missing}').format(
        said=said, missing=_missing(sender, answered, known)), sender, known.latest(sender), "unsubscribe")


def _missing(sender: str, answered: Evidence | None, known: Known) -> str:
    if answered is not None:
        return _("it answers numéro {issue}'s message to {address}, not to {sender}").format(
            issue=answered.issue, address=answered.address, sender=sender)
    if sender in known.sent:
        return _("it is not in reply to a message the ledger records as sent (no In-Reply-To or References of ours)")
    if sender in known.listed:
        return _("{sender} was never sent a numéro (a partner list has it, the ledger does not)").format(sender=sender)
    return _("{sender} was never sent a numéro and is on no partner list").format(sender=sender)


def _sender(message: Message) -> str | None:
    """The From address, lower-cased; None when From names none, or several."""
    addresses = [address for _name, address in getaddresses([header(message, "from")]) if "@" in address]
    return addresses[0].lower() if len(addresses) == 1 else None


def _is_bulk(message: Message) -> bool:
    """A mailing of its own (another sender's newsletter): its "unsubscribe" is about itself."""
    precedence = header(message, "precedence").lower()
    return "list-unsubscribe" in message or "list-id" in message or precedence in {"bulk", "list", "junk"}


def _is_auto_reply(message: Message) -> bool:
    auto = header(message, "auto-submitted").lower() or "no"
    return auto != "no" or "x-autoreply" in message or bool(AUTO_REPLY_SUBJECT.match(header(message, "subject")))


def _texts(message: Message, limit: int = 65536) -> str:
    """The text parts of a bounce, for a returned copy of our headers written into its text."""
    texts, size = [], 0
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.is_multipart() and size < limit:
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                texts.append(payload[:limit - size].decode("utf-8", "replace"))
                size += len(texts[-1])
    return "\n".join(texts)
