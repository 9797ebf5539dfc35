"""The print worker's process, seen from the build: started (``WorkerPrinter.start``) or forked.

Invariants: its temporary files go to a folder of the build's, removed on ``close`` however
the worker ended, or by the worker itself when the build was killed; it runs in a process group
of its own, so a terminal's Ctrl-C reaches the build only, which stops it; it never outlives
the build (``worker.bind_to_build``); a worker that ends without an answer, or that has not
answered within the print's time budget (``DOSSIER_PRINT_TIMEOUT``, 300 s), is a one-line error.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ...i18n import N_

if TYPE_CHECKING:
    from . import PrintedPdf, PrintJob

SIGNAL, EXIT_CODE = N_("signal {number}"), N_("exit code {number}")
PRINT_TOO_LONG = N_("{numero}: the print took more than {seconds} s and was stopped: an image or a style makes the layout "
                    "run away (simplify it, or allow more time with DOSSIER_PRINT_TIMEOUT=SECONDS)")
DEFAULT_BUDGET = 300.0  # seconds; the 200-initiative numéro of bench_scale prints in about 10
WORKER_FAILED = N_("the print worker stopped without an answer ({status}): run the build again, or with "
                   "DOSSIER_PRINT_IN_PROCESS=1 to print in this process")


class WorkerPrinter:
    """The print worker (forked, or started as ``python -m dossier.press.printing.worker``), importing WeasyPrint until
    it is sent its job.

    Its temporary files (WeasyPrint's copies of the fonts) go to a folder of this process's,
    removed on ``close`` however the worker ended.
    """

    def __init__(self, process: subprocess.Popen[bytes] | _ForkedWorker, temporary: Path) -> None:
        self._process = process
        self._temporary = temporary

    @classmethod
    def fork(cls) -> WorkerPrinter:
        """The worker as a copy of this process: only where no other thread runs (a command's first line)."""
        return cls._launch(_ForkedWorker)

    @classmethod
    def start(cls) -> WorkerPrinter:
        return cls._launch(_started_worker)

    @classmethod
    def _launch(cls, launch: Callable[[Path], subprocess.Popen[bytes] | _ForkedWorker]) -> WorkerPrinter:
        temporary = Path(tempfile.mkdtemp(prefix="dossier-print-"))
        try:
            return cls(launch(temporary), temporary)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            raise

    def print(self, job: PrintJob) -> PrintedPdf:
        import pickle

        from ...errors import DossierError
        from ...i18n import _

        budget = print_budget()
        try:
            answer, _err = self._process.communicate(pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL), timeout=budget)
            kind, value = pickle.loads(answer)
        except subprocess.TimeoutExpired:
            self.close()
            raise DossierError(_(PRINT_TOO_LONG).format(numero=job.identifier, seconds=f"{budget:g}")) from None
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


def _started_worker(temporary: Path) -> subprocess.Popen[bytes]:
    # -P: the project folder (the current directory) is not put on the worker's import path. A
    # process group of its own: a Ctrl-C in the terminal goes to the build, which says so and
    # stops the worker, never to the worker (whose traceback would follow the build's message).
    from .worker import PARENT

    environment = {**os.environ, "TMPDIR": str(temporary), PARENT: str(os.getpid())}
    return subprocess.Popen([sys.executable, "-P", "-m", "dossier.press.printing.worker"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, process_group=0, env=environment)


class _ForkedWorker:
    """What ``WorkerPrinter`` uses of ``subprocess.Popen``, for a worker forked from this process.

    Forked rather than started: no second interpreter to start, 0.04 s sooner. The copy runs
    ``worker.main`` on the same pipes a started worker would have as stdin and stdout.
    """

    def __init__(self, temporary: Path) -> None:
        job_read, job_write = os.pipe()
        answer_read, answer_write = os.pipe()
        build = os.getpid()
        pid = os.fork()
        if pid == 0:
            try:
                os.setpgid(0, 0)  # as process_group=0 for a started worker: no Ctrl-C from the terminal
                os.environ["TMPDIR"] = str(temporary)
                tempfile.tempdir = None
                from .worker import bind_to_build, main

                bind_to_build(build)  # before it takes its pipes: whoever sees it on them sees it bound
                os.dup2(job_read, 0)
                os.dup2(answer_write, 1)
                for descriptor in (job_read, job_write, answer_read, answer_write):
                    os.close(descriptor)
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

    def communicate(self, job: bytes, timeout: float) -> tuple[bytes, None]:
        try:
            self._job.write(job)
            self._job.close()  # the worker reads to the end of the job
            answer = _read_all(self._answer.fileno(), time.monotonic() + timeout)
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


def print_budget() -> float:
    """How long a print may take: DOSSIER_PRINT_TIMEOUT seconds (a positive number), else 300."""
    try:
        budget = float(os.environ.get("DOSSIER_PRINT_TIMEOUT", DEFAULT_BUDGET))
    except ValueError:
        return DEFAULT_BUDGET
    return budget if 0 < budget < float("inf") else DEFAULT_BUDGET


def _read_all(descriptor: int, deadline: float) -> bytes:
    """Everything until the end of the pipe, or ``subprocess.TimeoutExpired`` at ``deadline``."""
    chunks = []
    with selectors.DefaultSelector() as selector:
        selector.register(descriptor, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                raise subprocess.TimeoutExpired("print worker", deadline)
            chunk = os.read(descriptor, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _exit_status(code: int) -> str:
    from ...i18n import _

    return _(SIGNAL).format(number=-code) if code < 0 else _(EXIT_CODE).format(number=code)
