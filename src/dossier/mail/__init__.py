"""Mail a numéro to the partners: personalised messages, a dry run by default, sent once each.

The order of a sending run is what makes it safe to interrupt:
everything is checked (settings, partner list, templates rendered for every
partner, attachment size) before the first connection; each message is recorded
in the ledger the moment the server accepts it; a later run sends only to the
partners the ledger does not list as served.
"""

from __future__ import annotations

import re
import secrets
import signal
import smtplib
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage, MIMEPart
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, localtime, make_msgid
from pathlib import Path
from types import TracebackType
from typing import Literal

import jinja2
import yaml

from ..build import BuildResult, build_issue, output_paths
from ..errors import DossierError, Problem
from ..files import display_path, format_size, write_atomically
from ..manifest.load import load_issue
from ..manifest.model import Issue, MailSettings, email_address
from ..project import Project
from ..render import template_environment
from .ledger import DEFAULT_LEDGER, Delivery, Ledger, sending_lock
from .partners import STANDARD_COLUMNS, Partner, PartnerList, load_partners
from .smtp import SmtpConfig, SmtpConnection, smtp_reply

# Above this, base64 (×4/3) makes the message larger than the 10 MB many servers accept.
MAX_ATTACHMENT = 7 * 1024 * 1024
TEMPLATE_FILES = {"subject": "mail/subject.txt.j2", "text": "mail/body.txt.j2", "html": "mail/body.html.j2"}
RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)  # seconds between tries after a 4xx reply or a lost connection


# --- Messages ----------------------------------------------------------------------------------


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
class MessageTexts:
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None


