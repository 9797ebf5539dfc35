"""What ``dossier inbox`` did, message by message: the address, the decision and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ...i18n import N_, Nn_, _, ngettext
from .classify import Verdict
from .parse import shown

# The summary's order; "used" outcomes are the ones --mark flags as seen.
OUTCOMES = ("unsubscribed", "bounced", "complained", "soft bounce counted", "already suppressed", "already read",
            "for review", "not classified", "ignored", "unreadable")
USED = {"unsubscribed", "bounced", "complained", "soft bounce counted", "already suppressed", "already read"}
# The outcomes as the report names them, in the run's language.
OUTCOME_LABELS = {
    "unsubscribed": N_("unsubscribed"), "bounced": N_("bounced"), "complained": N_("complained"),
    "soft bounce counted": N_("soft bounce counted"), "already suppressed": N_("already suppressed"),
    "already read": N_("already read"), "for review": N_("for review"), "not classified": N_("not classified"),
    "ignored": N_("ignored"), "unreadable": N_("unreadable"),
}
# The summary's counts, each agreeing with its number (« 2 déjà lus »).
OUTCOME_COUNTS = {
    "unsubscribed": Nn_("{count} unsubscribed", "{count} unsubscribed"),
    "bounced": Nn_("{count} bounced", "{count} bounced"),
    "complained": Nn_("{count} complained", "{count} complained"),
    "soft bounce counted": Nn_("{count} soft bounce counted", "{count} soft bounces counted"),
    "already suppressed": Nn_("{count} already suppressed", "{count} already suppressed"),
    "already read": Nn_("{count} already read", "{count} already read"),
    "for review": Nn_("{count} for review", "{count} for review"),
    "not classified": Nn_("{count} not classified", "{count} not classified"),
    "ignored": Nn_("{count} ignored", "{count} ignored"),
    "unreadable": Nn_("{count} unreadable", "{count} unreadable"),
}


@dataclass(frozen=True)
class Entry:
    where: str
    verdict: Verdict
    outcome: str  # one of OUTCOMES
    note: str = ""  # what was done, when more than the outcome: "2 of 3", "3 in a row: suppressed"

    @property
    def used(self) -> bool:
        return self.outcome in USED

    def line(self) -> str:
        outcome = _(OUTCOME_LABELS[self.outcome])
        done = f"{outcome} ({self.note})" if self.note else outcome
        return "  " + _("{where}: {address}: {outcome}: {why}").format(
            where=self.where, address=shown(self.verdict.address or "-", 120), outcome=done, why=self.verdict.why)


@dataclass
class InboxReport:
    source: str
    ledger: str
    entries: list[Entry] = field(default_factory=list)
    marked: int = 0
    reconnects: int = 0

    def lines(self) -> list[str]:
        out = [entry.line() for entry in self.entries if entry.outcome != "already read"]
        counts = Counter(entry.outcome for entry in self.entries)
        parts = [ngettext(*OUTCOME_COUNTS[name], counts[name]).format(count=counts[name]) for name in OUTCOMES if counts[name]]
        summary = ngettext("inbox: {count} message read from {source}", "inbox: {count} messages read from {source}",
                           len(self.entries)).format(count=len(self.entries), source=self.source) if self.entries \
            else _("inbox: no message read from {source}").format(source=self.source)
        if parts:
            summary = _("{summary}: {counts}").format(summary=summary, counts=", ".join(parts))
        out.append(_("{summary}; suppression list in {ledger}").format(summary=summary, ledger=self.ledger))
        if self.marked:
            out.append("  " + ngettext("{count} message used flagged as seen", "{count} messages used flagged as seen",
                                       self.marked).format(count=self.marked))
        if self.reconnects:
            out.append("  " + ngettext("the connection to the mailbox was lost and reopened {count} time",
                                       "the connection to the mailbox was lost and reopened {count} times",
                                       self.reconnects).format(count=self.reconnects))
        if counts["for review"]:
            out.append("  " + ngettext(
                "{count} message to review (à vérifier): dossier inbox --review lists it; --confirm N or --dismiss N "
                "decides", "{count} messages to review (à vérifier): dossier inbox --review lists them; --confirm N or "
                "--dismiss N decides", counts["for review"]).format(count=counts["for review"]))
        left = counts["not classified"] + counts["unreadable"]
        if left:
            out.append("  " + ngettext("{count} message is left for a person: read it in the mailbox",
                                       "{count} messages are left for a person: read them in the mailbox",
                                       left).format(count=left))
        return out
