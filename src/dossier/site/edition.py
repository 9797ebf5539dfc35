"""A numéro's web edition: the folder NN/ with its page, its PDF, its cover and its images.

Invariants: the page has the PDF's content in the PDF's order (édito, sommaire, every
initiative, resources, readings, back pages); each initiative is an ``<article>`` whose id
is its anchor (``weblinks.initiative_anchors``); the PDF is the one ``dossier build``
makes, built first when missing or older than its sources.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..colours import lightened_for
from ..files import write_atomically
from ..i18n import N_, translation
from ..manifest.dates import NumeroDate
from ..manifest.model import Issue
from ..project import Project
from ..weblinks import edition_folder, edition_url, highlighted, initiative_anchors, theme_anchor
from .assets import Assets
from .folder import link_file
from .images import (
    IMAGES_FOLDER,
    SOCIAL_FILE,
    WebImage,
    mail_image_name,
    mail_jpeg,
    variants_of,
    write_cover,
    write_variants,
)
from .render import render_page
from .state import Digests, EditionRecord

PAGE = "edition.html.j2"
SEARCH_PAGE = "recherche.html"  # the site's search page (search.py), linked from every edition
# The lightest dark surface of web.css's dark mode (--tint: cards, the sommaire): accents are lightened until
# they read on it, hence on the darker page too.
DARK_BACKGROUND = "#1f2226"


@dataclass(frozen=True)
class SiteInfo:
    """What every page of one site shares."""

    site_url: str | None  # absolute, ending with "/"; None: no canonical or Open Graph addresses
    published: frozenset[int]  # the numéros in this site
    assets: Assets = Assets()
    feed: bool = False  # whether feed.xml is written (a numéro dated to the day)
    dates: Mapping[int, NumeroDate] = field(default_factory=dict)  # each numéro's date as the project states it

    def key(self, issue: Issue) -> str:
        """What an edition takes from the site beside it: part of its hash."""
        return f"{sorted(self.published)}\0{self.assets.key()}\0{self.feed}\0{self.dates.get(issue.number)!r}"


def pdf_for(project: Project, issue: Issue) -> Path:
    """The numéro's PDF in output/, built first unless it is the print of its current sources (the build cache)."""
    # Imported here: an unchanged site never loads WeasyPrint.
    from ..press import build_issue, is_up_to_date

    _, pdf_path = project.output_paths(issue.slug)
    if not is_up_to_date(project, issue.manifest, pdf_path):
        pdf_path = build_issue(project, issue.manifest).pdf_path
    return pdf_path


def write_edition(project: Project, issue: Issue, stage: Path, env: jinja2.Environment, site: SiteInfo, *,
                  digest: str, digests: Digests, previous: tuple[Path, EditionRecord] | None) -> EditionRecord:
    """Write numéro ``issue``'s folder into the staged site; images unchanged since ``previous`` are linked, not resized."""
    folder = stage / edition_folder(issue.number)
    folder.mkdir(parents=True)
    pdf_path = pdf_for(project, issue)
    shutil.copyfile(pdf_path, folder / f"{issue.slug}.pdf")
    cover, pages = write_cover(pdf_path, folder, issue, project.styles_dir / "fonts")
    record = EditionRecord(hash=digest, pdf_size=pdf_path.stat().st_size, pages=pages, cover=cover)
    images = {use.path: _image(project.root / use.path, digests, folder, record, previous) for use in issue.images()}
    _newsletter_images(project, issue, digests, folder, previous)
    html = render_page(project, env, PAGE, **edition_context(issue, site, record, images))
    write_atomically(folder / "index.html", html.encode("utf-8"))
    return record


def render_edition(project: Project, issue: Issue, site: SiteInfo, record: EditionRecord,
                   images: dict[str, WebImage]) -> str:
    """The web edition's page alone (the preview shows it at /web, images as they are in the project)."""
    from .render import site_environment

    return render_page(project, site_environment(project), PAGE, **edition_context(issue, site, record, images))


def _image(source: Path, digests: Digests, folder: Path, record: EditionRecord,
           previous: tuple[Path, EditionRecord] | None) -> WebImage:
    digest = digests(source)
    if digest not in record.images:
        old = previous[1].images.get(digest) if previous else None
        if old and all((previous[0] / IMAGES_FOLDER / name).is_file() for name, _, _ in old):
            for name, _, _ in old:
                link_file(previous[0] / IMAGES_FOLDER / name, folder / IMAGES_FOLDER / name)
            record.images[digest] = old
        else:
            record.images[digest] = write_variants(source, digest, folder / IMAGES_FOLDER)
    return variants_of(record.images[digest])


def _newsletter_images(project: Project, issue: Issue, digests: Digests, folder: Path,
                       previous: tuple[Path, EditionRecord] | None) -> None:
    """The JPEGs the newsletter links for its highlighted initiatives (``mail.newsletter.highlights``), in images/."""
    for t, i in highlighted(issue):
        path = issue.practices[t].initiatives[i].image
        if not path or path.lower().endswith(".svg"):
            continue
        source = project.root / path
        name = mail_image_name(source, digests(source))
        target = folder / IMAGES_FOLDER / name
        if target.exists():
            continue
        if previous and (previous[0] / IMAGES_FOLDER / name).is_file():
            link_file(previous[0] / IMAGES_FOLDER / name, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(mail_jpeg(source)[0])


def edition_context(issue: Issue, site: SiteInfo, record: EditionRecord, images: dict[str, WebImage]) -> dict[str, object]:
    """What edition.html.j2 is given."""
    colours = issue.publication.colours
    canonical = edition_url(site.site_url, issue.number) if site.site_url else None
    return {
        "issue": issue,
        "publication": issue.publication,
        "root": "../",
        "assets": site.assets,
        "search_page": SEARCH_PAGE,
        "date": site.dates.get(issue.number, issue.date),
        "canonical": canonical,
        "social_image": f"{canonical}{SOCIAL_FILE}" if canonical else None,
        "feed": "../feed.xml" if site.feed else None,
        "cover_photo": images.get(issue.cover_image) if issue.cover_image else None,
        "accent": colours.accent,
        "accent_dark": lightened_for(colours.accent, DARK_BACKGROUND),
        "themes": [
            {"theme": theme, "anchor": theme_anchor(n + 1), "colour": issue.theme_colour(n),
             "colour_dark": lightened_for(issue.theme_colour(n), DARK_BACKGROUND)}
            for n, theme in enumerate(issue.practices)
        ],
        "anchors": initiative_anchors(issue),
        "image": images.get,
        "pdf": {"name": f"{issue.slug}.pdf", "size": record.pdf_size, "pages": record.pages},
        "relire": [(back, _back_link(back, site)) for back in issue.back_issues],
        "description": _description(issue),
    }


def _back_link(back, site: SiteInfo) -> str | None:  # noqa: ANN001 - manifest BackIssue
    """A "(Re)lire" entry: the numéro's folder when it is in this site, else its own url."""
    if back.number in site.published:
        return f"../{edition_folder(back.number)}/index.html"  # named, for the site opened from disk
    return back.url


def _description(issue: Issue) -> str:
    words = translation(issue.publication.language).gettext  # the site speaks the publication's language
    themes = ", ".join(theme.theme for theme in issue.practices)
    text = words(ISSUE_TITLE).format(title=issue.title, number=issue.number, subtitle=issue.subtitle) + "."
    return text + " " + words(PRACTICES).format(themes=themes) + "." if themes else text


ISSUE_TITLE = N_("{title} n°{number}: {subtitle}")
PRACTICES = N_("Good practices: {themes}")
