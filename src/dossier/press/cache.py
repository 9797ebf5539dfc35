"""Whether a build's outputs are up to date, judged by the CONTENT of everything the build reads.

Invariants:
- A build is unchanged only if all of this holds, else it is done again: the cache file
  parses and has the expected shape; the entry of this manifest and kind of PDF has the same
  key as now (the options, the SHA-256 of dossier's own installed files (code, package data), the
  installed distributions and their versions (WeasyPrint, pydyf, Pillow, fontTools, Pyphen… every
  library that could shape the bytes), the message catalogs, and the path and SHA-256 of every file
  the last build read, its ``Project.sources``); the layout files are the same list
  as then; the HTML draft and the PDF exist with the SHA-256 recorded when they were written.
  File times are never used: a checkout, a copy or a touch changes nothing.
- The manifest is not loaded to check: which images a numéro prints is decided by its manifest
  and publication.yaml, both among the hashed files, so unchanged hashes mean the same list.
  The layout files are listed again, so that a file added to styles/ or templates/ counts.
- ``--draft`` prints the day's date: its key holds the date, so a draft is unchanged only on
  the day it was built. ``--strict`` changes no byte of the PDF, only whether warnings fail
  the build: a strict build is unchanged only if the recorded build had no warnings.
- The cache is ``.dossier/builds.json`` (git-ignored), written atomically after the outputs,
  one entry per manifest and kind of PDF; a corrupt or foreign file is ignored, never trusted.

This module imports neither WeasyPrint nor the manifest's model: an unchanged build answers
in a fraction of a second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import dossier

from ..files import OutputError, write_atomically
from ..i18n import LOCALE_DIR
from ..project import Project

CACHE_FILE = ".dossier/builds.json"
FORMAT = 2  # bump when an entry's meaning changes: older entries are then ignored


@dataclass(frozen=True)
class CachedBuild:
    """The recorded outputs of an unchanged build."""

    html_path: Path
    pdf_path: Path
    pages: int
    size: int
    warnings: list[str]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _relative(project: Project, path: Path) -> str:
    """A project file's name in the cache; a file outside the project (a manifest given by path) keeps its full path."""
    resolved = path.resolve()
    root = project.root.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.as_posix()


def _entry_name(project: Project, manifest: Path, archive: bool, draft: bool = False) -> str:
    return f"{_relative(project, manifest)} {'pdf/a' if archive else 'pdf'}{' draft' if draft else ''}"


def build_key(project: Project, sources: list[str], *, draft_date: dt.date | None, archive: bool) -> str | None:
    """The hash of everything a build's bytes depend on, or None if a source is missing."""
    digest = hashlib.sha256()
    settings = {
        "format": FORMAT,
        # Our own code as installed, and every library's version: a changed constant or an upgraded
        # pydyf prints again (``__version__`` is the same for every commit).
        "tool": tool_digest(),
        "draft": draft_date.isoformat() if draft_date else None,
        "archive": archive,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),  # dates the archive's sources and fonts
        # "(Re)lire" links to the web editions of the numéros in issues/ (with site_url): their list counts.
        "numeros": sorted(project.numbers()),
        # The templates' fixed words come from the catalogs: a corrected translation prints again.
        "catalogs": _catalogs_digest(),
    }
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for name in sources:
        path = project.root / name
        if not path.is_file():
            return None
        digest.update(f"\0{name}\0".encode())
        digest.update(file_digest(path).encode())
    return digest.hexdigest()


@functools.cache
def tool_digest() -> str:
    """The digest of the tool that makes an output: dossier's own files as installed, every installed library's
    version, Python's. Part of the key of every cache of outputs (the build's, the site's)."""
    parts = {"dossier": _code_digest(), "libraries": _installed_distributions(), "python": sys.version}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


