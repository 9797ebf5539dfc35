"""The manifest as the editing view reads and writes it: versions, saves, merges and history.

A save names the version it was made from (its digest) and brings the structural edits made
since (insert, delete, duplicate, move: applied by ``manifest.roundtrip`` so a moved card keeps
its lines and comments) and the form's data (whose differences are then written). Invariants:
- Nothing is written over a change made on disk meanwhile: the save is applied to the version
  it was made from and merged with the disk's when the two change different lines; otherwise
  it is refused (``Conflict``, with both texts) and the refused text is kept in the history.
- Before every write the file as it was goes to ``.dossier/history/NN/`` (the last
  ``KEEP`` versions); ``restore`` writes one back the same way, so a restore can be undone too.
- Writes are atomic (``RoundTrip.save``); only the numéro's manifest is ever written here.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...files import write_atomically
from ...manifest.roundtrip import ManifestChanged, RoundTrip, UnsupportedLayout, digest
from .merge import merge

KEEP = 20
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_OPS = {"insert", "delete", "duplicate", "move"}


class EditRefused(ValueError):
    """A save the store cannot apply (an unknown operation, a path that is not there)."""


@dataclass
class Conflict(Exception):
    """The file changed on disk in the lines this save changes: nothing written."""

    ours: str
    disk: str
    disk_digest: str


class ManifestStore:
    """One numéro's manifest, read and written for the editing view (thread-safe)."""

    def __init__(self, manifest: Path, history_dir: Path) -> None:
        self.manifest = manifest
        self.history_dir = history_dir
        self._lock = threading.Lock()
        self._versions: dict[str, str] = {}  # digest → text, of the versions handed out this session

    def current(self) -> tuple[str, str]:
        """(text, digest) of the manifest now; the version is remembered for a later save."""
        data = self.manifest.read_bytes()
        text, version = data.decode("utf-8"), digest(data)
        with self._lock:
            self._versions[version] = text
        return text, version

    def save(self, base: str, ops: list[dict[str, Any]], data: dict[str, Any] | None,
             text: str | None = None) -> tuple[str, str, bool]:
        """Apply a save made from version ``base`` (edits, or a whole ``text`` kept after a conflict);
        (text, digest, merged) as written. Raises Conflict, EditRefused."""
        with self._lock:
            base_text = self._versions.get(base)
            if base_text is None:
                raise EditRefused("unknown version: reload the page")
            ours = _apply(base_text, ops, data) if text is None else _readable(text)
            disk_bytes = self.manifest.read_bytes()
            disk, disk_digest = disk_bytes.decode("utf-8", "replace"), digest(disk_bytes)
            merged = ours if disk_digest == base else merge(base_text, ours, disk)
            if merged is None:
                self._keep(ours, "refused")
                self._versions[disk_digest] = disk  # "save mine over it" names this version
                raise Conflict(ours, disk, disk_digest)
            written = self._write(merged, disk, disk_digest)
            return merged, written, disk_digest != base

    def restore(self, name: str, base: str) -> tuple[str, str]:
        """Write back a version of the history (a file name from ``history()``) over version ``base``."""
        with self._lock:
            path = self.history_dir / name
            if "/" in name or name.startswith(".") or not path.is_file():
                raise EditRefused("no such version")
            text = path.read_text(encoding="utf-8")
            disk_bytes = self.manifest.read_bytes()
            if digest(disk_bytes) != base:
                raise Conflict(text, disk_bytes.decode("utf-8", "replace"), digest(disk_bytes))
            return text, self._write(text, disk_bytes.decode("utf-8"), base)

    def history(self) -> list[dict[str, Any]]:
        """The kept versions, newest first: file name, when, size."""
        if not self.history_dir.is_dir():
            return []
        entries = sorted(self.history_dir.glob("*.yaml"), reverse=True)
        return [{"name": path.name, "when": _when(path.name), "refused": "-refused" in path.name,
                 "bytes": path.stat().st_size} for path in entries]

    def _write(self, text: str, disk: str, disk_digest: str) -> str:
        if text == disk:
            return disk_digest
        self._keep(disk, "before")
        doc = RoundTrip(text, self.manifest, disk_digest)
        try:
            written = doc.save()
        except ManifestChanged as exc:  # changed in the instant between reading and writing
            raise Conflict(text, exc.disk, digest(exc.disk.encode("utf-8"))) from None
        self._versions[written] = text
        return written

    def _keep(self, text: str, kind: str) -> None:
        self.history_dir.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S") + f"{time.time() % 1:.3f}"[1:].replace(".", "")
        suffix = "-refused" if kind == "refused" else ""
        write_atomically(self.history_dir / f"{stamp}-{digest(text.encode('utf-8'))[:8]}{suffix}.yaml",
                         text.encode("utf-8"))
        for old in sorted(self.history_dir.glob("*.yaml"), reverse=True)[KEEP:]:
            old.unlink(missing_ok=True)


def _apply(text: str, ops: list[dict[str, Any]], data: dict[str, Any] | None) -> str:
    doc = RoundTrip(text)
    try:
        for op in ops:
            kind = op.get("op")
            if kind not in _OPS:
                raise EditRefused(f"unknown operation {kind!r}")
            path = _path(op.get("path") or op.get("from"))
            if kind == "insert":
                doc.insert(path, _typed(op.get("value")))
            elif kind == "delete":
                doc.delete(path)
            elif kind == "duplicate":
                doc.duplicate(path)
            else:
                doc.move(path, _path(op.get("to")))
        if data is not None:
            doc.update((), _typed(data))
    except (KeyError, IndexError, TypeError, UnsupportedLayout) as exc:
        raise EditRefused(f"cannot apply the edit: {exc}") from None
    return doc.text


def _readable(text: str) -> str:
    try:
        RoundTrip(text)
    except Exception as exc:  # noqa: BLE001 - YAML's errors: the text is refused, whatever they are
        raise EditRefused(f"not readable YAML: {exc}") from None
    return text


def _path(raw: Any) -> tuple[Any, ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) or isinstance(p, int) and p >= 0 for p in raw):
        raise EditRefused("a path is a list of names and indices")
    return tuple(raw)


def _typed(value: Any, key: str = "") -> Any:
    """The form's JSON as YAML's types: a date field's YYYY-MM-DD is a date, as editors write it."""
    if isinstance(value, dict):
        return {k: _typed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if key == "date" and isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _when(name: str) -> str:
    match = re.match(r"(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})", name)
    return f"{match[1]}-{match[2]}-{match[3]} {match[4]}:{match[5]}:{match[6]}" if match else name
