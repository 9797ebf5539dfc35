"""What ``dossier inbox`` did, message by message: the address, the decision and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .classify import Verdict

# The summary's order; "used" outcomes are the ones --mark flags as seen.
OUTCOMES = ("unsubscribed", "bounced", "complained", "soft bounce counted", "already suppressed", "already read",
            "for review", "not classified", "ignored", "unreadable")
USED = {"unsubscribed", "bounced", "complained", "soft bounce counted", "already suppressed", "already read"}


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
        done = f"{self.outcome} ({self.note})" if self.note else self.outcome
        return f"  {self.where}: {self.verdict.address or '-'}: {done}: {self.verdict.why}"


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
        parts = [f"{counts[name]} {name}" for name in OUTCOMES if counts[name]]
        summary = f"inbox: {len(self.entries)} messages read from {self.source}"
        summary += f": {', '.join(parts)}" if parts else ""
        out.append(f"{summary}; suppression list in {self.ledger}")
        if self.marked:
            out.append(f"  {self.marked} messages used flagged as seen")
        if self.reconnects:
            out.append(f"  the connection to the mailbox was lost and reopened {self.reconnects} times")
        left = counts["for review"] + counts["not classified"] + counts["unreadable"]
        if left:
            out.append(f"  {left} messages are left for a person: read them in the mailbox")
        return out
