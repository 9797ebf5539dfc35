"""What a mailing did, as the CLI prints it: the dry run's .eml files, a sending run, the ledger's status.

Reports only describe: the dry run writes the messages to output/mail-NN/ and sends
nothing; the status reads the ledger without opening it for writing. Partners on the
suppression list are counted by reason ("6 skipped: unsubscribed 3, bounced 3").
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..files import display_path, format_size, replace_folder, write_atomically
from ..i18n import N_, _, decimal, moment, ngettext
from ..manifest.load import load_issue
from ..project import Project
from .ledger import Delivery, Ledger
from .mailing import Mailing, resolve_ledger_path
from .partners import Partner, PartnerList, load_partners
from .suppression import Suppression, SuppressionList, reason_label, skipped_summary


@dataclass(frozen=True)
class DraftMessage:
    address: str
    subject: str
    size: int
    path: Path


# A dry run writes this many messages by default: enough to open a few in a mail client,
# not 20 GB for a list of 100,000 (the others are checked all the same).
DRY_RUN_LIMIT = 100


@dataclass
class DryRunReport:
    folder: Path
    messages: list[DraftMessage]
    already_sent: int
    shown_folder: str
    not_written: int = 0  # pending messages checked but left out by the limit
    skipped: list[str] = field(default_factory=list)  # the suppression reason of each partner left out
    uncertain_before: int = 0  # partners left out: an earlier run's message to them may have arrived

    def lines(self, *, limit: int = 10) -> list[str]:
        if not self.messages:
            return [*(_("dry run: {what}").format(what=line) for line in _nothing_to_send(self.already_sent, self.skipped)),
                    *_uncertain_lines([], self.uncertain_before)]
        sizes = [m.size for m in self.messages]
        out = [ngettext("dry run: {count} message written to {folder}/ (nothing sent)",
                        "dry run: {count} messages written to {folder}/ (nothing sent)",
                        len(self.messages)).format(count=len(self.messages), folder=self.shown_folder)]
        if self.not_written:
            out.append("  " + ngettext("{count} more message was checked but not written (--limit N writes the first N)",
                                       "{count} more messages were checked but not written (--limit N writes the first N)",
                                       self.not_written).format(count=self.not_written))
        if self.already_sent:
            out.append("  " + ngettext("{count} partner already sent this numéro is left out (see --status)",
                                       "{count} partners already sent this numéro are left out (see --status)",
                                       self.already_sent).format(count=self.already_sent))
        if self.skipped:
            out.append("  " + _(_ON_THE_LIST).format(skipped=skipped_summary(self.skipped)))
        out += _uncertain_lines([], self.uncertain_before)
        shown = self.messages[:limit]
        width = max(len(m.address) for m in shown)  # a column, as --status prints its own
        sizes_shown = [format_size(m.size) for m in shown]
        size_width = max(len(s) for s in sizes_shown)
        for message, size in zip(shown, sizes_shown, strict=True):
            out.append(f"  {message.address:<{width}}  {size:>{size_width}}  {message.subject}")
        if len(self.messages) > limit:
            out.append("  " + _("… and {count} more").format(count=len(self.messages) - limit))
        out.append("  " + _("total {total}, largest message {largest}").format(
            total=format_size(sum(sizes)), largest=format_size(max(sizes))))
        out.append(_("to send them: add --send (or --test ADDRESS for one copy to yourself)"))
        return out


def write_dry_run(mailing: Mailing, *, limit: int = DRY_RUN_LIMIT) -> DryRunReport:
    """Write the first ``limit`` pending messages as .eml files in output/mail-NN/, in place of the last dry run's.

    The new folder is written beside the old one and swapped in whole: a failure (a full
    disk) leaves the previous dry run as it was. Every pending message was already
    rendered and checked by prepare_mailing.
    """
    folder = mailing.project.output_dir / f"mail-{mailing.issue.number:02d}"
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    drafts = []
    try:
        for index, partner in enumerate(mailing.pending[:limit], start=1):
            message = mailing.composer.compose(partner)
            # Named from the address, bounded: an address is up to 254 characters, a file name 255 bytes.
            path = fresh / f"{index:04d}-{re.sub(r'[^A-Za-z0-9._@+-]', '_', partner.email)[:60]}.eml"
            write_atomically(path, message.data)
            drafts.append(DraftMessage(partner.email, message.subject, len(message.data), folder / path.name))
        replace_folder(fresh, folder)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    not_written = max(0, len(mailing.pending) - limit)
    return DryRunReport(folder, drafts, mailing.already_sent, display_path(folder, Path.cwd()), not_written,
                       mailing.skipped, len(mailing.uncertain_left_out))


def _nothing_to_send(already_sent: int, skipped: list[str]) -> list[str]:
    if not skipped:
        return [ngettext("nothing to send: the {count} partner was sent this numéro already (see --status)",
                         "nothing to send: the {count} partners were all sent this numéro already (see --status)",
                         already_sent).format(count=already_sent)]
    sent = ngettext("{count} partner was sent this numéro already, ", "{count} partners were sent this numéro already, ",
                    already_sent).format(count=already_sent) if already_sent else ""
    return [_("nothing to send: {sent}{skipped} (on the suppression list: see dossier suppressed)").format(
        sent=sent, skipped=skipped_summary(skipped))]


def _uncertain_lines(now: list[Partner], before: int) -> list[str]:
    """Messages that may have arrived: this run's by address, earlier runs' counted; how to send them again."""
    out = []
    if now:
        out.append("  " + ngettext(
            "{count} message uncertain: the connection was lost after the whole message was sent, so the server may "
            "have stored it; not sent again: {addresses}",
            "{count} messages uncertain: the connection was lost after the whole message was sent, so the server may "
            "have stored them; not sent again: {addresses}", len(now)).format(
                count=len(now), addresses=", ".join(p.email for p in now)))
    if before:
        out.append("  " + ngettext("{count} partner whose message may have arrived (uncertain) was left out",
                                   "{count} partners whose message may have arrived (uncertain) were left out",
                                   before).format(count=before))
    if now or before:
        out.append("  " + _("to send them again anyway (a partner may get it twice): --send --retry-uncertain"))
    return out


# Who was left out because of the suppression list, in the summaries.
_ON_THE_LIST = N_("{skipped} (on the suppression list: see dossier suppressed)")


@dataclass(frozen=True)
class DeliveryEvent:
    """What happened to one partner's message, for a progress display."""

    partner: Partner
    status: Literal["sent", "failed", "uncertain"]
    detail: str  # the Message-ID, the server's refusal, or how the connection was lost


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
    skipped: list[str] = field(default_factory=list)  # the suppression reason of each partner left out
    uncertain: list[Partner] = field(default_factory=list)  # this run's messages that may have arrived
    uncertain_before: int = 0  # partners left out: an earlier run's message to them may have arrived

    def lines(self) -> list[str]:
        if self.total == 0 and not self.failures:
            return [*_nothing_to_send(self.already_sent, self.skipped), *_uncertain_lines([], self.uncertain_before)]
        rate = self.sent / self.seconds * 60 if self.seconds > 0 else 0.0
        if self.sent:
            done = ngettext("sent {sent} of {count} pending message via {server} in {seconds} s ({rate}/min); recorded "
                            "in {ledger}", "sent {sent} of {count} pending messages via {server} in {seconds} s "
                            "({rate}/min); recorded in {ledger}", self.total)
        else:
            done = ngettext("the {count} pending message was not sent (via {server}, {seconds} s); recorded in {ledger}",
                            "none of the {count} pending messages was sent (via {server}, {seconds} s); recorded in "
                            "{ledger}", self.total)
        out = [done.format(sent=self.sent, count=self.total, server=self.server, seconds=decimal(self.seconds),
                           rate=decimal(rate, 0), ledger=self.ledger)]
        if self.already_sent:
            out.append("  " + ngettext("{count} partner already sent this numéro was left out",
                                       "{count} partners already sent this numéro were left out",
                                       self.already_sent).format(count=self.already_sent))
        if self.skipped:
            out.append("  " + _(_ON_THE_LIST).format(skipped=skipped_summary(self.skipped)))
        out += _uncertain_lines(self.uncertain, self.uncertain_before)
        if self.retries or self.connections > 1:
            out.append("  " + _("{retries} retried, {connections} to the server").format(
                retries=ngettext("{count} temporary refusal", "{count} temporary refusals", self.retries).format(
                    count=self.retries),
                connections=ngettext("{count} connection", "{count} connections", self.connections).format(
                    count=self.connections)))
        return out

    def failure_message(self) -> str:
        where = f"{self.partner_list}:" if self.partner_list else ""
        listing = "\n".join(f"{where}{partner.line}: {partner.email}: {reply}" for partner, reply in self.failures)
        summary = ngettext("{failed} of {count} partner could not be sent (recorded as failed; correct the address or "
                           "wait, then run --send again to retry only them)",
                           "{failed} of {count} partners could not be sent (recorded as failed; correct the addresses "
                           "or wait, then run --send again to retry only them)", self.total)
        return f"{listing}\n" + summary.format(failed=len(self.failures), count=self.total)


