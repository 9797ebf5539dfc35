"""Editorial checks beyond validation: links, duplicates, alt texts, image resolution, card length.

Validation says whether a manifest can be printed; checks say what an editor should fix
before sending it: each finding is ``file:line: message``, in file and line order. Printed
sizes come from the real layout, so the dpi of an image is measured where it is printed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ..errors import Problem
from ..i18n import _
from ..manifest import FieldPath, Issue, load_issue_with_lines, locate
from ..manifest.dates import stated_dates
from ..manifest.model import placeholder
from ..project import Project
from . import rules
from .layout import layout_findings
from .links import LINK_TIMEOUT, Link, check_links

__all__ = ["NotReady", "blocking", "check_issue", "readiness", "require_ready"]


class Checked(NamedTuple):
    findings: list[Problem]
    blocking: frozenset[Problem]  # those that keep build, site and send from going ahead


def check_issue(
    project: Project,
    issue_ref: str | Path,
    *,
    online: bool = False,
    timeout: float = LINK_TIMEOUT,
    cache_path: Path | None = None,
) -> Checked:
    """Every finding for a numéro, in file and line order, and those of them that block (the gate's own:
    ``content_findings``). Raises ManifestError if it does not validate."""
    manifest = project.manifest_for(issue_ref)
    issue, lines = load_issue_with_lines(project, manifest)

    def at(field: FieldPath, message: str) -> Problem:
        return Problem(*locate(lines, field, lines[()]), "", message, path=field)

    content = issue.model_dump(exclude={"publication"})  # the numéro's own fields, walked by two rules
    links = list(rules.links(issue, content))
    stops, findings = content_findings(issue, content, links, at)
    findings += stops
    if rules.undated(issue, stated_dates(project)):  # other numéros' (Re)lire may date it: not the manifest alone
        findings.append(at(("date",), _("no date: add `date: YYYY-MM-DD` (when it comes out); without it the site shows "
                                        "none and its feed leaves this numéro out")))
    findings += [at(field, message) for field, message in layout_findings(project, issue)]
    if online:
        cache = cache_path or project.root / ".dossier" / "links.json"
        findings += [at(link.field, message) for link, message in check_links(links, timeout=timeout, cache_path=cache)]
    return Checked(sorted(set(findings), key=lambda p: (p.file, p.line, p.message)), frozenset(stops))


def content_findings(issue: Issue, content: dict, links: list[Link], at: Callable[[FieldPath, str], Problem],
                     ) -> tuple[list[Problem], list[Problem]]:
    """The findings from the manifest alone (no layout, no network): (blocking, warnings).

    Blocking: what must never reach a partner (« À compléter » left, an image without alt text).
    """
    to_write = placeholder(issue.publication.language)  # what dossier new wrote, in the publication's language
    left = _("still «\u202f{placeholder}\u202f» from 'dossier new': write the text, or remove the entry")
    stops = [at(field, left.format(placeholder=to_write)) for field in rules.placeholders(content, (), to_write)]
    stops += [
        at(field, _("image without alt text: describe it in 'alt' (what a reader who cannot see it should know)"))
        for field in rules.images_without_alt(issue)
    ]
    warnings = [
        at(link.field, _("{url}: insecure http:// link: use https:// if the site offers it").format(url=link.url))
        for link in links
        if link.url.startswith("http://")
    ]
    warnings += [at(field, message) for field, message in rules.duplicates(issue, to_write)]
    warnings += [at(field, message) for field, message in rules.contrast_findings(issue)]
    warnings += [at(field, _("this action has no url: the PDF and the web edition show it as plain text, not as a button; add "
                             "its url (https://…) if it should lead somewhere")) for field in rules.actions_without_url(issue)]
    warnings += [at(field, _("looks English: add lang: en to this entry, so that it gets English typography and "
                             "hyphenation")) for field in rules.english_without_lang(issue)]
    return stops, warnings


from .gate import NotReady, blocking, readiness, require_ready  # noqa: E402 - the gate uses content_findings
