"""The editing view's HTTP side: the page, its state, saves, uploads, the history (no sockets here).

``EditingDesk.handle`` answers a request under ``/edit`` with (status, body, content type);
the preview's handler passes requests to it. Every answer but the page is JSON. What the
form is made of is the manifest's JSON Schema (``manifest.schema``): titles for labels,
descriptions for help, ``x-widget`` for Markdown, dates, colours and images; so a field added
to the model appears in the form without new code here or in ``static/edit.js``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import urllib.parse
from collections.abc import Mapping
from typing import Any

from ...errors import DossierError, Problem
from ...i18n import _, current_language
from ...manifest.load import load_issue
from ...manifest.roundtrip import RoundTrip
from ...manifest.schema import issue_schema
from ..documents import _static
from ..session import PreviewSession
from .guard import new_token, refusal
from .store import Conflict, EditRefused, ManifestStore
from .upload import UploadRefused, store_image
from .words import editor_words

Answer = tuple[int, bytes, str]
JSON = "application/json; charset=utf-8"


class EditingDesk:
    """The editing view of one preview session."""

    def __init__(self, session: PreviewSession, *, loopback: bool) -> None:
        self.session = session
        self.loopback = loopback
        self.token = new_token()
        history = session.project.root / ".dossier" / "history" / session.issue_dir.name
        self.store = ManifestStore(session.manifest, history)

    @property
    def url(self) -> str:
        """The page's path with its token, for the preview's links."""
        return "/edit?token=" + self.token

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes = b"") -> Answer:
        parts = urllib.parse.urlsplit(target)
        query = urllib.parse.parse_qs(parts.query)
        route = parts.path
        page = method == "GET" and route == "/edit"
        why = refusal(method, headers, self.token, loopback=self.loopback,
                      query_token=(query.get("token") or [""])[0] if page else None,
                      json_body=method == "POST" and route != "/edit/upload")
        if why and page and self.loopback:
            # A bookmarked or typed /edit (no token, or an earlier session's): a page in the editor's
            # language that leads to this session's view by one click, rather than a bare 403.
            return 403, self._lost_page(), "text/html; charset=utf-8"
        if why:
            return 403, (why + "\n").encode("utf-8"), "text/plain; charset=utf-8"
        try:
            if page:
                return 200, self._page(), "text/html; charset=utf-8"
            if method == "GET" and route == "/edit/state":
                return self._json(200, self._state())
            if method == "GET" and route == "/edit/remarks":
                return self._json(200, {"remarks": self._remarks()})
            if method == "POST" and route == "/edit/save":
                request = json.loads(body or b"{}")
                return self._save(request.get("base", ""), request.get("ops") or [], request.get("data"),
                                  request.get("text"))
            if method == "POST" and route == "/edit/restore":
                request = json.loads(body or b"{}")
                self.store.restore(str(request.get("name", "")), str(request.get("base", "")))
                self.session.rebuild()
                return self._json(200, self._state())
            if method == "POST" and route == "/edit/upload":
                stored = store_image(self.session.issue_dir, (query.get("name") or ["photo"])[0], body)
                return self._json(200, {"name": stored.name, "width": stored.width, "height": stored.height,
                                        "print_mm": stored.print_size_mm()})
        except (EditRefused, UploadRefused, ValueError) as exc:
            return self._json(400, {"error": str(exc)})
        except Conflict as conflict:
            return self._json(409, {"ours": conflict.ours, "disk": conflict.disk, "digest": conflict.disk_digest})
        return 404, b"Not found\n", "text/plain; charset=utf-8"

    # ---- answers ---------------------------------------------------------------------

    def _page(self) -> bytes:
        words = editor_words()
        page = _static("edit.html")
        for name, value in {"lang": current_language(), "title": html.escape(words["pageTitle"]),
                            "token": html.escape(self.token), "css": _static("edit.css"), "js": _static("edit.js"),
                            "words": json.dumps(words).replace("</", "<\\/")}.items():
            page = page.replace("{{" + name + "}}", value)
        return page.encode("utf-8")

    def _lost_page(self) -> bytes:
        words = editor_words()
        page = _static("edit-lost.html")
        for name, value in {"lang": current_language(), "title": html.escape(words["pageTitle"]),
                            "why": html.escape(_("This address needs the link of the running preview.")),
                            "open": html.escape(_("Open the editing view")), "url": html.escape(self.url)}.items():
            page = page.replace("{{" + name + "}}", value)
        return page.encode("utf-8")

    def _state(self) -> dict[str, Any]:
        text, version = self.store.current()
        return {"digest": version, "data": RoundTrip(text).data() or {}, "schema": issue_schema(current_language()),
                "problems": self._problems(), "history": self.store.history(),
                "manifest": self.session.manifest.relative_to(self.session.root).as_posix()}

    def _save(self, base: str, ops: list[dict[str, Any]], data: dict[str, Any] | None, text: str | None) -> Answer:
        if not isinstance(ops, list) or (data is not None and not isinstance(data, dict)) or \
                (text is not None and not isinstance(text, str)):
            raise EditRefused("expected ops (a list), data (a mapping) or text")
        _text, _version, merged = self.store.save(base, ops, data, text)
        self.session.rebuild()  # the draft follows at once, without waiting for the watcher
        return self._json(200, {**self._state(), "merged": merged})

    def _problems(self) -> list[dict[str, Any]]:
        try:
            load_issue(self.session.project, self.session.manifest)
        except DossierError as exc:
            problems = getattr(exc, "problems", None) or [Problem("", 0, "", exc.format_message())]
            return [_problem(p) for p in problems]
        return []

    def _remarks(self) -> list[dict[str, Any]]:
        from ...check import check_issue

        try:
            return [_problem(p) for p in check_issue(self.session.project, self.session.manifest).findings]
        except DossierError:
            return []  # the manifest has errors: they are shown instead

    @staticmethod
    def _json(status: int, value: Any) -> Answer:
        return status, json.dumps(value, ensure_ascii=False, default=_plain).encode("utf-8"), JSON


def _problem(problem: Problem) -> dict[str, Any]:
    return {"path": list(problem.path), "where": problem.field, "message": problem.message, "line": problem.line,
            "file": problem.file}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
