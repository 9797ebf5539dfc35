"""The publication's fonts for screens: WOFF2 subsets of styles/fonts/, made with fontTools.

Invariants: only the faces the web stylesheet uses are written, each cut down to the
Latin characters French text needs (about 50 KB instead of 750); a face whose file is
missing is left out and the stylesheet's system fallbacks take over. The fonts' licences
go with them (SIL OFL).
"""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path

FONTS_FOLDER = "assets/fonts"
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


def fonts_digest(fonts_dir: Path, digest_of) -> str:  # noqa: ANN001 - state.Digests
    """What the written fonts depend on: the files of the faces (and their licences)."""
    digest = hashlib.sha256()
    for path in [face[1] for face in faces(fonts_dir)] + sorted(fonts_dir.glob("LICENSE*")):
        digest.update(f"{path.name}\0{digest_of(path)}\0".encode())
    return digest.hexdigest()


def woff2_name(path: Path) -> str:
    return f"{path.stem.lower()}.woff2"


def write_fonts(fonts_dir: Path, folder: Path) -> None:
    """Each web face as a WOFF2 subset into ``folder``, with the fonts' licences."""
    from fontTools import subset  # only when the fonts changed: it takes a few seconds

    # fontTools warns of tables it drops (Charis SIL's Graphite tables): nothing a user can act on.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    folder.mkdir(parents=True, exist_ok=True)
    unicodes = [code for first, last in UNICODE_RANGES for code in range(first, last + 1)]
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
        (folder / woff2_name(path)).write_bytes(out.getvalue())
    for licence in fonts_dir.glob("LICENSE*"):
        (folder / licence.name).write_bytes(licence.read_bytes())


def font_face_css(fonts_dir: Path) -> str:
    """The @font-face rules of the faces written, with addresses relative to assets/site.css."""
    rules = []
    for family, path, weight, style in faces(fonts_dir):
        rules.append(
            f'@font-face {{ font-family: "{family}"; src: url(fonts/{woff2_name(path)}) format("woff2"); '
            f"font-weight: {weight}; font-style: {style}; font-display: swap; }}"
        )
    return "\n".join(rules) + "\n"
