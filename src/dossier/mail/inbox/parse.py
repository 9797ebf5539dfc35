"""Reading a message as partners' mail clients and mail servers really write it, with bounded work.

Invariants:

- at most HEAD_LIMIT bytes of a message reach the parser (``sources`` reads no more), and
  of a multipart message only the first MAX_PARTS parts: the bytes after the
  (MAX_PARTS + 1)th line that starts with ``--`` are cut before parsing, so 200,000 parts
  cost what 64 do (``Parsed.parts`` says how many were read);
- header values are text: raw UTF-8 (RFC 6532) is read as UTF-8, other 8-bit bytes as
  Windows-1252 (the Latin-1 that French mail clients write), encoded words are decoded;
  no header reaches a detector as an ``email.header.Header`` (flufl.bounce's detectors
  call ``.lower()`` on them);
- text shown to a person has no control characters (a subject cannot move the terminal's cursor).
"""

from __future__ import annotations

import contextlib
import html
import re
import unicodedata
from dataclasses import dataclass
from email.header import Header, decode_header, make_header
from email.message import Message
from email.parser import Parser
from email.policy import compat32

from ...i18n import _

MAX_PARTS = 64
TEXT_LIMIT = 8000  # characters of a text part read for a request
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_NOT_A_FIELD = re.compile(rb"\n(?![ \t]|[!-9;-~]+:|\r?$)")  # after a line break: neither a field, a continuation nor the end
_DELIMITER = re.compile(rb"^--", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Parsed:
    message: Message
    parts: int  # parts the parser read (the message itself counts as one)
    cut: bool  # whether parts after the first MAX_PARTS were left unread


def parse(raw: bytes, *, headers_only: bool = False) -> Parsed:
    """The message from its head (only its headers if ``headers_only``); ValueError when it has no headers at all."""
    end = _HEADER_END.search(raw)
    head, body = (raw[:end.start()], raw[end.end():]) if end else (raw, b"")
    # A line that is no header field starts the body, blank line or not (as email's parser reads it): it
    # stays bytes, like the rest of the body, not text decoded with the headers.
    stray = _NOT_A_FIELD.search(head)
    if stray:
        head, body = head[:stray.start()], raw[stray.start() + 1:]
    if headers_only:
        body = b""
    lines = [_text_of_bytes(line) for line in head.splitlines()]
    cut = False
    if re.search(rb"(?im)^content-type:[ \t]*multipart/", head):
        for count, delimiter in enumerate(_DELIMITER.finditer(body)):
            if count > MAX_PARTS:
                body, cut = body[:delimiter.start()], True
                break
    # Headers decoded per line (UTF-8 or Windows-1252), the body kept byte for byte (as
    # message_from_bytes does): get_payload(decode=True) gives the bytes back.
    text = "\n".join(lines) + "\n\n" + body.decode("ascii", "surrogateescape")
    message = Parser(policy=compat32).parsestr(text)
    if not raw.strip() or not message.keys():
        raise ValueError(_("not a mail message (no header)"))
    return Parsed(message, sum(1 for _part in message.walk()), cut)


def header(message: Message, name: str) -> str:
    """A header's text on one line, encoded words decoded (=?utf-8?q?D=C3=A9sabonnement?=), '' when absent."""
    value = message.get(name)
    if value is None:
        return ""
    if isinstance(value, Header):  # 8-bit bytes in a part's headers
        text = "".join(_text_of_bytes(chunk) if isinstance(chunk, bytes) else chunk
                       for chunk, _charset in decode_header(value))
    else:
        text = str(value)
    if "=?" in text:
        with contextlib.suppress(LookupError, UnicodeError, ValueError, AssertionError):
            text = str(make_header(decode_header(text)))
    return " ".join(text.split())


def first_text(message: Message) -> str:
    """The first text part (text/plain, else text/html without its tags), at most TEXT_LIMIT characters."""
    html_part = None
    for part in message.walk():
        kind = part.get_content_type()
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        if kind == "text/plain":
            return _payload_text(part)
        if kind == "text/html" and html_part is None:
            html_part = part
    if html_part is None:
        return ""
    marked = re.sub(r"(?i)<(br|/p|/div|/tr|/li|/blockquote)\b[^>]*>", "\n", _payload_text(html_part, 4))
    return html.unescape(_TAG.sub("", marked))[:TEXT_LIMIT]


def _payload_text(part: Message, factor: int = 1) -> str:
    try:
        payload = part.get_payload(decode=True) or b""
    except (ValueError, TypeError, LookupError):
        return ""
    if not isinstance(payload, bytes):
        return ""
    return _decoded(payload[:TEXT_LIMIT * 4 * factor], part.get_content_charset())[:TEXT_LIMIT * factor]


def _decoded(data: bytes, charset: str | None) -> str:
    """Text in its declared charset; UTF-8, else Windows-1252, when the declaration is missing, unknown or wrong."""
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeError):
            pass
    return _text_of_bytes(data)


def _text_of_bytes(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def shown(text: str, limit: int = 200) -> str:
    """Text from a message as it may be printed: no control characters, one line, at most ``limit`` characters."""
    flat = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", text)).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"
