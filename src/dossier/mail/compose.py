"""One partner's message: the numéro's newsletter, the PDF attached (or its link), as sent.

The PDF is encoded once for the whole batch and spliced into each message; a
message's bytes are exactly what the dry run writes and what the server receives.
The HTML part's styles are written once, in templates/mail/newsletter.css (rendered with
the publication's colours once per mailing), and inlined into each message by css-inline:
mail clients drop linked stylesheets, and many drop <style> too.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import MIMEPart
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, localtime, make_msgid

import css_inline

from ..colours import lightened_for
from ..files import format_size_fr
from ..i18n import N_, translation
from ..manifest.model import Issue
from ..manifest.typography import plain_text, render_markdown
from ..weblinks import edition_url, theme_anchor
from .newsletter import highlights, inline_part
from .partners import Partner
from .signing import DkimSigner, list_id
from .templates import MailTemplates, MessageTexts
from .tokens import UNSUBSCRIBE_PREFIX, recipient_header, token, verp_address
from .unsubscribe import link_token
from .wire import assemble, header


@dataclass(frozen=True)
class SommairePart:
    """A line of the sommaire: a part of the numéro, with its themes, and their anchors in the web edition."""

    title: str
    themes: tuple[str, ...] = ()
    anchor: str = ""
    theme_anchors: tuple[str, ...] = ()


def sommaire(issue: Issue) -> list[SommairePart]:
    """The numéro's sommaire as printed (templates/edito.html.j2): parts, and the practices' themes."""
    words = translation(issue.publication.language).gettext  # the parts' titles, as the templates print them
    parts = []
    if issue.practices:
        parts.append(SommairePart(words(N_("Good practices")), tuple(theme.theme for theme in issue.practices),
                                  "bonnes-pratiques", tuple(theme_anchor(n) for n in range(1, len(issue.practices) + 1))))
    if issue.resources:
        parts.append(SommairePart(words(N_("Get informed & equipped")), anchor="ressources"))
    if issue.readings:
        parts.append(SommairePart(words(N_("Analysis & foresight")), anchor="analyse"))
    parts.extend(SommairePart(page.sommaire, anchor=f"page-{n}")
                 for n, page in enumerate(issue.back_pages, start=1) if page.sommaire)
    return parts


@dataclass(frozen=True)
class WebEdition:
    """The numéro's web edition (``dossier site``) at the publication's site_url."""

    url: str
    pdf_url: str

    def link(self, anchor: str) -> str:
        """The address of an anchor of the edition: a part, a theme or an initiative."""
        return f"{self.url}#{anchor}"


def web_edition(issue: Issue) -> WebEdition | None:
    if not issue.publication.site_url:
        return None
    url = edition_url(issue.publication.site_url, issue.number)
    return WebEdition(url, f"{url}{issue.slug}.pdf")


def edito_lead(issue: Issue) -> str:
    """The édito's first paragraph (Markdown), the newsletter's opening."""
    return issue.edito.split("\n\n", 1)[0].strip()


# The dark background the newsletter's dark mode uses: colours are lightened to read on it.
DARK_BACKGROUND = "#1b1d21"


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes = field(repr=False)

    @property
    def size_text(self) -> str:
        """The size as French readers write it: 312 Ko, 1,4 Mo."""
        return format_size_fr(len(self.data))


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
                 attachment: Attachment | None, link: str | None, secret: bytes | None = None,
                 signer: DkimSigner | None = None) -> None:
        self.issue = issue
        self.signer = signer  # mail.dkim: each message signed as composed
        self.list_id = list_id(issue, sender.domain)
        self.secret = secret  # DOSSIER_SECRET: per-recipient unsubscribe tokens (``tokens``)
        self.sender = sender
        self.templates = templates
        self.attachment = attachment
        self.link = link
        self.sommaire = sommaire(issue)
        self.edition = web_edition(issue)
        self.highlights = highlights(issue, templates.project.root, self.edition)
        # The photos attached when there is no web edition to link them from, encoded once for the batch.
        self._inline_parts = {item.image.cid: inline_part(item.image) for item in self.highlights
                              if item.image and item.image.cid}
        lead = edito_lead(issue)
        self.edito_lead, self.edito_lead_text = render_markdown(lead), plain_text(lead)
        self._inliner = css_inline.CSSInliner(extra_css=self._stylesheet(), keep_at_rules=True,
                                              load_remote_stylesheets=False)
        # The headers that are the same for every partner, folded once.
        self._from = header("From", str(Address(sender.name, addr_spec=sender.address)))
        self._reply_to_and_list_id = (header("Reply-To", sender.reply_to) if sender.reply_to else b"") + header(
            "List-Id", self.list_id)
        self._attachment_bytes: bytes | None = None
        if attachment is not None:
            part = MIMEPart(policy=SMTP_POLICY)
            part.set_content(attachment.data, maintype="application", subtype="pdf",
                             disposition="attachment", filename=attachment.name)
            self._attachment_bytes = part.as_bytes()

    def _stylesheet(self) -> str:
        """templates/mail/newsletter.css with the publication's colours (and their dark-mode shades)."""
        colours = self.issue.publication.colours
        themes = [self.issue.theme_colour(n) for n in range(len(self.issue.practices))]
        return self.templates.stylesheet(
            accent=colours.accent, accent_dark=lightened_for(colours.accent, DARK_BACKGROUND),
            themes=[(colour, lightened_for(colour, DARK_BACKGROUND)) for colour in themes],
        )

    def texts(self, partner: Partner, recipient: str | None = None) -> MessageTexts:
        """What the message to ``partner`` says; ``recipient``: the address it goes to, if not the partner's (a test copy)."""
        one_click_token = link_token(self.secret, self.issue.number, recipient or partner.email) if self.secret else None
        texts = self.templates.render(
            partner,
            unsubscribe_token=one_click_token,
            issue=self.issue,
            publication=self.issue.publication,
            accent=self.issue.publication.colours.accent,
            sender=self.sender.name,
            sommaire=self.sommaire,
            link=self.link,
            attachment=self.attachment,
            unsubscribe_mailto=self.sender.unsubscribe_mailto,
            edition=self.edition,
            read_url=self.edition.url if self.edition else self.link,
            highlights=self.highlights,
            edito_lead=self.edito_lead,
            edito_lead_text=self.edito_lead_text,
        )
        if "<html" not in texts.html[:500].lower():
            return texts  # a fragment (a mail.html override) is sent as written
        return dataclasses.replace(texts, html=self._inliner.inline(texts.html))

    def compose(self, partner: Partner, *, to: str | None = None, subject_prefix: str = "") -> OutgoingMessage:
        """The message to ``partner`` (addressed to ``to`` instead for a test copy), as sent."""
        recipient = to or partner.email
        texts = self.texts(partner, recipient)
        # A test copy's token is the test address's: it unsubscribes nobody (never recorded as sent).
        recipient_token = token(self.secret, self.issue.number, recipient) if self.secret else None
        subject = subject_prefix + texts.subject
        message_id = make_msgid(idstring=f"dossier{self.issue.number:02d}", domain=self.sender.domain)
        unsubscribe = translation(self.issue.publication.language).gettext(N_("Unsubscribe"))
        unsubscribe_subject = f"{UNSUBSCRIBE_PREFIX}{recipient_token}" if recipient_token else unsubscribe
        mailto = f"mailto:{self.sender.unsubscribe_mailto}?subject={urllib.parse.quote(unsubscribe_subject)}"
        unsubscribe_links = f"<{mailto}>, <{texts.unsubscribe_url}>" if texts.unsubscribe_url else f"<{mailto}>"
        headers = b"".join((
            self._from,
            header("To", str(Address(partner.fields.get("name", ""), addr_spec=recipient))),
            header("Subject", subject),
            header("Date", format_datetime(localtime())),
            # Our own domain: make_msgid's default looks up the host name (a DNS query per message).
            header("Message-ID", message_id),
            self._reply_to_and_list_id,
            # Returned in bounces and complaints, it says whom they are about (with a token when there is a secret).
            header("X-Dossier-Recipient", recipient_header(self.issue.number, recipient, recipient_token)),
            header("List-Unsubscribe", unsubscribe_links),
            # RFC 8058's one click only where our endpoint honours the POST (mail/unsubscribe).
            b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" if texts.unsubscribe_url and texts.one_click else b"",
        ))
        # The PDF was encoded once for the batch: it is spliced in as the last part.
        related = [part for cid, part in self._inline_parts.items() if f"cid:{cid}" in texts.html]
        data = assemble(headers, texts.text, texts.html, self._attachment_bytes, related)
        if self.signer is not None:
            data = self.signer.sign(data)
        bounce_address = self.sender.bounce_address
        envelope_from = verp_address(bounce_address, recipient, self.secret) if bounce_address else self.sender.address
        return OutgoingMessage(message_id, subject, data, envelope_from)
