"""What an image file really is, read from its first and last bytes (no decoding: validation stays fast).

A file named .jpg may be a text file, an HTML error page saved by a browser, or a photo
cut short by an interrupted copy; WeasyPrint would then print an empty frame, or blame
the stylesheet. Each check reads at most a few kilobytes; then ``imagebounds`` refuses what
would keep a print busy for minutes (a raster's header, an SVG read once as a stream).
"""

from __future__ import annotations

import re
from pathlib import Path

from ..i18n import _
from .imagebounds import raster_problem, svg_problem

# Leading bytes of each format, by the suffixes the manifest accepts.
_SIGNATURES = {
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
    "GIF": (b"GIF87a", b"GIF89a"),
}
_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WebP", ".svg": "SVG"}
_TAIL = 4096


def image_problem(path: Path) -> str | None:
    """Why ``path`` is not a whole image of the format its suffix says, or None when it is."""
    expected = _FORMATS.get(path.suffix.lower())
    with path.open("rb") as file:
        head = file.read(_TAIL)
        size = file.seek(0, 2)
        file.seek(max(0, size - _TAIL))
        tail = file.read()
    if not head:
        return _("is an empty file: copy the image again")
    found = _format_of(head)
    if expected == "SVG":
        if found == "SVG":
            return svg_problem(path)
        return _("is not an SVG image ({content}): export it again as .svg").format(content=_describe(found, head))
    if found is None or found == "SVG":
        return _("is not a {format} image ({content}): export it again as {suffix}").format(
            format=expected, content=_describe(found, head), suffix=path.suffix.lower())
    # A PNG named .jpg prints as well as a JPEG: what matters is that it is a whole image.
    if _truncated(found, head, tail, size):
        return _("is cut short (the file ends before the image does): copy or export it again")
    return raster_problem(path)


def _format_of(head: bytes) -> str | None:
    for name, signatures in _SIGNATURES.items():
        if head.startswith(signatures):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in head.lower():
        return "SVG"
    return None


def _describe(found: str | None, head: bytes) -> str:
    if found is not None:
        return _("its content is {format}").format(format=found)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return _("its content is of another kind")
    return _("its content is text")


def _truncated(kind: str, head: bytes, tail: bytes, size: int) -> bool:
    if kind == "JPEG":
        # The end-of-image marker; cameras and editors may pad after it.
        return b"\xff\xd9" not in tail.rstrip(b"\x00\r\n ")[-64:]
    if kind == "PNG":
        return b"IEND" not in tail[-16:]
    if kind == "GIF":
        return not tail.rstrip(b"\x00").endswith(b"\x3b")
    if kind == "WebP":
        return int.from_bytes(head[4:8], "little") + 8 > size
    return False


_IMAGE_LINE = re.compile(r"""^[\s-]*(?:image|logo)\s*:\s*(["']?)(?P<value>.+?)\1\s*(?:#.*)?$""")


def image_named_at(root: Path, image: Path) -> str | None:
    """The manifest line (``file:line``) that names ``image``: its folder's issue.yaml, or publication.yaml; None if none.

    For messages after validation (a print that fails on an image): the text is scanned, not
    validated again, so a manifest that no longer validates still gives its line.
    """
    image, root = image.resolve(), root.resolve()
    if not image.is_relative_to(root):
        return None
    for manifest, base in ((image.parent / "issue.yaml", image.parent), (root / "publication.yaml", root)):
        try:
            lines = manifest.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            found = _IMAGE_LINE.match(line)
            if found and (base / found["value"].strip()).resolve() == image:
                return f"{manifest.resolve().relative_to(root).as_posix()}:{number}"
    return None
