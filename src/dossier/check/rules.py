"""Checks on the manifest's content alone: insecure links, duplicates, placeholders, alt texts, contrast.

Each rule yields ``(field path, message)``; check_issue turns field paths into ``file:line``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..colours import contrast_on_white
from ..i18n import _, decimal
from ..manifest import FieldPath, Issue
from ..manifest.typography import markdown_links
from .links import Link

# WCAG's minimum contrast for body text; theme colours print as text (place tags) on paper.
MIN_CONTRAST = 4.5
MARKDOWN_FIELDS = {"edito", "text", "intro", "contact"}


def links(issue: Issue, content: dict[str, Any]) -> Iterator[Link]:
    """Every address in the numéro (and its back pages), with the field that holds it."""

    def walk(value: Any, path: FieldPath) -> Iterator[Link]:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "url" and isinstance(item, str):
                    yield Link(item, (*path, key))
                elif isinstance(item, str) and key in MARKDOWN_FIELDS:
                    yield from (Link(url, (*path, key)) for url in markdown_links(item))
                else:
                    yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, (*path, index))

    yield from walk(content, ())
    yield from walk(issue.publication.model_dump(include={"url", "pages"}), ("publication",))



def placeholders(value: Any, path: FieldPath, placeholder: str) -> Iterator[FieldPath]:
    """Where ``placeholder`` (dossier new's "À compléter", in the publication's language) is left."""
    if isinstance(value, str) and placeholder.casefold() in value.casefold():
        yield path
    elif isinstance(value, dict) and "porteurs" in value:  # an initiative: one finding for the card
        if any(placeholder.casefold() in str(item).casefold() for item in value.values()):
            yield (*path, "title")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from placeholders(item, (*path, key), placeholder)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from placeholders(item, (*path, index), placeholder)


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def duplicates(issue: Issue, placeholder: str) -> Iterator[tuple[FieldPath, str]]:
    seen: dict[str, tuple[int, int]] = {}
    for t, theme in enumerate(issue.practices):
        for i, initiative in enumerate(theme.initiatives):
            if placeholder.casefold() in initiative.title.casefold():
                continue  # reported as a placeholder
            for key in (_normalised(initiative.title), _normalised(initiative.text)):
                if key in seen and seen[key] != (t, i):
                    first_t, first_i = seen[key]
                    first = issue.practices[first_t].initiatives[first_i].title
                    yield (
                        ("practices", t, "initiatives", i, "title"),
                        _("the same initiative as «\u202f{title}\u202f» in {theme}: keep one").format(
                            title=first, theme=issue.practices[first_t].theme),
                    )
                    break
                seen.setdefault(key, (t, i))


def images_without_alt(issue: Issue) -> Iterator[FieldPath]:
    for image in issue.images():
        if not image.alt:
            yield image.field


def contrast_findings(issue: Issue) -> Iterator[tuple[FieldPath, str]]:
    colours = [(("publication", "colours", "accent"), issue.publication.colours.accent)]
    colours += [(("practices", t, "colour"), theme.colour) for t, theme in enumerate(issue.practices) if theme.colour]
    colours += [(("publication", "colours", "themes", n), c) for n, c in enumerate(issue.publication.colours.themes)]
    for field, colour in colours:
        ratio = contrast_on_white(colour)
        if ratio < MIN_CONTRAST:
            yield field, _("colour {colour} is too light for text on white ({ratio}:1, at least {minimum}:1 is needed): "
                           "choose a darker shade").format(colour=colour, ratio=decimal(ratio), minimum=decimal(MIN_CONTRAST))




# Frequent words of each language: a text with several English ones and fewer French ones is
# taken for English. Short titles count too ("How will Covid-19 affect…" has how, will).
_ENGLISH = frozenset({
    "the", "and", "of", "to", "in", "is", "are", "for", "with", "how", "will", "what", "why", "you", "your", "our",
    "this", "that", "from", "by", "on", "its", "their", "be", "can", "should", "would", "new",
})
_FRENCH = frozenset({
    "le", "la", "les", "des", "du", "de", "et", "un", "une", "est", "sont", "pour", "avec", "dans", "sur", "par",
    "au", "aux", "ce", "cette", "qui", "que", "ou", "nous", "vous", "leur",
})


def looks_english(text: str) -> bool:
    words = re.findall(r"[a-zà-ÿ]+", text.casefold())
    english = sum(word in _ENGLISH for word in words)
    return english >= 2 and english > 2 * sum(word in _FRENCH for word in words)


def english_without_lang(issue: Issue) -> Iterator[FieldPath]:
    """Initiatives, resources and articles that read as English but are typeset as French."""
    entries: list[tuple[FieldPath, Any, str]] = []
    for t, theme in enumerate(issue.practices):
        entries += [(("practices", t, "initiatives", i), card, f"{card.title} {card.text}")
                    for i, card in enumerate(theme.initiatives)]
    entries += [(("resources", r), resource, resource.title) for r, resource in enumerate(issue.resources)]
    for t, theme in enumerate(issue.readings):
        entries += [(("readings", t, "articles", a), article, article.title) for a, article in enumerate(theme.articles)]
    for field, entry, text in entries:
        if entry.lang is None and looks_english(text):
            yield (*field, "title")


def actions_without_url(issue: Issue) -> Iterator[FieldPath]:
    """Back-page actions without a url: printed and shown as a plain label, not a button, since they lead nowhere."""
    for field, page in issue.back_pages_with_fields():
        for a, action in enumerate(page.actions):
            if not action.url:
                yield (*field, "actions", a, "label")
        for s, section in enumerate(page.sections):
            for b, block in enumerate(section.blocks):
                if block.action and not block.action.url:
                    yield (*field, "sections", s, "blocks", b, "action", "label")


def undated(issue: Issue, stated: Mapping[int, Any]) -> bool:
    """Whether the project gives the numéro no date: the archive shows none and feed.xml leaves it out."""
    return issue.date is None and stated.get(issue.number) is None
