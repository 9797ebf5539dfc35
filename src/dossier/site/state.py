"""The site's record of itself, ``.dossier-site.json`` in the site folder, and the freshness test.

Invariants: the record is written into the staged folder with everything else, so it always
describes the files beside it. A numéro's entry holds the hash of every byte its web
edition is made from (``edition_hash``): the same hash means its folder is kept as it is.
File times are never used: a copy, a checkout or a restored backup changes nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path

from ..manifest.model import Issue
from ..project import Project

STATE_FILE = ".dossier-site.json"
# Part of every hash: raise it when the tool's way of writing an edition changes.
FORMAT = 2


@dataclass
class EditionRecord:
    """What the folder NN/ holds and was made from."""

    hash: str
    pdf_size: int
    pages: int
    cover: list[list] = field(default_factory=list)  # [file name, width, height] of the cover's widths
    # Each image's variants by the source's digest: [file name, width, height], so an unchanged
    # image is never resized again, even when its numéro is rebuilt.
    images: dict[str, list[list]] = field(default_factory=dict)


@dataclass
class SiteState:
    editions: dict[int, EditionRecord] = field(default_factory=dict)

    @classmethod
    def read(cls, folder: Path) -> SiteState:
        """The record of the site in ``folder``; an empty one when there is none or it is unreadable."""
        try:
            data = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls()
            editions = {int(n): EditionRecord(**record) for n, record in data["editions"].items()}
            return cls(editions)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls()

    def to_bytes(self) -> bytes:
        data = {"format": FORMAT,
                "editions": {str(n): asdict(record) for n, record in sorted(self.editions.items())}}
        return json.dumps(data, indent=1, sort_keys=True).encode("utf-8")


class Digests:
    """Each file's SHA-256, computed once per run (publication.yaml and the layout are shared by every numéro)."""

    def __init__(self) -> None:
        self._known: dict[Path, str] = {}

    def __call__(self, path: Path) -> str:
        if path not in self._known:
            with path.open("rb") as file:
                self._known[path] = hashlib.file_digest(file, "sha256").hexdigest()
        return self._known[path]


@functools.cache
def web_layout_digest() -> str:
    """The digest of the site's own code, templates and stylesheet (package data)."""
    digest = hashlib.sha256()
    package = resources.files("dossier.site")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):  # the site's own code draws pictures and pages
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    for folder in ("templates", "static"):
        for entry in sorted(package.joinpath(folder).iterdir(), key=lambda e: e.name):
            if entry.is_file():
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()


def edition_hash(project: Project, issue: Issue, digests: Digests, site_key: str) -> str:
    """The hash of everything numéro ``issue``'s web edition is made from.

    Its sources (``Project.sources``: manifest, publication.yaml, layout, images), the site's
    templates and stylesheet, the tool that makes it (``press.cache.tool_digest``: our code,
    Pillow's and fontTools' versions…), and what it takes from the site beside it (``SiteInfo.key``:
    the numéros published, for "(Re)lire" links; the assets' names; its date as stated elsewhere).
    """
    from ..press.cache import tool_digest

    digest = hashlib.sha256(f"{FORMAT}\0{web_layout_digest()}\0{tool_digest()}\0{site_key}\0".encode())
    for path in project.sources(issue):
        shown = path.relative_to(project.root).as_posix() if path.is_relative_to(project.root) else str(path)
        digest.update(f"{shown}\0{digests(path) if path.is_file() else '-'}\0".encode())
    return digest.hexdigest()
