"""Preparing a mailing: everything is checked, and the PDF built if stale, before any connection.

``prepare_mailing`` loads the numéro, the partner list and the ledger, renders every
pending partner's message once (a template mistake stops here, not mid-batch) and
refuses a PDF too large to attach. Nothing it does sends or records anything.
A partner on the suppression list is never pending: skipped and counted, not an error.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DossierError, Problem
from ..files import display_path, format_size
from ..i18n import _
from ..manifest.load import load_issue
from ..manifest.model import Issue, MailSettings
from ..press import BuildResult, build_issue
from ..project import Project
from .compose import Attachment, Composer, Sender, web_edition
from .ledger import DEFAULT_LEDGER, Delivery, Ledger
from .partners import STANDARD_COLUMNS, Partner, PartnerList, load_partners
from .signing import load_signer
from .suppression import Suppression, SuppressionList
from .templates import MailTemplates, setting_node
from .tokens import secret_from_environ

# Above this, base64 (×4/3) makes the message larger than the 10 MB many servers accept.
MAX_ATTACHMENT = 7 * 1024 * 1024


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
    suppressed: dict[str, Suppression] = field(default_factory=dict)  # the suppression list, by lower-cased address
    retry_uncertain: bool = False  # send again to partners whose message may have arrived (uncertain)

    @property
    def shown_ledger(self) -> str:
        return display_path(self.ledger_path, self.project.root)

    def _was_sent(self, partner: Partner) -> bool:
        return getattr(self.served.get(partner.key), "status", None) == "sent"

    def _is_uncertain(self, partner: Partner) -> bool:
        return getattr(self.served.get(partner.key), "status", None) == "uncertain"

    @property
    def pending(self) -> list[Partner]:
        """Partners the ledger does not list as sent, in list order (failed ones are tried again), less the suppressed
        and, unless ``retry_uncertain``, those whose message may have arrived."""
        if self.partners is None:
            return []
        return [p for p in self.partners if not self._was_sent(p) and p.key not in self.suppressed
                and (self.retry_uncertain or not self._is_uncertain(p))]

    @property
    def uncertain_left_out(self) -> list[Partner]:
        """Partners left out because their message may have arrived (the connection was lost after its end)."""
        if self.partners is None or self.retry_uncertain:
            return []
        return [p for p in self.partners if self._is_uncertain(p) and p.key not in self.suppressed]

    @property
    def already_sent(self) -> int:
        return 0 if self.partners is None else sum(1 for p in self.partners if self._was_sent(p))

    @property
    def skipped(self) -> list[str]:
        """Why each partner not yet sent this numéro is left out: their suppression's reason."""
        if self.partners is None:
            return []
        return [self.suppressed[p.key].why for p in self.partners if not self._was_sent(p) and p.key in self.suppressed]


def prepare_mailing(
    project: Project,
    issue_ref: str | Path,
    partners_file: Path | None,
    *,
    link: str | None = None,
    ledger: Path | None = None,
    check_all: bool = True,
    web: bool = False,
    retry_uncertain: bool = False,
) -> Mailing:
    """Check everything a mailing needs, before anything is sent; build the PDF if it is missing or stale.

    ``check_all`` renders the message of every pending partner once, so a template
    mistake stops the run before the first message rather than in the middle.
    ``web`` attaches nothing: the links go to the web edition at site_url (``dossier site``).
    """
    manifest = project.manifest_for(issue_ref)
    issue = load_issue(project, manifest)
    settings = issue.publication.mail
    sender = _sender(project, manifest, issue)
    secret = secret_from_environ()  # before any build: a bad secret is found at once
    signer = load_signer(project, issue, setting_node(project, manifest, "dkim")[0])  # and a refused key
    if link is not None:
        link = _check_link(link)
    if web:
        link = _web_pdf_link(project, issue)
    ledger_path = resolve_ledger_path(project, settings, ledger)
    partners = None
    if partners_file is not None:
        partners = load_partners(partners_file, display_path(partners_file, Path.cwd()))
    columns = partners.columns if partners else ("email", *STANDARD_COLUMNS)
    shown_list = partners.shown if partners else _("the partner list")
    templates = MailTemplates(project, manifest, settings, columns, shown_list)

    attachment, built = (None, None) if link is not None else _attachment(project, issue)
    composer = Composer(issue, sender, templates, attachment=attachment, link=link, secret=secret, signer=signer)
    with Ledger.read(ledger_path, display_path(ledger_path, project.root)) as book:
        served = book.deliveries(issue.number)
        suppressed = SuppressionList(book).all()
    mailing = Mailing(project, issue, composer, partners, ledger_path, served, built, suppressed, retry_uncertain)
    if check_all:
        for partner in mailing.pending:
            composer.texts(partner)
    return mailing


