"""Pictures the site draws itself with Pillow: the favicon and each numéro's 1200×630 link-preview image.

Invariants: both are drawn only from the publication (its logo, or its accent colour and the
initials of its series, in its own Inter) and the numéro's cover (the PDF's first page); no
text but the series, number and theme line the manifest gives. Without the font file, Pillow's
default font is used: a missing face never stops the site.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..manifest.model import Issue, Publication

SOCIAL_SIZE = (1200, 630)  # Open Graph's and Twitter's large card
ICON_SIZES = {"favicon.png": 64, "apple-touch-icon.png": 180}
BOLD = "Inter-Bold.otf"
REGULAR = "Inter-Regular.otf"


def _font(fonts_dir: Path, name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(str(fonts_dir / name), size)
    except OSError:
        return ImageFont.load_default(size)


def _initials(series: str) -> str:
    words = [w for w in series.split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words[:2]) or "·"


def icons(publication: Publication, project_root: Path, fonts_dir: Path) -> dict[str, bytes]:
    """favicon.png and apple-touch-icon.png: the logo on white, or the series' initials on the accent colour."""
    logo = None
    if publication.logo and not publication.logo.lower().endswith(".svg"):
        try:
            with Image.open(project_root / publication.logo) as opened:
                logo = opened.convert("RGBA")
        except OSError:
            logo = None
    drawn = {}
    for name, size in ICON_SIZES.items():
        if logo is not None:
            icon = Image.new("RGB", (size, size), "#ffffff")
            fitted = logo.copy()
            fitted.thumbnail((round(size * 0.9), round(size * 0.9)), Image.Resampling.LANCZOS)
            icon.paste(fitted, ((size - fitted.width) // 2, (size - fitted.height) // 2), fitted)
        else:
            icon = Image.new("RGB", (size, size), publication.colours.accent)
            draw = ImageDraw.Draw(icon)
            text = _initials(publication.series)
            font = _font(fonts_dir, BOLD, round(size * (0.5 if len(text) > 1 else 0.66)))
            draw.text((size / 2, size / 2), text, fill="#ffffff", font=font, anchor="mm")
        out = io.BytesIO()
        icon.save(out, "PNG", optimize=True)
        drawn[name] = out.getvalue()
    return drawn


def _wrapped(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:  # noqa: ANN001 - a Pillow font
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def social_image(cover: Image.Image, issue: Issue, fonts_dir: Path, path: Path) -> None:
    """The numéro's 1200×630 JPEG for link previews: its cover beside its series, number and theme line."""
    width, height = SOCIAL_SIZE
    card = Image.new("RGB", SOCIAL_SIZE, issue.publication.colours.accent)
    margin = 40
    page_height = height - 2 * margin
    page = cover.resize((round(cover.width * page_height / cover.height), page_height), Image.Resampling.LANCZOS)
    card.paste(page, (margin, margin))
    draw = ImageDraw.Draw(card)
    left = margin * 2 + page.width
    text_width = width - left - margin
    kicker = _font(fonts_dir, BOLD, 30)
    title = _font(fonts_dir, BOLD, 64)
    theme = _font(fonts_dir, REGULAR, 38)
    y = margin + 20
    draw.text((left, y), issue.publication.series.upper(), fill="#ffffff", font=kicker)
    y += 60
    draw.text((left, y), f"n°{issue.number}", fill="#ffffff", font=title)
    y += 100
    for line in _wrapped(draw, issue.subtitle, theme, text_width)[:6]:
        draw.text((left, y), line, fill="#ffffff", font=theme)
        y += 50
    card.save(path, "JPEG", quality=85, optimize=True)
