"""The gate before anything goes out: a numéro with « À compléter » left or an image without alt text
is not printed as final, published or mailed.

``require_ready`` is the one call ``build`` (not ``--draft``), ``site`` and ``send --test`` /
``--send`` make before they touch ``output/`` or a server: it raises NotReady, listing every
blocking finding (``issues/04/issue.yaml:12: …``), or returns the warnings (shown, not blocking).
A manifest that does not validate (a missing image file among others) raises its ManifestError.
Only the manifest is read: no layout and no network, so the gate costs a load of the numéro.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import DossierError, Problem
from ..i18n import _, ngettext
from ..manifest import FieldPath, load_issue_with_lines, locate
from ..project import Project


@dataclass(frozen=True)
class Readiness:
    number: int
    blocking: list[Problem]
    warnings: list[Problem]


class NotReady(DossierError):
    """A numéro's blocking findings, one ``file:line: …`` each, and what was not done."""

    def __init__(self, readiness: Readiness, outcome: str) -> None:
        self.readiness = readiness
        count = len(readiness.blocking)
        summary = ngettext("n°{number} is not ready to go out: {count} thing to correct; {outcome}",
                           "n°{number} is not ready to go out: {count} things to correct; {outcome}",
                           count).format(number=readiness.number, count=count, outcome=outcome)
        super().__init__("\n".join([*(str(p) for p in readiness.blocking), summary]))


def readiness(project: Project, issue_ref: str | Path) -> Readiness:
    """A numéro's blocking findings and warnings from its manifest alone, each in file and line order."""
    from . import content_findings, rules

    manifest = project.manifest_for(issue_ref)
    issue, lines = load_issue_with_lines(project, manifest)

    def at(field: FieldPath, message: str) -> Problem:
        return Problem(*locate(lines, field, lines[()]), "", message)

    content = issue.model_dump(exclude={"publication"})
    stops, warnings = content_findings(issue, content, list(rules.links(issue, content)), at)

    def ordered(found: list[Problem]) -> list[Problem]:
        return sorted(set(found), key=lambda p: (p.file, p.line, p.message))

    return Readiness(issue.number, ordered(stops), ordered(warnings))


def blocking(project: Project, issue_ref: str | Path) -> list[Problem]:
    """What keeps a numéro from going out (empty: it may)."""
    return readiness(project, issue_ref).blocking


def require_ready(project: Project, issue_ref: str | Path, outcome: str) -> list[Problem]:
    """The numéro's warnings; NotReady (saying ``outcome``, e.g. "nothing was sent") if anything blocks."""
    found = readiness(project, issue_ref)
    if found.blocking:
        raise NotReady(found, outcome)
    return found.warnings


def not_built() -> str:
    return _("nothing was built (dossier build --draft makes a marked draft)")


def not_published() -> str:
    return _("the site was not written")


def not_sent() -> str:
    return _("nothing was sent")
