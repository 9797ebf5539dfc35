"""Hostile images, made on the fly: the <use> bomb and the pixel bomb of issue 18, and their kin.

The pixel bomb is a real PNG that decodes to its size (all black, 1 bit per pixel), made in
milliseconds: its compressed rows are one raw-deflate segment repeated (each ends with a full
flush, so none refers to another), and the zlib checksum of n zero bytes is known (a=1, b=n).
"""

from __future__ import annotations

import struct
import zlib

_ADLER = 65521


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A 1-bit grey PNG of ``width`` × ``height`` black pixels; 60000 × 60000 is about 440 KB."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels, all zero
    rows_per_segment = 64
    segment = _raw_deflate(row * rows_per_segment, zlib.Z_FULL_FLUSH)
    rest = _raw_deflate(row * (height % rows_per_segment), zlib.Z_FINISH)
    size = len(row) * height
    stream = b"\x78\x01" + segment * (height // rows_per_segment) + rest + struct.pack(">I", (size % _ADLER) << 16 | 1)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def _raw_deflate(data: bytes, flush: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(flush)


def use_bomb(levels: int = 12, fan: int = 4) -> str:
    """``levels`` nested groups, each drawing the level below ``fan`` times with <use>: fan**levels squares."""
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" '
             'height="100"><defs><g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use xlink:href="#l{level - 1}" x="{i}"/>' for i in range(fan))
        parts.append(f'<g id="l{level}">{uses}</g>')
    parts.append(f'</defs><use xlink:href="#l{levels}"/></svg>\n')
    return "".join(parts)
