"""The suppression list's commands: ``dossier unsubscribe``, ``resubscribe`` and ``suppressed``.

They work on the project's ledger (``mail.ledger`` of publication.yaml, or --ledger),
need no numéro, and write nothing unless every address given is valid: a list file
is read (and checked) like a partner list. Each act is logged with its source.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..csv_export import csv_text
from ..errors import DossierError
from ..files import display_path
from ..i18n import _, moment, ngettext
from ..manifest.load import load_publication
from ..manifest.model import email_address
from ..project import Project
from .ledger import Ledger
from .mailing import resolve_ledger_path
from .partners import load_partners
from .suppression import SuppressionList, reason_label


def project_ledger(project: Project, override: Path | None) -> tuple[Path, str]:
    """The ledger's path (from --ledger, else publication.yaml's mail.ledger) and its name as shown."""
    path = resolve_ledger_path(project, load_publication(project).mail, override)
    return path, display_path(path, project.root)


def unsubscribe(project: Project, addresses: Sequence[str], list_file: Path | None, *,
                reason: str | None = None, ledger: Path | None = None) -> list[str]:
    """Suppress each address (why: manual); one line per address, then a count."""
    wanted = [(_address(text), "dossier unsubscribe") for text in addresses]
    if list_file is not None:
        partners = load_partners(list_file, display_path(list_file, Path.cwd()))
        wanted += [(p.email, f"dossier unsubscribe --file {partners.shown}:{p.line}") for p in partners]
    if not wanted:
        raise DossierError(_("give the addresses to unsubscribe, or --file LIST (a .csv or .yaml list)"))
    path, shown = project_ledger(project, ledger)
    out, added = [], 0
    with Ledger.open(path, shown) as book:
        stops = SuppressionList(book)
        with stops.transaction():
            for address, source in wanted:
                previous = stops.get(address)
                if stops.suppress(address, "manual", source, reason):
                    added += 1
                    why = reason_label("manual")
                    if reason:
                        why = _("{reason}: {detail}").format(reason=why, detail=reason)
                    out.append(_("{address}: suppressed ({why})").format(address=address, why=why))
                else:
                    assert previous is not None
                    out.append(_("{address}: already suppressed ({why}, {at})").format(
                        address=address, why=reason_label(previous.why), at=moment(previous.at)))
    if not added:  # « aucune adresse ajoutée », not « 0 adresse ajoutée »
        out.append(_("no address added to the suppression list in {ledger}").format(ledger=shown))
    else:
        out.append(ngettext("{count} added to the suppression list in {ledger}; no numéro will be sent to it",
                            "{count} added to the suppression list in {ledger}; no numéro will be sent to them",
                            added).format(count=added, ledger=shown))
    return out


def resubscribe(project: Project, address: str, *, ledger: Path | None = None) -> str:
    """Take an address off the list again: an explicit act, logged."""
    address = _address(address)
    path, shown = project_ledger(project, ledger)
    with Ledger.open(path, shown) as book:
        stops = SuppressionList(book)
        with stops.transaction():
            previous = stops.resubscribe(address, "dossier resubscribe")
    if previous is None:
        return _("{address}: not on the suppression list: nothing to do").format(address=address)
    return (_("{address}: resubscribed (was {why} on {at}, from {source}); later numéros will be sent to it").format(
        address=address, why=reason_label(previous.why), at=moment(previous.at), source=previous.source))


def suppressed(project: Project, *, as_csv: bool = False, ledger: Path | None = None) -> str:
    """The list, as a table or as CSV (an email column: ``unsubscribe --file`` reads it back)."""
    path, shown = project_ledger(project, ledger)
    with Ledger.read(path, shown) as book:
        rows = list(SuppressionList(book).all().values())
    if as_csv:
        return csv_text(("email", "why", "at", "source", "detail"),
                        ((r.address, r.why, r.at, r.source, r.detail or "") for r in rows))
    if not rows:
        return _("the suppression list in {shown} is empty").format(shown=shown)
    width = max(len(r.address) for r in rows)
    why_width = max(12, *(len(reason_label(r.why)) for r in rows))
    detail = _(" ({detail})")
    lines = [f"{r.address:<{width}}  {reason_label(r.why):<{why_width}}  {moment(r.at)}  {r.source}"
             f"{detail.format(detail=r.detail) if r.detail else ''}" for r in rows]
    total = ngettext("{count} suppressed address in {ledger}", "{count} suppressed addresses in {ledger}",
                     len(rows)).format(count=len(rows), ledger=shown)
    return "\n".join([*lines, total])


def _address(text: str) -> str:
    try:
        return email_address(text)
    except ValueError as exc:
        raise DossierError(str(exc)) from None  # a translated message, the address quoted in it
