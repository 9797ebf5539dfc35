"""Who may use the editing view: this browser tab, on this machine.

Invariants (each request is checked by ``refusal``; None means allowed):
- the editor answers only on a loopback address (``dossier preview --host`` elsewhere: read-only);
- every request but the page itself carries the session's token in ``X-Dossier-Token`` (the
  page gets it in its link, ``/edit?token=…``; ``/edit`` without it is answered by a page that
  links there, which no other site can read or frame: the preview checks ``Host`` against DNS
  rebinding and sends ``frame-ancestors 'self'``); tokens are compared in constant time;
- a write (POST) also comes from the preview's own origin: its ``Origin`` is the address the
  request was sent to (``http://`` + ``Host``), so another site's page cannot write even with a
  stolen token, and a request without ``Origin`` (no browser sends a POST so) is refused too;
- JSON is sent as ``application/json``, which a plain HTML form cannot send.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping

TOKEN_HEADER = "X-Dossier-Token"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def same_token(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def refusal(method: str, headers: Mapping[str, str], token: str, *, loopback: bool, query_token: str | None = None,
            json_body: bool = False) -> str | None:
    """Why this request is refused (a short English reason, for the 403's body), or None."""
    if not loopback:
        return "the editor only works on a loopback address (127.0.0.1, localhost)"
    given = query_token if query_token is not None else headers.get(TOKEN_HEADER)
    if not same_token(given, token):
        return "missing or wrong editing token: open the editor from the preview's link"
    if method != "GET":
        origin = headers.get("Origin")
        host = headers.get("Host")
        if not origin or not host or origin != f"http://{host}":
            return "cross-origin write refused"
        if headers.get("Sec-Fetch-Site") not in (None, "same-origin"):
            return "cross-site write refused"
        if json_body and (headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            return "expected application/json"
    return None
