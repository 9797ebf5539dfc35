"""``dossier preview``: a session, its watcher, its HTTP server and their threads, started and stopped together."""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
import webbrowser
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..files import display_path
from ..i18n import _
from ..net import is_loopback
from ..project import Project
from .edit import EditingDesk
from .http import PreviewHttpServer
from .session import PreviewSession, Report, ignore
from .site import PreviewSite
from .watch import POLL_SECONDS, Watcher

logger = logging.getLogger(__name__)


class PreviewServer:
    """Serves a live draft of one numéro; ``start()`` returns once the first draft is ready."""

    def __init__(
        self,
        project: Project,
        manifest: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        report: Report = ignore,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.host = host
        self.report = report
        self.session = PreviewSession(project, manifest, report=report)
        self.watcher = Watcher(
            self.session.watched_files, self.session.rebuild, poll_seconds=poll_seconds, on_error=self._internal_error
        )
        self.desk = EditingDesk(self.session, loopback=is_loopback(host))
        self._httpd = PreviewHttpServer(PreviewSite(self.session, self.desk), host, port)  # listens now: a taken port fails early
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}/"

    @property
    def edit_url(self) -> str:
        """The editing view's address, with this session's token (loopback only)."""
        return self.url.rstrip("/") + self.desk.url

    def start(self) -> None:
        self.watcher.prime()  # the first draft, built before anyone can ask for it
        with _ctrl_c_deferred():  # a thread started but not yet known to stop() would keep the process alive
            for name, target in (
                ("http", lambda: self._httpd.serve_forever(poll_interval=0.25)),
                ("print", self.session.print_loop),
            ):
                thread = threading.Thread(target=target, name=self._thread_name(name))
                thread.start()
                self._threads.append(thread)
            self.watcher.start(self._thread_name("watch"))

    def stop(self) -> None:
        """Stop serving, close open connections (event streams too) and join every thread."""
        self.session.stop()
        self.watcher.stop()
        if self._threads:
            self._httpd.shutdown()
        self._httpd.close()  # joins the request threads
        for thread in self._threads:
            thread.join()
        self._threads.clear()

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_for_change(self, seen: int, timeout: float) -> tuple[int, dict[str, Any] | None]:
        """What browsers are sent, once it differs from version ``seen`` (see PreviewSession)."""
        return self.session.wait_for_change(seen, timeout)

    def _thread_name(self, name: str) -> str:
        return f"dossier-preview-{self.port}-{name}"

    def _internal_error(self, exc: Exception) -> None:
        logger.debug("rebuilding failed", exc_info=exc)
        self.report(_("internal error while rebuilding ({error}): please report it").format(
            error=f"{type(exc).__name__}: {exc}"))


def serve_preview(
    project: Project,
    issue_ref: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    report: Report = ignore,
) -> None:
    """Serve the live preview of a numéro until Ctrl-C, then stop cleanly (further Ctrl-C ignored)."""
    manifest = project.manifest_for(issue_ref)
    server = PreviewServer(project, manifest, host=host, port=port, report=report)
    report(_("previewing {manifest} at {url} (Ctrl-C to stop)").format(
        manifest=display_path(manifest, project.root), url=server.url))
    if is_loopback(host):
        report(_("editing view: {url}").format(url=server.edit_url))
    try:
        server.start()
        if not is_loopback(host):
            report(_("warning: {host} is not loopback: other machines on the network can read the draft").format(host=host))
        if open_browser:
            webbrowser.open(server.url)
        while True:
            time.sleep(60)  # until Ctrl-C, which interrupts the sleep at once
    except KeyboardInterrupt:
        _ignore_further_ctrl_c()
        report(_("stopping…"))
    finally:
        server.stop()
    report(_("stopped"))


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """A Ctrl-C (SIGINT) arriving inside is raised as KeyboardInterrupt once the block is done (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _ignore_further_ctrl_c() -> None:
    """An impatient second Ctrl-C must not cut the shutdown short (the command ends right after)."""
    if threading.current_thread() is threading.main_thread():  # only there can handlers be set
        signal.signal(signal.SIGINT, signal.SIG_IGN)