class MailTemplates:
    """Subject, text and HTML templates: templates/mail/ or their overrides in the manifests."""

    def __init__(self, project: Project, manifest: Path, settings: MailSettings, columns: Sequence[str], shown_list: str):
        self.project = project
        self.manifest = manifest
        self.columns = tuple(columns)
        self.shown_list = shown_list
        self.overrides = {
            key: source
            for key, source in {
                "subject": settings.subject, "text": settings.text, "html": settings.html,
                "unsubscribe_url": settings.unsubscribe_url,
            }.items()
            if source is not None
        }
        self.text_env = self._environment(autoescape=False)
        self.html_env = self._environment(autoescape=True)

    def _environment(self, *, autoescape: bool) -> jinja2.Environment:
        env = template_environment(self.project, autoescape=autoescape)

        def inline(name: str) -> tuple[str, str, Callable[[], bool]] | None:
            key = name.removeprefix("mail:")
            if name.startswith("mail:") and key in self.overrides:
                return self.overrides[key], f"<mail.{key}>", lambda: True
            return None

        assert env.loader is not None
        env.loader = jinja2.ChoiceLoader([jinja2.FunctionLoader(inline), env.loader])
        return env

    def _name(self, key: str) -> str:
        return f"mail:{key}" if key in self.overrides else TEMPLATE_FILES[key]

    def render(self, partner: Partner, **context: object) -> MessageTexts:
        """Everything the message to ``partner`` says; DossierError (file:line) for a template mistake."""
        context = {"partner": partner, **context}
        unsubscribe_url = None
        if "unsubscribe_url" in self.overrides:
            unsubscribe_url = self._render(self.text_env, "mail:unsubscribe_url", context).strip()
            if re.search(r"\s", unsubscribe_url) or not unsubscribe_url.startswith("https://"):
                where = self._override_location("unsubscribe_url", 1)
                raise DossierError(f"{where}: gives '{unsubscribe_url}', not an https address: "
                                   "use | urlencode for partner fields in the address")
        context["unsubscribe_url"] = unsubscribe_url
        subject = re.sub(r"[ \t\r\n]+", " ", self._render(self.text_env, self._name("subject"), context)).strip()
        if not subject:
            raise DossierError(f"{self._where_template(self._name('subject'), 1)}: the subject is empty")
        text = self._render(self.text_env, self._name("text"), context)
        html = self._render(self.html_env, self._name("html"), context)
        return MessageTexts(subject, text.strip("\n") + "\n", html, unsubscribe_url)

    def _render(self, env: jinja2.Environment, name: str, context: dict[str, object]) -> str:
        try:
            return env.get_template(name).render(context)
        except jinja2.TemplateNotFound as exc:
            raise DossierError(
                f"templates/{exc.name}: template not found: restore it from the repository"
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            where = self._where_file(exc.filename, exc.lineno) if exc.filename else name
            raise DossierError(f"{where}: template syntax error: {exc.message}") from None
        except (jinja2.TemplateError, TypeError, ValueError, AttributeError) as exc:
            where = self._where_traceback(sys.exc_info()[2]) or name
            raise DossierError(f"{where}: template error: {self._explain(exc)}") from None

    def _explain(self, exc: Exception) -> str:
        message = getattr(exc, "message", None) or str(exc)
        missing = re.search(r"Partner object' has no attribute '([^']+)'", message)
        if missing:
            return (f"no column '{missing[1]}' in {self.shown_list} (its columns: {', '.join(self.columns)}): "
                    "add the column or correct the template")
        return message

    def _where_traceback(self, tb: TracebackType | None) -> str:
        where = ""
        while tb is not None:  # Jinja maps template frames to the template's file and line
            filename = tb.tb_frame.f_code.co_filename
            if filename.startswith("<mail.") or filename.startswith(str(self.project.templates_dir)):
                where = self._where_file(filename, tb.tb_lineno)
            tb = tb.tb_next
        return where

    def _where_file(self, filename: str, line: int | None) -> str:
        if filename.startswith("<mail."):
            return self._override_location(filename[len("<mail."):-1], line or 1)
        return f"{display_path(Path(filename), self.project.root)}:{line or 0}"

    def _where_template(self, name: str, line: int) -> str:
        if name.startswith("mail:"):
            return self._override_location(name.removeprefix("mail:"), line)
        return f"templates/{name}:{line}"

    def _override_location(self, key: str, template_line: int) -> str:
        shown, node = setting_node(self.project, self.manifest, key)
        if node is None:
            return f"{shown}: mail.{key}"
        value = node[1]
        # A block scalar (|, >) starts on the line after its key; a plain one on the key's line.
        first = value.start_mark.line + (2 if value.style in {"|", ">"} else 1)
        return f"{shown}:{first + template_line - 1}: mail.{key}"


def setting_node(project: Project, manifest: Path, key: str | None) -> tuple[str, tuple[yaml.Node, yaml.Node] | None]:
    """Where a mail setting is written: the numéro's ``publication: mail:``, else publication.yaml's ``mail:``.

    Returns the file as shown and the (key, value) nodes; ``key=None`` finds the ``mail:`` mapping itself.
    """
    candidates = ((manifest, ("publication", "mail")), (project.publication_file, ("mail",)))
    for path, prefix in candidates:
        keys = (*prefix, key) if key else prefix
        found = _find_node(path, keys)
        if found is not None:
            return display_path(path, project.root), found
    return display_path(project.publication_file, project.root), None


def _find_node(path: Path, keys: Sequence[str]) -> tuple[yaml.Node, yaml.Node] | None:
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    pair = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        pair = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
        if pair is None:
            return None
        node = pair[1]
    return pair


@dataclass(frozen=True)
class Sender:
    """Who the messages come from, resolved from the mail settings and the publication."""

    name: str
    address: str
    reply_to: str | None
    unsubscribe_mailto: str

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]


@dataclass(frozen=True)
class OutgoingMessage:
    message_id: str
    subject: str
    data: bytes = field(repr=False)


class Composer:
    """Builds the message to one partner; the attachment is encoded once for the whole batch."""

    def __init__(self, issue: Issue, sender: Sender, templates: MailTemplates, *,
                 attachment: Attachment | None, link: str | None) -> None:
        self.issue = issue
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
        message = EmailMessage(policy=SMTP_POLICY)
        message["From"] = Address(self.sender.name, addr_spec=self.sender.address)
        message["To"] = Address(partner.fields.get("name", ""), addr_spec=to or partner.email)
        message["Subject"] = subject_prefix + texts.subject
        message["Date"] = format_datetime(localtime())
        # Our own domain: make_msgid's default looks up the host name (a DNS query per message).
        message["Message-ID"] = make_msgid(idstring=f"dossier{self.issue.number:02d}", domain=self.sender.domain)
        if self.sender.reply_to:
            message["Reply-To"] = self.sender.reply_to
        mailto = f"mailto:{self.sender.unsubscribe_mailto}?subject={urllib.parse.quote('Désinscription')}"
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
        return OutgoingMessage(str(message["Message-ID"]), str(message["Subject"]), data)