@functools.cache
def _code_digest() -> str:
    """The SHA-256 of every file of the installed ``dossier`` package (its code, templates and assets)."""
    digest = hashlib.sha256()
    package = Path(dossier.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in {".pyc", ".mo"}:
            digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def _installed_distributions() -> list[str]:
    """Every distribution installed beside dossier's libraries, as ``name-version``: a listing, no metadata read.

    Wider than the libraries that print (an unrelated upgrade prints once more), never narrower;
    the same in every process of this installation, whatever its import path (a test runner's).
    """
    names: set[str] = set()
    for folder in {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}:
        with contextlib.suppress(OSError):
            names.update(item.name for item in os.scandir(folder) if item.name.endswith(".dist-info"))
    return sorted(names)


def _catalogs_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _read_cache(project: Project) -> dict:
    try:
        cache = json.loads((project.root / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return cache if isinstance(cache, dict) and cache.get("format") == FORMAT else {}


def _valid_entry(entry: object) -> bool:
    shapes = {"key": str, "sources": list, "layout": list, "html": dict, "pdf": dict, "pages": int, "size": int,
              "warnings": list}
    return isinstance(entry, dict) and all(isinstance(entry.get(name), kind) for name, kind in shapes.items())


def _output_intact(project: Project, output: dict) -> Path | None:
    """The output file if it still holds the bytes recorded, else None."""
    name, sha256 = output.get("path"), output.get("sha256")
    if not isinstance(name, str) or not isinstance(sha256, str):
        return None
    path = project.root / name
    return path if path.is_file() and file_digest(path) == sha256 else None


def cached_build(
    project: Project, manifest: Path, *, draft_date: dt.date | None = None, archive: bool = False, strict: bool = False
) -> CachedBuild | None:
    """The outputs of the last build of ``manifest`` if nothing it reads changed since, else None."""
    entry = _read_cache(project).get("builds", {}).get(_entry_name(project, manifest, archive, draft_date is not None))
    if not _valid_entry(entry) or (strict and entry["warnings"]):
        return None
    layout = [_relative(project, path) for path in project.layout_files()]
    if layout != entry["layout"] or not all(isinstance(name, str) for name in entry["sources"]):
        return None
    if build_key(project, entry["sources"], draft_date=draft_date, archive=archive) != entry["key"]:
        return None
    html_path, pdf_path = _output_intact(project, entry["html"]), _output_intact(project, entry["pdf"])
    if html_path is None or pdf_path is None:
        return None
    return CachedBuild(html_path, pdf_path, entry["pages"], entry["size"], [str(w) for w in entry["warnings"]])


@dataclass(frozen=True)
class BuildInputs:
    """What a build read: the sources' project-relative names and the key they hash to."""

    names: list[str]
    layout: list[str]  # the layout files among them, to notice one added later
    key: str | None  # None when a source is missing: such a build is never remembered


def hash_inputs(project: Project, sources: list[Path], *, draft_date: dt.date | None, archive: bool) -> BuildInputs:
    """Hash a build's sources before it lays anything out (a file saved meanwhile makes the next build run)."""
    names = [_relative(project, path) for path in sources]
    layout = [_relative(project, path) for path in project.layout_files()]
    return BuildInputs(names, layout, build_key(project, names, draft_date=draft_date, archive=archive))


def record_build(
    project: Project,
    manifest: Path,
    inputs: BuildInputs,
    outputs: dict[Path, bytes],
    *,
    pages: int,
    warnings: list[str],
    archive: bool,
    draft: bool = False,
) -> None:
    """Remember a build whose HTML draft and PDF (``outputs``: path to bytes, draft first) were just written."""
    if inputs.key is None:
        return
    (html_path, html), (pdf_path, pdf) = outputs.items()
    cache = _read_cache(project)
    builds = cache.get("builds") if isinstance(cache.get("builds"), dict) else {}
    builds[_entry_name(project, manifest, archive, draft)] = {
        "key": inputs.key,
        "sources": inputs.names,
        "layout": inputs.layout,
        "html": {"path": _relative(project, html_path), "sha256": hashlib.sha256(html).hexdigest()},
        "pdf": {"path": _relative(project, pdf_path), "sha256": hashlib.sha256(pdf).hexdigest()},
        "pages": pages,
        "size": len(pdf),
        "warnings": warnings,
    }
    text = json.dumps({"format": FORMAT, "builds": builds}, indent=1, sort_keys=True, ensure_ascii=False)
    # The build succeeded and its files are written: a record that cannot be kept (a read-only
    # or full disk) only means the next build prints again.
    with contextlib.suppress(OutputError, OSError):
        write_atomically(project.root / CACHE_FILE, text.encode("utf-8"))
