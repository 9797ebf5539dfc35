"""The one-click unsubscribe endpoint: a WSGI application, served by any WSGI server.

Invariants: nothing is recorded unless the token's signature is right (DOSSIER_SECRET)
and the request is a POST whose form says ``List-Unsubscribe=One-Click`` (RFC 8058: a
GET, which link checkers and antivirus scanners make, only shows a page); a request is
appended to the requests file before the answer; the pages carry no address, link out
nowhere and are never cached. Served at any path: the token is the query's ``t``.

    waitress-serve --host 127.0.0.1 --port 8080 --call dossier.mail.unsubscribe.app:app_from_environ
"""

from __future__ import annotations

import html
import os
import urllib.parse
from collections.abc import Callable, Iterable
from importlib.resources import files
from pathlib import Path
from string import Template

from ...errors import DossierError
from ...i18n import N_, _, translation
from ..tokens import secret_from_environ
from .links import parse_link_token
from .records import append_request

StartResponse = Callable[[str, list[tuple[str, str]]], object]
WsgiApp = Callable[[dict, StartResponse], Iterable[bytes]]

ONE_CLICK = ("List-Unsubscribe", "One-Click")
MAX_BODY = 4096  # "List-Unsubscribe=One-Click", form-encoded or multipart: a few hundred bytes
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),  # the token stays out of any Referer
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'"),
]

# The pages' words, in the endpoint's language (French by default).
CONFIRM_TITLE = N_("Stop receiving the numéros")
CONFIRM_TEXT = N_("You will no longer receive the next numéros at the address this message was sent to.")
CONFIRM_BUTTON = N_("Confirm: unsubscribe")
DONE_TITLE = N_("You are unsubscribed")
DONE_TEXT = N_("Your request is recorded: no further numéro will be sent to this address.")
INVALID_TITLE = N_("This unsubscribe link is not valid")
INVALID_TEXT = N_("The link is incomplete or was changed. Use the link of the message you received, or reply to "
                  "that message asking to be unsubscribed.")
UNAVAILABLE_TITLE = N_("Unsubscribing is unavailable for now")
UNAVAILABLE_TEXT = N_("Your request could not be recorded. Please try again later, or reply to the message asking "
                      "to be unsubscribed.")


def make_app(secret: bytes, requests_file: Path, *, language: str = "fr") -> WsgiApp:
    """The endpoint, checking tokens with ``secret`` and appending requests to ``requests_file``."""
    words = translation(language).gettext
    page = Template(files(__package__).joinpath("page.html").read_text(encoding="utf-8"))

    def respond(start_response: StartResponse, status: str, title: str, body: str,
                extra: list[tuple[str, str]] | None = None) -> list[bytes]:
        text = page.substitute(lang=html.escape(language), title=html.escape(words(title)), body=body)
        data = text.encode("utf-8")
        start_response(status, [*HEADERS, ("Content-Length", str(len(data))), *(extra or [])])
        return [data]

    def paragraph(text: str) -> str:
        return f"<p>{html.escape(words(text))}</p>"

    def app(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), max_num_fields=8)
        token = (query.get("t") or [""])[0]
        parsed = parse_link_token(secret, token)
        if method not in {"GET", "HEAD", "POST"}:
            return respond(start_response, "405 Method Not Allowed", INVALID_TITLE, paragraph(INVALID_TEXT),
                           [("Allow", "GET, HEAD, POST")])
        if parsed is None:
            return respond(start_response, "400 Bad Request", INVALID_TITLE, paragraph(INVALID_TEXT))
        if method != "POST":
            action = html.escape("?" + urllib.parse.urlencode({"t": token}))
            form = (f'<form method="post" action="{action}">'
                    f'<input type="hidden" name="{ONE_CLICK[0]}" value="{ONE_CLICK[1]}">'
                    f'<button type="submit">{html.escape(words(CONFIRM_BUTTON))}</button></form>')
            return respond(start_response, "200 OK", CONFIRM_TITLE, paragraph(CONFIRM_TEXT) + form)
        if not _asks_one_click(environ):
            return respond(start_response, "400 Bad Request", INVALID_TITLE, paragraph(INVALID_TEXT))
        try:
            append_request(requests_file, token, parsed)
        except OSError as exc:
            print(f"dossier unsubscribe endpoint: cannot write {requests_file}: {exc}", file=environ["wsgi.errors"])
            return respond(start_response, "503 Service Unavailable", UNAVAILABLE_TITLE, paragraph(UNAVAILABLE_TEXT))
        return respond(start_response, "200 OK", DONE_TITLE, paragraph(DONE_TEXT))

    return app


def _asks_one_click(environ: dict) -> bool:
    """Whether the POST's body says List-Unsubscribe=One-Click (form-encoded, or multipart as some providers send)."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    if not 0 < length <= MAX_BODY:
        return False
    body = environ["wsgi.input"].read(length)
    kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        fields = urllib.parse.parse_qs(body.decode("latin-1"), max_num_fields=8)
        return ONE_CLICK[1] in fields.get(ONE_CLICK[0], [])
    if kind == "multipart/form-data":
        text = body.decode("latin-1")
        return f'name="{ONE_CLICK[0]}"' in text and f"\r\n\r\n{ONE_CLICK[1]}\r\n" in text
    return False


def app_from_environ() -> WsgiApp:
    """The endpoint set up from the environment: DOSSIER_SECRET, DOSSIER_UNSUBSCRIBE_FILE, DOSSIER_LANG (default fr)."""
    secret = secret_from_environ()
    if secret is None:
        raise DossierError(_("DOSSIER_SECRET is not set: the unsubscribe endpoint needs the secret the links were "
                             "made with"))
    path = os.environ.get("DOSSIER_UNSUBSCRIBE_FILE", "").strip()
    if not path:
        raise DossierError(_("DOSSIER_UNSUBSCRIBE_FILE is not set: give the file the endpoint appends the requests "
                             "to, e.g. /var/lib/dossier/unsubscribe-requests.jsonl"))
    return make_app(secret, Path(path), language=os.environ.get("DOSSIER_LANG", "fr") or "fr")
