"""Images in the sizes a screen needs, and the numéro's cover drawn from its PDF (and its link-preview image).

Invariants: each raster image is written as WebP in up to three widths, never wider than
its source (no upscaling); a file name carries its source's digest, so an unchanged image
keeps its names (browsers keep their copy) and a changed one gets new ones. SVG images are
copied as they are: they have no pixel size.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from ..manifest.model import Issue
from .pictures import social_image

WIDTHS = (480, 800, 1200)
WEBP = {"quality": 72, "method": 4}
COVER_WIDTHS = (320, 640)
SOCIAL_FILE = "social.jpg"  # og:image: a 1200×630 JPEG, which every link preview reads
IMAGES_FOLDER = "images"


@dataclass(frozen=True)
class WebImage:
    """An image as the page uses it: src, srcset and the size of its largest variant (for the aspect ratio)."""

    src: str
    srcset: str
    width: int
    height: int


def variants_of(variants: list[list]) -> WebImage:
    """The page's view of an image's variants ([name, width, height], narrowest first)."""
    largest = variants[-1]
    srcset = ", ".join(f"{IMAGES_FOLDER}/{name} {width}w" for name, width, _ in variants)
    if len(variants) == 1 and largest[0].endswith(".svg"):
        srcset = ""
    return WebImage(f"{IMAGES_FOLDER}/{variants[0][0]}", srcset, largest[1], largest[2])


def write_variants(source: Path, digest: str, folder: Path) -> list[list]:
    """Write ``source`` in the widths a screen needs into ``folder``; returns [name, width, height] each."""
    stem = f"{source.stem}-{digest[:10]}"
    folder.mkdir(parents=True, exist_ok=True)
    if source.suffix.lower() == ".svg":
        shutil.copyfile(source, folder / f"{stem}.svg")
        return [[f"{stem}.svg", 0, 0]]
    with Image.open(source) as opened:
        widest = min(opened.width, WIDTHS[-1])
        # JPEG decodes at a fraction of its size directly: a 3000 px photo needed at 1200 px is read at 1500.
        opened.draft("RGB", (widest, opened.height * widest // opened.width))
        image = ImageOps.exif_transpose(opened)
        image = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} and _has_alpha(image) else "RGB")
    widths = [w for w in WIDTHS if w < image.width] + [min(image.width, WIDTHS[-1])]
    variants = []
    for width in dict.fromkeys(widths):
        height = max(1, round(image.height * width / image.width))
        name = f"{stem}-{width}.webp"
        image.resize((width, height), Image.Resampling.LANCZOS).save(folder / name, "WEBP", **WEBP)
        variants.append([name, width, height])
    return variants


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA"} or "transparency" in image.info


def write_cover(pdf_path: Path, folder: Path, issue: Issue, fonts_dir: Path) -> tuple[list[list], int]:
    """The PDF's first page as the numéro's cover (WebP for the archive) and its link-preview image (``SOCIAL_FILE``).

    Returns the WebP widths ([name, width, height]) and the PDF's page count.
    """
    import pypdfium2  # only when a numéro is rebuilt

    document = pypdfium2.PdfDocument(pdf_path)
    try:
        pages = len(document)
        page = document[0]
        try:
            cover = page.render(scale=COVER_WIDTHS[-1] / page.get_width()).to_pil().convert("RGB")
        finally:
            page.close()
    finally:
        document.close()
    social_image(cover, issue, fonts_dir, folder / SOCIAL_FILE)
    variants = []
    for width in COVER_WIDTHS:
        height = round(cover.height * width / cover.width)
        cover.resize((width, height), Image.Resampling.LANCZOS).save(folder / f"cover-{width}.webp", "WEBP", **WEBP)
        variants.append([f"cover-{width}.webp", width, height])
    return variants, pages


def cover_image(variants: list[list], folder: str) -> WebImage:
    """The cover as the archive shows it, from the archive page (``folder`` is the numéro's, e.g. 03/)."""
    srcset = ", ".join(f"{folder}{name} {width}w" for name, width, _ in variants)
    return WebImage(f"{folder}{variants[0][0]}", srcset, variants[-1][1], variants[-1][2])


MAIL_WIDTH = 800  # px of the newsletter's JPEG, shown 544 px wide: sharp on most screens, about 80 KB
MAIL_QUALITY = 78


def mail_image_name(source: Path, digest: str) -> str:
    """The newsletter's JPEG of an image, in the edition's images/ folder (named after its source's digest)."""
    return f"{source.stem}-{digest[:10]}-mail.jpg"


def mail_jpeg(source: Path) -> tuple[bytes, int, int]:
    """``source`` as the newsletter shows it: an RGB JPEG at most ``MAIL_WIDTH`` wide; its bytes, width, height."""
    import io

    with Image.open(source) as opened:
        opened.draft("RGB", (MAIL_WIDTH, max(1, opened.height * MAIL_WIDTH // opened.width)))
        image = ImageOps.exif_transpose(opened)
        if _has_alpha(image):  # on white, as the newsletter's sheet is
            image = image.convert("RGBA")
            flat = Image.new("RGB", image.size, "#ffffff")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image = image.convert("RGB")
    if image.width > MAIL_WIDTH:
        image = image.resize((MAIL_WIDTH, max(1, round(image.height * MAIL_WIDTH / image.width))), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=MAIL_QUALITY, optimize=True, progressive=True)
    return out.getvalue(), image.width, image.height
