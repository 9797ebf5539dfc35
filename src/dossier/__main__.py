"""The ``dossier`` command (and ``python -m dossier``): for a build, its print worker first, then the CLI.

The worker's import of WeasyPrint is a build's longest wait; started here, before the CLI
imports click and reads the command line, it begins 0.07 s sooner. A wrong guess costs
nothing: an unused worker is stopped at exit.
"""

import gc
import sys


def main() -> None:
    building = "build" in sys.argv[1:4]  # `dossier build …`, `dossier --lang fr build …`
    if building:
        from .press.printing import start_early

        start_early()
    from .cli import main as run

    try:
        run()
    finally:
        if building and "weasyprint" not in sys.modules:
            # What this process made lives until its exit: the interpreter's last collection need not
            # look through it (0.03 s). Not after an in-process print: WeasyPrint's documents hold
            # cycles whose finalizers remove its temporary files.
            gc.freeze()


if __name__ == "__main__":
    main()
