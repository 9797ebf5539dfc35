"""What one message of the mailbox is: a bounce, an unsubscribe request, a complaint, or for a person.

Invariants: an address is acted on only when the message proves whom it is about —
a token (``tokens``), the VERP address it came back to, the Message-ID or the
X-Dossier-Recipient of a message the ledger records as sent, or an address the bounce
detector (flufl.bounce) names that the ledger sent to. A token that is not honoured
changes nothing, even from a partner's own address. A plain request without a token is
applied only when it comes from an address on a list (the ledger's, or --partners);
anything else is reported for a person, never dropped.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email.header import Header, decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parseaddr

from flufl.bounce import all_failures

from ...i18n import _
from ..tokens import RECIPIENT_HEADER, UNSUBSCRIBE_PREFIX, parse_recipient_header, verp_recipient

TOKEN_IN_TEXT = re.compile(re.escape(UNSUBSCRIBE_PREFIX) + r"([a-z2-7]{20})\b", re.IGNORECASE)
# "désabonnement", "se désinscrire", "unsubscribe", "ne plus recevoir", with or without accents.
PLAIN_REQUEST = re.compile(r"d[ée]s-?(abonn|inscri)|unsubscribe|ne plus recevoir", re.IGNORECASE)
STATUS_CODE = re.compile(r"\b([245])\.\d{1,3}\.\d{1,3}\b")
QUOTE_START = re.compile(r"(a écrit|wrote)\s*:\s*$|^-+ ?(original message|message d'origine|forwarded message)", re.IGNORECASE)
AUTO_REPLY_SUBJECT = re.compile(r"^(out of office|absence|automatic reply|r[ée]ponse automatique|auto:)", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    """What to do with one message; ``action`` is one of ACTIONS."""

    action: str
    why: str
    address: str | None = None
    issue: int | None = None


ACTIONS = ("unsubscribe", "hard bounce", "soft bounce", "complaint", "review", "unclassified", "ignored", "unreadable")


@dataclass
class Known:
    """What the ledger (and the --partners lists) know: who was sent what, and the honoured tokens."""

    tokens: dict[str, tuple[int, str]]  # token → (numéro, address)
    message_ids: dict[str, tuple[int, str]]  # Message-ID → (numéro, address)
    sent: dict[str, list[int]]  # address → numéros sent to it
    listed: set[str] = field(default_factory=set)  # addresses on the --partners lists
    bounce_address: str | None = None

    def latest(self, address: str) -> int | None:
        return max(self.sent.get(address, []), default=None)


def parse(raw: bytes) -> Message:
    """The message, or ValueError when it has no headers at all (not a mail message)."""
    message = email.message_from_bytes(raw)
    if not raw.strip() or not message.keys():
        raise ValueError(_("not a mail message (no header)"))
    return message


def classify(message: Message, known: Known) -> Verdict:
    report_type = message.get_param("report-type", "", header="content-type")
    if message.get_content_type() == "multipart/report" and str(report_type).lower() == "feedback-report":
        return _complaint(message, known)
    bounce = _bounce(message, known)
    if bounce is not None:
        return bounce
    if _is_auto_reply(message):
        sender = parseaddr(header(message, "from"))[1].lower() or None
        return Verdict("ignored", _("automatic reply ({subject!r}): nothing to do").format(subject=header(message, "subject")),
                       sender)
    return _request(message, known)


def _bounce(message: Message, known: Known) -> Verdict | None:
    temporary, permanent = all_failures(message)
    temporary, permanent = {_decode(a) for a in temporary}, {_decode(a) for a in permanent}
    sender = parseaddr(header(message, "from"))[1].lower()
    looks_like = (temporary or permanent or message.get_content_type() == "multipart/report"
                  or sender.split("@")[0] in {"mailer-daemon", "postmaster"} or message.get("x-failed-recipients"))
    if not looks_like:
        return None
    found = _bounced_recipient(message, known, temporary | permanent)
    if found is None:
        named = ", ".join(sorted(temporary | permanent)) or _("no address")
        return Verdict("review", _("a bounce about {named}, not a message the ledger records as sent: left for a person")
                       .format(named=named))
    address, issue, how = found
    code = _status_code(message, address)
    if code and code.startswith("2"):
        return Verdict("ignored", _("a delivery report ({code}: delivered or relayed), not a failure").format(code=code),
                       address, issue)
    if not (temporary or permanent or code):
        return Verdict("review", _("an error report about {address} that says no failure: left for a person").format(
            address=address), address)
    hard = code.startswith("5") if code else (address in permanent or (not temporary and bool(permanent)))
    kind = code or (_("permanent") if hard else _("temporary"))
    detail = _("{kind} failure ({how})").format(kind=kind, how=how)
    return Verdict("hard bounce" if hard else "soft bounce", detail, address, issue)


def _bounced_recipient(message: Message, known: Known, detected: set[str]) -> tuple[str, int | None, str] | None:
    """Whom a bounce is about, from the surest evidence to the least: (address, numéro, how we know).

    The returned headers come first: they also say which numéro's message it was."""
    for returned in _returned_headers(message):
        found = _recipient_from_headers(returned, known)
        if found is not None:
            return found
    if known.bounce_address:
        for name in ("delivered-to", "x-original-to", "envelope-to", "to"):
            for _display_name, value in getaddresses(message.get_all(name, [])):
                address = verp_recipient(known.bounce_address, value)
                if address in known.sent:
                    return address, known.latest(address), _("returned to its VERP address")
    for address in sorted(detected):
        if address in known.sent:
            return address, known.latest(address), _("named by the bounce")
    return None


