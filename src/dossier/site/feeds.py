"""feed.xml (Atom) and sitemap.xml: how readers' feed apps and search engines find the numéros.

Invariants: both are written from the same numéros as the archive, newest first, and are
byte-identical for the same numéros, and well-formed XML whatever the text (the validator refuses
the characters XML cannot hold; they are dropped here too). No date is made up: a numéro's date is the one the
project states (``manifest.dates``). Atom requires an <updated> instant for every entry and
for the feed, so only numéros dated to the day are entries, the feed's <updated> is the
newest of their dates, and with none there is no feed at all (``feed_numeros``); the
sitemap lists every numéro and gives <lastmod> only when the date is known (a month is a
valid W3C date). The sitemap needs absolute addresses, so it is written only when
``site_url`` is set; without it the feed's entries are identified by URNs and its links are
relative to the feed (which Atom allows).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..files import write_atomically
from ..i18n import translation
from ..manifest.characters import xml_text
from ..manifest.dates import NumeroDate
from ..manifest.fields import Month
from ..manifest.model import Issue
from ..weblinks import edition_folder
from .edition import ISSUE_TITLE, PRACTICES

_NAMESPACE = uuid.UUID("9a3e3f1e-0c1b-4e8a-9a65-6b8e2f7b4c11")  # fixed: a numéro keeps its id from run to run
FEED_FILE = "feed.xml"


def _text(value: str) -> str:
    """Text as XML element content: escaped, and without the characters XML cannot hold, whatever got through."""
    return escape(xml_text(value))


def _attribute(value: str) -> str:
    return quoteattr(xml_text(value))


@dataclass(frozen=True)
class Listed:
    """A numéro as the feed and the sitemap list it: its date as stated (or None) and its PDF's size."""

    issue: Issue
    date: NumeroDate | None
    pdf_size: int


def feed_numeros(numeros: list[Listed]) -> list[Listed]:
    """The numéros the Atom feed can carry: those dated to the day (an entry needs an <updated> instant)."""
    return [entry for entry in numeros if isinstance(entry.date, dt.date)]


def _stamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def _w3c(date: NumeroDate) -> str:
    return f"{date.year:04d}-{date.month:02d}" if isinstance(date, Month) else date.isoformat()


def write_feed(stage: Path, site_url: str | None, numeros: list[Listed]) -> bool:
    """Atom feed of the day-dated numéros (newest first) into the staged site; False (nothing written) if none is."""
    dated = feed_numeros(numeros)
    if not dated:
        return False
    publication = dated[0].issue.publication
    base = site_url or ""
    feed_id = f"{site_url}{FEED_FILE}" if site_url else f"urn:uuid:{uuid.uuid5(_NAMESPACE, publication.publisher)}"
    newest = max(entry.date for entry in dated if isinstance(entry.date, dt.date))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
        f"  <title>{_text(publication.series)} · {_text(publication.publisher_short or publication.publisher)}</title>",
        f"  <id>{_text(feed_id)}</id>",
        f"  <updated>{_stamp(newest)}</updated>",
        f"  <author><name>{_text(publication.publisher)}</name></author>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={_attribute(base + 'index.html' if not site_url else base)}/>",
    ]
    if site_url:
        lines.append(f'  <link rel="self" type="application/atom+xml" href={_attribute(site_url + FEED_FILE)}/>')
    for entry in dated:
        issue = entry.issue
        assert isinstance(entry.date, dt.date)
        href = f"{base}{edition_folder(issue.number)}/" + ("" if site_url else "index.html")
        entry_id = href if site_url else f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{publication.publisher}/{issue.slug}')}"
        pdf = f"{base}{edition_folder(issue.number)}/{issue.slug}.pdf"
        themes = ", ".join(theme.theme for theme in issue.practices)
        words = translation(issue.publication.language).gettext
        title = words(ISSUE_TITLE).format(title=issue.title, number=issue.number, subtitle=issue.subtitle)
        lines += [
            "  <entry>",
            f"    <title>{_text(title)}</title>",
            f"    <id>{_text(entry_id)}</id>",
            f"    <published>{_stamp(entry.date)}</published>",
            f"    <updated>{_stamp(entry.date)}</updated>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={_attribute(href)}/>",
            f"    <link rel=\"enclosure\" type=\"application/pdf\" length=\"{entry.pdf_size}\" href={_attribute(pdf)}/>",
            f"    <summary>{_text(words(PRACTICES).format(themes=themes) if themes else issue.subtitle)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    write_atomically(stage / FEED_FILE, ("\n".join(lines) + "\n").encode("utf-8"))
    return True


def write_sitemap(stage: Path, site_url: str, numeros: list[Listed]) -> None:
    """sitemap.xml: the archive and every web edition, with absolute addresses; <lastmod> only where a date is known."""

    def url(loc: str, date: NumeroDate | None) -> str:
        lastmod = f"<lastmod>{_w3c(date)}</lastmod>" if date is not None else ""
        return f"  <url><loc>{_text(loc)}</loc>{lastmod}</url>"

    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        url(site_url, numeros[0].date),  # the archive changed last when its newest numéro came out
    ]
    lines += [url(f"{site_url}{edition_folder(entry.issue.number)}/", entry.date) for entry in numeros]
    lines.append("</urlset>")
    write_atomically(stage / "sitemap.xml", ("\n".join(lines) + "\n").encode("utf-8"))
