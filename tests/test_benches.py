"""Every script in bench/ runs as shipped: a quick run of each, with the smallest sizes it takes.

The figures are not checked here (they depend on the machine); that the scripts run and
print them is, so a refactoring cannot leave a benchmark broken until someone needs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"

QUICK = {
    "bench_build.py": ["--runs", "1"],
    "bench_hostile.py": ["--runs", "1"],
    "bench_inbox.py": ["--partners", "20", "--messages", "20"],
    "bench_mail.py": ["--partners", "5", "--pdf-kb", "20"],
    "bench_peers.py": ["--runs", "2"],
    "bench_preview.py": ["--runs", "1"],
    "bench_scale.py": ["--initiatives", "4", "--distinct-photos", "1"],
    "bench_site.py": ["--runs", "1", "--photos", "1"],
    "bench_site_first.py": ["--runs", "1"],
    "bench_startup.py": ["--runs", "1"],
    "bench_tables.py": ["--rows", "100"],
}


# Lighthouse is an optional npm package (scripts/test installs without it): its bench is run by hand.
BY_HAND = {"bench_lighthouse.py"}


def test_every_bench_has_a_quick_run():
    assert sorted(QUICK) == sorted(path.name for path in BENCH.glob("bench_*.py") if path.name not in BY_HAND)


@pytest.mark.parametrize("script", sorted(QUICK))
def test_the_bench_runs_and_prints_its_figures(script: str, tmp_path: Path):
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, str(BENCH / script), *QUICK[script]], cwd=BENCH.parent, env=environment,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
    assert any(character.isdigit() for character in done.stdout), done.stdout