# --- Preparing a mailing -----------------------------------------------------------------------


@dataclass
class Mailing:
    """A checked mailing: the numéro, its message builder, the partners and who is still to be served."""

    project: Project
    issue: Issue
    composer: Composer
    partners: PartnerList | None
    ledger_path: Path
    served: dict[str, Delivery]
    built: BuildResult | None = None  # the PDF was (re)built for this mailing

    @property
    def shown_ledger(self) -> str:
        return display_path(self.ledger_path, self.project.root)

    @property
    def pending(self) -> list[Partner]:
        """Partners the ledger does not list as sent, in list order (failed ones are tried again)."""
        if self.partners is None:
            return []
        return [p for p in self.partners if getattr(self.served.get(p.key), "status", None) != "sent"]

    @property
    def already_sent(self) -> int:
        return 0 if self.partners is None else len(self.partners) - len(self.pending)


def prepare_mailing(
    project: Project,
    issue_ref: str | Path,
    partners_file: Path | None,
    *,
    link: str | None = None,
    ledger: Path | None = None,
    check_all: bool = True,
) -> Mailing:
    """Check everything a mailing needs, before anything is sent; build the PDF if it is missing or stale.

    ``check_all`` renders the message of every pending partner once, so a template
    mistake stops the run before the first message rather than in the middle.
    """
    manifest = project.manifest_for(issue_ref)
    issue = load_issue(project, manifest)
    settings = issue.publication.mail
    sender = _sender(project, manifest, issue)
    if link is not None:
        link = _check_link(link)
    ledger_path = resolve_ledger_path(project, settings, ledger)
    partners = None
    if partners_file is not None:
        partners = load_partners(partners_file, display_path(partners_file, Path.cwd()))
    columns = partners.columns if partners else ("email", *STANDARD_COLUMNS)
    shown_list = partners.shown if partners else "the partner list"
    templates = MailTemplates(project, manifest, settings, columns, shown_list)

    built = None
    attachment = None
    if link is None:
        _, pdf_path = output_paths(project, issue)
        if pdf_is_stale(project, manifest, pdf_path):
            built = build_issue(project, manifest)
        attachment = Attachment(settings.attachment_name or pdf_path.name, pdf_path.read_bytes())
        if len(attachment.data) > MAX_ATTACHMENT:
            raise DossierError(
                f"{display_path(pdf_path, project.root)}: {len(attachment.data) / 1024 / 1024:.1f} MB is too large "
                f"to attach (limit {MAX_ATTACHMENT // 1024 // 1024} MB: once encoded, more than many mail servers "
                "accept): put the PDF online and send its address with --link URL"
            )
    composer = Composer(issue, sender, templates, attachment=attachment, link=link)
    with Ledger.read(ledger_path, display_path(ledger_path, project.root)) as book:
        served = book.deliveries(issue.number)
    mailing = Mailing(project, issue, composer, partners, ledger_path, served, built)
    if check_all:
        for partner in mailing.pending:
            composer.texts(partner)
    return mailing


def _sender(project: Project, manifest: Path, issue: Issue) -> Sender:
    settings = issue.publication.mail
    if settings.from_address is None:
        shown, node = setting_node(project, manifest, None)
        line = node[0].start_mark.line + 1 if node else 0
        raise DossierError(str(Problem(
            shown, line, "mail.from_address",
            "missing: the address messages are sent from; add it under mail:, "
            "e.g. mail: {from_address: chaire@example.org, reply_to: contact@example.org}",
        )))
    return Sender(
        name=settings.from_name or issue.publication.publisher_short or issue.publication.publisher,
        address=settings.from_address,
        reply_to=settings.reply_to,
        unsubscribe_mailto=settings.unsubscribe_mailto or settings.reply_to or settings.from_address,
    )


