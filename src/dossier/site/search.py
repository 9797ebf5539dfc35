"""Search across every numéro of the site: a lunr.js index built here with lunr.py (as MkDocs does).

The index is written as a script (``search-index.HASH.js`` setting ``window.dossierSearch``),
not as JSON, so that the search page works opened from disk, where a browser refuses to
fetch a file. Invariants: what is searched is the initiatives (title, place, porteurs,
text), the resources and the readings of every numéro published, each leading to its
anchor in its web edition; French is searched with accents and case folded the same way
here (``fold``) and in search.js, without stemming (lunr has no French stemmer in both
languages); the query's words match as prefixes, so « commerçant » finds « commerçants ».
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import jinja2
from lunr.builder import Builder

from ..colours import lightened_for
from ..files import write_atomically
from ..i18n import N_, translation
from ..manifest.model import Issue
from ..manifest.typography import plain_text
from ..project import Project
from ..weblinks import edition_folder, initiative_anchors
from .assets import hashed_asset
from .edition import DARK_BACKGROUND, SEARCH_PAGE, SiteInfo
from .render import render_page

SNIPPET_CHARS = 180


def fold(text: str) -> str:
    """Lower case, accents dropped, anything but letters and digits a space: « Œuvre d'été » → "oeuvre d ete"."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def documents(issue: Issue) -> list[dict[str, str]]:
    """What the index holds of one numéro: one document per initiative, resource and reading."""
    folder = f"{edition_folder(issue.number)}/index.html"
    numero = f"{issue.title} n°{issue.number}"
    docs = []
    anchors = initiative_anchors(issue)
    for t, theme in enumerate(issue.practices):
        for i, card in enumerate(theme.initiatives):
            text = plain_text(card.text, card.lang)
            docs.append({"id": f"{issue.number}/{anchors[t][i]}", "href": f"{folder}#{anchors[t][i]}",
                         "title": card.title, "where": f"{numero} · {theme.theme}", "place": card.place or "",
                         "porteurs": " ".join(card.porteurs), "text": text, "snippet": _snippet(text)})
    for r, resource in enumerate(issue.resources):
        docs.append({"id": f"{issue.number}/ressources/{r}", "href": f"{folder}#ressources", "title": resource.title,
                     "where": numero, "place": "", "porteurs": resource.organisation, "text": "", "snippet": ""})
    for g, group in enumerate(issue.readings, start=1):
        for a, article in enumerate(group.articles):
            docs.append({"id": f"{issue.number}/lectures-{g}/{a}", "href": f"{folder}#lectures-{g}",
                         "title": article.title, "where": f"{numero} · {group.theme}", "place": "",
                         "porteurs": article.source, "text": group.theme, "snippet": article.source})
    return docs


def write_search_index(stage: Path, target: Path, issues: list[Issue]) -> str:
    """The index of every numéro's documents as a script in assets/; returns its site-relative name."""
    docs = [doc for issue in issues for doc in documents(issue)]
    builder = Builder()  # no pipeline: text is folded here and in search.js alike, no English stemmer
    builder.ref("id")
    for name, boost in (("title", 10), ("place", 5), ("porteurs", 5), ("text", 1)):
        builder.field(name, boost=boost)
    for doc in docs:
        builder.add({key: fold(doc[key]) for key in ("id", "title", "place", "porteurs", "text")} | {"id": doc["id"]})
    index = builder.build().serialize()
    shown = {doc["id"]: {key: doc[key] for key in ("href", "title", "where", "snippet")} for doc in docs}
    data = json.dumps({"index": index, "docs": shown}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # "</" could end a <script> element; in JSON it may be written "<\/".
    body = ("window.dossierSearch = " + data.replace("</", "<\\/") + ";\n").encode()
    return hashed_asset(stage, target, "search-index", ".js", body)


def write_search_page(project: Project, env: jinja2.Environment, stage: Path, target: Path, site: SiteInfo,
                      issues: list[Issue]) -> None:
    """recherche.html with the index of ``issues`` (newest first; the newest gives the publication's look)."""
    publication = issues[0].publication
    words = translation(publication.language).gettext
    html = render_page(
        project, env, "search.html.j2",
        publication=publication, root="", assets=site.assets, search_page=SEARCH_PAGE,
        search_index=write_search_index(stage, target, issues),
        feed="feed.xml" if site.feed else None,
        canonical=f"{site.site_url}{SEARCH_PAGE}" if site.site_url else None, social_image=None,
        accent=publication.colours.accent, accent_dark=lightened_for(publication.colours.accent, DARK_BACKGROUND),
        description=words(N_("Search the issues of {series}.")).format(series=publication.series),
    )
    write_atomically(stage / SEARCH_PAGE, html.encode("utf-8"))
