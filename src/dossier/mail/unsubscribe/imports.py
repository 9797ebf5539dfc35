"""``dossier import-unsubscribes FILE``: the endpoint's requests put on the suppression list.

Invariants: a request acts only when its token's signature is right (DOSSIER_SECRET) and
the ledger records that numéro as sent (or uncertain) to the partner it names; each
token acts once, ever (remembered with the messages ``dossier inbox`` read): a replayed
request, the same file imported twice, or a request after a resubscribe changes nothing.
Everything is applied in one transaction; every request gets a line saying what it did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...errors import DossierError
from ...files import display_path
from ...i18n import Nn_, _, moment, ngettext
from ...project import Project
from ..ledger import Ledger
from ..manage import project_ledger
from ..suppression import SuppressionList
from ..tokens import SECRET_VARIABLE, secret_from_environ
from .links import parse_link_token, partner_pseudonym
from .records import Request, read_requests

SEEN_PREFIX = "one-click:"  # the key under which an imported token is remembered


@dataclass
class ImportReport:
    shown: str
    lines: list[str] = field(default_factory=list)
    suppressed: int = 0
    repeated: int = 0
    ignored: int = 0

    def summary(self) -> list[str]:
        total = self.suppressed + self.repeated + self.ignored
        if not total:
            return [*self.lines, _("{file}: no requests read").format(file=self.shown)]
        counts = [ngettext(*forms, count).format(count=count) for count, forms in (
            (self.suppressed, Nn_("{count} address unsubscribed", "{count} addresses unsubscribed")),
            (self.repeated, Nn_("{count} already imported", "{count} already imported")),
            (self.ignored, Nn_("{count} without effect", "{count} without effect"))) if count]  # no « 0 … »
        return [*self.lines, ngettext("{file}: {count} request read: {counts}", "{file}: {count} requests read: {counts}",
                                      total).format(file=self.shown, count=total, counts=", ".join(counts))]


def import_unsubscribes(project: Project, requests_file: Path, *, ledger: Path | None = None) -> ImportReport:
    """Apply every request of the endpoint's file to the project's suppression list."""
    secret = secret_from_environ()
    if secret is None:
        raise DossierError(_("{variable} is not set: set the secret the unsubscribe links were made with").format(
            variable=SECRET_VARIABLE))
    shown = display_path(requests_file, Path.cwd())
    report = ImportReport(shown)
    path, shown_ledger = project_ledger(project, ledger)
    try:
        with Ledger.open(path, shown_ledger) as book:
            stops = SuppressionList(book)
            partners: dict[int, dict[str, str]] = {}  # numéro → pseudonym → address, for the numéros asked about
            with stops.transaction():
                for request in read_requests(requests_file):
                    if not isinstance(request, Request):
                        report.ignored += 1
                        report.lines.append(f"{shown}:{request[0]}: {_(request[1])}")
                        continue
                    if request.issue not in partners:
                        sent = book.deliveries(request.issue).values()
                        partners[request.issue] = {partner_pseudonym(secret, d.address): d.address for d in sent
                                                   if d.status in {"sent", "uncertain"}}
                    _apply(request, secret, partners[request.issue], stops, report)
    except OSError as exc:
        raise DossierError(_("{file}: cannot read the unsubscribe requests: {error}").format(
            file=shown, error=exc.strerror or exc)) from None
    return report


def _apply(request: Request, secret: bytes, partners: dict[str, str], stops: SuppressionList,
           report: ImportReport) -> None:
    where = f"{report.shown}:{request.line}"
    parsed = parse_link_token(secret, request.token)
    if parsed is None or (parsed.issue, parsed.partner) != (request.issue, request.partner):
        report.ignored += 1
        report.lines.append(_("{where}: token not valid (forged, damaged, or made with another {variable}): "
                              "ignored").format(where=where, variable=SECRET_VARIABLE))
        return
    address = partners.get(parsed.partner)
    if address is None:
        report.ignored += 1
        report.lines.append(_("{where}: the ledger records no message of numéro {number} sent to the partner of this "
                              "link (a test copy, a dry run's draft, another project): ignored").format(
            where=where, number=parsed.issue))
        return
    key = SEEN_PREFIX + request.token
    if stops.seen(key):
        report.repeated += 1
        report.lines.append(_("{where}: {address}: already imported (the same link again): nothing to do").format(
            where=where, address=address))
        return
    source = _("one-click link of numéro {number}, {at}").format(number=parsed.issue, at=moment(request.at))
    if stops.suppress(address, "unsubscribed", source):
        report.suppressed += 1
        report.lines.append(_("{where}: {address}: unsubscribed ({source})").format(
            where=where, address=address, source=source))
    else:
        report.repeated += 1
        report.lines.append(_("{where}: {address}: already on the suppression list").format(where=where, address=address))
    stops.mark_seen(key, "unsubscribed")
