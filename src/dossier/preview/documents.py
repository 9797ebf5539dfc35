"""The HTML the preview sends: the draft with the client injected, the page of errors, /pages.

The client (``static/client.js``) and its panel (``static/panel.html``, ``panel.css``) are
package data; every document carries them once, just before ``</body>``, with the id of
the draft it shows, so the tab knows when a newer one exists. Everything taken from the
numéro (errors, file names, draft ids) is HTML-escaped.
"""

from __future__ import annotations

import functools
import html
import re
from importlib import resources
from string import Template


@functools.cache
def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _template(name: str) -> Template:
    return Template(_static(name))


def client(mode: str, draft: str) -> str:
    """The live-reload script and the pages' panel, for a document of ``mode`` (draft, error, pages)."""
    return _template("panel.html").substitute(
        css=_static("panel.css"), mode=html.escape(mode), draft=html.escape(draft), js=_static("client.js")
    )


def inject(document: str, snippet: str) -> str:
    """``snippet`` just before the last ``</body>``, or at the end if there is none."""
    at = document.lower().rfind("</body>")
    return document + snippet if at < 0 else document[:at] + snippet + document[at:]


def draft_document(draft_html: str, draft: str) -> str:
    return inject(draft_html, client("draft", draft))


def error_document(problems: list[str], draft: str) -> str:
    """The errors, one item each, ``file:line`` in bold, in place of the draft."""
    items = []
    for line in problems:
        match = re.match(r"(\S+?:\d+):\s*(.*)", line)
        if match:
            items.append(f"<li><code>{html.escape(match[1])}</code>: {html.escape(match[2])}</li>")
        else:
            items.append(f"<li>{html.escape(line)}</li>")
    return _template("error.html").substitute(problems="".join(items), client=client("error", draft))


def pages_document(manifest: str, draft: str) -> str:
    """The printed pages full size (``/pages``) of the numéro whose manifest is shown as ``manifest``."""
    return _template("pages.html").substitute(manifest=html.escape(manifest), client=client("pages", draft))
