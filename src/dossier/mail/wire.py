"""A message's bytes, assembled directly: headers folded as the email package folds them, bodies in quoted-printable.

Building each partner's message with ``EmailMessage`` cost about 5 ms of CPU (header parsing,
then folding, then the generator walking every part), more than the server takes to receive
it. Here the headers that are the same for every partner are folded once per mailing, the
others only when they need it (non-ASCII, or too long for one line), the text and HTML are
encoded by binascii's quoted-printable (C), and the attachment, encoded once, is spliced in.

Invariants: every line ends with CRLF and is at most 78 characters (headers) or 76 (bodies);
non-ASCII header text is RFC 2047-encoded (by the email package); the boundaries start with
"=_", which quoted-printable and base64 never produce, so they are unique without a search.
"""

from __future__ import annotations

import binascii
import functools
import secrets
from collections.abc import Sequence
from email.policy import SMTP as SMTP_POLICY

MAX_HEADER_LINE = 78


@functools.lru_cache(maxsize=64)  # the subject is mostly the same for every partner: folded once
def header(name: str, value: str) -> bytes:
    """``Name: value`` as one folded, encoded header field, CRLF included."""
    line = f"{name}: {value}"
    if len(line) <= MAX_HEADER_LINE and value.isascii() and value.isprintable():
        return line.encode("ascii") + b"\r\n"
    return SMTP_POLICY.fold_binary(name, SMTP_POLICY.header_factory(name, value))


def quoted_printable(text: str) -> bytes:
    """UTF-8 text as quoted-printable lines ending with CRLF (soft breaks at 76 characters), the last one too."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    if not normalised.endswith(b"\n"):
        normalised += b"\n"  # as the email package does: a part's text ends with a line break
    return binascii.b2a_qp(normalised, quotetabs=False, istext=True, header=False).replace(b"\n", b"\r\n")


def _text_part(subtype: str, text: str) -> bytes:
    return (f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
            .encode("ascii") + quoted_printable(text))


def _html_with(html: str, related: Sequence[bytes]) -> bytes:
    """The HTML part, or with ``related`` parts (the images it names by cid:) a multipart/related around it."""
    if not related:
        return _text_part("html", html)
    boundary = f"=_rel_{secrets.token_hex(12)}"
    parts = [f'Content-Type: multipart/related; boundary="{boundary}"\r\n\r\n--{boundary}\r\n'.encode("ascii"),
             _text_part("html", html)]
    for part in related:
        parts += [f"\r\n--{boundary}\r\n".encode("ascii"), part]
    parts.append(f"\r\n--{boundary}--\r\n".encode("ascii"))
    return b"".join(parts)


def assemble(headers: bytes, text: str, html: str, attachment: bytes | None, related: Sequence[bytes] = ()) -> bytes:
    """The whole message: ``headers`` (folded lines), then text and HTML as alternatives (the HTML with its
    ``related`` image parts, encoded once per mailing), then the attachment part."""
    alternative = f"=_alt_{secrets.token_hex(12)}"
    body = b"".join((
        f'Content-Type: multipart/alternative; boundary="{alternative}"\r\n\r\n--{alternative}\r\n'.encode("ascii"),
        _text_part("plain", text), f"\r\n--{alternative}\r\n".encode("ascii"),
        _html_with(html, related), f"\r\n--{alternative}--\r\n".encode("ascii"),
    ))
    if attachment is None:
        return b"".join((headers, b"MIME-Version: 1.0\r\n", body))
    mixed = f"=_mix_{secrets.token_hex(12)}"
    return b"".join((
        headers, f'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="{mixed}"\r\n\r\n--{mixed}\r\n'.encode(),
        body, f"\r\n--{mixed}\r\n".encode("ascii"), attachment, f"\r\n--{mixed}--\r\n".encode("ascii"),
    ))
