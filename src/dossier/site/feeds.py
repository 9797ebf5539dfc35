"""feed.xml (Atom) and sitemap.xml: how readers' feed apps and search engines find the numéros.

Invariants: both are written from the same numéros as the archive, newest first, and are
byte-identical for the same numéros; both are well-formed XML whatever the text (the validator
refuses characters XML cannot hold, and they are dropped here too). The sitemap needs absolute addresses, so it is written
only when ``site_url`` is set; without it the feed's entries are identified by URNs and its
links are relative to the feed (which Atom allows).
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..files import write_atomically
from ..i18n import translation
from ..manifest.characters import xml_text
from ..manifest.model import Issue
from ..weblinks import edition_folder
from .edition import ISSUE_TITLE, PRACTICES

_NAMESPACE = uuid.UUID("9a3e3f1e-0c1b-4e8a-9a65-6b8e2f7b4c11")  # fixed: a numéro keeps its id from run to run


def _text(value: str) -> str:
    """Text as XML element content: escaped, and without the characters XML cannot hold, whatever got through."""
    return escape(xml_text(value))


def _attribute(value: str) -> str:
    return quoteattr(xml_text(value))


def _date(issue: Issue) -> dt.date:
    if issue.date is None:
        return dt.date(2000, 1, 1)
    return dt.date(issue.date.year, issue.date.month, getattr(issue.date, "day", 1))


def _stamp(issue: Issue) -> str:
    return f"{_date(issue).isoformat()}T00:00:00Z"


def write_feed(stage: Path, site_url: str | None, numeros: list[Issue]) -> None:
    """Atom feed of the numéros (newest first) into the staged site."""
    publication = numeros[0].publication
    base = site_url or ""
    feed_id = f"{site_url}feed.xml" if site_url else f"urn:uuid:{uuid.uuid5(_NAMESPACE, publication.publisher)}"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
        f"  <title>{_text(publication.series)} · {_text(publication.publisher_short or publication.publisher)}</title>",
        f"  <id>{_text(feed_id)}</id>",
        f"  <updated>{max(_stamp(issue) for issue in numeros)}</updated>",
        f"  <author><name>{_text(publication.publisher)}</name></author>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={_attribute(base or './')}/>",
    ]
    if site_url:
        lines.append(f'  <link rel="self" type="application/atom+xml" href={_attribute(site_url + "feed.xml")}/>')
    for issue in numeros:
        href = f"{base}{edition_folder(issue.number)}/"
        entry_id = href if site_url else f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{publication.publisher}/{issue.slug}')}"
        themes = ", ".join(theme.theme for theme in issue.practices)
        words = translation(issue.publication.language).gettext
        title = words(ISSUE_TITLE).format(title=issue.title, number=issue.number, subtitle=issue.subtitle)
        lines += [
            "  <entry>",
            f"    <title>{_text(title)}</title>",
            f"    <id>{_text(entry_id)}</id>",
            f"    <updated>{_stamp(issue)}</updated>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={_attribute(href)}/>",
            f"    <link rel=\"enclosure\" type=\"application/pdf\" href={_attribute(f'{href}{issue.slug}.pdf')}/>",
            f"    <summary>{_text(words(PRACTICES).format(themes=themes) if themes else issue.subtitle)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    write_atomically(stage / "feed.xml", ("\n".join(lines) + "\n").encode("utf-8"))


def write_sitemap(stage: Path, site_url: str, numeros: list[Issue]) -> None:
    """sitemap.xml: the archive and every web edition, with absolute addresses."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        f"  <url><loc>{_text(site_url)}</loc><lastmod>{_date(numeros[0]).isoformat()}</lastmod></url>",
    ]
    for issue in numeros:
        loc = f"{site_url}{edition_folder(issue.number)}/"
        lines.append(f"  <url><loc>{_text(loc)}</loc><lastmod>{_date(issue).isoformat()}</lastmod></url>")
    lines.append("</urlset>")
    write_atomically(stage / "sitemap.xml", ("\n".join(lines) + "\n").encode("utf-8"))
