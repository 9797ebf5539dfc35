"""Where each value of a YAML text is written: the spans that round-trip edits replace, cut and paste.

The text is composed with PyYAML (libyaml's composer: the same reading as the loader's, and
twenty times faster than a pure-Python one), whose marks give every node's start and end.
A node's *content end* leaves out what the composer counts in: a block scalar's trailing
blank lines and the comments after a collection. A list item's *block* is its lines, from its
dash (with the comment lines just above it at the dash's column) to its last line (with the
comment lines after it indented deeper than the dash); what lies between two blocks (blank
lines) is their separator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path = tuple[Any, ...]


class UnsupportedLayout(ValueError):
    """The file is written in a way these edits do not handle (e.g. a flow mapping where a block is needed)."""


@dataclass
class Located:
    """A value found at a path: its node, and the key node (mappings) or None (list items)."""

    node: yaml.Node
    key: yaml.ScalarNode | None
    parent: yaml.Node | None


class YamlText:
    """A YAML text and its composed nodes; immutable: edits make a new one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root = yaml.compose(text, Loader=_Composer)

    # ---- finding ------------------------------------------------------------------

    def find(self, path: Path) -> Located | None:
        node, key, parent = self.root, None, None
        for part in path:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for key_node, value_node in node.value:
                    if key_node.value == part and isinstance(key_node, yaml.ScalarNode):
                        node, key, parent = value_node, key_node, node
                        break
                else:
                    return None
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                node, key, parent = node.value[part], None, node
            else:
                return None
        return Located(node, key, parent)

    # ---- lines --------------------------------------------------------------------

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """Just after the line break of the line holding ``index`` (the text's end if it has none)."""
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def column(self, index: int) -> int:
        return index - self.line_start(index)

    def _comment_column(self, start: int) -> int | None:
        """The column of the ``#`` of the line starting at ``start``, if the line is a comment only."""
        line = self.text[start:self.line_end(start)]
        stripped = line.lstrip(" ")
        return len(line) - len(stripped) if stripped.startswith("#") else None

    # ---- spans --------------------------------------------------------------------

    def content_end(self, node: yaml.Node) -> int:
        """Just after the node's last character (comments and blank lines after it left out)."""
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                written = self.text[node.start_mark.index:node.end_mark.index]
                return node.start_mark.index + len(written.rstrip(" \n"))
            return node.end_mark.index
        if node.flow_style or not node.value:
            return node.end_mark.index
        last = node.value[-1]
        return self.content_end(last[1] if isinstance(node, yaml.MappingNode) else last)

    def dash(self, item: yaml.Node) -> int:
        """Where the ``-`` of a block list's item is."""
        index = item.start_mark.index - 1
        while index >= 0 and self.text[index] in " \n":
            index -= 1
        if index < 0 or self.text[index] != "-":
            raise UnsupportedLayout(f"line {item.start_mark.line + 1}: a list item whose dash is not just before it")
        return index

    def item_block(self, item: yaml.Node) -> tuple[int, int]:
        """The item's lines: from its dash line (comments above it at the dash's column) to its end."""
        dash = self.dash(item)
        column = self.column(dash)
        start = self.line_start(dash)
        while start > 0 and self._comment_column(self.line_start(start - 1)) == column:
            start = self.line_start(start - 1)
        return start, self._after_deeper_comments(self.line_end(self.content_end(item)), column)

    def entry_end(self, key: yaml.Node, value: yaml.Node) -> int:
        """Just after a mapping entry's last line, comment lines indented deeper than its key included."""
        return self._after_deeper_comments(self.line_end(self.content_end(value)), key.start_mark.column)

    def _after_deeper_comments(self, end: int, column: int) -> int:
        while end < len(self.text) and (found := self._comment_column(end)) is not None and found > column:
            end = self.line_end(end)
        return end

    def colon_after(self, key: yaml.Node) -> int:
        """Just after the ``:`` that ends a mapping key."""
        return self.text.index(":", key.end_mark.index) + 1

    def separator(self, seq: yaml.SequenceNode) -> str:
        """The blank lines between a block list's items (as between its first two), or none."""
        if len(seq.value) < 2:
            return ""
        gap = self.text[self.item_block(seq.value[0])[1]:self.item_block(seq.value[1])[0]]
        return gap if gap.strip(" \n") == "" and set(gap) <= {"\n"} else ""

    def layout(self) -> tuple[int, int]:
        """(mapping indent, dash offset) as the file writes them; (2, 2) when it does not say."""
        mapping = offset = None
        stack = [self.root]
        while stack and (mapping is None or offset is None):
            node = stack.pop()
            if isinstance(node, yaml.MappingNode) and not node.flow_style:
                for key, value in node.value:
                    if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value and mapping is None:
                        mapping = value.value[0][0].start_mark.column - key.start_mark.column
                    if isinstance(value, yaml.SequenceNode) and not value.flow_style and value.value and offset is None:
                        offset = self.column(self.dash(value.value[0])) - key.start_mark.column
                    stack.append(value)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
        return (mapping if mapping and mapping > 0 else 2), (offset if offset is not None and offset >= 0 else 2)


def indent(text: str, columns: int, *, first: bool = True) -> str:
    """``text`` with ``columns`` spaces before each non-blank line (the first too if ``first``)."""
    pad = " " * columns
    lines = text.split("\n")
    return "\n".join((pad + line) if line.strip() and (first or n) else line for n, line in enumerate(lines))


def shift(block: str, columns: int) -> str:
    """A block moved right (or left, at most to its least indented line) by ``columns``."""
    if columns >= 0:
        return indent(block, columns)
    lines = block.split("\n")
    cut = min([-columns] + [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()])
    return "\n".join(line[cut:] if line.strip() else line for line in lines)
