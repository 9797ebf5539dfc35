"""Benchmark: `dossier validate` on the "billion laughs" manifest (tests/manifest/hostile/alias_bomb.yaml).

Nine levels of nine aliases stand for 387 million values; the loader stops counting at
20,000 and says so. Target: under 0.5 s and under 100 MB for the whole process (median of
--runs, peak resident memory of the worst run).

Run from the project folder:  .venv/bin/python bench/bench_hostile.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOMB = ROOT / "tests" / "manifest" / "hostile" / "alias_bomb.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copy(ROOT / "publication.yaml", project)
        (project / "issues" / "09").mkdir(parents=True)
        shutil.copy(BOMB, project / "issues" / "09" / "issue.yaml")
        command = [str(Path(sys.executable).with_name("dossier")), "validate", "9"]
        times, peaks = [], []
        for _ in range(runs):
            started = time.perf_counter()
            process = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, status, usage = os.wait4(process.pid, 0)
            times.append(time.perf_counter() - started)
            peaks.append(usage.ru_maxrss / 1024)
            message = process.stderr.read().decode().strip() if process.stderr else ""
            assert os.waitstatus_to_exitcode(status) == 1 and "too many repeated aliases" in message, message
    median, peak = statistics.median(times), max(peaks)
    print(f"validate on the alias bomb: median {median:.3f} s over {runs} runs (target < 0.5 s: "
          f"{'ok' if median < 0.5 else 'OVER'}), peak memory {peak:.0f} MB (target < 100 MB: "
          f"{'ok' if peak < 100 else 'OVER'})")
    print(f"  message: {message}")


if __name__ == "__main__":
    main()
