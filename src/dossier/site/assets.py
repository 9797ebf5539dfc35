"""assets/: the stylesheet, the scripts, the fonts and the icons, under names that carry their content's digest.

Invariants: a file's name changes exactly when its bytes do (``site.3f2a9c01be.css``), so a
server may tell browsers to keep assets/ for a year; every page names the files of the run
that wrote it (``Assets``, part of each edition's hash). The fonts come from their cache
(``fonts.web_fonts``), so an unchanged site never subsets a font again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..files import write_atomically
from ..manifest.model import Publication
from ..project import Project
from .folder import link_file
from .fonts import FONTS_FOLDER, font_face_css, web_fonts
from .pictures import icons

ASSETS = "assets"


@dataclass(frozen=True)
class Assets:
    """The site-relative addresses of the shared files. The defaults are the preview's (unhashed) addresses."""

    css: str = "assets/site.css"
    js: str = "assets/edition.js"
    search_js: str = "assets/search.js"
    lunr_js: str = "assets/lunr.min.js"
    favicon: str | None = None
    touch_icon: str | None = None

    def key(self) -> str:
        return f"{self.css}\0{self.js}\0{self.search_js}\0{self.lunr_js}\0{self.favicon}\0{self.touch_icon}"


def static_text(name: str) -> str:
    """A file of the site's package data (static/)."""
    return resources.files("dossier.site").joinpath("static", name).read_text(encoding="utf-8")


def hashed_asset(stage: Path, target: Path, stem: str, suffix: str, data: bytes) -> str:
    """Write ``data`` as assets/STEM.DIGEST.SUFFIX; the previous site's file is kept (linked) when it has these bytes."""
    name = f"{ASSETS}/{stem}.{hashlib.sha256(data).hexdigest()[:10]}{suffix}"
    try:
        same = (target / name).read_bytes() == data
    except OSError:
        same = False
    if same:
        link_file(target / name, stage / name)
    else:
        write_atomically(stage / name, data)
    return name


def write_assets(project: Project, stage: Path, target: Path, publication: Publication, digest_of) -> Assets:  # noqa: ANN001
    """Every shared file into the staged site's assets/ (``target`` is the previous site); returns their addresses."""
    fonts_dir = project.styles_dir / "fonts"
    cached, names = web_fonts(project.root, fonts_dir, digest_of)
    for path in cached.iterdir():
        if path.name in names.values() or path.name.startswith("LICENSE"):
            link_file(path, stage / FONTS_FOLDER / path.name)
    hashed_asset(stage, target, "lunr", ".LICENSE", static_text("lunr.LICENSE").encode("utf-8"))
    css = (font_face_css(fonts_dir, names) + static_text("web.css")).encode("utf-8")
    drawn = icons(publication, project.root, fonts_dir)
    return Assets(
        css=hashed_asset(stage, target, "site", ".css", css),
        js=hashed_asset(stage, target, "edition", ".js", static_text("edition.js").encode("utf-8")),
        search_js=hashed_asset(stage, target, "search", ".js", static_text("search.js").encode("utf-8")),
        lunr_js=hashed_asset(stage, target, "lunr", ".min.js", static_text("lunr.min.js").encode("utf-8")),
        favicon=hashed_asset(stage, target, "favicon", ".png", drawn["favicon.png"]),
        touch_icon=hashed_asset(stage, target, "apple-touch-icon", ".png", drawn["apple-touch-icon.png"]),
    )
