"""Benchmark: the first `dossier site` after a build, against that build, on the sample n°3 without photos.

Each round: `dossier build 3 --force`, then `dossier site` into a new folder (the PDF is the build's: only
the cover, the pages, the assets and the search index are made; the fonts come from .dossier/web-fonts),
then `dossier site` again with nothing changed. Once, before the rounds: the very first `dossier site` of
the project, when the font cache is empty too. Target: first site after a build ≤ 1.5× that build.
Each command runs in its own process, as a user runs it.

Run from the project folder:  .venv/bin/python bench/bench_site_first.py [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sample import copy_sample


def timed(root: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dossier", *args], cwd=root, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_sample(Path(tmp) / "project")
        timed(root, "build", "3")
        cold = timed(root, "site", "--output", "output/cold")  # no font subsets cached yet
        builds, firsts, unchanged = [], [], []
        for run in range(args.runs):
            builds.append(timed(root, "build", "3", "--force"))
            firsts.append(timed(root, "site", "--output", f"output/site-{run}"))
            unchanged.append(timed(root, "site", "--output", f"output/site-{run}"))
            shutil.rmtree(root / f"output/site-{run}")
    build, first = statistics.median(builds), statistics.median(firsts)
    print(f"dossier build 3 --force: {build:.2f} s (median of {args.runs})")
    print(f"first dossier site after it: {first:.2f} s, {first / build:.2f}× the build (target ≤ 1.5×)")
    print(f"dossier site unchanged: {statistics.median(unchanged):.2f} s, {statistics.median(unchanged) / build:.2f}× the build")
    print(f"the project's very first dossier site (font subsets made, then cached): {cold:.2f} s")


if __name__ == "__main__":
    main()