def _check_link(link: str) -> str:
    parts = urllib.parse.urlsplit(link.strip())
    if parts.scheme not in {"https", "http"} or "." not in parts.netloc or re.search(r"\s", link.strip()):
        raise DossierError(f"--link {link}: not a web address: give the PDF's full address, starting with https://")
    return link.strip()


def resolve_ledger_path(project: Project, settings: MailSettings, override: Path | None) -> Path:
    """--ledger (from the current folder), else mail.ledger (from the project root), else .dossier/."""
    if override is not None:
        path = (Path.cwd() / override).resolve()
    else:
        path = (project.root / (settings.ledger or DEFAULT_LEDGER)).resolve()
    if path.is_relative_to(project.output_dir.resolve()):
        raise DossierError(
            f"{display_path(path, project.root)}: the delivery ledger must not be under output/ "
            f"(cleaning output/ would forget who was sent what): use e.g. {DEFAULT_LEDGER}"
        )
    if path.is_dir():
        raise DossierError(f"{display_path(path, project.root)}: is a folder: give the ledger's file name")
    return path


def pdf_is_stale(project: Project, manifest: Path, pdf_path: Path) -> bool:
    """True when the PDF is missing or older than anything it is printed from."""
    if not pdf_path.is_file():
        return True
    printed = pdf_path.stat().st_mtime
    mail_templates = project.templates_dir / "mail"
    sources = [project.publication_file, *manifest.parent.rglob("*"), *project.styles_dir.rglob("*"),
               *(p for p in project.templates_dir.rglob("*") if not p.is_relative_to(mail_templates))]
    return any(source.is_file() and source.stat().st_mtime > printed for source in sources)


# --- Dry run --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftMessage:
    address: str
    subject: str
    size: int
    path: Path


@dataclass
class DryRunReport:
    folder: Path
    messages: list[DraftMessage]
    already_sent: int
    shown_folder: str

    def lines(self, *, limit: int = 10) -> list[str]:
        if not self.messages:
            return [f"dry run: nothing to send: the {self.already_sent} partners were all sent this numéro already "
                    "(see --status)"]
        sizes = [m.size for m in self.messages]
        out = [f"dry run: {len(self.messages)} messages written to {self.shown_folder}/ (nothing sent)"]
        if self.already_sent:
            out.append(f"  {self.already_sent} partners already sent this numéro are left out (see --status)")
        for message in self.messages[:limit]:
            out.append(f"  {message.address}  {format_size(message.size)}  {message.subject}")
        if len(self.messages) > limit:
            out.append(f"  … and {len(self.messages) - limit} more")
        out.append(f"  total {format_size(sum(sizes))}, largest message {format_size(max(sizes))}")
        out.append("to send them: add --send (or --test ADDRESS for one copy to yourself)")
        return out


def write_dry_run(mailing: Mailing) -> DryRunReport:
    """Write each pending message as an .eml file in output/mail-NN/ (old ones removed first)."""
    folder = mailing.project.output_dir / f"mail-{mailing.issue.number:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.eml"):
        old.unlink()
    drafts = []
    for index, partner in enumerate(mailing.pending, start=1):
        message = mailing.composer.compose(partner)
        data = message.data
        path = folder / f"{index:04d}-{re.sub(r'[^A-Za-z0-9._@+-]', '_', partner.email)}.eml"
        write_atomically(path, data)
        drafts.append(DraftMessage(partner.email, message.subject, len(data), path))
    return DryRunReport(folder, drafts, mailing.already_sent, display_path(folder, Path.cwd()))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# --- Sending ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryEvent:
    """What happened to one partner's message, for a progress display."""

    partner: Partner
    status: Literal["sent", "failed"]
    detail: str  # the Message-ID, or the server's refusal


