"""The sample project, copied for a benchmark to change freely (the publication's files, not the tool)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("publication.yaml", "issues", "templates", "styles")


def copy_sample(target: Path) -> Path:
    """Copy the sample's publication, numéros, templates and styles into ``target`` (made if missing)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PARTS:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / name)
    return target