def _recipient_from_headers(returned: Message, known: Known) -> tuple[str, int | None, str] | None:
    value = returned.get(RECIPIENT_HEADER)
    if value is not None:
        address, issue, recipient_token = parse_recipient_header(str(value))
        if recipient_token and known.tokens.get(recipient_token) == (issue, address):
            return address, issue, _("its {header} token").format(header=RECIPIENT_HEADER)
    message_id = str(returned.get("message-id", "")).strip()
    if message_id in known.message_ids:
        issue, address = known.message_ids[message_id]
        return address, issue, _("its Message-ID in the ledger")
    return None


def _returned_headers(message: Message) -> list[Message]:
    """The headers of the original message inside a bounce or a complaint."""
    found = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind in {"message/rfc822", "message/rfc822-headers"} and part.is_multipart():
            found.extend(p for p in part.get_payload() if isinstance(p, Message))
        elif kind == "text/rfc822-headers":
            payload = part.get_payload(decode=True) or b""
            found.append(email.message_from_bytes(payload))
    return found


def _status_code(message: Message, address: str) -> str | None:
    """The DSN status (5.1.1) of ``address``'s block, if the bounce has one."""
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status" or not part.is_multipart():
            continue
        for block in part.get_payload():
            recipients = " ".join(str(block.get(h, "")) for h in ("final-recipient", "original-recipient")).lower()
            match = STATUS_CODE.search(str(block.get("status", "")))
            if match and address in recipients:
                return match.group(0)
    return None


def _complaint(message: Message, known: Known) -> Verdict:
    for returned in _returned_headers(message):
        found = _recipient_from_headers(returned, known)
        if found is not None:
            address, issue, how = found
            return Verdict("complaint", _("marked as spam (feedback report; {how})").format(how=how), address, issue)
    return Verdict("review", _("a spam complaint about a message the ledger does not know: left for a person"))


def _request(message: Message, known: Known) -> Verdict:
    subject = header(message, "subject")
    sender = parseaddr(header(message, "from"))[1].lower()
    match = TOKEN_IN_TEXT.search(subject)
    if match:
        found = known.tokens.get(match.group(1).lower())
        if found is None:
            return Verdict("ignored", _("an unsubscribe token that is not honoured (forged, from a test copy, or for a "
                                        "message never sent): nothing changed"), sender or None)
        issue, address = found
        via = "" if sender == address else _(", sent from {sender}").format(sender=sender or _("an unknown address"))
        return Verdict("unsubscribe", _("unsubscribe link of numéro {issue} (its token){via}").format(issue=issue, via=via),
                       address, issue)
    if PLAIN_REQUEST.search(subject) or PLAIN_REQUEST.search(_first_text(message)):
        if sender in known.sent or sender in known.listed:
            return Verdict("unsubscribe", _("asked by mail from their own address"), sender, known.latest(sender))
        return Verdict("review", _("asks to unsubscribe, but {sender} is on no list: left for a person").format(
            sender=sender or _("the sender")), sender or None)
    return Verdict("unclassified", _("neither a bounce nor an unsubscribe request ({subject!r}): left for a person").format(
        subject=subject), sender or None)


def _is_auto_reply(message: Message) -> bool:
    auto = str(message.get("auto-submitted", "no")).strip().lower()
    return auto != "no" or "x-autoreply" in message or bool(AUTO_REPLY_SUBJECT.match(header(message, "subject")))


def _first_text(message: Message, limit: int = 2000) -> str:
    """The writer's own words at the start of the first text/plain part: quoted text (our footer says
    "Pour ne plus recevoir ces dossiers…") and anything after "… a écrit :" are not a request."""
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.is_multipart():
            payload = part.get_payload(decode=True) or b""
            text = _decoded(payload[:limit * 4], part.get_content_charset())[:limit]
            own = []
            for line in text.splitlines():
                if QUOTE_START.search(line):
                    break
                if not line.lstrip().startswith(">"):
                    own.append(line)
            return "\n".join(own)
    return ""


def header(message: Message, name: str) -> str:
    """A header's text, encoded words decoded (=?utf-8?q?D=C3=A9sabonnement?=), '' when absent."""
    value = message.get(name)
    if value is None:
        return ""
    if isinstance(value, Header):  # raw 8-bit text (common, though not allowed): read as UTF-8
        text = "".join(chunk.decode("utf-8", "replace") if isinstance(chunk, bytes) else chunk
                       for chunk, _charset in decode_header(value))
    else:
        text = str(value)
    try:
        return " ".join(str(make_header(decode_header(text))).split())
    except (LookupError, UnicodeError, ValueError):
        return " ".join(text.split())


def _decoded(data: bytes, charset: str | None) -> str:
    try:
        return data.decode(charset or "utf-8", "replace")
    except LookupError:  # a charset Python does not know
        return data.decode("utf-8", "replace")


def _decode(address: bytes) -> str:
    return address.decode("ascii", "replace").lower()
