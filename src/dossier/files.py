"""Shared file helpers: atomic writes, paths as the user sees them, sizes as people read them.

Invariant: a file written here is either the old one or the whole new one, never a part;
a write that fails leaves no temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import tempfile
import time
from pathlib import Path

from .errors import DossierError
from .i18n import _, decimal


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
        for tmp, _target in temporaries:
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


def replace_folder(fresh: Path, target: Path) -> None:
    """Put the folder ``fresh`` in ``target``'s place, whole: two renames in the same folder.

    On failure ``target`` is as it was (the previous folder is put back); the previous
    folder is removed once the new one is in place. Raises OutputError.
    """
    os.chmod(fresh, 0o755)  # mkdtemp makes it private; its readers (a web server, a mail client) are not us
    old = None
    try:
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
            os.replace(target, old)
        try:
            os.replace(fresh, target)
        except OSError:
            if old is not None:
                os.replace(old, target)
                old = None
            raise
    except OSError as exc:
        raise OutputError(target, exc) from None
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


class OutputError(DossierError):
    """A file could not be written; what was there before is unchanged."""

    def __init__(self, path: Path, exc: OSError) -> None:
        if exc.errno == errno.ENOSPC:
            reason = _("the disk is full: free some space, then run the command again")
        elif exc.errno in {errno.EROFS, errno.EACCES, errno.EPERM}:
            folder = display_path(path.parent, Path.cwd())
            reason = _("the folder is read-only or not yours ({error}): make {folder}/ writable").format(
                error=exc.strerror, folder=folder)
        else:
            reason = exc.strerror or str(exc)
        super().__init__(_("{file}: cannot write: {reason} (the previous files are unchanged)").format(
            file=display_path(path, Path.cwd()), reason=reason))


def format_size(size: int) -> str:
    """A byte count as a short figure in the run's language: 312 KB, 1.4 MB (312 Ko, 1,4 Mo)."""
    if size < 1024 * 1024:
        return _("{size} KB").format(size=decimal(size / 1024, 0))
    return _("{size} MB").format(size=decimal(size / 1024 / 1024))


def format_size_fr(size: int) -> str:
    """A byte count as French readers write it: 312 Ko, 1,4 Mo (a no-break space before the unit)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))}\u00a0Ko"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + "\u00a0Mo"
