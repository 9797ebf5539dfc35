"""The ledger written alongside the sending: a record is committed (fsync) while the next message goes out.

Committing each record to disk costs a few milliseconds of waiting (more on a busy disk), as
long as the server takes a message: done in turn, it was most of the gap between dossier and
plain smtplib. Invariants: the records are written in order by one thread; at most one is in
flight; it is on disk before the next message's end of DATA is sent (``SmtpConnection``'s
``before_end_of_data``), before another record is queued, and before the run ends however it
ends. So, as when each record was committed in turn, no message is accepted while the
previous one's record is not on disk: a record that cannot be written stops the run before
the next message is complete, and a crash loses at most the last record.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor


class Recorder:
    """Runs ledger writes one at a time in a thread of its own, one at most waiting to reach the disk."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dossier-ledger")
        self._pending: Future[None] | None = None

    def record(self, write: Callable[..., None], *args: object) -> None:
        """Queue ``write(*args)`` once the previous record is on disk (its error, if any, is raised here)."""
        self.wait()
        self._pending = self._pool.submit(write, *args)

    def wait(self) -> None:
        """Until the last record is on disk; its error, if it failed."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        """Wait for the last record, even through a Ctrl-C, then stop the thread."""
        try:
            while self._pending is not None:
                try:
                    self.wait()
                except KeyboardInterrupt:
                    continue  # the record is being written: it must land before the ledger closes
        finally:
            self._pool.shutdown(wait=True)
