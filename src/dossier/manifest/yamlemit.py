"""YAML text for new values, written by ruamel.yaml in the file's layout and read back as the loader reads it.

ruamel.yaml decides how a value must be written (plain, quoted, a block scalar); two rules
are ours, because the manifest is read by PyYAML (YAML 1.1) while ruamel.yaml writes YAML 1.2:
- a text that YAML 1.1 would read as something else (``yes``, ``no``, ``1:20``, ``2020-04-03``,
  ``~``) is quoted; so is a text ruamel.yaml would single-quote (French apostrophes read better
  in double quotes: ``"Festival : l'été"``);
- multi-line text (Markdown paragraphs) is a literal block (``|``), the editors' habit.

Invariant: every text returned here reads back, through PyYAML, as the value it was made from;
otherwise ``ValueError`` is raised and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from ..i18n import _

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STYLES = {'"': DoubleQuotedScalarString, "'": SingleQuotedScalarString, "|": LiteralScalarString,
           ">": FoldedScalarString}
_KEY = "k"  # the key the snippets are dumped under


@dataclass(frozen=True)
class Layout:
    """How a file indents: a mapping's keys below their parent key, a list's dashes below theirs."""

    mapping: int = 2
    offset: int = 2  # n°3 and `dossier new` write "key:\n  - item"; 0 is "key:\n- item"


class Emitter:
    """Writes values as YAML text in one file's layout."""

    def __init__(self, layout: Layout = Layout()) -> None:
        self._yaml = YAML(typ="rt", pure=True)
        self._yaml.width = 1 << 20  # never fold a long line: a text is one line, as the editors write it
        self._yaml.allow_unicode = True
        self._yaml.indent(mapping=layout.mapping, sequence=layout.offset + 2, offset=layout.offset)

    def entry(self, key: Any, value: Any, style: str | None = None, flow: bool = False) -> str:
        """``key: value`` at column 0 (further lines indented from there), without a final newline."""
        styled = self.styled(value, style, flow)
        text = self._dump({key: styled})
        _check(text, {key: value})
        return text

    def item(self, value: Any, style: str | None = None) -> str:
        """``- value`` at column 0 (further lines indented from the dash), without a final newline."""
        text = textwrap.dedent(self._dump([self.styled(value, style, False)]))
        _check(text, [value])
        return text

    def value(self, value: Any, style: str | None = None, flow: bool = False) -> str:
        """The value alone, as written after ``key: `` (further lines indented from column 0)."""
        return self.entry(_KEY, value, style, flow)[len(_KEY) + 1:].lstrip(" ")

    def styled(self, value: Any, style: str | None = None, flow: bool = False) -> Any:
        """``value`` as ruamel.yaml objects: texts with their style, lists of texts in flow style if ``flow``."""
        if isinstance(value, str):
            return self._text(value, style)
        if isinstance(value, dict):
            return CommentedMap((key, self.styled(item)) for key, item in value.items())
        if isinstance(value, list | tuple):
            items = CommentedSeq(self.styled(item) for item in value)
            if flow and all(not isinstance(item, dict | list | tuple) for item in value):
                items.fa.set_flow_style()
            return items
        if value is None or isinstance(value, bool | int | float | dt.date):
            return value
        raise TypeError(f"cannot write a {type(value).__name__} in a manifest")

    def _text(self, text: str, style: str | None) -> Any:
        # A block scalar cannot start with spaces or hold only them, and a line of only spaces (or
        # no-break spaces) would lose its indentation (``yamltext.indent`` leaves blank lines alone):
        # those are double-quoted.
        block_safe = text.strip() != "" and not text[:1].isspace() and \
            all(line.strip() or not line for line in text.split("\n"))
        if block_safe and ("\n" in text.rstrip("\n") or (style in ("|", ">") and "\n" in text)):
            return LiteralScalarString(text)
        if style in _STYLES and (block_safe or style not in ("|", ">")):
            return _STYLES[style](text)
        plain = self._dump({_KEY: text})[len(_KEY) + 1:].lstrip(" ")
        if plain[:1] in ("'", '"') or _reads(f"{_KEY}: {plain}\n") != {_KEY: text}:
            return DoubleQuotedScalarString(text)
        return text

    def _dump(self, data: Any) -> str:
        out = io.StringIO()
        self._yaml.dump(data, out)
        return out.getvalue()[:-1]  # the final line break is the file's (a "|+" block keeps its others)


def _reads(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - the safe loader
    except yaml.YAMLError:
        return _UNREADABLE


_UNREADABLE = object()


def _check(text: str, value: Any) -> None:
    if _reads(text + "\n") != value:
        raise ValueError(_("'{value}' cannot be written in the manifest so that it reads back the same: "
                           "remove its unusual characters").format(value=str(value)[:40]))
