"""The print worker (``python -P -m dossier.press.printing.worker``, or forked): import WeasyPrint, print one job, exit.

Started by ``printing.process.WorkerPrinter`` before the job exists: the import overlaps the build's
loading and rendering. Reads one pickled ``PrintJob`` on stdin and writes one pickled answer
on what was stdout: ``("ok", PrintedPdf)``, ``("error", message)`` for a ``DossierError``, or
``("crash", traceback)``. Anything else printed to stdout (a library's banner) goes to stderr,
so it cannot corrupt the answer. Its temporary files go to the folder the build gave it
(``TMPDIR``), which the build removes. It runs in a process group of its own: a Ctrl-C in the
terminal reaches the build only, which reports it and stops this worker.

It lives no longer than its build (``bind_to_build``): whatever ends the build (a signal, a
kill -9, a closed terminal) sends this worker SIGTERM (or SIGHUP), on which it removes its
temporary folder and exits at once.
"""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import signal
import sys
import threading
import time
import traceback
from types import FrameType
from typing import BinaryIO

PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT = "DOSSIER_PRINT_BUILD"  # the build's pid, for a worker started as a process


def bind_to_build(build: int) -> None:
    """End this process (SIGTERM) when the process ``build`` ends, however it ends.

    Linux says so itself (``PR_SET_PDEATHSIG``); elsewhere a thread watches the parent. Either
    way, a build that ended before this was set up is seen at once.
    """
    signal.signal(signal.SIGTERM, _leave)
    # The kernel hangs up a process group it orphaned while one of its members was stopped.
    signal.signal(signal.SIGHUP, _leave)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        bound = libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        bound = False
    if not bound:
        threading.Thread(target=_watch, args=(build,), daemon=True).start()
    if os.getppid() != build:
        _leave(signal.SIGTERM, None)


def _watch(build: int) -> None:
    while os.getppid() == build:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)


def _leave(number: int, frame: FrameType | None) -> None:
    """The build is gone: remove the temporary folder it gave (its name says it is one of ours), exit."""
    folder = os.environ.get("TMPDIR", "")
    if os.path.basename(folder).startswith("dossier-print-"):
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(128 + number)


def main() -> None:
    if PARENT in os.environ:  # started as a process (a forked worker binds itself before calling this)
        bind_to_build(int(os.environ[PARENT]))
    answer_fd = os.dup(1)
    os.dup2(2, 1)
    try:
        answer = _print_one(sys.stdin.buffer)
        with os.fdopen(answer_fd, "wb") as out:
            out.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    except (BrokenPipeError, EOFError):  # the build stopped before sending a job or reading the answer
        pass
    finally:
        sys.stderr.flush()
    # Everything is written: tearing down the interpreter (the laid-out document, about 0.15 s)
    # would only delay the build waiting for this process.
    os._exit(0)


def _print_one(jobs: BinaryIO) -> tuple[str, object]:
    from ...errors import DossierError
    from ...i18n import use

    try:
        from .. import pdf  # noqa: F401 - the slow import, done before the job arrives

        # One job, then exit: what is imported lives until then, and the collector need not scan it.
        # The layout's boxes live until the PDF is written: rarer collections save 0.05 s on n°3
        # (collecting never would save 0.07 s, but cost 30 MB more on a 200-initiative numéro).
        gc.freeze()
        gc.set_threshold(10_000, 50, 100)
        job = pickle.load(jobs)
        use(job.language)
        return "ok", job.run()
    except DossierError as error:
        return "error", error.format_message()
    except (EOFError, BrokenPipeError):
        raise
    except Exception:  # noqa: BLE001 - a bug: handed to the build, which shows it
        return "crash", traceback.format_exc()


if __name__ == "__main__":
    main()
