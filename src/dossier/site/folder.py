"""Writing the site as one act: everything goes into a staged folder beside the site, then is swapped in.

Invariants: the site folder is the previous site, whole, until the new one is complete; a
failure removes the staged folder and leaves the previous site as it was. A folder that
is not a site written here (no record file) is never replaced.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import DossierError
from ..files import OutputError, display_path
from .state import STATE_FILE


@contextlib.contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """A new empty folder beside ``target``; on success it replaces ``target``, on failure it is removed."""
    if target.exists() and not (target / STATE_FILE).is_file() and (not target.is_dir() or any(target.iterdir())):
        raise DossierError(
            f"{display_path(target, Path.cwd())}: not a site written by dossier site (no {STATE_FILE}): "
            "give a new or empty folder with --output"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.staged-"))
    except OSError as exc:
        raise OutputError(target, exc) from None
    try:
        yield stage
        _swap(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _swap(stage: Path, target: Path) -> None:
    """Put ``stage`` in ``target``'s place: two renames in the same folder, the old site removed after."""
    os.chmod(stage, 0o755)  # mkdtemp makes it private; a web server must read it
    old = None
    try:
        if target.exists():
            old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.old-"))
            os.replace(target, old)
        try:
            os.replace(stage, target)
        except OSError:
            if old is not None:
                os.replace(old, target)  # the previous site back in place
                old = None
            raise
    except OSError as exc:
        raise OutputError(target, exc) from None
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


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
