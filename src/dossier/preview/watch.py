"""A polling watcher over a list of files that may change from one poll to the next.

Invariants:
- A file is compared by modification time *and* size (mtimes can tie within a tick);
  a deleted file is a change, and so is a new one among the listed files.
- A save made while ``on_change`` runs is seen at the next poll: after ``on_change``,
  files already watched keep the state seen *before* it; only files newly listed by
  ``on_change`` (say, an image the manifest now names) start from their current state.
- A bug in ``on_change`` does not end the watcher: ``on_error`` hears of it, the next
  change tries again.
"""

from __future__ import annotations

import logging
import stat
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.05  # a scan of a numéro's files takes well under a millisecond

Snapshot = dict[Path, tuple[int, int]]


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Modification time and size of each of ``paths`` that is a regular file now."""
    found = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue  # deleted meanwhile: its absence from the snapshot is the change
        if stat.S_ISREG(info.st_mode):
            found[path] = (info.st_mtime_ns, info.st_size)
    return found


def _log_error(exc: Exception) -> None:
    logger.error("reacting to a change failed", exc_info=exc)


class Watcher:
    """Calls ``on_change()`` whenever one of ``files()`` changes; ``files`` is asked at every poll."""

    def __init__(
        self,
        files: Callable[[], Iterable[Path]],
        on_change: Callable[[], None],
        *,
        poll_seconds: float = POLL_SECONDS,
        on_error: Callable[[Exception], None] = _log_error,
    ) -> None:
        self.files = files
        self.on_change = on_change
        self.poll_seconds = poll_seconds
        self.on_error = on_error
        self._listed: set[Path] = set()
        self._seen: Snapshot = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def prime(self) -> None:
        """Note the files' state and run ``on_change`` once, in this thread (the first build)."""
        self._listed = set(self.files())
        self._seen = snapshot(self._listed)
        self._react()

    def poll(self) -> bool:
        """Look once; run ``on_change`` if anything changed. Whether it did."""
        listed = set(self.files())
        now = snapshot(listed)
        if now == self._seen:
            return False
        self._listed, self._seen = listed, now
        self._react()
        return True

    def _react(self) -> None:
        try:
            self.on_change()
        except Exception as exc:  # a bug must not end the watching; the next save tries again
            self.on_error(exc)
        listed = set(self.files())
        fresh = snapshot(listed - self._listed)
        self._seen = {path: state for path, state in self._seen.items() if path in listed} | fresh
        self._listed = listed

    def start(self, name: str) -> None:
        """Poll in a thread of that name until ``stop()``."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=name)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.poll_seconds):
            self.poll()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
