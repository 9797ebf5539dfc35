"""Preview a numéro in the browser while it is written (``dossier preview``).

A small HTTP server on loopback serves the HTML draft at ``/`` and the project's
assets, watches the files the numéro is made of, and rebuilds on every change.
The open tab hears about new drafts through server-sent events (``/events``) and
reloads itself. After each good rebuild a background thread prints the real PDF
and renders its pages to images, shown in a side panel and at ``/pages``: the
draft comes first, the printed pages follow when ready, and a newer change
supersedes a stale print. A manifest with errors shows them in place of the
draft and the server goes on, as ``mkdocs serve`` does after a failed build.
"""

from __future__ import annotations

import contextlib
import errno
import html
import io
import json
import logging
import re
import secrets
import signal
import socket
import stat
import threading
import time
import urllib.parse
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pypdfium2

from ..build import output_paths
from ..errors import DossierError
from ..files import display_path
from ..manifest.load import IMAGE_KEYS, load_issue
from ..manifest.model import Issue
from ..net import is_loopback
from ..pdf import print_pdf
from ..project import ASSET_TYPES, Project
from ..render import render_html

logger = logging.getLogger(__name__)

Report = Callable[[str], None]

POLL_SECONDS = 0.05  # a scan of the watched files takes about 0.3 ms
# 1.5 × 72 dpi: sharp enough to read body text in the panel and at /pages. JPEG at
# quality 90 without chroma subsampling looks the same as PNG on these pages and
# encodes five times faster: rendering and encoding take about 15 ms a page.
PAGE_SCALE = 1.5
PAGE_JPEG = {"quality": 90, "subsampling": 0}
# Keeps an idle event stream alive and lets a closed tab's handler notice it is gone.
KEEPALIVE_SECONDS = 15.0

_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def _ignore(_: str) -> None:
    pass


@dataclass(frozen=True)
class PrintedPages:
    """The real pages of one draft, as JPEG images."""

    draft: str  # id of the draft they were printed from
    images: tuple[bytes, ...]
    seconds: float  # from the start of the print to the last image
    warnings: tuple[str, ...] = ()


@dataclass
class _PrintJob:
    draft: str
    issue: Issue
    html: str


@dataclass
class _State:
    """What the browser is told; guarded by ``PreviewServer._changed``."""

    version: int = 0  # bumped on every change a browser should hear about
    draft: str = ""  # id of the current draft (or of the current errors)
    html: str | None = None  # the draft, or None when the manifest has errors
    problems: list[str] = field(default_factory=list)
    pages: PrintedPages | None = None  # the last pages printed, maybe of an older draft
    printing: bool = False  # pages of the current draft are on their way
    print_error: str | None = None  # printing the current draft failed

    def public(self) -> dict[str, Any]:
        pages = None
        if self.pages is not None:
            pages = {
                "draft": self.pages.draft,
                "count": len(self.pages.images),
                "seconds": round(self.pages.seconds, 2),
                "images": [_page_url(self.pages.draft, n) for n in range(1, len(self.pages.images) + 1)],
                "warnings": list(self.pages.warnings),
            }
        return {
            "draft": self.draft,
            "ok": self.html is not None,
            "printing": self.printing,
            "print_error": self.print_error,
            "pages": pages,
        }


def _page_url(draft: str, number: int) -> str:
    return f"/_preview/page-{draft}-{number}.jpg"


_PAGE_URL = re.compile(r"/_preview/page-([0-9a-f]+-[0-9]+)-([0-9]+)\.jpg")


def render_page_images(
    pdf: bytes, *, scale: float = PAGE_SCALE, stale: Callable[[], bool] = lambda: False
) -> list[bytes]:
    """Each page of ``pdf`` as a JPEG; stops early (returns what it has) once ``stale()`` is true."""
    document = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            if stale():
                break
            page = document[index]
            bitmap = page.render(scale=scale)
            out = io.BytesIO()
            bitmap.to_pil().save(out, "JPEG", **PAGE_JPEG)
            images.append(out.getvalue())
            bitmap.close()
            page.close()
    finally:
        document.close()
    return images


