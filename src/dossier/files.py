"""Shared file helpers: atomic writes, paths as the user sees them, sizes as people read them.

Invariant: a file written here is either the old one or the whole new one, never a part;
a write that fails leaves no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def display_path(path: Path, root: Path) -> str:
    """A path as the user sees it: relative to ``root`` when inside it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the whole new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def format_size(size: int) -> str:
    """A byte count as a short English figure: 312 KB, 1.4 MB."""
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
