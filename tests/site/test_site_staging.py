"""Staged folders of killed `dossier site` runs are removed by the next run; a running run's is left alone.

A real run is killed with SIGKILL while its staged folder exists (it cannot clean up after
itself); another process holds a staged folder of its own, as a run going on does, while the
next run cleans. Both beside output/site and beside a web root given with --output.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run

WAIT = 300  # seconds: bounds on waiting for an event, never expected to be reached
HOLDER = """
import sys
from pathlib import Path
from dossier.site.folder import staged_folder
with staged_folder(Path(sys.argv[1])) as stage:
    (stage / "marker").write_text("a run going on", encoding="utf-8")
    print(stage, flush=True)
    sys.stdin.readline()
    raise SystemExit(3)  # leave the site as it is: this run only holds its staged folder
"""


def staged(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.staged-*"))


def descendants(pid: int) -> list[int]:
    """The process's children, theirs, and so on (the print worker the CLI forks)."""
    found = []
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return found
    for child in map(int, children):
        found += [child, *descendants(child)]
    return found


def kill_while_staging(args: list[str], target: Path, cwd: Path) -> Path:
    """Start `dossier site`, SIGKILL it (and its worker) as soon as its staged folder exists; that folder."""
    process = subprocess.Popen([sys.executable, "-m", "dossier", "site", *args], cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + WAIT
    while not [p for p in staged(target) if p.is_dir()]:
        assert process.poll() is None, "the run ended before staging: " + process.stderr.read().decode()
        assert time.monotonic() < deadline
        time.sleep(0.01)
    for pid in [*descendants(process.pid), process.pid]:
        os.kill(pid, signal.SIGKILL)
    process.wait(WAIT)
    (left,) = [p for p in staged(target) if p.is_dir()]
    return left


@pytest.mark.parametrize("output", [None, "../www/dossiers"])
def test_killed_runs_stage_is_removed_and_a_running_runs_is_kept(mini_project: Path, output: str | None) -> None:
    args = ["--output", output] if output else []
    target = (mini_project / output).resolve() if output else mini_project / "output/site"
    target.parent.mkdir(parents=True, exist_ok=True)

    dead = kill_while_staging(args, target, mini_project)
    assert dead.with_name(dead.name + ".lock").is_file()  # its lock file too, no longer locked by anyone
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(target)], cwd=mini_project,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        alive = Path(holder.stdout.readline().strip())
        assert alive.is_dir() and alive != dead

        result = run("site", *args)
        assert result.exit_code == 0, result.output
        assert (target / "index.html").is_file()
        assert not dead.exists() and not dead.with_name(dead.name + ".lock").exists()
        assert (alive / "marker").read_text(encoding="utf-8") == "a run going on"
        assert staged(target) == [alive, alive.with_name(alive.name + ".lock")]
    finally:
        holder.communicate("\n", timeout=WAIT)
    assert holder.returncode == 3
    assert staged(target) == []  # the run going on removed its own on the way out
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []
