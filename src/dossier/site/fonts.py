"""The publication's fonts for screens: WOFF2 subsets of styles/fonts/, made with fontTools, cached.

Invariants: only the faces the web stylesheet uses are written, each cut down to the
Latin characters French text needs (about 50 KB instead of 750); a face whose file is
missing is left out and the stylesheet's system fallbacks take over. The fonts' licences
go with them (SIL OFL). A font's file name carries its content's digest, so browsers may
keep it for a year. Subsetting takes seconds, so the subsets are kept in
``.dossier/web-fonts/KEY/`` between runs: KEY is the digest of everything that shapes them
(the face files, the character ranges, this module's code, fontTools' version); a cached
folder is used only when every file it lists is there with the digest it lists, else it is
made again.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

FONTS_FOLDER = "assets/fonts"
CACHE_FOLDER = ".dossier/web-fonts"
INDEX_FILE = "fonts.json"
# (family, file in styles/fonts/, weight, style): the faces web.css uses.
WEB_FACES = (
    ("Inter", "Inter-Regular.otf", 400, "normal"),
    ("Inter", "Inter-SemiBold.otf", 600, "normal"),
    ("Inter", "Inter-Bold.otf", 700, "normal"),
    ("Charis SIL", "CharisSIL-Regular.ttf", 400, "normal"),
    ("Charis SIL", "CharisSIL-Italic.ttf", 400, "italic"),
    ("Charis SIL", "CharisSIL-Bold.ttf", 700, "normal"),
    ("Charis SIL", "CharisSIL-BoldItalic.ttf", 700, "italic"),
)
# Basic Latin, Latin-1, Latin Extended-A (œ, names of places), general punctuation (the narrow
# no-break space, dashes, quotes), the euro sign, arrows.
UNICODE_RANGES = ((0x20, 0x24F), (0x2000, 0x206F), (0x20AC, 0x20AC), (0x2190, 0x2193), (0x2212, 0x2212))


def faces(fonts_dir: Path) -> list[tuple[str, Path, int, str]]:
    """The web faces whose files are in ``fonts_dir``."""
    return [(family, fonts_dir / name, weight, style) for family, name, weight, style in WEB_FACES
            if (fonts_dir / name).is_file()]


def _licences(fonts_dir: Path) -> list[Path]:
    return sorted(fonts_dir.glob("LICENSE*"))


def fonts_key(fonts_dir: Path, digest_of) -> str:  # noqa: ANN001 - state.Digests
    """The digest of everything the subsets are made from: face files, licences, ranges, this code, fontTools."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{UNICODE_RANGES}\0{WEB_FACES}\0{metadata.version('fonttools')}\0".encode())
    for path in [face[1] for face in faces(fonts_dir)] + _licences(fonts_dir):
        digest.update(f"{path.name}\0{digest_of(path)}\0".encode())
    return digest.hexdigest()


def web_fonts(project_root: Path, fonts_dir: Path, digest_of) -> tuple[Path, dict[str, str]]:  # noqa: ANN001
    """The cached folder of the subsets and licences, and each face file's name there (by its styles/fonts/ name).

    Made (seconds) when the cache has no sound folder for the current key.
    """
    key = fonts_key(fonts_dir, digest_of)
    folder = project_root / CACHE_FOLDER / key[:32]
    names = _sound(folder)
    if names is None:
        names = _make(fonts_dir, folder)
    return folder, names


def _sound(folder: Path) -> dict[str, str] | None:
    """The cached names when the folder's index parses and every file listed has its digest; else None."""
    try:
        index = json.loads((folder / INDEX_FILE).read_text(encoding="utf-8"))
        for name, digest in index["files"].items():
            if Path(name).name != name or hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
                return None
        names = index["faces"]
        if not all(isinstance(v, str) and v in index["files"] for v in names.values()):
            return None
        return names
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _make(fonts_dir: Path, folder: Path) -> dict[str, str]:
    """Subset every face into a new folder, then put it in the cache's place whole."""
    from fontTools import subset  # only when the cache has nothing sound: it takes a few seconds

    # fontTools warns of tables it drops (Charis SIL's Graphite tables): nothing a user can act on.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".making-"))
    try:
        unicodes = [code for first, last in UNICODE_RANGES for code in range(first, last + 1)]
        files, names = {}, {}
        for _, path, _, _ in faces(fonts_dir):
            options = subset.Options()
            options.flavor = "woff2"
            options.name_IDs = ["*"]  # the licence and copyright names stay
            options.notdef_outline = True
            font = subset.load_font(str(path), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=unicodes)
            subsetter.subset(font)
            out = io.BytesIO()
            subset.save_font(font, out, options)
            data = out.getvalue()
            digest = hashlib.sha256(data).hexdigest()
            name = f"{path.stem.lower()}.{digest[:10]}.woff2"
            (work / name).write_bytes(data)
            files[name], names[path.name] = digest, name
        for licence in _licences(fonts_dir):
            data = licence.read_bytes()
            (work / licence.name).write_bytes(data)
            files[licence.name] = hashlib.sha256(data).hexdigest()
        (work / INDEX_FILE).write_text(json.dumps({"files": files, "faces": names}, indent=1), encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)  # a damaged folder of the same key
        try:
            work.rename(folder)
        except OSError:  # another run put it there first: theirs is as good
            if _sound(folder) is None:
                raise
        return names
    finally:
        shutil.rmtree(work, ignore_errors=True)


def font_face_css(fonts_dir: Path, names: dict[str, str]) -> str:
    """The @font-face rules of the faces written, with addresses relative to the stylesheet in assets/."""
    rules = []
    for family, path, weight, style in faces(fonts_dir):
        if path.name in names:
            rules.append(
                f'@font-face {{ font-family: "{family}"; src: url(fonts/{names[path.name]}) format("woff2"); '
                f"font-weight: {weight}; font-style: {style}; font-display: swap; }}"
            )
    return "\n".join(rules) + "\n"
