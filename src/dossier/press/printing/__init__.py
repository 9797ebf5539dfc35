"""Printing a draft: in a worker process that imports WeasyPrint while the build loads and renders.

A cold ``dossier build`` spends about 0.3 s importing WeasyPrint and as much loading the
manifest and rendering the draft. On two cores they overlap: ``start_early`` forks a worker
at the command's first line (``start_printer`` starts one as a process later on), the worker
imports WeasyPrint, then prints the one job it is sent (``worker``). A process that has
already imported WeasyPrint (the preview, the tests) prints in-process: it has paid for the import.

Invariants:
- nothing here imports WeasyPrint; the results cross as ``PrintedPdf`` (defined here), so
  reading one does not import it either;
- a worker prints one job, answers once and exits; a Ctrl-C stops the build, which stops the worker;
- a failure the user can fix is the same ``DossierError`` message as in-process.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

# Little else is imported here: ``dossier`` imports this package first thing, to start a build's worker.
from ..printed import PrintedPdf, SourceFile

if TYPE_CHECKING:
    from ...project import Project
    from .process import WorkerPrinter


def _current_language() -> str:
    from ...i18n import current_language

    return current_language()


@dataclass(frozen=True)
class PrintJob:
    """What ``press.pdf.print_pdf`` is given, and the language its messages speak."""

    project: Project
    html: str
    html_path: Path
    identifier: str = "dossier"
    strict: bool = False
    archive: bool = False
    sources: Sequence[SourceFile] = field(default_factory=tuple)
    fixed_time: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    language: str = field(default_factory=_current_language)

    def run(self) -> PrintedPdf:
        from ..pdf import print_pdf

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


# A worker started by ``start_early`` at the command's first line, waiting for ``start_printer``.
_early: WorkerPrinter | None = None


def _wanted() -> bool:
    return "weasyprint" not in sys.modules and not os.environ.get("DOSSIER_PRINT_IN_PROCESS") and bool(sys.executable)


def start_early() -> None:
    """Start the worker now, for a build this process is about to run: 0.1 s before the CLI could.

    Call it first thing, before any other thread can exist: the worker is forked.
    ``start_printer`` takes it; unused (an unchanged build, a usage error), it is stopped at exit.
    """
    from .process import WorkerPrinter

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
    from .process import WorkerPrinter

    try:
        return WorkerPrinter.start()
    except OSError:
        return InProcessPrinter()
