"""Shared file helpers: atomic writes, paths as the user sees them, sizes as people read them.

Invariant: a file written here is either the old one or the whole new one, never a part;
a write that fails leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import tempfile
import time
from pathlib import Path

from .errors import DossierError


def display_path(path: Path, root: Path) -> str:
    """A path as the user sees it: relative to ``root`` when inside it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the whole new one, never a part.

    Raises OutputError (a one-line message) when the file cannot be written.
    """
    write_all_atomically([(path, data)])


def write_all_atomically(files: list[tuple[Path, bytes]]) -> None:
    """Write several files as one act: every temporary file is written first, then all are renamed.

    A full disk or a read-only folder leaves every target as it was. Temporary files left
    by a killed process (hidden, ``.NAME.*.tmp``) are removed on the way.
    """
    temporaries: list[tuple[str, Path]] = []
    current = files[0][0]  # the file being written, for the error message
    try:
        for current, data in files:
            current.parent.mkdir(parents=True, exist_ok=True)
            _remove_stale_temporaries(current)
            fd, tmp = tempfile.mkstemp(dir=current.parent, prefix=f".{current.name}.", suffix=TEMP_SUFFIX)
            temporaries.append((tmp, current))
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(tmp, 0o644)
        for tmp, current in temporaries:
            os.replace(tmp, current)
    except OSError as exc:
        raise OutputError(current, exc) from None
    finally:
        for tmp, _ in temporaries:
            Path(tmp).unlink(missing_ok=True)


TEMP_SUFFIX = ".tmp"
# A temporary file lives for the milliseconds it takes to write bytes that are ready: one
# older than this belongs to a process that was killed.
STALE_SECONDS = 60


def _remove_stale_temporaries(path: Path) -> None:
    now = time.time()
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if now - stale.stat().st_mtime > STALE_SECONDS:
                stale.unlink()


class OutputError(DossierError):
    """A file could not be written; what was there before is unchanged."""

    def __init__(self, path: Path, exc: OSError) -> None:
        if exc.errno == errno.ENOSPC:
            reason = "the disk is full: free some space, then run the command again"
        elif exc.errno in {errno.EROFS, errno.EACCES, errno.EPERM}:
            folder = display_path(path.parent, Path.cwd())
            reason = f"the folder is read-only or not yours ({exc.strerror}): make {folder}/ writable"
        else:
            reason = exc.strerror or str(exc)
        super().__init__(f"{display_path(path, Path.cwd())}: cannot write: {reason} (the previous files are unchanged)")


def format_size(size: int) -> str:
    """A byte count as a short English figure: 312 KB, 1.4 MB."""
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def format_size_fr(size: int) -> str:
    """A byte count as French readers write it: 312 Ko, 1,4 Mo (a no-break space before the unit)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))}\u00a0Ko"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + "\u00a0Mo"