def _attachment(project: Project, issue: Issue) -> tuple[Attachment, BuildResult | None]:
    """The PDF to attach, built first when missing or stale (with the build's result, else None)."""
    pdf_path = project.output_paths(issue.slug)[1]
    built = build_issue(project, issue.manifest) if pdf_is_stale(project, issue, pdf_path) else None
    attachment = Attachment(issue.publication.mail.attachment_name or pdf_path.name, pdf_path.read_bytes())
    if len(attachment.data) > MAX_ATTACHMENT:
        raise DossierError(_(
            "{file}: {size} is too large to attach (limit {limit}: once encoded, more than many mail servers accept): "
            "put the PDF online and send its address with --link URL"
        ).format(file=display_path(pdf_path, project.root), size=format_size(len(attachment.data)),
                 limit=_("{size} MB").format(size=MAX_ATTACHMENT // 1024 // 1024)))
    return attachment, built


def _sender(project: Project, manifest: Path, issue: Issue) -> Sender:
    settings = issue.publication.mail
    if settings.from_address is None:
        shown, node = setting_node(project, manifest, None)
        line = node[0].start_mark.line + 1 if node else 0
        raise DossierError(str(Problem(
            shown, line, "mail.from_address",
            # Not formatted: the braces are YAML's.
            _("missing: the address messages are sent from; add it under `mail:`, "
              "e.g. `mail: {from_address: chaire@example.org, reply_to: contact@example.org}`"),
        )))
    return Sender(
        name=settings.from_name or issue.publication.publisher_short or issue.publication.publisher,
        address=settings.from_address,
        reply_to=settings.reply_to,
        unsubscribe_mailto=settings.unsubscribe_mailto or settings.reply_to or settings.from_address,
        bounce_address=settings.bounce_address,
    )


def _web_pdf_link(project: Project, issue: Issue) -> str:
    """The PDF's address in the web edition; site_url is required."""
    edition = web_edition(issue)
    if edition is None:
        raise DossierError(_(
            "{file}: site_url: missing: --web links to the web edition, so add the site's address to publication.yaml, "
            "e.g. site_url: https://example.org/dossiers/ (and publish the site there with dossier site)"
        ).format(file=display_path(project.publication_file, Path.cwd())))
    return edition.pdf_url


def _check_link(link: str) -> str:
    parts = urllib.parse.urlsplit(link.strip())
    if parts.scheme not in {"https", "http"} or "." not in parts.netloc or re.search(r"\s", link.strip()):
        raise DossierError(_("--link {link}: not a web address: give the PDF's full address, starting with https://")
                           .format(link=link))
    return link.strip()


def resolve_ledger_path(project: Project, settings: MailSettings, override: Path | None) -> Path:
    """--ledger (from the current folder), else mail.ledger (from the project root), else .dossier/."""
    if override is not None:
        path = (Path.cwd() / override).resolve()
    else:
        path = (project.root / (settings.ledger or DEFAULT_LEDGER)).resolve()
    if path.is_relative_to(project.output_dir.resolve()):
        raise DossierError(_(
            "{file}: the delivery ledger must not be under output/ (cleaning output/ would forget who was sent what): "
            "use e.g. {default}"
        ).format(file=display_path(path, project.root), default=DEFAULT_LEDGER))
    if path.is_dir():
        raise DossierError(_("{file}: is a folder: give the ledger's file name").format(file=display_path(path, project.root)))
    return path


def pdf_is_stale(project: Project, issue: Issue, pdf_path: Path) -> bool:
    """True unless the PDF is the plain print of the numéro's current sources, judged by content.

    The build cache's test (``build.is_up_to_date``): every file the build reads
    (``Project.sources``), the options and the versions; never file times.
    """
    from ..press import is_up_to_date

    return not is_up_to_date(project, issue.manifest, pdf_path)
