"""Writing the site as one act: everything goes into a staged folder beside the site, then is swapped in.

Invariants: the site folder is the previous site, whole, until the new one is complete; a
failure removes the staged folder and leaves the previous site as it was. A folder that
is not a site written here (no record file) is never replaced.

A run that is killed (SIGKILL, a closed terminal, a machine that stops) cannot remove its
staged folder: the next run does. Each run holds the operating system's lock on a file beside
its staged folder (``.site.staged-XXXX.lock``) for as long as it runs; the kernel releases it
when the process dies, however it dies. A staged folder whose lock can be taken belongs to a
dead run and is removed; one whose lock is held belongs to a run going on, and is left alone.
Only names made here (``.NAME.staged-*``, ``.NAME.old-*`` beside the site) are ever removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

try:  # flock, not filelock: the probe must see another process's lock, and the file must stay after release
    import fcntl
except ImportError:  # pragma: no cover (Windows: no probe, so nothing is ever removed)
    fcntl = None  # type: ignore[assignment]

from ..errors import DossierError
from ..files import OutputError, display_path, replace_folder
from ..i18n import _
from .state import STATE_FILE


@contextlib.contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """A new empty folder beside ``target``; on success it replaces ``target``, on failure it is removed."""
    if target.exists() and not (target / STATE_FILE).is_file() and (not target.is_dir() or any(target.iterdir())):
        raise DossierError(_("{folder}: not a site written by dossier site (no {state}): give a new or empty folder "
                             "with --output").format(folder=display_path(target, Path.cwd()), state=STATE_FILE))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_stages(target)
        stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}{_STAGED}"))
        lock = _hold(stage)
    except OSError as exc:
        raise OutputError(target, exc) from None
    try:
        yield stage
        replace_folder(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        _release(stage, lock)


_STAGED, _OLD, _LOCK = ".staged-", ".old-", ".lock"
# A staged folder without its lock file was made by a run of a version before the lock, or by a
# run killed between making the folder and its lock (microseconds): removed once surely abandoned.
_UNLOCKED_GRACE = 3600.0


def _hold(stage: Path) -> int | None:
    """Lock the file beside ``stage`` for as long as this run lives; the open descriptor, or None without flock."""
    if fcntl is None:
        return None
    fd = os.open(stage.with_name(stage.name + _LOCK), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise
    return fd


def _release(stage: Path, fd: int | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            stage.with_name(stage.name + _LOCK).unlink()
        os.close(fd)


def remove_stale_stages(target: Path) -> list[Path]:
    """Remove the staged folders (and their lock files) of dead runs beside ``target``; the paths removed.

    Also the ``.old-`` folders that a run killed while swapping could leave, once ``target`` is in place.
    """
    if fcntl is None:
        return []
    removed = []
    for path in target.parent.glob(f".{target.name}.*"):
        name = path.name[len(target.name) + 1:]
        if name.startswith(_STAGED) and name.endswith(_LOCK) and not path.is_symlink():
            # A lock file alone: its run ended between removing its folder and the lock file.
            stage = path.with_name(path.name.removesuffix(_LOCK))
            if not stage.exists() and _dead_run(stage):
                removed.append(path)
            continue
        if path.is_symlink() or not path.is_dir():
            continue
        if name.startswith(_STAGED) and _dead_run(path):
            removed.append(path)
        elif name.startswith(_OLD) and target.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _dead_run(stage: Path) -> bool:
    """Whether ``stage``'s run is gone; if so the folder and its lock file are removed, under its lock."""
    lock_file = stage.with_name(stage.name + _LOCK)
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        try:
            abandoned = time.time() - stage.stat().st_mtime > _UNLOCKED_GRACE
        except OSError:  # gone meanwhile: another run removed it
            return False
        if abandoned:
            shutil.rmtree(stage, ignore_errors=True)
        return abandoned
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a run going on holds it
        shutil.rmtree(stage, ignore_errors=True)
        with contextlib.suppress(OSError):
            lock_file.unlink()
        return True
    finally:
        os.close(fd)


def link_file(source: Path, target: Path) -> None:
    """``target`` as the same file as ``source`` (a hard link: files of the site are replaced, never edited)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def link_tree(source: Path, target: Path) -> None:
    """Every file under ``source`` linked into ``target`` with the same relative path."""
    for path in source.rglob("*"):
        if path.is_file():
            link_file(path, target / path.relative_to(source))
