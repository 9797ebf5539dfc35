"""Printing a draft: in a worker process that imports WeasyPrint while the build loads and renders.

A cold ``dossier build`` spends about 0.3 s importing WeasyPrint and as much loading the
manifest and rendering the draft. On two cores they overlap: ``start_printer`` launches
``python -m dossier.print_worker`` at once, the worker imports WeasyPrint, then prints the
one job it is sent. A process that has already imported WeasyPrint (the preview, the tests)
prints in-process: it has paid for the import.

Invariants:
- nothing here imports WeasyPrint; the results cross as ``PrintedPdf`` (defined here), so
  reading one does not import it either;
- a worker prints one job, answers once and exits; a Ctrl-C stops the build, which stops the worker;
- a failure the user can fix is the same ``DossierError`` message as in-process.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .i18n import N_

# Little else is imported here: ``dossier`` imports this module first thing, to start a build's worker.
if TYPE_CHECKING:
    from .project import Project

SIGNAL, EXIT_CODE = N_("signal {number}"), N_("exit code {number}")
WORKER_FAILED = N_("the print worker stopped without an answer ({status}): run the build again, or with "
                   "DOSSIER_PRINT_IN_PROCESS=1 to print in this process")


@dataclass(frozen=True)
class SourceFile:
    """A file embedded in the PDF as its source (PDF/A-3 allows any file)."""

    name: str
    data: bytes
    description: str
    modified: dt.datetime


@dataclass
class PrintedPdf:
    data: bytes
    pages: int
    warnings: list[str]
    layout_seconds: float
    write_seconds: float


@dataclass(frozen=True)
class PrintJob:
    """What ``dossier.pdf.print_pdf`` is given, and the language its messages speak."""

    project: Project
    html: str
    html_path: Path
    identifier: str = "dossier"
    strict: bool = False
    archive: bool = False
    sources: Sequence[SourceFile] = field(default_factory=tuple)
    fixed_time: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    language: str = field(default_factory=lambda: _current_language())

    def run(self) -> PrintedPdf:
        from .pdf import print_pdf

        return print_pdf(self.project, self.html, self.html_path, identifier=self.identifier, strict=self.strict,
                         archive=self.archive, sources=self.sources, fixed_time=self.fixed_time)


class Printer(Protocol):
    def print(self, job: PrintJob) -> PrintedPdf: ...

    def close(self) -> None: ...


class InProcessPrinter:
    def print(self, job: PrintJob) -> PrintedPdf:
        return job.run()

    def close(self) -> None:
        pass


class WorkerPrinter:
    """A ``python -m dossier.print_worker`` process, importing WeasyPrint until it is sent its job.

    Its temporary files (WeasyPrint's copies of the fonts) go to a folder of this process's,
    removed on ``close`` however the worker ended.
    """

    def __init__(self, process: subprocess.Popen[bytes] | _ForkedWorker, temporary: Path) -> None:
        self._process = process
        self._temporary = temporary

    @classmethod
    def fork(cls) -> WorkerPrinter:
        """The worker as a copy of this process: only where no other thread runs (a command's first line)."""
        temporary = Path(tempfile.mkdtemp(prefix="dossier-print-"))
        try:
            return cls(_ForkedWorker(temporary), temporary)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            raise

    @classmethod
    def start(cls) -> WorkerPrinter:
        temporary = Path(tempfile.mkdtemp(prefix="dossier-print-"))
        # -P: the project folder (the current directory) is not put on the worker's import path.
        command = [sys.executable, "-P", "-m", "dossier.print_worker"]
        try:
            # A process group of its own: a Ctrl-C in the terminal goes to the build, which says so and
            # stops the worker, never to the worker (whose traceback would follow the build's message).
            process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, process_group=0,
                                       env={**os.environ, "TMPDIR": str(temporary)})
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        return cls(process, temporary)

    def print(self, job: PrintJob) -> PrintedPdf:
        import pickle

        from .errors import DossierError
        from .i18n import _

        try:
            answer, _err = self._process.communicate(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL))
            kind, value = pickle.loads(answer)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError):
            raise DossierError(_(WORKER_FAILED).format(status=_exit_status(self._process.wait()))) from None
        if kind == "error":
            raise DossierError(value)
        if kind == "crash":  # a bug: the worker's traceback, as an in-process print would show it
            raise RuntimeError(f"the print worker failed:\n{value}")
        return value

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        shutil.rmtree(self._temporary, ignore_errors=True)


def _current_language() -> str:
    from .i18n import current_language

    return current_language()


class _ForkedWorker:
    """What ``WorkerPrinter`` uses of ``subprocess.Popen``, for a worker forked from this process.

    Forked rather than started: no second interpreter to start, 0.04 s sooner. The copy runs
    ``print_worker.main`` on the same pipes a started worker would have as stdin and stdout.
    """

    def __init__(self, temporary: Path) -> None:
        job_read, job_write = os.pipe()
        answer_read, answer_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.setpgid(0, 0)  # as process_group=0 for a started worker: no Ctrl-C from the terminal
                os.dup2(job_read, 0)
                os.dup2(answer_write, 1)
                for descriptor in (job_read, job_write, answer_read, answer_write):
                    os.close(descriptor)
                os.environ["TMPDIR"] = str(temporary)
                tempfile.tempdir = None
                from .print_worker import main

                main()  # ends the process
            finally:
                os._exit(70)
        with contextlib.suppress(OSError):  # either side may set it first
            os.setpgid(pid, pid)
        os.close(job_read)
        os.close(answer_write)
        self.pid = pid
        self.returncode: int | None = None
        self._job = os.fdopen(job_write, "wb")
        self._answer = os.fdopen(answer_read, "rb")

    def communicate(self, job: bytes) -> tuple[bytes, None]:
        try:
            with self._job:
                self._job.write(job)
            with self._answer:
                answer = self._answer.read()
        finally:
            self._job.close()
            self._answer.close()
        # Not waiting for its exit: it has answered, and its memory takes a few ms to be returned.
        return answer, None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> int:
        if self.returncode is None:
            _pid, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        self._job.close()
        self._answer.close()
        return self.returncode


def _exit_status(code: int) -> str:
    from .i18n import _

    return _(SIGNAL).format(number=-code) if code < 0 else _(EXIT_CODE).format(number=code)


# A worker started by ``start_early`` at the command's first line, waiting for ``start_printer``.
_early: WorkerPrinter | None = None


def _wanted() -> bool:
    return "weasyprint" not in sys.modules and not os.environ.get("DOSSIER_PRINT_IN_PROCESS") and bool(sys.executable)


def start_early() -> None:
    """Start the worker now, for a build this process is about to run: 0.1 s before the CLI could.

    Call it first thing, before any other thread can exist: the worker is forked.
    ``start_printer`` takes it; unused (an unchanged build, a usage error), it is stopped at exit.
    """
    global _early
    if _early is None and _wanted():
        try:
            _early = WorkerPrinter.fork() if hasattr(os, "fork") else WorkerPrinter.start()
        except OSError:
            return
        atexit.register(_stop_early)


def _stop_early() -> None:
    global _early
    if _early is not None:
        _early.close()
        _early = None


def start_printer() -> Printer:
    """A worker printer, unless WeasyPrint is already imported here (or DOSSIER_PRINT_IN_PROCESS is set)."""
    global _early
    if _early is not None:
        printer, _early = _early, None
        return printer
    if not _wanted():
        return InProcessPrinter()
    try:
        return WorkerPrinter.start()
    except OSError:
        return InProcessPrinter()
