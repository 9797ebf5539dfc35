"""A build on a full disk or into a read-only output/: a one-line error, and both files stay as they were.

Real file systems: a small tmpfs, a read-only bind mount (the tests run as root in CI; elsewhere
they are skipped with the reason).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run

PDF, HTML = "output/dossier-special-01.pdf", "output/dossier-special-01.html"


def mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"mount is not allowed here: {done.stderr.strip()}")


@pytest.fixture
def built(mini_project: Path) -> Iterator[dict[str, bytes]]:
    if os.geteuid() != 0:
        pytest.skip("mounting a small or read-only file system needs root")
    assert run("build", "1").exit_code == 0
    before = {name: (mini_project / name).read_bytes() for name in (PDF, HTML)}
    yield before
    subprocess.run(["umount", "--lazy", str(mini_project / "output")], capture_output=True)


def unchanged(root: Path, before: dict[str, bytes]) -> bool:
    return all((root / name).read_bytes() == data for name, data in before.items())


def test_a_full_disk_leaves_both_files_as_they_were(mini_project: Path, built: dict[str, bytes]):
    output = mini_project / "output"
    # Room for the old files and a little more: the new HTML fits, the new PDF does not.
    size_kb = (sum(len(data) for data in built.values()) + 8 * 1024) // 1024
    mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(output))
    for name, data in built.items():
        (mini_project / name).write_bytes(data)
    (mini_project / "issues/01/issue.yaml").write_text(
        (mini_project / "issues/01/issue.yaml").read_text(encoding="utf-8").replace("Un édito court", "Un autre édito"),
        encoding="utf-8",
    )
    result = run("build", "1")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].endswith(
        ": cannot write: the disk is full: free some space, then run the command again (the previous files are unchanged)"
    )
    assert "Traceback" not in result.output
    assert unchanged(mini_project, built)
    assert sorted(p.name for p in output.iterdir()) == ["dossier-special-01.html", "dossier-special-01.pdf"]


def test_a_read_only_output_folder_is_said_in_one_line(mini_project: Path, built: dict[str, bytes]):
    output = mini_project / "output"
    mount("--bind", str(output), str(output))
    mount("-o", "remount,ro,bind", str(output))
    result = run("build", "1")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"{HTML}: cannot write: the folder is read-only or not yours (Read-only file system): make output/ writable "
        "(the previous files are unchanged)"
    )
    assert unchanged(mini_project, built)


def test_temporary_files_of_a_killed_build_are_removed(mini_project: Path):
    output = mini_project / "output"
    output.mkdir()
    stale = output / ".dossier-special-01.pdf.k1ll3d.tmp"
    fresh = output / ".dossier-special-01.pdf.wr1t1ng.tmp"  # another process's, being written now
    stale.write_bytes(b"half a PDF")
    fresh.write_bytes(b"half a PDF")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    assert run("build", "1").exit_code == 0
    assert not stale.exists()
    assert fresh.exists()