@dataclass
class StatusReport:
    issue: int
    ledger: str
    partners: PartnerList | None
    rows: list[tuple[str, str, Delivery | None]]  # (status, address, record)
    others: int  # ledger records for addresses not in the list
    suppressed: dict[str, Suppression] = field(default_factory=dict)  # the suppression list

    def lines(self) -> list[str]:
        if self.partners:
            source = ngettext("{list} ({count} partner)", "{list} ({count} partners)", len(self.partners)).format(
                list=self.partners.shown, count=len(self.partners))
        else:
            source = _("all partner lists")
        out = [_("numéro {number}, {source}, ledger {ledger}").format(number=self.issue, source=source, ledger=self.ledger)]
        width = max((len(address) for _status, address, _record in self.rows), default=0)
        labels = {status: _(label) for status, label in STATUS_LABELS.items()}
        label_width = max([8, *(len(labels[status]) for status, _address, _record in self.rows)])
        for status, address, record in self.rows:
            stop = self.suppressed.get(address.lower())
            label = labels[status].ljust(label_width)
            if status == "skipped" and stop is not None:
                why = reason_label(stop.why)
                detail = _("{reason}: {detail}").format(reason=why, detail=stop.detail) if stop.detail else why
                out.append(f"  {label} {address:<{width}}  {moment(stop.at)}  {detail} ({stop.source})")
            elif record is None:
                out.append(f"  {label} {address}")
            else:
                detail = record.message_id if status == "sent" else record.reply
                if status == "uncertain":
                    detail = _("{message_id} may have arrived ({error})").format(message_id=record.message_id,
                                                                                 error=record.reply)
                out.append(f"  {label} {address:<{width}}  {moment(record.at)}  {detail}")
        counts = {s: sum(1 for row in self.rows if row[0] == s)
                  for s in ("sent", "failed", "uncertain", "pending", "skipped")}
        summary = _("{sent} sent, {failed} failed").format(sent=counts["sent"], failed=counts["failed"])
        if counts["uncertain"]:
            summary += _(", {uncertain} uncertain").format(uncertain=counts["uncertain"])
        if self.partners is not None:
            summary += _(", {pending} pending").format(pending=counts["pending"])
            if counts["skipped"]:
                reasons = (self.suppressed[a.lower()].why for s, a, _record in self.rows if s == "skipped")
                summary += f", {skipped_summary(reasons)}"
        elif self.suppressed:
            summary += ngettext("; {count} address on the suppression list (see dossier suppressed)",
                                "; {count} addresses on the suppression list (see dossier suppressed)",
                                len(self.suppressed)).format(count=len(self.suppressed))
        if self.others:
            summary += ngettext("; {count} more address in the ledger for this numéro is not in this list",
                                "; {count} more addresses in the ledger for this numéro are not in this list",
                                self.others).format(count=self.others)
        out.append(summary)
        return out


# A partner's state, as --status shows it.
STATUS_LABELS = {"sent": N_("sent"), "failed": N_("failed"), "uncertain": N_("uncertain"), "pending": N_("pending"),
                 "skipped": N_("skipped")}


def delivery_status(project: Project, issue_ref: str | Path, partners_file: Path | None,
                    *, ledger: Path | None = None) -> StatusReport:
    """Sent / failed / pending per partner of a list (or every ledger record of the numéro without a list)."""
    manifest = project.manifest_for(issue_ref)
    issue = load_issue(project, manifest)
    ledger_path = resolve_ledger_path(project, issue.publication.mail, ledger)
    shown_ledger = display_path(ledger_path, project.root)
    with Ledger.read(ledger_path, shown_ledger) as book:
        records = book.deliveries(issue.number)
        suppressed = SuppressionList(book).all()
    if partners_file is None:
        rows = [(r.status, r.address, r) for r in sorted(records.values(), key=lambda r: (r.status, r.at, r.address))]
        return StatusReport(issue.number, shown_ledger, None, rows, 0, suppressed)
    partners = load_partners(partners_file, display_path(partners_file, Path.cwd()))
    rows = []
    for partner in partners:
        record = records.get(partner.key)
        status = record.status if record else "pending"
        if status != "sent" and partner.key in suppressed:
            status = "skipped"  # suppressed: no numéro goes to this address
        rows.append((status, partner.email, record))
    others = len(set(records) - {p.key for p in partners})
    return StatusReport(issue.number, shown_ledger, partners, rows, others, suppressed)
