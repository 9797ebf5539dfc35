"""The HTML the preview sends: the draft with the client injected, the page of errors, /pages.

The client (``static/client.js``) and its panel (``static/panel.html``, ``panel.css``) are
package data; every document carries them once, just before ``</body>``, with the id of
the draft it shows, so the tab knows when a newer one exists. Everything taken from the
numéro (errors, file names, draft ids) is HTML-escaped. The interface's words are the run's
language's (the catalog): in the panel's markup, and for the script as a JSON blob
(``#dossier-preview-words``), so client.js holds no text of its own.
"""

from __future__ import annotations

import functools
import html
import json
import re
from importlib import resources
from string import Template

from ..i18n import Nn_, _, current_language, decimal_separator, ngettext


@functools.cache
def _static(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _template(name: str) -> Template:
    return Template(_static(name))


def client(mode: str, draft: str, edit_url: str = "") -> str:
    """The live-reload script and the pages' panel, for a document of ``mode`` (draft, error, pages)."""
    panel_words = {
        "printed_pages": _("Printed pages"), "connecting": _("connecting"), "hide": _("Hide the pages"),
        "waiting": _("Waiting for the server…"), "draft_link": _("draft"), "newsletter": _("newsletter"),
        "web_edition": _("web edition"),
    }
    edit_word = html.escape(_("edit"))
    edit_link = f' · <a href="{html.escape(edit_url)}" target="dossier-edit">{edit_word}</a>' if edit_url else ""
    return _template("panel.html").substitute(
        css=_static("panel.css"), mode=html.escape(mode), draft=html.escape(draft), js=_static("client.js"),
        edit_link=edit_link,
        words=json.dumps(client_words()).replace("</", "<\\/"),
        **{name: html.escape(text) for name, text in panel_words.items()},
    )


def client_words() -> dict[str, object]:
    """What client.js says, in the run's language; ``{…}`` are filled in by the script."""
    def forms(singular: str, plural: str) -> list[str]:  # for 0, 1 and more: the language's plural rule
        return [ngettext(singular, plural, n) for n in (0, 1, 2)]

    return {
        "draft": _("draft"), "fullSize": _("full size"),
        "backToDraft": _("Back to the HTML draft"), "showFullSize": _("Show the pages full size"),
        "pageAlt": _("page {number}"), "pages": forms("{count} page", "{count} pages"),
        "staleErrors": _("The manifest has errors: these are the last pages printed."),
        "noPagesErrors": _("The manifest has errors: nothing printed yet."),
        "printingNew": _("Printing the new draft… (showing the previous pages)"), "printing": _("Printing…"),
        "failed": _("Printing failed:"), "printed": _("Printed in {seconds} s"),
        "warnings": forms(*Nn_(" · {count} WeasyPrint warning", " · {count} WeasyPrint warnings")),
        "older": _("These pages are of an older draft."), "live": _("live"), "disconnected": _("disconnected"),
        "decimal": decimal_separator(),
    }


def inject(document: str, snippet: str) -> str:
    """``snippet`` just before the last ``</body>``, or at the end if there is none."""
    at = document.lower().rfind("</body>")
    return document + snippet if at < 0 else document[:at] + snippet + document[at:]


def draft_document(draft_html: str, draft: str, edit_url: str = "") -> str:
    return inject(draft_html, client("draft", draft, edit_url))


def error_document(problems: list[str], draft: str, edit_url: str = "") -> str:
    """The errors, one item each, ``file:line`` in bold, in place of the draft."""
    items = []
    for line in problems:
        match = re.match(r"(\S+?:\d+):\s*(.*)", line)
        if match:
            items.append(f"<li><code>{html.escape(match[1])}</code>: {html.escape(match[2])}</li>")
        else:
            items.append(f"<li>{html.escape(line)}</li>")
    return _template("error.html").substitute(
        problems="".join(items), client=client("error", draft, edit_url), lang=current_language(),
        title=html.escape(_("Errors · dossier preview")), heading=html.escape(_("The draft cannot be built")),
        advice=html.escape(_("Fix the file and save it: this page reloads by itself.")),
    )


def pages_document(manifest: str, draft: str) -> str:
    """The printed pages full size (``/pages``) of the numéro whose manifest is shown as ``manifest``."""
    title = _("Printed pages · {manifest}").format(manifest=manifest)
    return _template("pages.html").substitute(title=html.escape(title), lang=current_language(), client=client("pages", draft))