@dataclass
class SendReport:
    server: str
    total: int
    already_sent: int
    sent: int = 0
    failures: list[tuple[Partner, str]] = field(default_factory=list)
    retries: int = 0
    connections: int = 0
    seconds: float = 0.0
    ledger: str = ""
    partner_list: str | None = None

    def lines(self) -> list[str]:
        if self.total == 0 and not self.failures:
            return [f"nothing to send: the {self.already_sent} partners were all sent this numéro already "
                    "(see --status)"]
        rate = self.sent / self.seconds * 60 if self.seconds > 0 else 0.0
        out = [f"sent {self.sent} of {self.total} pending messages via {self.server} in {self.seconds:.1f} s"
               f" ({rate:.0f}/min); recorded in {self.ledger}"]
        if self.already_sent:
            out.append(f"  {self.already_sent} partners already sent this numéro were left out")
        if self.retries or self.connections > 1:
            out.append(f"  {_count(self.retries, 'temporary refusal')} retried, "
                       f"{_count(self.connections, 'connection')} to the server")
        return out

    def failure_message(self) -> str:
        where = f"{self.partner_list}:" if self.partner_list else ""
        listing = "\n".join(f"{where}{partner.line}: {partner.email}: {reply}" for partner, reply in self.failures)
        return (f"{listing}\n{len(self.failures)} of {self.total} partners could not be sent (recorded as failed; "
                "correct the addresses or wait, then run --send again to retry only them)")


class SendFailures(DossierError):
    """Some partners were refused; the others were sent."""


class SendStopped(DossierError):
    """The run stopped before the end (Ctrl-C, lost server); the ledger has what was sent."""


