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
        stage = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.staged-"))
    except OSError as exc:
        raise OutputError(target, exc) from None
    try:
        yield stage
        replace_folder(stage, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


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
