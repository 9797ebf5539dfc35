"""Benchmark: how fast the CLI starts, as an editor runs it (whole process, median of --runs).

Targets (2-core reference machine): `dossier --help` ≤ 0.3 s, `dossier validate 3` ≤ 0.6 s,
`dossier schema` ≤ 0.5 s. Each command imports its feature inside the command function, so
none of these pays for WeasyPrint, the mail code or the preview server; the script also
checks that, by listing the heavy modules each command imported.

Run from the project folder:  .venv/bin/python bench/bench_startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOSSIER = str(Path(sys.executable).with_name("dossier"))
COMMANDS = {"--help": 0.3, "validate 3": 0.6, "schema": 0.5}
HEAVY = ("weasyprint", "pypdfium2", "dossier.mail", "dossier.preview", "dossier.check")
PROBE = "import sys; from dossier.cli import cli; cli.main({args!r}, standalone_mode=False); " \
        "print(' '.join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)"


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([DOSSIER, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def heavy_imports(args: list[str]) -> str:
    probe = PROBE.format(args=args, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    for command, target in COMMANDS.items():
        args = command.split()
        timed(args)  # warm the file cache
        median = statistics.median(timed(args) for _ in range(runs))
        verdict = "ok" if median <= target else "OVER TARGET"
        heavy = heavy_imports(args) or "none"
        print(f"dossier {command:<11} median {median:.3f} s over {runs} runs (target ≤ {target} s: {verdict}); "
              f"heavy modules imported: {heavy}")


if __name__ == "__main__":
    main()