def send_mailing(
    mailing: Mailing,
    smtp: SmtpConfig,
    *,
    rate: int | None = None,
    progress: Callable[[DeliveryEvent], None] | None = None,
    retry_delays: Sequence[float] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    """Send every pending message, recording each in the ledger as soon as it is accepted.

    ``rate`` is messages per minute (default: the mail settings', else no limit); ``retry_delays``
    the waits before each new try after a temporary refusal or a lost connection (RETRY_DELAYS).
    """
    retry_delays = RETRY_DELAYS if retry_delays is None else retry_delays
    pending = mailing.pending
    rate = rate or mailing.issue.publication.mail.rate
    list_name = mailing.partners.shown if mailing.partners else None
    report = SendReport(str(smtp), len(pending), mailing.already_sent, ledger=mailing.shown_ledger,
                        partner_list=list_name)
    if not pending:
        return report
    issue_number = mailing.issue.number
    sender = mailing.composer.sender.address
    connection = SmtpConnection(smtp)
    started = time.monotonic()
    interval = 60.0 / rate if rate else 0.0
    next_start = started
    with sending_lock(mailing.ledger_path, mailing.shown_ledger), Ledger.open(
        mailing.ledger_path, mailing.shown_ledger
    ) as book, _stop_on_interrupt() as stop_requested, _composed_ahead(mailing.composer, pending) as messages:
        # Another run may have sent some since the mailing was prepared: read the ledger again under the lock.
        served = book.deliveries(issue_number)
        pending[:] = [p for p in pending if getattr(served.get(p.key), "status", None) != "sent"]
        report.already_sent += report.total - len(pending)
        report.total = len(pending)
        current: Partner | None = None
        try:
            for current, message in messages:
                wait = next_start - time.monotonic()
                if wait > 0:
                    _pause(wait, sleep, stop_requested)
                if stop_requested():
                    raise KeyboardInterrupt
                next_start = max(next_start, time.monotonic()) + interval
                outcome = _deliver(connection, sender, current.email, message.data, report,
                                   retry_delays, sleep, stop_requested)
                if outcome is None:
                    message_id = message.message_id
                    book.record_sent(issue_number, current.email, message_id, list_name)
                    report.sent += 1
                    event = DeliveryEvent(current, "sent", message_id)
                else:
                    book.record_failed(issue_number, current.email, outcome, list_name)
                    report.failures.append((current, outcome))
                    event = DeliveryEvent(current, "failed", outcome)
                current = None
                if progress is not None:
                    progress(event)
        except KeyboardInterrupt as exc:
            in_flight = ""
            if isinstance(exc, _InFlightInterrupt) and current is not None:
                in_flight = f" (the message to {current.email} was cut off while sending and may have arrived)"
            left = report.total - report.sent - len(report.failures)
            raise SendStopped(
                f"interrupted: {report.sent} of {report.total} messages sent and recorded in {report.ledger}"
                f"{in_flight}; run the same command again to send the other {left}"
            ) from None
        except DossierError as exc:  # e.g. the login refused when reconnecting
            raise SendStopped(
                f"{exc.message}\n{report.sent} of {report.total} messages sent and recorded in {report.ledger}; "
                "run the same command again to send the rest"
            ) from None
        except _ConnectionLost as lost:
            raise SendStopped(
                f"{smtp.host}:{smtp.port}: lost the connection and could not send again ({lost}): "
                f"{report.sent} of {report.total} messages sent and recorded in {report.ledger}; "
                "run the same command again later to send the rest"
            ) from None
        except _SenderRefused as refused:
            raise SendStopped(
                f"{smtp.host}:{smtp.port} refuses the sender {sender} ({refused}): check mail.from_address and "
                f"that DOSSIER_SMTP_USER may send as it; {report.sent} of {report.total} sent and recorded"
            ) from None
        finally:
            report.connections = connection.connections
            report.seconds = time.monotonic() - started
            connection.close()
    return report


@contextmanager
def _composed_ahead(composer: Composer, partners: list[Partner]) -> Iterator[Iterator[tuple[Partner, OutgoingMessage]]]:
    """The partners with their messages, the next one composed in a thread while the server takes this one.

    Composing is CPU work and the server's reply is a wait: overlapping them is most of
    the throughput. One message ahead at most, so memory stays flat. The list is read
    lazily: it may still be narrowed (under the sending lock) before the first message.
    """
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dossier-compose")

    def messages() -> Iterator[tuple[Partner, OutgoingMessage]]:
        upcoming = pool.submit(composer.compose, partners[0]) if partners else None
        for index, partner in enumerate(partners):
            assert upcoming is not None
            message = upcoming.result()
            upcoming = pool.submit(composer.compose, partners[index + 1]) if index + 1 < len(partners) else None
            yield partner, message

    try:
        yield messages()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _ConnectionLost(Exception):
    pass


class _SenderRefused(Exception):
    pass


def _deliver(
    connection: SmtpConnection,
    sender: str,
    recipient: str,
    data: bytes,
    report: SendReport,
    retry_delays: Sequence[float],
    sleep: Callable[[float], None],
    stop_requested: _StopFlag,
) -> str | None:
    """Send one message; None when accepted, else the permanent (or persistent temporary) refusal."""
    attempt = 0
    while True:
        try:
            connection.send(sender, recipient, data)
            return None
        except KeyboardInterrupt:
            connection.drop()
            raise _InFlightInterrupt from None
        except smtplib.SMTPSenderRefused as exc:
            if not 400 <= exc.smtp_code < 500:
                raise _SenderRefused(smtp_reply(exc)) from None
            problem, lost = smtp_reply(exc), False
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients.get(recipient, (0, b""))
            reply = smtp_reply(smtplib.SMTPResponseException(code, text))
            if not 400 <= code < 500:
                return reply
            problem, lost = reply, False
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPHeloError, OSError) as exc:
            connection.drop()
            problem, lost = str(exc) or type(exc).__name__, True
        except smtplib.SMTPResponseException as exc:  # DATA refused, or RSET/STARTTLS answering 4xx
            if not 400 <= exc.smtp_code < 500:
                return smtp_reply(exc)
            problem, lost = smtp_reply(exc), False
        if attempt >= len(retry_delays):
            if lost:
                raise _ConnectionLost(problem)
            return f"{problem} (still refused after {attempt + 1} tries)"
        # A dropped connection is retried at once the first time: servers close idle or long sessions.
        delay = 0.0 if lost and attempt == 0 else retry_delays[attempt]
        report.retries += 0 if lost else 1
        attempt += 1
        if delay:
            _pause(delay, sleep, stop_requested)
        if stop_requested():
            raise KeyboardInterrupt


class _InFlightInterrupt(KeyboardInterrupt):
    """A second Ctrl-C cut a message off while the server was taking it."""


