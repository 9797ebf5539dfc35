"""The print worker (``python -P -m dossier.press.printing.worker``, or forked): import WeasyPrint, print one job, exit.

Started by ``printing.process.WorkerPrinter`` before the job exists: the import overlaps the build's
loading and rendering. Reads one pickled ``PrintJob`` on stdin and writes one pickled answer
on what was stdout: ``("ok", PrintedPdf)``, ``("error", message)`` for a ``DossierError``, or
``("crash", traceback)``. Anything else printed to stdout (a library's banner) goes to stderr,
so it cannot corrupt the answer. Its temporary files go to the folder the build gave it
(``TMPDIR``), which the build removes. It runs in a process group of its own: a Ctrl-C in the
terminal reaches the build only, which reports it and stops this worker.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
import traceback
from typing import BinaryIO


def main() -> None:
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
