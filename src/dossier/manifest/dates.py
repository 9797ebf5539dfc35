"""When each numéro came out, as the project states it: its own ``date:``, else another numéro's "(Re)lire".

Invariants: a date is only ever one an editor wrote: a numéro's ``date:`` wins; without it,
the date a "(Re)lire" entry of another numéro in issues/ gives it (the newest numéro's word
first). Nothing is guessed: a numéro neither names gets None, and the site and the feed
leave the date out rather than make one up. Other manifests are read only for these two
keys, with YAML's safe loader; one that does not read is passed over (its own commands
report it), so a draft with errors never stops another numéro's site or check.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from ..project import Project
from .fields import IssueDate, Month
from .model import Issue

NumeroDate = dt.date | Month
_DATE = TypeAdapter(IssueDate)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 20× faster on a manifest


def stated_dates(project: Project) -> dict[int, NumeroDate]:
    """Each numéro's date as the "(Re)lire" entries of the numéros in issues/ give it."""
    found: dict[int, NumeroDate] = {}
    for number in sorted(project.numbers(), reverse=True):  # the newest numéro's word first
        for entry in _back_issues(project.manifest_for(str(number))):
            found.setdefault(entry[0], entry[1])
    return found


def numero_date(issue: Issue, stated: dict[int, NumeroDate]) -> NumeroDate | None:
    """The numéro's own date, else the one another numéro's "(Re)lire" gives it, else None."""
    return issue.date if issue.date is not None else stated.get(issue.number)


def _back_issues(manifest: Path) -> list[tuple[int, NumeroDate]]:
    try:
        content = yaml.load(manifest.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    entries = content.get("back_issues") if isinstance(content, dict) else None
    found = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or entry.get("date") is None:
            continue
        number = entry.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            continue
        try:
            found.append((number, _DATE.validate_python(entry["date"])))
        except ValidationError:
            continue
    return found
