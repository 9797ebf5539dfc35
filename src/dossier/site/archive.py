"""The archive, the site's index.html: every numéro published, newest first.

Each entry shows the numéro's cover (from its PDF's first page), number, theme line, date,
the themes of its "Bonnes pratiques", and links to its web edition and its PDF with the
PDF's size.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..colours import lightened_for
from ..files import write_atomically
from ..i18n import N_, translation
from ..manifest.model import Issue
from ..project import Project
from ..weblinks import edition_folder
from .edition import DARK_BACKGROUND, SEARCH_PAGE, SiteInfo
from .images import SOCIAL_FILE, cover_image
from .render import render_page
from .state import EditionRecord

PAGE = "archive.html.j2"


def write_archive(project: Project, env: jinja2.Environment, stage: Path, site: SiteInfo,
                  numeros: list[tuple[Issue, EditionRecord]]) -> None:
    """index.html of the staged site; ``numeros`` newest first (the newest gives the publication's look)."""
    publication = numeros[0][0].publication
    entries = []
    for issue, record in numeros:
        folder = f"{edition_folder(issue.number)}/"
        entries.append({
            "issue": issue,
            "href": f"{folder}index.html",  # named: a folder opened from disk shows a listing, not its index
            "pdf": {"href": f"{folder}{issue.slug}.pdf", "size": record.pdf_size, "pages": record.pages},
            "cover": cover_image(record.cover, folder) if record.cover else None,
        })
    html = render_page(
        project, env, PAGE,
        publication=publication,
        entries=entries,
        root="",
        assets=site.assets,
        search_page=SEARCH_PAGE,
        dates=site.dates,
        feed="feed.xml" if site.feed else None,
        canonical=site.site_url,
        social_image=f"{site.site_url}{edition_folder(numeros[0][0].number)}/{SOCIAL_FILE}" if site.site_url else None,
        accent=publication.colours.accent,
        accent_dark=lightened_for(publication.colours.accent, DARK_BACKGROUND),
        description=translation(publication.language).gettext(N_("The issues of {series} by {publisher}.")).format(
            series=publication.series, publisher=publication.publisher),
    )
    write_atomically(stage / "index.html", html.encode("utf-8"))
