"""Start the next numéro: a commented issues/NN/issue.yaml that validates as it is.

The scaffold takes "(Re)lire" from the numéros already in issues/ (and the back issues they
list), and the themes, title and back pages of the numéro before it. Where the editor must
write, it says "À compléter" (in the publication's language: one word to search for); each theme keeps one such card, since a
theme needs at least one and an empty theme would silently vanish from the PDF. It never
overwrites a numéro, and writes nothing unless the new manifest validates.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DossierError, ManifestError
from ..files import display_path, write_atomically
from ..i18n import _
from ..manifest import load_issue, load_publication
from ..manifest.model import PLACEHOLDER, placeholder
from ..manifest.schema import ensure_schema
from ..project import MANIFEST_FILE, Project
from .numeros import Numero, back_issues, existing_numeros
from .text import scaffold_text

__all__ = ["PLACEHOLDER", "placeholder", "Numero", "Scaffold", "back_issues", "existing_numeros", "new_issue", "scaffold_text"]


@dataclass(frozen=True)
class Scaffold:
    number: int
    manifest: Path
    based_on: Numero | None  # the numéro whose themes and pages were taken
    schema_written: Path | None  # the schema file, when it was missing or out of date


def new_issue(project: Project, number: int | None = None, *, today: dt.date | None = None) -> Scaffold:
    """Write issues/NN/issue.yaml for numéro ``number`` (default: the highest in issues/ + 1)."""
    numeros = existing_numeros(project)
    if number is None:
        number = max((n.number for n in numeros), default=0) + 1
    manifest = project.issues_dir / f"{number:02d}" / MANIFEST_FILE
    taken = [n.manifest for n in numeros if n.number == number]
    taken += [path for path in (manifest, project.issues_dir / str(number) / MANIFEST_FILE) if path.is_file()]
    if taken:
        raise DossierError(_("{manifest}: numéro {number} exists already: choose another --number").format(
            manifest=display_path(taken[0], project.root), number=number))
    earlier = [n for n in numeros if n.number < number]
    # The closest numéro before, else the latest one: its themes and pages are the best start.
    based_on = earlier[-1] if earlier else (numeros[-1] if numeros else None)
    text = scaffold_text(project, number, numeros, based_on, manifest.parent, today or dt.date.today())
    _check(project, text, manifest)
    schema_written = ensure_schema(project, load_publication(project).language)
    write_atomically(manifest, text.encode("utf-8"))
    return Scaffold(number, manifest, based_on, schema_written)


def _check(project: Project, text: str, manifest: Path) -> None:
    """Validate the scaffold before it is written: at the same depth under issues/, so relative paths hold."""
    project.issues_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=project.issues_dir, prefix=".new-") as tmp:
        trial = Path(tmp) / MANIFEST_FILE
        trial.write_text(text, encoding="utf-8")
        try:
            load_issue(project, trial)
        except ManifestError as exc:
            shown = display_path(manifest, project.root)
            message = _("{manifest}: the new manifest would not validate (a bug in dossier new: please report it):")
            raise DossierError(message.format(manifest=shown) + "\n" + exc.message) from None
