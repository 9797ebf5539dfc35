"""The preview's HTTP side: a threading server and its handler, over any ``Site``.

The server knows nothing of numéros: it routes ``/`` (the draft), ``/pages``, ``/mail`` and
``/web`` (the newsletter and the web edition), ``/events`` (server-sent events), ``/edit``
(the editing view, the only one that takes POST requests), page images and assets to the
``Site`` it was given. Invariants:
- On a loopback address it answers only to requests addressed to a loopback name
  (403 otherwise): a web page cannot reach it by DNS rebinding.
- Anything the site does not name is a 404; nothing is read from disk but the paths
  ``Site.asset_file`` returns.
- ``close()`` wakes every request thread (idle connections, event streams) and joins
  them all, so Ctrl-C leaves nothing running.
- Its handler runs on any object with ``makefile`` and ``sendall`` (tests use a fake
  request, no socket), as MkDocs tests its live-reload server.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import socket
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

from ..errors import DossierError
from ..i18n import _
from ..net import is_loopback
from ..project import ASSET_TYPES
from .pages import PAGE_URL

logger = logging.getLogger(__name__)

# Keeps an idle event stream alive and lets a closed tab's handler notice it is gone.
KEEPALIVE_SECONDS = 15.0
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
MAX_BODY = 26 * 1024 * 1024  # a photo sent from the editing view (edit/upload.py bounds it at 25 MB)


class Site(Protocol):
    """What the handler serves."""

    def draft_document(self) -> bytes: ...
    def pages_document(self) -> bytes: ...
    def edition_document(self, kind: str) -> bytes: ...
    def web_asset(self, url_path: str) -> tuple[bytes, str] | None: ...
    def page_image(self, draft: str, number: int) -> bytes | None: ...
    def asset_file(self, url_path: str) -> Path | None: ...
    def wait_for_change(self, seen: int, timeout: float) -> tuple[int, dict[str, Any] | None]: ...
    def edit(self, method: str, target: str, headers: Any, body: bytes = b"") -> tuple[int, bytes, str]: ...

    @property
    def stopping(self) -> bool: ...


def host_allowed(listening_on: str, host_header: str | None) -> bool:
    """On loopback, refuse other Host names: a web page cannot reach the preview by DNS rebinding."""
    if not is_loopback(listening_on):
        return True
    if not host_header:
        return False
    try:
        name = urllib.parse.urlsplit(f"//{host_header}").hostname or ""
    except ValueError:  # e.g. "[::1" — not a name at all
        return False
    return name in _LOOPBACK_NAMES or name == listening_on


class PreviewHttpServer(ThreadingHTTPServer):
    # Request threads are joined by server_close(), so Ctrl-C leaves nothing running.
    daemon_threads = False
    block_on_close = True

    def __init__(self, site: Site, host: str, port: int, *, bind_and_activate: bool = True) -> None:
        self.site = site
        self.host = host
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            super().__init__((host, port), PreviewHandler, bind_and_activate=bind_and_activate)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise DossierError(_("{address}: port already in use: stop the other server or pass another --port "
                                     "(0 picks a free one)").format(address=f"{host}:{port}")) from None
            raise DossierError(_("{address}: cannot listen there: {error}").format(
                address=f"{host}:{port}", error=exc.strerror or exc)) from None

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that closes a connection is no error; anything else is said in one line, never a traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        logger.debug("error while answering a request", exc_info=True)
        logger.error("preview: internal error while answering a request (%s: %s): please report it",
                     type(exc).__name__, exc)

    def close(self) -> None:
        """Wake the request threads still waiting on a socket (idle browser connections), join them all."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)
        self.server_close()


def _foreign_host() -> bytes:
    """The refusal of a request sent to another name than the preview's (in the editor's language)."""
    return (_("Forbidden: this preview answers only to localhost") + "\n").encode("utf-8")


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewHttpServer
    server_version = "dossier-preview"
    timeout = 60  # an idle connection does not hold a thread forever

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        site = self.server.site
        if not host_allowed(self.server.host, self.headers.get("Host")):
            self._send(403, _foreign_host(), "text/plain; charset=utf-8")
            return
        path = urllib.parse.urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._send(200, site.draft_document(), "text/html; charset=utf-8")
        elif path == "/pages":
            self._send(200, site.pages_document(), "text/html; charset=utf-8")
        elif path in ("/mail", "/web"):
            self._send(200, site.edition_document(path[1:]), "text/html; charset=utf-8")
        elif path.startswith("/assets/") and (asset := site.web_asset(path)) is not None:
            self._send(200, asset[0], asset[1], cache="no-cache")
        elif path == "/events":
            self._stream_events()
        elif path == "/edit" or path.startswith("/edit/"):
            self._send(*site.edit("GET", self.path, self.headers))
        elif path == "/favicon.ico":
            self._send(204, b"", "image/x-icon")  # browsers ask for it; the draft has none
        elif match := PAGE_URL.fullmatch(path):
            image = site.page_image(match[1], int(match[2]))
            if image is None:
                self._not_found()
            else:
                # Each draft's pages have their own URLs, so they never change.
                self._send(200, image, "image/jpeg", cache="private, max-age=3600, immutable")
        elif (asset := site.asset_file(path)) is not None:
            self._send_file(asset)
        else:
            self._not_found()

    def do_POST(self) -> None:
        """Writes go to the editing view only (``/edit/…``), which checks its token and the request's origin."""
        if not host_allowed(self.server.host, self.headers.get("Host")):
            self._send(403, _foreign_host(), "text/plain; charset=utf-8")
            return
        if not urllib.parse.urlsplit(self.path).path.startswith("/edit/"):
            self._not_found()
            return
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.close_connection = True  # the body is not read
            self._send(413 if length > MAX_BODY else 411, b"A body of known, bounded length is required\n",
                       "text/plain; charset=utf-8")
            return
        self._send(*self.server.site.edit("POST", self.path, self.headers, self.rfile.read(length)))

    def _not_found(self) -> None:
        message = _("Not found: the preview serves the draft and the numéro's assets only") + "\n"
        self._send(404, message.encode("utf-8"), "text/plain; charset=utf-8")

    def _send(
        self, code: int, body: bytes, content_type: str, *, cache: str = "no-store", etag: str | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        # Only the preview's own pages may frame it: no other site can overlay the editing view's
        # buttons (clickjacking) or the draft.
        self.send_header("Content-Security-Policy", "frame-ancestors 'self'")
        self.send_header("X-Frame-Options", "SAMEORIGIN")
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(body)

    def _send_file(self, path: Path) -> None:
        stat = path.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        # Revalidated on every load (a style edit shows at once), but fonts are not sent again.
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return
        self._send(200, path.read_bytes(), ASSET_TYPES[path.suffix.lower()], cache="no-cache", etag=etag)

    def _stream_events(self) -> None:
        site = self.server.site
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            # A reconnecting tab retries quickly, e.g. after the server was restarted.
            self.wfile.write(b"retry: 500\n\n")
            while not site.stopping:
                seen, state = site.wait_for_change(seen, KEEPALIVE_SECONDS)
                if state is not None:
                    self.wfile.write(f"data: {json.dumps(state)}\n\n".encode())
                elif not site.stopping:
                    self.wfile.write(b": keepalive\n\n")
                self.wfile.flush()
        except OSError:
            pass  # the tab was closed or reloaded
