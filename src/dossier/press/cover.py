"""What the cover's layout needs to know of a numéro: how much text it holds, its photograph's shape.

The cover is one A4 panel: series, number, theme line, byline and date above, the numéro's themes
and/or its photograph below, the publisher's foot at the bottom. The styles lay it out as a
column that never overlaps (styles/dossier.css, "Cover"); these classes only choose sizes that fit:
a smaller number and theme line for a long theme line, two columns for more than four themes, the
photograph beside the themes when it is portrait (a full-width frame would keep a third of it).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..manifest.model import Issue

LONG_THEME_LINE = 60  # characters: over this the number and the theme line are set smaller
LONGER_THEME_LINE = 120
THEMES_IN_ONE_COLUMN = 4


def photo_is_portrait(path: Path) -> bool:
    """True when the image is taller than wide (Pillow reads the header only)."""
    try:
        with Image.open(path) as image:
            width, height = image.size
    except (OSError, UnidentifiedImageError):
        return False  # validation reports a bad image; the layout does not guess
    return height > width


def cover_classes(issue: Issue, root: Path) -> str:
    """The cover section's classes: ``has-photo``, ``photo-portrait``, ``long-theme``, ``longer-theme``, ``many-themes``."""
    classes = []
    if issue.cover_image:
        classes.append("has-photo")
        if photo_is_portrait(root / issue.cover_image):
            classes.append("photo-portrait")
    if len(issue.subtitle) > LONG_THEME_LINE:
        classes.append("long-theme")
    if len(issue.subtitle) > LONGER_THEME_LINE:
        classes.append("longer-theme")
    if len(issue.practices) > THEMES_IN_ONE_COLUMN:
        classes.append("many-themes")
    return " ".join(classes)
