"""The gate before anything goes out: a numéro with « À compléter » left or an image without alt text
is not printed as final, published or mailed.

``require_ready`` is the one call ``build`` (not ``--draft``), ``site`` and ``send --test`` /
``--send`` make before they touch ``output/`` or a server: it raises NotReady, listing every
blocking finding (``issues/04/issue.yaml:12: …``), or returns the warnings (shown, not blocking).
A manifest that does not validate (a missing image file among others) raises its ManifestError.
Only the manifest is read: no layout and no network, so the gate costs a load of the numéro.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    """Numéros' blocking findings, one ``file:line: …`` each, a line per numéro, and what was not done."""

    def __init__(self, found: list[Readiness], outcome: str) -> None:
        self.found = found
        lines = []
        for readiness in found:
            count = len(readiness.blocking)
            lines += [str(p) for p in readiness.blocking]
            lines.append(ngettext("n°{number} is not ready to go out: {count} thing to correct",
                                  "n°{number} is not ready to go out: {count} things to correct",
                                  count).format(number=readiness.number, count=count))
        lines[-1] = _("{summary}; {outcome}").format(summary=lines[-1], outcome=outcome)
        super().__init__("\n".join(lines))


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


def require_ready(project: Project, issue_refs: str | Path | Iterable[str | Path], outcome: str) -> list[Problem]:
    """The numéros' warnings; NotReady (every blocking finding of every numéro, then ``outcome``) if anything blocks."""
    refs = [issue_refs] if isinstance(issue_refs, (str, Path)) else list(issue_refs)
    found = [readiness(project, ref) for ref in refs]
    if blocked := [r for r in found if r.blocking]:
        raise NotReady(blocked, outcome)
    return [warning for r in found for warning in r.warnings]


def not_built() -> str:
    return _("nothing was built (dossier build --draft makes a marked draft)")


def not_published() -> str:
    return _("the site was not written")


def not_sent() -> str:
    return _("nothing was sent")
