"""One partner's message: the sender, the numéro's sommaire, the PDF attached (or its link), as sent.

The PDF is encoded once for the whole batch and spliced into each message; a
message's bytes are exactly what the dry run writes and what the server receives.
"""

from __future__ import annotations

import secrets
import urllib.parse
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, localtime, make_msgid

from ..manifest.model import Issue
from .partners import Partner
from .templates import MailTemplates, MessageTexts
from .tokens import UNSUBSCRIBE_PREFIX, recipient_header, token, verp_address


@dataclass(frozen=True)
class SommairePart:
    """A line of the sommaire: a part of the numéro, with its themes."""

    title: str
    themes: tuple[str, ...] = ()


def sommaire(issue: Issue) -> list[SommairePart]:
    """The numéro's sommaire as printed (templates/edito.html.j2): parts, and the practices' themes."""
    parts = []
    if issue.practices:
        parts.append(SommairePart("Bonnes pratiques", tuple(theme.theme for theme in issue.practices)))
    if issue.resources:
        parts.append(SommairePart("S'informer & s'outiller"))
    if issue.readings:
        parts.append(SommairePart("Analyse & prospective"))
    parts.extend(SommairePart(page.sommaire) for page in issue.back_pages if page.sommaire)
    return parts


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes = field(repr=False)

    @property
    def size_text(self) -> str:
        """The size as French readers write it: 312 Ko, 1,4 Mo."""
        size = len(self.data)
        if size < 1024 * 1024:
            return f"{max(1, round(size / 1024))}\u00a0Ko"
        return f"{size / 1024 / 1024:.1f}".replace(".", ",") + "\u00a0Mo"


@dataclass(frozen=True)
class Sender:
    """Who the messages come from, resolved from the mail settings and the publication."""

    name: str
    address: str
    reply_to: str | None
    unsubscribe_mailto: str
    bounce_address: str | None = None  # the envelope sender, made per recipient (VERP); else ``address``

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]


@dataclass(frozen=True)
class OutgoingMessage:
    message_id: str
    subject: str
    data: bytes = field(repr=False)
    envelope_from: str | None = None  # MAIL FROM: the VERP bounce address for this recipient


class Composer:
    """Builds the message to one partner; the attachment is encoded once for the whole batch."""

    def __init__(self, issue: Issue, sender: Sender, templates: MailTemplates, *,
                 attachment: Attachment | None, link: str | None, secret: bytes | None = None) -> None:
        self.issue = issue
        self.secret = secret  # DOSSIER_SECRET: per-recipient unsubscribe tokens (``tokens``)
        self.sender = sender
        self.templates = templates
        self.attachment = attachment
        self.link = link
        self.sommaire = sommaire(issue)
        self._attachment_bytes: bytes | None = None
        if attachment is not None:
            part = MIMEPart(policy=SMTP_POLICY)
            part.set_content(attachment.data, maintype="application", subtype="pdf",
                             disposition="attachment", filename=attachment.name)
            self._attachment_bytes = part.as_bytes()

    def texts(self, partner: Partner) -> MessageTexts:
        return self.templates.render(
            partner,
            issue=self.issue,
            publication=self.issue.publication,
            sender=self.sender.name,
            sommaire=self.sommaire,
            link=self.link,
            attachment=self.attachment,
            unsubscribe_mailto=self.sender.unsubscribe_mailto,
        )

    def compose(self, partner: Partner, *, to: str | None = None, subject_prefix: str = "") -> OutgoingMessage:
        """The message to ``partner`` (addressed to ``to`` instead for a test copy), as sent."""
        texts = self.texts(partner)
        recipient = to or partner.email
        # A test copy's token is the test address's: it unsubscribes nobody (never recorded as sent).
        recipient_token = token(self.secret, self.issue.number, recipient) if self.secret else None
        message = EmailMessage(policy=SMTP_POLICY)
        message["From"] = Address(self.sender.name, addr_spec=self.sender.address)
        message["To"] = Address(partner.fields.get("name", ""), addr_spec=to or partner.email)
        message["Subject"] = subject_prefix + texts.subject
        message["Date"] = format_datetime(localtime())
        # Our own domain: make_msgid's default looks up the host name (a DNS query per message).
        message["Message-ID"] = make_msgid(idstring=f"dossier{self.issue.number:02d}", domain=self.sender.domain)
        if self.sender.reply_to:
            message["Reply-To"] = self.sender.reply_to
        # Returned in bounces and complaints, it says whom they are about (with a token when there is a secret).
        message["X-Dossier-Recipient"] = recipient_header(self.issue.number, recipient, recipient_token)
        unsubscribe_subject = f"{UNSUBSCRIBE_PREFIX}{recipient_token}" if recipient_token else "Désinscription"
        mailto = f"mailto:{self.sender.unsubscribe_mailto}?subject={urllib.parse.quote(unsubscribe_subject)}"
        if texts.unsubscribe_url:
            message["List-Unsubscribe"] = f"<{mailto}>, <{texts.unsubscribe_url}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058: one click, no page
        else:
            message["List-Unsubscribe"] = f"<{mailto}>"
        message.set_content(texts.text, subtype="plain", charset="utf-8", cte="quoted-printable")
        message.add_alternative(texts.html, subtype="html", charset="utf-8", cte="quoted-printable")
        # Boundaries given, not left to the generator, which would search every part for a collision.
        # "=_" cannot occur in quoted-printable or base64 text, so a random one is unique.
        message.set_boundary(f"=_alt_{secrets.token_hex(12)}")
        if self._attachment_bytes is None:
            data = message.as_bytes()
        else:
            message.make_mixed()
            boundary = f"=_mix_{secrets.token_hex(12)}"
            message.set_boundary(boundary)
            # The PDF was encoded once for the batch: it is spliced in as the last part, where the
            # generator would have written it, rather than re-encoded for every partner.
            head = message.as_bytes()
            closing = f"--{boundary}--".encode()
            cut = head.rindex(closing)
            data = b"".join((head[:cut], f"--{boundary}\r\n".encode(), self._attachment_bytes, b"\r\n", head[cut:]))
        bounce_address = self.sender.bounce_address
        envelope_from = verp_address(bounce_address, recipient) if bounce_address else self.sender.address
        return OutgoingMessage(str(message["Message-ID"]), str(message["Subject"]), data, envelope_from)
