"""The numéros already in issues/, as ``dossier new`` reads them to start the next one."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..manifest import Issue, load_issue
from ..manifest.model import Month
from ..project import MANIFEST_FILE, Project


@dataclass(frozen=True)
class Numero:
    """A numéro already in issues/: validated, and its YAML as written (before French spacing)."""

    number: int
    manifest: Path
    issue: Issue
    raw: dict[str, Any]


def existing_numeros(project: Project) -> list[Numero]:
    """The numéros in issues/NN/, by number; a manifest that does not validate is an error."""
    numeros = []
    if project.issues_dir.is_dir():
        for folder in project.issues_dir.iterdir():
            manifest = folder / MANIFEST_FILE
            if re.fullmatch(r"\d+", folder.name) and manifest.is_file():
                issue = load_issue(project, manifest)
                raw = yaml.load(manifest.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
                numeros.append(Numero(issue.number, manifest, issue, raw))
    return sorted(numeros, key=lambda n: n.number)


def back_issues(numeros: list[Numero], before: int) -> list[dict[str, Any]]:
    """"(Re)lire" for numéro ``before``: the numéros and every back issue they list, below it, by number.

    A numéro's own manifest is surest about its date; among listings, the latest numéro's wins.
    """
    found: dict[int, dict[str, Any]] = {}

    def add(number: int, date: dt.date | Month | None, url: str | None) -> None:
        entry = found.setdefault(number, {"number": number})
        entry.update({key: value for key, value in (("date", date), ("url", url)) if value is not None})

    for numero in numeros:
        for back in numero.issue.back_issues:
            add(back.number, back.date, back.url)
    for numero in numeros:
        # No setting gives a numéro's own address (the PDF is put online after it is built):
        # a url comes only from a numéro that listed it.
        add(numero.number, numero.issue.date, None)
    return [found[number] for number in sorted(found) if number < before]
