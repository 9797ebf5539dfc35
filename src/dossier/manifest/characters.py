"""Characters that are not text: refused in every field, and never written into XML.

A manifest's text reaches XML files (feed.xml, the PDF's XMP metadata) and mail headers.
XML 1.0 allows tab, line feed, carriage return and everything else up to U+10FFFF except the
surrogates (U+D800–U+DFFF), U+FFFE and U+FFFF: one of those makes the whole file unreadable.
Fields refuse more: the other control characters (DEL, C1 — invisible, and they come from
copy-pastes), and Unicode's other noncharacters (U+FDD0–U+FDEF, the last two of every plane).
U+0085 (NEL) is a YAML line break, so it stays.

YAML's double-quoted escapes ("\\uFFFE", "\\x7F", "\\e") reach the values without ever being in
the file's text: values are checked as well as the file.
"""

from __future__ import annotations

import re

from ..i18n import _

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
NOT_TEXT = re.compile(f"[{_CONTROLS}\ud800-\udfff{_NONCHARACTERS}]")
# What XML 1.0 itself refuses (feed.xml, sitemap.xml): removed from whatever is written there.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def character_problem(text: str) -> tuple[int, str] | None:
    """Where the first character that is not text is in ``text``, and what to tell the editor; None if none."""
    found = NOT_TEXT.search(text)
    if found is None:
        return None
    code = ord(found[0])
    if re.fullmatch(f"[{_CONTROLS}]", found[0]):
        message = _("invisible control character U+{code:04X} in the text: delete it (it often comes from a copy-paste)")
    else:
        message = _("character U+{code:04X} is not text (a Unicode noncharacter or half of a surrogate pair): delete it "
                    "(it comes from a damaged file or a copy-paste)")
    return found.start(), message.format(code=code)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (the validator refuses them first: this is a second net)."""
    return NOT_XML.sub("", text)
