"""``dossier doctor``: what the sender's domain publishes in DNS for its mail to arrive: SPF, DKIM and DMARC.

Large mailbox providers refuse or file as spam the mail of a domain without SPF, a
DKIM signature and a DMARC policy. Each record is looked up with dnspython (the system's
resolver), judged, and reported on a line that says what is missing and what to add;
nothing is changed. The DKIM record is compared with the private key of mail.dkim
when there is one: a published key that does not match fails every signature.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path

import dkim.crypto
import dns.exception
import dns.resolver

from ..errors import DossierError
from ..files import display_path
from ..i18n import N_, _
from ..manifest.load import load_publication
from ..manifest.model import Publication
from ..project import Project
from .signing import DkimSigner, load_signer_from

LOOKUP_TIMEOUT = 10.0
VERDICTS = {True: N_("ok"), False: N_("missing")}  # a finding's first word


@dataclass(frozen=True)
class Finding:
    ok: bool
    text: str

    def line(self) -> str:
        return f"  {_(VERDICTS[self.ok]):<8} {self.text}"


class LookupFailed(Exception):
    """The DNS could not answer (timeout, no server): nothing can be said of the record."""


def txt_records(name: str) -> list[str]:
    """The TXT records at ``name`` (each one's strings joined), [] when there are none."""
    try:
        answer = dns.resolver.resolve(name, "TXT", lifetime=LOOKUP_TIMEOUT, search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except (dns.exception.Timeout, dns.resolver.NoNameservers, dns.resolver.NoResolverConfiguration) as exc:
        raise LookupFailed(str(exc)) from None
    return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


def check_mail_dns(project: Project) -> tuple[list[str], bool]:
    """The report's lines, and whether everything needed is there."""
    publication = load_publication(project)
    settings = publication.mail
    where = display_path(project.publication_file, Path.cwd())
    if settings.from_address is None:
        raise DossierError(_("{file}: mail.from_address: missing: the address messages are sent from, whose domain "
                             "is checked").format(file=where))
    from_domain = settings.from_address.rpartition("@")[2].lower()
    envelope_domain = (settings.bounce_address or settings.from_address).rpartition("@")[2].lower()
    findings: list[Finding] = []
    for check in (lambda: _spf(envelope_domain), lambda: _dkim(project, publication, where, from_domain),
                  lambda: _dmarc(from_domain)):
        try:
            findings += check()
        except LookupFailed as exc:
            findings.append(Finding(False, _("could not ask the DNS ({error}): check the connection, then run it "
                                             "again").format(error=exc)))
    lines = [_("mail authentication of {domain} (sender {address}):").format(domain=from_domain,
                                                                           address=settings.from_address)]
    lines += [finding.line() for finding in findings]
    missing = sum(not finding.ok for finding in findings)
    lines.append(_("everything large mailbox providers ask for is published") if not missing else
                 _("{count} to fix before sending: large mailbox providers refuse or file as spam mail without "
                   "them").format(count=missing))
    return lines, not missing


def _spf(domain: str) -> list[Finding]:
    records = [r for r in txt_records(domain) if r.lower().startswith("v=spf1")]
    if not records:
        return [Finding(False, _("SPF: no record at {domain}: publish the TXT record your sending provider gives, "
                                 "e.g. `v=spf1 include:… ~all`").format(domain=domain))]
    if len(records) > 1:
        return [Finding(False, _("SPF: {count} records at {domain}: there must be one (merge them): "
                                 "{records}").format(count=len(records), domain=domain, records=" | ".join(records)))]
    if records[0].split()[-1].lower() in {"+all", "all"}:
        return [Finding(False, _("SPF: {domain} lets anyone send as it ({record}): end it with ~all or -all").format(
            domain=domain, record=records[0]))]
    return [Finding(True, _("SPF of {domain}: {record}").format(domain=domain, record=records[0]))]


def _dkim(project: Project, publication: Publication, where: str, from_domain: str) -> list[Finding]:
    settings = publication.mail.dkim
    if settings is None:
        return [Finding(False, _("DKIM: messages are not signed: add mail: {{dkim: {{selector: …, domain: {domain}, "
                                 "key_file: …}}}} to {file}, unless your SMTP provider signs them for {domain} (look "
                                 "for DKIM-Signature in a --test copy)").format(domain=from_domain, file=where))]
    name = f"{settings.selector}._domainkey.{settings.domain}"
    findings = []
    if not _aligned(settings.domain, from_domain):
        findings.append(Finding(False, _("DKIM: the signing domain {domain} is not that of the sender ({sender}): DMARC "
                                         "needs them to match").format(domain=settings.domain, sender=from_domain)))
    records = [r for r in txt_records(name) if "p=" in r]
    if not records:
        return [*findings, Finding(False, _("DKIM: no key published at {name}: publish the TXT record "
                                            "`v=DKIM1; k=rsa; p=…` with the public key of the key file").format(
            name=name))]
    tags = dict(part.strip().partition("=")[::2] for part in records[0].split(";") if "=" in part)
    public = "".join(tags.get("p", "").split())
    if not public:
        return [*findings, Finding(False, _("DKIM: the key at {name} is revoked (empty p=): publish the current "
                                            "public key").format(name=name))]
    signer = load_signer_from(project, publication, where)
    if signer is not None and _matches(signer, public) is False:
        return [*findings, Finding(False, _("DKIM: the key published at {name} is not the public key of the private "
                                            "key in use: every signature would fail; publish the right one").format(
            name=name))]
    return [*findings, Finding(True, _("DKIM key at {name}").format(name=name))]


def _matches(signer: DkimSigner, public: str) -> bool | None:
    """Whether the published key is the signer's (RSA); None when it cannot be told."""
    try:
        private = dkim.crypto.parse_pem_private_key(signer.key)
        published = dkim.crypto.parse_public_key(base64.b64decode(public))
    except (dkim.crypto.UnparsableKeyError, binascii.Error, ValueError, IndexError):
        return None
    return private["modulus"] == published["modulus"] and private["publicExponent"] == published["publicExponent"]


def _dmarc(domain: str) -> list[Finding]:
    # The policy of a subdomain may be its organisation's: example.org's for news.example.org.
    labels = domain.split(".")
    for start in range(len(labels) - 1):
        name = "_dmarc." + ".".join(labels[start:])
        records = [r for r in txt_records(name) if r.replace(" ", "").lower().startswith("v=dmarc1")]
        if records:
            return [Finding(True, _("DMARC at {name}: {record}").format(name=name, record=records[0]))]
    return [Finding(False, _("DMARC: no policy at _dmarc.{domain}: publish a TXT record such as "
                             "`v=DMARC1; p=none; rua=mailto:…` (the reports go to that address)").format(domain=domain))]


def _aligned(signing: str, sender: str) -> bool:
    """DMARC's relaxed alignment, approximated: the same domain, or one under the other."""
    return signing == sender or sender.endswith("." + signing) or signing.endswith("." + sender)
