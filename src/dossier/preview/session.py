"""A preview session: the current draft of one numéro, its printed pages, and what browsers are told.

No HTTP here. ``rebuild()`` loads and renders the draft (or collects its errors) and
queues its print; ``print_loop()``, in a thread of its own, prints the queued draft and
renders its pages. Invariants:
- Every change a browser should hear about bumps ``version`` under one lock, and
  ``wait_for_change`` hands out the state as of that version.
- The draft comes first and its pages follow. A newer draft supersedes a print queued
  or in progress: its pages are dropped, never shown as the new draft's.
- A manifest with errors replaces the draft by its errors; the last printed pages stay
  (shown as stale) and the files of the last good draft are still watched.
- Loading, rendering and printing errors, even bugs, are reported, never raised: the
  preview goes on and the next save tries again.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DossierError
from ..files import display_path
from ..i18n import _, decimal, ngettext
from ..manifest import Issue
from ..manifest.load import load_issue
from ..press import Draft, print_draft, render_draft
from ..project import ASSET_TYPES, Project
from .pages import PrintedPages, render_page_images

logger = logging.getLogger(__name__)

Report = Callable[[str], None]


def ignore(_: str) -> None:
    pass


@dataclass
class _PrintJob:
    draft: str
    issue: Issue
    html: str


@dataclass
class _State:
    """What the browser is told; guarded by ``PreviewSession._changed``."""

    version: int = 0  # bumped on every change a browser should hear about
    draft: str = ""  # id of the current draft (or of the current errors)
    html: str | None = None  # the draft, or None when the manifest has errors
    problems: list[str] = field(default_factory=list)
    pages: PrintedPages | None = None  # the last pages printed, maybe of an older draft
    printing: bool = False  # pages of the current draft are on their way
    print_error: str | None = None  # printing the current draft failed

    def public(self) -> dict[str, Any]:
        return {
            "draft": self.draft,
            "ok": self.html is not None,
            "printing": self.printing,
            "print_error": self.print_error,
            "pages": None if self.pages is None else self.pages.public(),
        }


class PreviewSession:
    """The live state of one numéro's preview."""

    def __init__(self, project: Project, manifest: Path, *, report: Report = ignore) -> None:
        self.project = project
        self.root = project.root.resolve()
        self.manifest = manifest.resolve()
        self.issue_dir = self.manifest.parent
        self.report = report
        self._token = secrets.token_hex(4)  # draft ids differ from one server run to the next
        self._generation = 0
        self._state = _State()
        self._changed = threading.Condition()
        self._stopping = False
        self._print_job: _PrintJob | None = None
        self._last_good: Issue | None = None  # its files are watched, its images served, through errors

    # ---- what the numéro is made of ------------------------------------------------

    def watched_files(self) -> list[Path]:
        """The files of the last good draft (``Project.sources``), and the numéro's folder.

        The folder too: an image dropped beside the manifest before it is named there
        (while the manifest does not validate yet, say) is a change.
        """
        with self._changed:
            issue = self._last_good
        if issue is not None:
            files = self.project.sources(issue)
        else:
            files = [self.manifest, self.project.publication_file, *self.project.layout_files()]
        return files + self.issue_folder_files()

    def issue_folder_files(self) -> list[Path]:
        """The files of the numéro's folder a draft may load (assets), hidden ones left out."""
        return [
            path
            for path in sorted(self.issue_dir.rglob("*"))
            if path.suffix.lower() in ASSET_TYPES and not path.name.startswith(".")
        ]

    def images(self) -> set[str]:
        """Project-relative paths of the images the last good draft prints."""
        with self._changed:
            issue = self._last_good
        return set() if issue is None else {image.path for image in issue.images()}

    # ---- rebuilding ----------------------------------------------------------------

    def rebuild(self) -> None:
        """Load and render the draft; publish it (or its errors) and queue its print."""
        started = time.perf_counter()
        shown = display_path(self.manifest, self.root)
        issue = draft_html = None
        try:
            issue = load_issue(self.project, self.manifest)
            draft_html = render_draft(self.project, issue).html
            problems: list[str] = []
        except DossierError as exc:
            problems = exc.format_message().splitlines()
        except OSError as exc:
            problems = [_("{file}: cannot read: {error}").format(
                file=display_path(Path(exc.filename or self.manifest), self.root), error=exc.strerror)]
        except Exception as exc:  # shown in the page: the server must survive it
            logger.debug("rendering failed", exc_info=True)
            problems = [_("{file}: internal error while rendering ({error}): please report it").format(
                file=shown, error=f"{type(exc).__name__}: {exc}")]
        seconds = time.perf_counter() - started
        self._publish_draft(issue, draft_html, problems)
        if problems:
            self.report(_("{file}: the draft has errors:").format(file=shown))
            for line in problems:
                self.report(f"  {line}")
        else:
            self.report(_("draft rebuilt in {seconds} s").format(seconds=decimal(seconds, 2)))

    def _publish_draft(self, issue: Issue | None, draft_html: str | None, problems: list[str]) -> None:
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
                self._last_good = issue
                self._print_job = _PrintJob(draft, issue, draft_html)
            state.version += 1
            self._changed.notify_all()

    # ---- printing ------------------------------------------------------------------

    def print_loop(self) -> None:
        """Print each queued draft, until ``stop()`` (a print in progress finishes first)."""
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._stopping or self._print_job is not None)
                if self._stopping:
                    return
                job, self._print_job = self._print_job, None
            if job is not None:
                self._print_and_publish(job)

    def print_pending(self) -> None:
        """Print the queued draft now, in this thread (for tests and tools without a print thread)."""
        with self._changed:
            job, self._print_job = self._print_job, None
        if job is not None:
            self._print_and_publish(job)

    def _print_and_publish(self, job: _PrintJob) -> None:
        pages, error = self._print(job)
        with self._changed:
            if self._stopping or self._state.draft != job.draft:
                return  # superseded by a newer draft: drop these pages
            state = self._state
            state.printing = False
            if pages is not None:
                state.pages = pages
            state.print_error = error
            state.version += 1
            self._changed.notify_all()
        if pages is not None:
            self.report(ngettext("printed {count} page in {seconds} s", "printed {count} pages in {seconds} s",
                                 len(pages.images)).format(count=len(pages.images), seconds=decimal(pages.seconds)))
        else:
            self.report(_("printing failed: {error}").format(error=error))

    def _is_current(self, draft: str) -> bool:
        """Whether pages of ``draft`` are still wanted (not superseded, not stopping)."""
        with self._changed:
            return self._state.draft == draft and not self._stopping

    def _print(self, job: _PrintJob) -> tuple[PrintedPages | None, str | None]:
        """Print a draft and render its pages, or say why not."""
        started = time.perf_counter()
        try:
            printed = print_draft(self.project, Draft(job.html, self.project.output_paths(job.issue.slug)[0]))
            if not self._is_current(job.draft):
                return None, None  # superseded while printing: the caller drops it
            images = render_page_images(printed.data, stale=lambda: not self._is_current(job.draft))
            seconds = time.perf_counter() - started
            return PrintedPages(job.draft, tuple(images), seconds, tuple(printed.warnings)), None
        except DossierError as exc:
            return None, exc.format_message()
        except Exception as exc:  # shown in the panel: the server must survive it
            logger.debug("printing failed", exc_info=True)
            return None, _("internal error while printing ({error}): please report it").format(
                error=f"{type(exc).__name__}: {exc}")

    # ---- what browsers are told ----------------------------------------------------------

    def current(self) -> tuple[str, str | None, list[str]]:
        """The current draft's id, its HTML (None when it has errors) and its errors."""
        with self._changed:
            return self._state.draft, self._state.html, list(self._state.problems)

    def last_good(self) -> Issue | None:
        """The numéro of the last draft that loaded (None until one did)."""
        with self._changed:
            return self._last_good

    def printed_pages(self) -> int:
        """How many pages the last print has (0 before the first)."""
        with self._changed:
            return 0 if self._state.pages is None else len(self._state.pages.images)

    def page_image(self, draft: str, number: int) -> bytes | None:
        with self._changed:
            pages = self._state.pages
        return None if pages is None else pages.image(draft, number)

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

    def stop(self) -> None:
        """Wake every waiter; ``print_loop`` returns once a print in progress is done."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
