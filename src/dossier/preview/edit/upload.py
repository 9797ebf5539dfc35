"""A photo sent from the editing view: checked, then stored beside the manifest under a clean name.

Invariants: the bytes are bounded (``MAX_BYTES``) before they are read; their type is read
from their content (Pillow), never from the name or the request; the pixel count is bounded
before any decoding (``MAX_PIXELS``: a small file can claim a huge image); the file is
verified whole (``manifest.images.image_problem``, as validate does); the name is made here
(ASCII letters, digits and dashes, the format's suffix) and the file lands in the numéro's
folder and nowhere else; the same bytes sent twice are stored once.
"""

from __future__ import annotations

import io
import re
import tempfile
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from ...files import write_atomically
from ...i18n import _
from ...manifest.images import image_problem

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000  # a 60-megapixel photo is larger than any page needs
PRINT_DPI = 150  # check's bar: under it a printed photo looks blurred
_SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif"}


class UploadRefused(ValueError):
    """Why a file cannot be used as a photo (a message for the editor)."""


@dataclass(frozen=True)
class StoredImage:
    name: str  # beside the manifest: what the manifest's field says
    width: int
    height: int

    def print_size_mm(self) -> tuple[int, int]:
        """The largest size it prints sharp at (PRINT_DPI)."""
        return round(self.width / PRINT_DPI * 25.4), round(self.height / PRINT_DPI * 25.4)


def clean_name(original: str) -> str:
    """A file name's stem as ASCII words joined by dashes: « Photo été 2026 (1).JPG » → photo-ete-2026-1."""
    stem = Path(original.replace("\\", "/").rsplit("/", 1)[-1]).stem
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_stem).strip("-")[:60].strip("-") or "photo"


def store_image(folder: Path, original_name: str, data: bytes) -> StoredImage:
    """Check ``data`` and write it into ``folder`` (the numéro's); raises UploadRefused saying why not."""
    if len(data) > MAX_BYTES:
        raise UploadRefused(_("the file is over {size} MB: export the photo smaller").format(size=MAX_BYTES // 2**20))
    too_large = _("more pixels than a page needs: export it at most {limit} megapixels").format(
        limit=MAX_PIXELS // 1_000_000)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the bound is ours, just below
            image = Image.open(io.BytesIO(data))  # reads the header only
            width, height, kind = image.width, image.height, image.format
    except Image.DecompressionBombError:
        raise UploadRefused(too_large) from None
    except Exception:  # noqa: BLE001 - any reason Pillow has: not an image we can use
        raise UploadRefused(_("not a photo: send a .jpg, .png or .webp image")) from None
    if kind not in _SUFFIXES:
        raise UploadRefused(_("a {format} image: send a .jpg, .png or .webp image").format(format=kind or "?"))
    if width * height > MAX_PIXELS:
        raise UploadRefused(f"{width}×{height}: {too_large}")
    try:
        Image.open(io.BytesIO(data)).verify()
    except Exception:  # noqa: BLE001
        raise UploadRefused(_("the image is damaged: export it again")) from None
    suffix = _SUFFIXES[kind]
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / f"probe{suffix}"
        probe.write_bytes(data)
        if problem := image_problem(probe):
            raise UploadRefused(problem)
    folder = folder.resolve()
    stem = clean_name(original_name)
    for number in range(1, 1000):
        target = folder / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
        if target.parent != folder:  # cannot happen with a clean name; never write elsewhere
            raise UploadRefused(_("not a file name"))
        if target.exists() and target.read_bytes() == data:
            return StoredImage(target.name, width, height)
        if not target.exists():
            write_atomically(target, data)
            return StoredImage(target.name, width, height)
    raise UploadRefused(_("too many photos named {name}: rename the file").format(name=stem))
