"""``dossier site``: the whole static site, written as one act, rebuilding only the numéros that changed.

Invariants: every numéro is loaded and validated before anything is written, so a numéro
with errors leaves the previous site whole; the new site is staged beside the old one and
swapped in (``folder``); a numéro whose edition hash (``state.edition_hash``) is the one
recorded keeps its folder as it is (hard links), without a print or a resize.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DossierError, ManifestError
from ..files import display_path, write_atomically
from ..i18n import _, decimal, ngettext
from ..manifest.dates import numero_date, stated_dates
from ..manifest.load import load_issue
from ..manifest.model import Issue
from ..project import Project
from ..weblinks import edition_folder
from .archive import write_archive
from .assets import write_assets
from .edition import SiteInfo, write_edition
from .feeds import Listed, write_feed, write_sitemap
from .folder import link_tree, staged_folder
from .render import site_environment
from .search import write_search_page
from .state import STATE_FILE, Digests, SiteState, edition_hash


@dataclass
class SiteReport:
    folder: Path
    rebuilt: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)
    undated: list[int] = field(default_factory=list)  # no date to the day: out of feed.xml
    seconds: float = 0.0

    def lines(self, root: Path) -> list[str]:
        shown = [_("n°{number}: rebuilt").format(number=n) for n in self.rebuilt]
        shown += [_("n°{number}: unchanged").format(number=n) for n in self.kept]
        shown += [_("n°{number}: no date to the day (`date: YYYY-MM-DD` in its issue.yaml, or in a later numéro's "
                    "back_issues): left out of feed.xml").format(number=n) for n in self.undated]
        total = len(self.rebuilt) + len(self.kept)
        rebuilt = ngettext("{count} rebuilt", "{count} rebuilt", len(self.rebuilt)).format(count=len(self.rebuilt)) \
            if self.rebuilt else _("none rebuilt")
        shown.append(ngettext("{count} numéro in {folder}/, {rebuilt}, {seconds} s",
                              "{count} numéros in {folder}/, {rebuilt}, {seconds} s", total).format(
            count=total, folder=display_path(self.folder, root), rebuilt=rebuilt, seconds=decimal(self.seconds, 2)))
        return shown


def build_site(project: Project, refs: tuple[str, ...] = (), output: Path | None = None) -> SiteReport:
    """Write the site of numéros ``refs`` (default: every numéro in issues/) to ``output`` (default output/site/)."""
    started = time.perf_counter()
    target = (Path.cwd() / output).resolve() if output else project.output_dir / "site"
    issues = _load_all(project, refs)
    stated = stated_dates(project)
    dates = {issue.number: date for issue in issues if (date := numero_date(issue, stated)) is not None}
    feed = any(isinstance(date, dt.date) for date in dates.values())
    previous = SiteState.read(target) if (target / STATE_FILE).is_file() else SiteState()
    state, digests, env = SiteState(), Digests(), site_environment(project)
    report = SiteReport(target, undated=[issue.number for issue in issues if not isinstance(dates.get(issue.number), dt.date)])
    with staged_folder(target) as stage:
        assets = write_assets(project, stage, target, issues[0].publication, digests)
        site = SiteInfo(issues[0].publication.site_url, frozenset(issue.number for issue in issues), assets, feed, dates)
        for issue in issues:
            digest = edition_hash(project, issue, digests, site.key(issue))
            folder = edition_folder(issue.number)
            old = previous.editions.get(issue.number)
            if old and old.hash == digest and _complete(target / folder, issue):
                link_tree(target / folder, stage / folder)
                state.editions[issue.number] = old
                report.kept.append(issue.number)
            else:
                state.editions[issue.number] = write_edition(
                    project, issue, stage, env, site, digest=digest, digests=digests,
                    previous=(target / folder, old) if old else None,
                )
                report.rebuilt.append(issue.number)
        write_archive(project, env, stage, site, [(issue, state.editions[issue.number]) for issue in issues])
        write_search_page(project, env, stage, target, site, issues)
        listed = [Listed(issue, dates.get(issue.number), state.editions[issue.number].pdf_size) for issue in issues]
        write_feed(stage, site.site_url, listed)
        if site.site_url:
            write_sitemap(stage, site.site_url, listed)
        write_atomically(stage / STATE_FILE, state.to_bytes())
    report.seconds = time.perf_counter() - started
    return report


def _load_all(project: Project, refs: tuple[str, ...]) -> list[Issue]:
    """The numéros to publish, newest first; every problem of every numéro reported at once."""
    if refs:
        manifests = [project.manifest_for(ref) for ref in refs]
    else:
        manifests = [project.manifest_for(str(number)) for number in sorted(project.numbers())]
    if not manifests:
        raise DossierError(_("issues/: no numéro to publish: start one with 'dossier new'"))
    issues, problems = {}, []
    for manifest in dict.fromkeys(manifests):
        try:
            issue = load_issue(project, manifest)
        except ManifestError as exc:
            problems += exc.problems
            continue
        issues[issue.number] = issue
    if problems:
        raise ManifestError(problems)
    return [issues[number] for number in sorted(issues, reverse=True)]


def _complete(folder: Path, issue: Issue) -> bool:
    return (folder / "index.html").is_file() and (folder / f"{issue.slug}.pdf").is_file()
