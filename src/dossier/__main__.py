"""The ``dossier`` command (and ``python -m dossier``): for a build, its print worker first, then the CLI.

The worker's import of WeasyPrint is a build's longest wait; started here, before the CLI
imports click and reads the command line, it begins 0.07 s sooner. A wrong guess costs
nothing: an unused worker is stopped at exit.
"""

import sys


def main() -> None:
    if "build" in sys.argv[1:4]:  # `dossier build …`, `dossier --lang fr build …`
        from .printing import start_early

        start_early()
    from .cli import main as run

    run()


if __name__ == "__main__":
    main()
