"""Addresses of the web edition, shared by the print ("(Re)lire" links), the site and the newsletter.

Invariants: a numéro's web edition is the site's folder ``NN/`` (two digits, as in issues/),
with its PDF beside it under the PDF's own name. An initiative's anchor is made from its
title alone, so it stays the same when texts change or cards move, and it is unique in its
numéro: a title that gives an anchor already taken gets "-2", "-3"….
"""

from __future__ import annotations

import re
import unicodedata

from .manifest.model import BackIssue, Issue

# Ids the web edition gives its parts: an initiative never takes one of them.
PART_IDS = frozenset({"contenu", "edito", "relire", "sommaire", "bonnes-pratiques", "ressources", "analyse", "pages",
                      "drawer"})
MAX_ANCHOR = 80  # characters: the whole title for most, a readable address for the longest
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})


def slugify(text: str) -> str:
    """``text`` as an anchor: lower case ASCII words joined by hyphens (accents dropped, ligatures spelled out)."""
    plain = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > MAX_ANCHOR:
        slug = slug[:MAX_ANCHOR].rsplit("-", 1)[0]
    return slug or "initiative"


def initiative_anchors(issue: Issue) -> list[list[str]]:
    """Each initiative's anchor, by theme then card, in print order."""
    taken = set(PART_IDS) | {theme_anchor(n) for n in range(1, len(issue.practices) + 1)}
    anchors = []
    for theme in issue.practices:
        anchors.append([])
        for initiative in theme.initiatives:
            base = anchor = slugify(initiative.title)
            suffix = 2
            while anchor in taken:
                anchor, suffix = f"{base}-{suffix}", suffix + 1
            taken.add(anchor)
            anchors[-1].append(anchor)
    return anchors


def theme_anchor(number: int) -> str:
    """The anchor of the practices' theme ``number`` (from 1), as in the print."""
    return f"theme-{number}"


def edition_folder(number: int) -> str:
    """The web edition's folder in the site: 03 for numéro 3."""
    return f"{number:02d}"


def edition_url(site_url: str, number: int) -> str:
    """The web edition's address under ``site_url`` (which ends with a slash)."""
    return f"{site_url}{edition_folder(number)}/"


def back_issue_url(back: BackIssue, site_url: str | None, published: frozenset[int] | set[int]) -> str | None:
    """Where a "(Re)lire" entry links: its own url, else the numéro's web edition when it is published there."""
    if back.url:
        return back.url
    if site_url and back.number in published:
        return edition_url(site_url, back.number)
    return None


def highlighted(issue: Issue) -> list[tuple[int, int]]:
    """The initiatives the newsletter presents, as (theme, card) indexes: per theme, those marked ``highlight:
    true``, else the theme's first. The site writes their photos for the newsletter too."""
    found = []
    for t, theme in enumerate(issue.practices):
        chosen = [i for i, initiative in enumerate(theme.initiatives) if initiative.highlight] or [0]
        found += [(t, i) for i in chosen if theme.initiatives]
    return found
