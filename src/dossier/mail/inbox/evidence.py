"""What ties a message of the mailbox to a message the ledger records as sent: the only ground for acting.

Evidence, from the surest (it also says which numéro) to the least:

- the returned headers of our message (message/rfc822, text/rfc822-headers,
  message/global-headers parts, or a plain-text bounce's copy): its X-Dossier-Recipient
  token, honoured, or its Message-ID, in the ledger;
- the message's own In-Reply-To or References naming a Message-ID of the ledger;
- the tagged VERP address it was delivered to, whose HMAC tag verifies with DOSSIER_SECRET.

Each names the address the ledger sent to, never the one the message claims. An address
a bounce merely names (Final-Recipient, X-Failed-Recipients, an untagged VERP address)
is a claim: ``claims`` collects them for the person who reviews the message.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses

from ...i18n import _
from ..tokens import RECIPIENT_HEADER, parse_recipient_header, signed_verp_recipient, verp_recipient
from .parse import header

RETURNED = {"message/rfc822", "message/global", "message/rfc822-headers", "text/rfc822-headers",
            "message/global-headers"}
DELIVERED_TO = ("delivered-to", "x-original-to", "envelope-to", "to")
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
_COPIED_HEADER = re.compile(r"(?im)^(message-id|x-dossier-recipient)[ \t]*:[ \t]*(.{1,300})$")


@dataclass
class Known:
    """What the ledger (and the --partners lists) know: who was sent what, and the honoured tokens."""

    tokens: dict[str, tuple[int, str]]  # token → (numéro, address)
    message_ids: dict[str, tuple[int, str]]  # Message-ID → (numéro, address)
    sent: dict[str, list[int]]  # address → numéros sent to it
    listed: set[str] = field(default_factory=set)  # addresses on the --partners lists
    bounce_address: str | None = None
    secret: bytes | None = field(default=None, repr=False)
    footers: tuple[str, ...] = ()  # our footer's words, in each language (``request``)

    def latest(self, address: str) -> int | None:
        return max(self.sent.get(address, []), default=None)


@dataclass(frozen=True)
class Evidence:
    address: str  # as the ledger has it
    issue: int | None
    how: str  # what ties the message to ours, for the report


def returned_evidence(message: Message, text: str, known: Known) -> Evidence | None:
    """Evidence from the returned copy of our message (headers in a part, or copied into the text)."""
    for returned in returned_headers(message):
        found = _from_headers(header(returned, RECIPIENT_HEADER), header(returned, "message-id"), known)
        if found is not None:
            return found
    copied: dict[str, list[str]] = {}
    for name, value in _COPIED_HEADER.findall(text):
        copied.setdefault(name.lower(), []).append(value.strip())
    for value in copied.get("x-dossier-recipient", []):
        found = _from_headers(value, "", known)
        if found is not None:
            return found
    for value in copied.get("message-id", []):
        found = _from_headers("", value, known)
        if found is not None:
            return found
    return None


def reply_evidence(message: Message, known: Known) -> Evidence | None:
    """Evidence from In-Reply-To or References: the message answers one of ours."""
    for name in ("in-reply-to", "references"):
        for message_id in _MESSAGE_ID.findall(header(message, name)):
            if message_id in known.message_ids:
                issue, address = known.message_ids[message_id]
                return Evidence(address, issue, _("in reply to numéro {issue}'s message {message_id} in the ledger").format(
                    issue=issue, message_id=message_id))
    return None


def verp_evidence(message: Message, known: Known) -> Evidence | None:
    """Evidence from the tagged VERP address the message was delivered to."""
    if not known.bounce_address:
        return None
    for name in DELIVERED_TO:
        for _display_name, value in getaddresses([header(message, name)]):
            address = signed_verp_recipient(known.bounce_address, value, known.secret)
            if address is not None and address in known.sent:
                return Evidence(address, known.latest(address), _("returned to its signed VERP address"))
    return None


def unsigned_verp(message: Message, known: Known) -> list[str]:
    """Addresses named by untagged VERP addresses the message went to: claims, not evidence."""
    if not known.bounce_address:
        return []
    named = (verp_recipient(known.bounce_address, value)
             for name in DELIVERED_TO for _display_name, value in getaddresses([header(message, name)]))
    return sorted({address for address in named if address})


def returned_headers(message: Message) -> list[Message]:
    """The headers of the original message inside a bounce or a complaint."""
    found = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind not in RETURNED:
            continue
        if part.is_multipart():
            found.extend(p for p in part.get_payload() if isinstance(p, Message))
        else:  # headers only (text/rfc822-headers), or a part the parser kept as text
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                found.append(email.message_from_bytes(payload[:65536]))
    return found


def _from_headers(recipient: str, message_id: str, known: Known) -> Evidence | None:
    if recipient:
        address, issue, recipient_token = parse_recipient_header(recipient)
        if recipient_token and known.tokens.get(recipient_token.lower()) == (issue, address):
            return Evidence(address, issue, _("its {header} token, numéro {issue}").format(header=RECIPIENT_HEADER,
                                                                                         issue=issue))
    for candidate in _MESSAGE_ID.findall(message_id):
        if candidate in known.message_ids:
            issue, address = known.message_ids[candidate]
            return Evidence(address, issue, _("its Message-ID {message_id} in the ledger, numéro {issue}").format(
                message_id=candidate, issue=issue))
    return None