class _StopFlag:
    """Set by a first Ctrl-C: stop before the next message."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self) -> bool:
        return self.requested


@contextmanager
def _stop_on_interrupt() -> Iterator[_StopFlag]:
    """A first Ctrl-C lets the message in flight finish (and be recorded), then stops; a second stops at once."""
    flag = _StopFlag()
    if threading.current_thread() is not threading.main_thread():
        yield flag
        return

    def handler(signum: int, frame: object) -> None:
        if flag.requested:
            raise KeyboardInterrupt
        flag.requested = True

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield flag
    finally:
        signal.signal(signal.SIGINT, previous)


def _pause(seconds: float, sleep: Callable[[float], None], stop_requested: _StopFlag) -> None:
    """Wait, but not past a Ctrl-C: nothing is in flight while waiting."""
    end = time.monotonic() + seconds
    while not stop_requested():
        left = end - time.monotonic()
        if left <= 0:
            return
        sleep(min(left, 0.2))


def send_test(mailing: Mailing, smtp: SmtpConfig, address: str) -> str:
    """Send one copy (of the first partner's message, if a list is given) to ``address`` only; not recorded."""
    try:
        address = email_address(address)
    except ValueError as exc:
        raise DossierError(f"--test: {exc}") from None
    partner = mailing.partners.partners[0] if mailing.partners else Partner(
        address, 0, {**dict.fromkeys(STANDARD_COLUMNS, ""), "email": address}
    )
    message = mailing.composer.compose(partner, to=address, subject_prefix="[Test] ")
    connection = SmtpConnection(smtp)
    try:
        connection.send(mailing.composer.sender.address, address, message.data)
    except smtplib.SMTPResponseException as exc:
        raise DossierError(f"{smtp.host}:{smtp.port}: the test message to {address} was refused: {smtp_reply(exc)}") from None
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = exc.recipients.get(address, (0, b""))
        raise DossierError(
            f"{smtp.host}:{smtp.port}: the test message to {address} was refused: "
            f"{smtp_reply(smtplib.SMTPResponseException(code, text))}"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DossierError(f"{smtp.host}:{smtp.port}: could not send the test message: {exc}") from None
    finally:
        connection.close()
    shown = f" (as {partner.email} would receive it)" if mailing.partners else ""
    return f"test message sent to {address}{shown} via {smtp}: {message.subject}, {format_size(len(message.data))}"


# --- Status --------------------------------------------------------------------------------------


@dataclass
class StatusReport:
    issue: int
    ledger: str
    partners: PartnerList | None
    rows: list[tuple[str, str, Delivery | None]]  # (status, address, record)
    others: int  # ledger records for addresses not in the list

    def lines(self) -> list[str]:
        source = f"{self.partners.shown} ({len(self.partners)} partners)" if self.partners else "all partner lists"
        out = [f"numéro {self.issue}, {source}, ledger {self.ledger}"]
        width = max((len(address) for _, address, _ in self.rows), default=0)
        for status, address, record in self.rows:
            if record is None:
                out.append(f"  {status:<8} {address}")
            else:
                detail = record.message_id if status == "sent" else record.reply
                out.append(f"  {status:<8} {address:<{width}}  {record.at}  {detail}")
        counts = {s: sum(1 for row in self.rows if row[0] == s) for s in ("sent", "failed", "pending")}
        summary = f"{counts['sent']} sent, {counts['failed']} failed"
        if self.partners is not None:
            summary += f", {counts['pending']} pending"
        if self.others:
            summary += f"; {self.others} more addresses in the ledger for this numéro are not in this list"
        out.append(summary)
        return out


def delivery_status(project: Project, issue_ref: str | Path, partners_file: Path | None,
                    *, ledger: Path | None = None) -> StatusReport:
    """Sent / failed / pending per partner of a list (or every ledger record of the numéro without a list)."""
    manifest = project.manifest_for(issue_ref)
    issue = load_issue(project, manifest)
    ledger_path = resolve_ledger_path(project, issue.publication.mail, ledger)
    shown_ledger = display_path(ledger_path, project.root)
    with Ledger.read(ledger_path, shown_ledger) as book:
        records = book.deliveries(issue.number)
    if partners_file is None:
        rows = [(r.status, r.address, r) for r in sorted(records.values(), key=lambda r: (r.status, r.at, r.address))]
        return StatusReport(issue.number, shown_ledger, None, rows, 0)
    partners = load_partners(partners_file, display_path(partners_file, Path.cwd()))
    rows = []
    for partner in partners:
        record = records.get(partner.key)
        rows.append((record.status if record else "pending", partner.email, record))
    others = len(set(records) - {p.key for p in partners})
    return StatusReport(issue.number, shown_ledger, partners, rows, others)
