"""Edits of a YAML text at field paths, by splicing: each replaces only the text of what it changes.

The public face is ``roundtrip.RoundTrip`` (its docstring lists the operations and invariants);
here are the operations themselves over ``yamltext`` (where values are written) and
``yamlemit`` (how new values are written).
"""

from __future__ import annotations

from typing import Any

import yaml

from ..i18n import _
from .model import field_order
from .yamlemit import Emitter, Layout
from .yamltext import Located, UnsupportedLayout, YamlText, indent, shift
from .yamltext import Path as FieldPath

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlEditor:
    """A YAML text and the edits made to it."""

    def __init__(self, text: str) -> None:
        self._doc = YamlText(text)
        self._emitter = Emitter(Layout(*self._doc.layout()))

    @property
    def text(self) -> str:
        return self._doc.text

    def data(self) -> Any:
        """The text's data as the manifest's loader reads it (YAML 1.1)."""
        return yaml.load(self.text, Loader=_Loader)  # noqa: S506 - the safe loader

    def get(self, path: FieldPath, default: Any = None) -> Any:
        value = self.data()
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return default
        return value

    # ---- operations ----------------------------------------------------------------

    def set(self, path: FieldPath, value: Any) -> None:
        """Give the value at ``path`` (a mapping's key or a list's index) a new value; a missing key is inserted."""
        found = self._doc.find(path)
        if found is None:
            self._insert_key(path, value)
        elif isinstance(found.node, yaml.ScalarNode) and not isinstance(value, dict | list | tuple):
            before = self._doc
            for style in (found.node.style, '"'):  # the value's own style, else double quotes
                self._doc = before
                self._set_scalar(found, value, style)
                if self.get(path) == value:
                    return
            self._doc = before
            raise ValueError(_("'{value}' cannot be written in the manifest so that it reads back the same: "
                               "remove its unusual characters").format(value=str(value)[:40]))
        elif found.key is None:  # a list item becomes another collection: a new item in its place
            index = path[-1]
            self.insert(path, value)
            self.delete((*path[:-1], index + 1))
        else:
            self._replace_entry_value(found, value)

    def _set_scalar(self, found: Located, value: Any, style: str | None) -> None:
        node = found.node
        written = self._emitter.value(value, style) if found.key else self._emitter.item(value, style)[2:]
        column = found.key.start_mark.column if found.key else self._doc.column(self._doc.dash(node))
        self._splice(node.start_mark.index, self._doc.content_end(node), indent(written, column, first=False))

    def delete(self, path: FieldPath) -> None:
        found = self._require(path)
        doc = self._doc
        if found.key is not None:
            mapping = found.parent
            first = mapping.value[0][0] is found.key
            on_dash_line = doc.text[doc.line_start(found.key.start_mark.index):found.key.start_mark.index].strip()
            if len(mapping.value) == 1:
                return self.set(path[:-1], {})
            if first and on_dash_line:  # "- title: x" loses its first key: the next one moves up
                return self._splice(found.key.start_mark.index, mapping.value[1][0].start_mark.index, "")
            return self._splice(doc.line_start(found.key.start_mark.index), doc.entry_end(found.key, found.node), "")
        seq, index = found.parent, path[-1]
        if seq.flow_style:
            return self.set(path[:-1], [item for i, item in enumerate(self.get(path[:-1])) if i != index])
        if len(seq.value) == 1:
            return self.set(path[:-1], [])
        start, end = doc.item_block(found.node)
        if index < len(seq.value) - 1:
            end = doc.item_block(seq.value[index + 1])[0]
        else:
            start = doc.item_block(seq.value[index - 1])[1]
        self._splice(start, end, "")

    def insert(self, path: FieldPath, value: Any) -> None:
        """Insert ``value`` in the list at ``path[:-1]`` before index ``path[-1]`` (its length: at the end)."""
        self._insert_block(path[:-1], path[-1], self._emitter.item(value), 0, value)

    def append(self, list_path: FieldPath, value: Any) -> None:
        items = self.get(list_path)
        self.insert((*list_path, len(items) if isinstance(items, list) else 0), value)

    def move(self, source: FieldPath, target: FieldPath) -> None:
        """Move a list item (its lines, comments and all) so that it is at ``target`` (a list and an index) after."""
        block, column, value = self._cut(source)
        self._insert_block(target[:-1], target[-1], block, column, value)

    def duplicate(self, path: FieldPath) -> None:
        found = self._require(path)
        if found.key is not None or found.parent.flow_style:
            return self.insert((*path[:-1], path[-1] + 1), self.get(path))
        start, end = self._doc.item_block(found.node)
        column = self._doc.column(self._doc.dash(found.node))
        self._insert_block(path[:-1], path[-1] + 1, self._block_from(start, end, found.node), column, self.get(path))

    # ---- text surgery --------------------------------------------------------------

    def _splice(self, start: int, end: int, replacement: str) -> None:
        text = self.text[:start] + replacement + self.text[end:]
        try:
            self._doc = YamlText(text)
        except yaml.YAMLError as exc:
            raise UnsupportedLayout(f"an edit would make the file unreadable: {exc}") from None

    def _require(self, path: FieldPath):  # noqa: ANN202 - a Located
        found = self._doc.find(path)
        if found is None:
            raise KeyError(path)
        return found

    def _is_block(self, path: FieldPath) -> bool:
        found = self._doc.find(path)
        return found is not None and not isinstance(found.node, yaml.ScalarNode) and not found.node.flow_style

    def _insert_key(self, path: FieldPath, value: Any) -> None:
        parent = self._doc.find(path[:-1])
        if parent is None:
            return self._insert_key(path[:-1], {path[-1]: value})
        mapping, key = parent.node, path[-1]
        if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style or not mapping.value:
            current = self.get(path[:-1])
            return self.set(path[:-1], {**(current if isinstance(current, dict) else {}), key: value})
        order = field_order(path[:-1])
        keys = [k.value for k, _v in mapping.value]
        before = [k for k in keys if k in order and key in order and order.index(k) < order.index(key)]
        column = mapping.value[0][0].start_mark.column
        entry = self._emitter.entry(key, value)
        if key in order and not before:  # first in the model's order: before the first key, on its line
            first = mapping.value[0][0].start_mark.index
            return self._splice(first, first, indent(entry, column, first=False) + "\n" + " " * column)
        previous = before[-1] if before else keys[-1]
        key_node, value_node = mapping.value[keys.index(previous)]
        at = self._doc.line_end(self._doc.content_end(value_node))
        newline = "" if self.text[at - 1:at] == "\n" else "\n"
        self._splice(at, at, newline + indent(entry, column) + "\n")

    def _replace_entry_value(self, found: Any, value: Any) -> None:
        doc, node = self._doc, found.node
        colon = doc.colon_after(found.key)
        if not isinstance(node, yaml.ScalarNode) and node.flow_style and isinstance(value, list | tuple) and value \
                and all(not isinstance(item, dict | list | tuple) for item in value):
            return self._splice(node.start_mark.index, node.end_mark.index, self._emitter.value(value, flow=True))
        written = self._emitter.value(value)
        if isinstance(node, yaml.ScalarNode) or node.flow_style:  # a value on the key's line: keep its comment there
            end = doc.content_end(node)
            rest = self.text[end:doc.line_end(end)].rstrip("\n")
            comment = rest if rest.strip().startswith("#") else ""
            end = end + len(rest) if comment else end
        else:  # a block: its lines go, with the comments indented deeper than the key (they were about it)
            end, comment = doc.entry_end(found.key, node), ""
            end -= self.text[end - 1:end] == "\n"
        column = found.key.start_mark.column
        if written in ("[]", "{}") or "\n" not in written and not isinstance(value, dict | list | tuple):
            replacement = " " + indent(written, column, first=False) + comment
        else:
            block = self._emitter.entry("k", value).split("\n", 1)[1]
            replacement = comment + "\n" + indent(block, column)
        self._splice(colon, end, replacement)

    def _cut(self, path: FieldPath) -> tuple[str, int, Any]:
        """Remove a block list's item; its lines (from the dash's line), the dash's column and its value."""
        found = self._require(path)
        value = self.get(path)
        if found.key is not None or found.parent.flow_style:
            self.delete(path)
            return self._emitter.item(value), 0, value
        start, end = self._doc.item_block(found.node)
        block = self._block_from(start, end, found.node)
        column = self._doc.column(self._doc.dash(found.node))
        self.delete(path)
        return block, column, value

    def _block_from(self, start: int, end: int, node: yaml.Node) -> str:
        return self.text[start:end].rstrip("\n")

    def _insert_block(self, list_path: FieldPath, index: int, block: str, column: int, value: Any) -> None:
        """Insert an item's lines (whose dash is at ``column``) into the list at ``list_path``, before ``index``."""
        found = self._doc.find(list_path)
        if found is None or isinstance(found.node, yaml.ScalarNode) and found.node.value == "":
            return self.set(list_path, [value])
        seq = found.node
        if not isinstance(seq, yaml.SequenceNode):
            raise UnsupportedLayout(f"{list_path}: not a list")
        if seq.flow_style and seq.value or found.key is None and not seq.value:
            items = list(self.get(list_path))
            return self.set(list_path, [*items[:index], value, *items[index:]])
        doc = self._doc
        if not seq.value:  # "key: []" (its comment stays on the key's line)
            key_column = found.key.start_mark.column
            target = key_column + self._emitter_layout().offset
            rest = self.text[seq.end_mark.index:doc.line_end(seq.end_mark.index)].rstrip("\n")
            comment = rest if rest.strip().startswith("#") else ""
            end = seq.end_mark.index + (len(rest) if comment else 0)
            return self._splice(doc.colon_after(found.key), end, comment + "\n" + shift(block, target - column))
        target = doc.column(doc.dash(seq.value[0]))
        moved = shift(block, target - column)
        separator = doc.separator(seq)
        if index < len(seq.value):
            at = doc.item_block(seq.value[index])[0]
            return self._splice(at, at, moved + "\n" + separator)
        at = doc.item_block(seq.value[-1])[1]
        newline = "" if self.text[at - 1:at] == "\n" else "\n"
        self._splice(at, at, newline + separator + moved + "\n")

    def _emitter_layout(self) -> Layout:
        return Layout(*self._doc.layout())