def referenced_images(issue: Issue) -> set[str]:
    """Project-relative paths of every image the numéro uses (its own and publication.yaml's)."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in IMAGE_KEYS and isinstance(item, str):
                    found.add(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(issue.model_dump())
    return found


class PreviewServer:
    """Serves a live draft of one numéro; ``start()`` returns once the first draft is ready."""

    def __init__(
        self,
        project: Project,
        manifest: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        report: Report = _ignore,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.project = project
        self.root = project.root.resolve()
        self.manifest = manifest.resolve()
        self.issue_dir = self.manifest.parent
        self.host = host
        self.report = report
        self.poll_seconds = poll_seconds
        self._token = secrets.token_hex(4)  # draft ids differ from one server run to the next
        self._generation = 0
        self._state = _State()
        self._changed = threading.Condition()
        self._stopping = False
        self._print_job: _PrintJob | None = None
        self._images: set[str] = set()  # referenced images, project-relative; kept through errors
        self._snapshot: dict[Path, tuple[int, int]] = {}  # watched files as last seen
        self._threads: list[threading.Thread] = []
        self._httpd = _HttpServer(self, host, port)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}/"

    # ---- lifecycle ------------------------------------------------------------

    def start(self) -> None:
        self._snapshot = self._scan()
        self._rebuild_and_watch()
        for name, target in (
            ("http", lambda: self._httpd.serve_forever(poll_interval=0.25)),
            ("watch", self._watch_loop),
            ("print", self._print_loop),
        ):
            thread = threading.Thread(target=target, name=f"dossier-preview-{self.port}-{name}")
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop serving, close open connections (event streams too) and join every thread."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._threads:
            self._httpd.shutdown()
        self._httpd.close_connections()
        self._httpd.server_close()  # joins the request threads
        for thread in self._threads:
            thread.join()
        self._threads.clear()

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- rebuilding -----------------------------------------------------------

    def _watched_files(self) -> Iterator[Path]:
        yield self.manifest
        yield self.project.publication_file
        for folder in (self.issue_dir, self.project.templates_dir, self.project.styles_dir):
            if folder.is_dir():
                for path in folder.rglob("*"):
                    # Editors' swap and backup files are not part of the numéro.
                    if not path.name.startswith((".", "#")) and not path.name.endswith("~"):
                        yield path
        for image in self._images:
            yield self.root / image

    def _scan(self) -> dict[Path, tuple[int, int]]:
        """Modification time and size of every watched file (size too: mtimes can tie)."""
        snapshot = {}
        for path in self._watched_files():
            try:
                info = path.stat()
            except OSError:
                continue  # deleted meanwhile: its absence from the snapshot is the change
            if stat.S_ISREG(info.st_mode):
                snapshot[path] = (info.st_mtime_ns, info.st_size)
        return snapshot

    def _rebuild_and_watch(self) -> None:
        images_before = self._images
        self._rebuild()
        if self._images != images_before:
            # Watch newly referenced images from now on; files already watched keep their
            # old state, so a save made during the rebuild is still seen next time.
            fresh = self._scan()
            self._snapshot = {path: self._snapshot.get(path, state) for path, state in fresh.items()}

    def _watch_loop(self) -> None:
        while True:
            with self._changed:
                if self._changed.wait_for(lambda: self._stopping, timeout=self.poll_seconds):
                    return
            snapshot = self._scan()
            if snapshot != self._snapshot:
                self._snapshot = snapshot
                try:
                    self._rebuild_and_watch()
                except Exception as exc:  # a bug must not end the preview; the next save tries again
                    logger.debug("rebuilding failed", exc_info=True)
                    self.report(f"internal error while rebuilding ({type(exc).__name__}: {exc}): please report it")

    def _rebuild(self) -> None:
        """Load and render the draft; publish it (or its errors) and queue its print."""
        started = time.perf_counter()
        shown = display_path(self.manifest, self.root)
        issue = draft_html = None
        try:
            issue = load_issue(self.project, self.manifest)
            draft_html = render_html(self.project, issue)
            problems: list[str] = []
        except DossierError as exc:
            problems = exc.format_message().splitlines()
        except OSError as exc:
            problems = [f"{display_path(Path(exc.filename or self.manifest), self.root)}: cannot read: {exc.strerror}"]
        except Exception as exc:  # shown in the page: the server must survive it
            logger.debug("rendering failed", exc_info=True)
            problems = [f"{shown}: internal error while rendering ({type(exc).__name__}: {exc}): please report it"]
        seconds = time.perf_counter() - started

        with self._changed:
            self._generation += 1
            draft = f"{self._token}-{self._generation}"
            state = self._state
            state.draft, state.html, state.problems = draft, draft_html, problems
            state.print_error = None
            state.printing = draft_html is not None
            # A print waiting for an older draft is replaced (or dropped: nothing to print).
            self._print_job = None
            if issue is not None and draft_html is not None:
                self._images = referenced_images(issue)
                self._print_job = _PrintJob(draft, issue, draft_html)
            state.version += 1
            self._changed.notify_all()
        if problems:
            self.report(f"{shown}: the draft has errors:")
            for line in problems:
                self.report(f"  {line}")
        else:
            self.report(f"draft rebuilt in {seconds:.2f} s")

    def _is_current(self, draft: str) -> bool:
        """Whether pages of ``draft`` are still wanted (not superseded, not stopping)."""
        with self._changed:
            return self._state.draft == draft and not self._stopping

    def _print_loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._stopping or self._print_job is not None)
                if self._stopping:
                    return
                job, self._print_job = self._print_job, None
            assert job is not None
            pages, error = self._print(job)
            with self._changed:
                if self._stopping or self._state.draft != job.draft:
                    continue  # superseded by a newer draft: drop these pages
                state = self._state
                state.printing = False
                if pages is not None:
                    state.pages = pages
                state.print_error = error
                state.version += 1
                self._changed.notify_all()
            if pages is not None:
                self.report(f"printed {len(pages.images)} pages in {pages.seconds:.1f} s")
            else:
                self.report(f"printing failed: {error}")

    def _print(self, job: _PrintJob) -> tuple[PrintedPages | None, str | None]:
        """Print a draft and render its pages, or say why not."""
        started = time.perf_counter()
        try:
            printed = print_pdf(self.project, job.html, output_paths(self.project, job.issue)[0])
            if not self._is_current(job.draft):
                return None, None  # superseded while printing: the caller drops it
            images = render_page_images(printed.data, stale=lambda: not self._is_current(job.draft))
            seconds = time.perf_counter() - started
            return PrintedPages(job.draft, tuple(images), seconds, tuple(printed.warnings)), None
        except DossierError as exc:
            return None, exc.format_message()
        except Exception as exc:  # shown in the panel: the server must survive it
            logger.debug("printing failed", exc_info=True)
            return None, f"internal error while printing ({type(exc).__name__}: {exc}): please report it"

    # ---- what the handler asks for ------------------------------------------------

    def wait_for_change(self, seen: int, timeout: float) -> tuple[int, dict[str, Any] | None]:
        """The state once its version differs from ``seen``, or None after ``timeout``/at stop."""
        with self._changed:
            self._changed.wait_for(lambda: self._stopping or self._state.version != seen, timeout=timeout)
            if self._stopping or self._state.version == seen:
                return seen, None
            return self._state.version, self._state.public()

    @property
    def stopping(self) -> bool:
        with self._changed:
            return self._stopping

    def page_document(self) -> bytes:
        """The draft (or the page of errors) with the live-reload script and panel."""
        with self._changed:
            draft, draft_html, problems = self._state.draft, self._state.html, list(self._state.problems)
        if draft_html is None:
            return _error_document(problems, draft).encode("utf-8")
        return _inject(draft_html, _client_script("draft", draft)).encode("utf-8")

    def pages_document(self) -> bytes:
        with self._changed:
            draft = self._state.draft
        title = f"Printed pages · {html.escape(display_path(self.manifest, self.root))}"
        return (
            f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<style>body { margin: 0; background: #2b2f36; }</style></head><body>'
            f"{_client_script('pages', draft)}</body></html>"
        ).encode()

    def page_image(self, draft: str, number: int) -> bytes | None:
        with self._changed:
            pages = self._state.pages
        if pages is None or pages.draft != draft or not 1 <= number <= len(pages.images):
            return None
        return pages.images[number - 1]

    def asset_file(self, url_path: str) -> Path | None:
        """The project file a URL path names, if it is one the draft may load; None otherwise.

        Allowed: files of styles/ and of the numéro's folder with an asset type, and the
        images the numéro references. Dot segments, hidden files and anything resolving
        (through symlinks too) outside those are refused.
        """
        relative = urllib.parse.unquote(url_path)
        parts = relative.split("/")[1:]
        if not parts or any(not part or part.startswith(".") or "\\" in part or "\0" in part for part in parts):
            return None
        path = (self.root / Path(*parts)).resolve()
        if not path.is_relative_to(self.root) or path.suffix.lower() not in ASSET_TYPES or not path.is_file():
            return None
        with self._changed:
            images = set(self._images)
        allowed_dirs = (self.project.styles_dir.resolve(), self.issue_dir)
        if any(path.is_relative_to(folder) for folder in allowed_dirs):
            return path
        if path.relative_to(self.root).as_posix() in images:
            return path
        return None

    def host_allowed(self, host_header: str | None) -> bool:
        """On loopback, refuse other Host names: a web page cannot reach the preview by DNS rebinding."""
        if not is_loopback(self.host):
            return True
        if not host_header:
            return False
        name = urllib.parse.urlsplit(f"//{host_header}").hostname or ""
        return name in _LOOPBACK_NAMES or name == self.host


class _HttpServer(ThreadingHTTPServer):
    # Request threads are joined by server_close(), so Ctrl-C leaves nothing running.
    daemon_threads = False
    block_on_close = True

    def __init__(self, preview: PreviewServer, host: str, port: int) -> None:
        self.preview = preview
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            super().__init__((host, port), _Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise DossierError(
                    f"{host}:{port}: port already in use: "
                    "stop the other server or pass another --port (0 picks a free one)"
                ) from None
            raise DossierError(f"{host}:{port}: cannot listen there: {exc.strerror or exc}") from None

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake the request threads still waiting on a socket (idle browser connections)."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    server_version = "dossier-preview"
    timeout = 60  # an idle connection does not hold a thread forever

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        preview = self.server.preview
        if not preview.host_allowed(self.headers.get("Host")):
            self._send(403, b"Forbidden: this preview answers only to localhost\n", "text/plain; charset=utf-8")
            return
        path = urllib.parse.urlsplit(self.path).path
        if path in ("/", "/index.html"):
            self._send(200, preview.page_document(), "text/html; charset=utf-8")
        elif path == "/pages":
            self._send(200, preview.pages_document(), "text/html; charset=utf-8")
        elif path == "/events":
            self._stream_events()
        elif path == "/favicon.ico":
            self._send(204, b"", "image/x-icon")  # browsers ask for it; the draft has none
        elif match := _PAGE_URL.fullmatch(path):
            image = preview.page_image(match[1], int(match[2]))
            if image is None:
                self._not_found()
            else:
                # Each draft's pages have their own URLs, so they never change.
                self._send(200, image, "image/jpeg", cache="private, max-age=3600, immutable")
        elif (asset := preview.asset_file(path)) is not None:
            self._send_file(asset)
        else:
            self._not_found()

    def _not_found(self) -> None:
        message = b"Not found: the preview serves the draft and the numero's assets only\n"
        self._send(404, message, "text/plain; charset=utf-8")

    def _send(
        self, code: int, body: bytes, content_type: str, *, cache: str = "no-store", etag: str | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
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
        preview = self.server.preview
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = -1
        try:
            # A reconnecting tab retries quickly, e.g. after the server was restarted.
            self.wfile.write(b"retry: 500\n\n")
            while not preview.stopping:
                seen, state = preview.wait_for_change(seen, KEEPALIVE_SECONDS)
                if state is not None:
                    self.wfile.write(f"data: {json.dumps(state)}\n\n".encode())
                elif not preview.stopping:
                    self.wfile.write(b": keepalive\n\n")
                self.wfile.flush()
        except OSError:
            pass  # the tab was closed or reloaded


def _inject(document: str, snippet: str) -> str:
    at = document.lower().rfind("</body>")
    return document + snippet if at < 0 else document[:at] + snippet + document[at:]


def _error_document(problems: list[str], draft: str) -> str:
    items = []
    for line in problems:
        match = re.match(r"(\S+?:\d+):\s*(.*)", line)
        if match:
            items.append(f"<li><code>{html.escape(match[1])}</code>: {html.escape(match[2])}</li>")
        else:
            items.append(f"<li>{html.escape(line)}</li>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Errors · dossier preview</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><style>'
        "body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #fdf3f2; color: #2b1a18; }"
        "main { max-width: 60rem; margin: 0 auto; padding: 2rem; }"
        "h1 { color: #9b2d20; font-size: 1.5rem; } ul { padding-left: 1.2rem; }"
        "li { margin: .5rem 0; font-family: ui-monospace, monospace; font-size: .95rem; }"
        "code { font-weight: bold; }"
        "</style></head><body><main>"
        '<h1>The draft cannot be built</h1><ul class="problems">' + "".join(items) + "</ul>"
        "<p>Fix the file and save it: this page reloads by itself.</p></main>"
        f"{_client_script('error', draft)}</body></html>"
    )


def _client_script(mode: str, draft: str) -> str:
    return (
        f'<script id="dossier-preview-script" data-mode="{html.escape(mode)}" '
        f'data-draft="{html.escape(draft)}">{_CLIENT_JS}</script>'
    )


# The page side: follow /events, reload on a new draft, and show the printed pages
# in a panel that the draft's own CSS cannot reach (shadow DOM).
_CLIENT_JS = r"""
(() => {
  const me = document.currentScript;
  const mode = me.dataset.mode, draft = me.dataset.draft;
  const panelKey = "dossier-preview:panel";
  const host = document.createElement("dossier-preview");
  host.dataset.mode = mode;
  host.dataset.draft = draft;
  const root = host.attachShadow({mode: "open"});
  root.innerHTML = `<style>
    :host { all: initial; }
    aside { position: fixed; top: 0; right: 0; bottom: 0; width: 340px; z-index: 2147483647;
      box-sizing: border-box; overflow-y: auto; background: #2b2f36; color: #e8eaed;
      font: 13px/1.45 system-ui, sans-serif; box-shadow: -2px 0 8px rgba(0,0,0,.3); }
    aside.full { left: 0; width: auto; box-shadow: none; }
    .top { position: sticky; top: 0; background: #1f2227; }
    header { display: flex; gap: 8px; align-items: baseline; padding: 10px 12px 4px; }
    header strong { flex: 1; }
    a, button { color: #9cc7ff; font: inherit; background: none; border: 0; cursor: pointer; padding: 0; }
    .status { margin: 0; padding: 0 12px 10px; color: #c4c8ce; }
    [data-state="failed"] .status { color: #ffb4a8; white-space: pre-wrap; }
    .live { font-size: 11px; color: #8fd19e; }
    .live.off { color: #ffb4a8; }
    .list { padding: 12px; }
    .full .list { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 16px; }
    img { display: block; width: 100%; margin: 0 0 12px; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.5); }
    .old img { opacity: .45; }
    .show { position: fixed; top: 10px; right: 10px; z-index: 2147483647; padding: 6px 10px;
      border-radius: 4px; background: #2b2f36; color: #e8eaed; font: 13px system-ui, sans-serif; }
  </style>
  <aside data-state="none"><div class="top"><header><strong>Printed pages</strong><span class="count"></span>
    <span class="live">connecting</span><a class="other"></a>
    <button class="hide" title="Hide the pages">×</button></header>
    <p class="status">Waiting for the server…</p></div><div class="list"></div></aside>
  <button class="show" hidden>Printed pages</button>`;
  document.body.append(host);
  const $ = (s) => root.querySelector(s);
  const panel = $("aside"), list = $(".list"), status = $(".status"), count = $(".count"), live = $(".live");
  const other = $(".other");
  other.textContent = mode === "pages" ? "draft" : "full size";
  other.href = mode === "pages" ? "/" : "/pages";
  other.title = mode === "pages" ? "Back to the HTML draft" : "Show the pages full size";

  const style = document.createElement("style");
  style.textContent = "html.dossier-preview-open body { margin-right: 340px !important; }";
  document.head.append(style);
  const setOpen = (open) => {
    panel.hidden = !open;
    $(".show").hidden = open;
    document.documentElement.classList.toggle("dossier-preview-open", open);
    localStorage.setItem(panelKey, open ? "open" : "closed");
  };
  if (mode === "pages") {
    panel.classList.add("full");
    $(".hide").hidden = true;
  } else {
    setOpen(localStorage.getItem(panelKey) !== "closed");
    $(".hide").onclick = () => setOpen(false);
    $(".show").onclick = () => setOpen(true);
  }

  const show = (state) => {
    if (mode !== "pages" && state.draft !== draft) {
      location.reload();  // browsers keep the scroll position on a reload
      return;
    }
    const pages = state.pages;
    if (pages && panel.dataset.pagesDraft !== pages.draft) {
      list.replaceChildren(...pages.images.map((src, i) => {
        const img = document.createElement("img");
        img.src = src;
        img.alt = "page " + (i + 1);
        return img;
      }));
      panel.dataset.pagesDraft = pages.draft;
    }
    count.textContent = pages ? pages.count + (pages.count === 1 ? " page" : " pages") : "";
    let name, text;
    if (!state.ok) {
      [name, text] = ["stale", pages ? "The manifest has errors: these are the last pages printed."
                                     : "The manifest has errors: nothing printed yet."];
    } else if (state.printing) {
      [name, text] = ["printing", pages ? "Printing the new draft… (showing the previous pages)" : "Printing…"];
    } else if (state.print_error) {
      [name, text] = ["failed", "Printing failed:\n" + state.print_error];
    } else if (pages && pages.draft === state.draft) {
      const warned = pages.warnings.length ? ` · ${pages.warnings.length} WeasyPrint warning(s)` : "";
      [name, text] = ["ready", `Printed in ${pages.seconds.toFixed(1)} s${warned}`];
      status.title = pages.warnings.join("\n");
    } else {
      [name, text] = ["stale", "These pages are of an older draft."];
    }
    panel.dataset.state = name;
    status.textContent = text;
    list.classList.toggle("old", name !== "ready");
  };

  const events = new EventSource("/events");
  events.onmessage = (event) => show(JSON.parse(event.data));
  events.onopen = () => { live.textContent = "live"; live.classList.remove("off"); };
  events.onerror = () => { live.textContent = "disconnected"; live.classList.add("off"); };
})();
"""


def serve_preview(
    project: Project,
    issue_ref: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    report: Report = _ignore,
) -> None:
    """Serve the live preview of a numéro until Ctrl-C, then stop cleanly (further Ctrl-C ignored)."""
    manifest = project.manifest_for(issue_ref)
    server = PreviewServer(project, manifest, host=host, port=port, report=report)
    report(f"previewing {display_path(manifest, project.root)} at {server.url} (Ctrl-C to stop)")
    try:
        server.start()
        if not is_loopback(host):
            report(f"warning: {host} is not loopback: other machines on the network can read the draft")
        if open_browser:
            webbrowser.open(server.url)
        while True:
            time.sleep(60)  # until Ctrl-C, which interrupts the sleep at once
    except KeyboardInterrupt:
        _ignore_further_ctrl_c()
        report("stopping…")
    finally:
        server.stop()
    report("stopped")


def _ignore_further_ctrl_c() -> None:
    """An impatient second Ctrl-C must not cut the shutdown short (the command ends right after)."""
    if threading.current_thread() is threading.main_thread():  # only there can handlers be set
        signal.signal(signal.SIGINT, signal.SIG_IGN)
