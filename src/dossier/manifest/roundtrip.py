"""Round-trip editing of a manifest: values changed, inserted, deleted and moved, every other byte kept.

For the editing view, ``dossier import`` and scripts::

    from dossier.manifest.roundtrip import ManifestChanged, RoundTrip

    doc = RoundTrip.load(path)                                  # the text, and its digest as loaded
    doc.get(("practices", 1, "initiatives", 0, "title"))        # plain data, as the loader reads it
    doc.set(("practices", 1, "initiatives", 0, "title"), "Festival : la musique sans voiture")
    doc.set(("cover_credit",), "Photo : Jeanne Martin")         # a missing key: inserted in the model's order
    doc.delete(("practices", 0, "initiatives", 2))              # a key or a list item
    doc.insert(("practices", 0, "initiatives", 0), {"title": "…", "porteurs": ["…"], "text": "…"})
    doc.append(("resources",), {"organisation": "OCDE", "title": "…"})   # [] becomes a block list
    doc.move(("practices", 0, "initiatives", 2), ("practices", 1, "initiatives", 0))  # lands at that index
    doc.duplicate(("practices", 0, "initiatives", 1))           # the copy right after it
    doc.update((), data)                                        # the changes between the file's data and ``data``
    doc.save()             # atomic; ManifestChanged if the file is no longer the one loaded (nothing written)

Invariants:
- Each operation replaces only the text of the value it changes (a moved item's lines move,
  re-indented if their new list is); comments, key order, quoting, blank lines and every
  other line stay byte for byte. Loading and saving without a change writes the same bytes.
- New values are written by ruamel.yaml (``yamlemit``) in the file's indentation, quoted when
  YAML needs it, multi-line text as a literal block; a changed text keeps its quoting style.
  Every edit is re-read at once: an edit that would not read back is refused (ValueError).
- ``save`` compares the file's digest with the one loaded; it never overwrites a change made
  meanwhile (in a text editor, say): the caller gets both versions in ``ManifestChanged``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from ..errors import DossierError
from ..files import write_atomically
from ..i18n import _
from .yamledit import YamlEditor
from .yamltext import Path as FieldPath
from .yamltext import UnsupportedLayout

__all__ = ["FieldPath", "ManifestChanged", "RoundTrip", "UnsupportedLayout", "digest"]

_MISSING = object()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ManifestChanged(DossierError):
    """The file changed on disk since it was loaded; ``disk`` is its text now, ``ours`` the text not written."""

    def __init__(self, path: Path, base: str, disk: str, ours: str) -> None:
        self.path, self.base, self.disk, self.ours = path, base, disk, ours
        super().__init__(_("{file}: the file changed on disk since it was opened: nothing was written").format(file=path))


class RoundTrip(YamlEditor):
    """A manifest's text, edited in place; see the module's docstring."""

    def __init__(self, text: str, path: Path | None = None, loaded_digest: str | None = None) -> None:
        self.path = path
        self.base = text  # the text as loaded (or last saved)
        self.loaded_digest = loaded_digest or digest(text.encode("utf-8"))
        super().__init__(text)

    @classmethod
    def load(cls, path: Path) -> RoundTrip:
        data = path.read_bytes()
        return cls(data.decode("utf-8"), path, digest(data))

    @property
    def changed(self) -> bool:
        return self.text != self.base

    def update(self, path: FieldPath, value: Any) -> None:
        """Write the differences between the data at ``path`` and ``value`` (keys, items, values), nothing else."""
        old = self.get(path, _MISSING)
        if _same(old, value):
            return
        if isinstance(old, dict) and isinstance(value, dict) and self._is_block(path):
            for key in [key for key in old if key not in value]:
                self.delete((*path, key))
            for key, item in value.items():
                self.update((*path, key), item)
        elif (isinstance(old, list) and isinstance(value, list) and len(old) == len(value)
              and any(isinstance(item, dict) for item in value) and self._is_block(path)):
            for index, item in enumerate(value):
                self.update((*path, index), item)
        else:
            self.set(path, value)

    # ---- saving --------------------------------------------------------------------

    def save(self, path: Path | None = None) -> str:
        """Write the text atomically unless the file changed since it was loaded; the new digest."""
        target = path or self.path
        if target is None:
            raise TypeError("RoundTrip.save needs a path: this text was not loaded from a file")
        current = target.read_bytes() if target.exists() else b""
        if digest(current) != self.loaded_digest:
            raise ManifestChanged(target, self.base, current.decode("utf-8", "replace"), self.text)
        data = self.text.encode("utf-8")
        if current != data:
            write_atomically(target, data)
        self.base, self.loaded_digest, self.path = self.text, digest(data), target
        return self.loaded_digest

def _same(old: Any, new: Any) -> bool:
    if isinstance(old, dt.date) and isinstance(new, str):
        return old.isoformat() == new
    if isinstance(old, bool) != isinstance(new, bool) or type(old) is not type(new) and not (
            isinstance(old, int | float) and isinstance(new, int | float)):
        return False
    return old == new
