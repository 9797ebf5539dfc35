"""YAML read with lines: every value keeps the file and line it was written on.

YAML is composed to nodes first (with libyaml's composer when PyYAML has it), then built into
plain data while a map from field paths to ``(file as shown, line)`` is filled; problems are
collected, never raised, so that every problem of a file is reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

Location = tuple[str, int]  # (file as shown, line)
FieldPath = tuple[Any, ...]  # a field's place: ("practices", 0, "initiatives", 2, "image")


@dataclass
class Document:
    """A YAML file's data and, for every field path, where it was written."""

    data: Any
    lines: dict[FieldPath, Location] = field(default_factory=dict)


# The C composer (when PyYAML has it) keeps line marks and is several times faster.
_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# One constructor for scalars: YAML's own types (int, date, bool…), as safe_load gives them.
_SCALARS = yaml.SafeLoader("")


def compose(path: Path, shown: str, problems: list[Problem]) -> Document:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, 0, "", f"not UTF-8 text ({exc.reason}): save the file as UTF-8"))
        return Document(None)
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        what = exc.problem or exc.context or "invalid YAML"
        hint = "check this line's indentation and the line before; quote text that contains ': ' or starts with a symbol"
        problems.append(Problem(shown, line, "", f"YAML syntax error: {what} ({hint})"))
        return Document(None)
    if node is None:
        return Document({}, {(): (shown, 1)})
    doc = Document(None)
    doc.data = _construct(node, (), shown, doc.lines, problems)
    return doc


def _construct(node: yaml.Node, path: FieldPath, shown: str, lines: dict, problems: list[Problem]) -> Any:
    lines.setdefault(path, (shown, node.start_mark.line + 1))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _SCALARS.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str | int):
                problems.append(
                    Problem(shown, key_node.start_mark.line + 1, dotted(path), "a key must be a plain name")
                )
                continue
            if key in result:
                problems.append(
                    Problem(shown, key_node.start_mark.line + 1, dotted((*path, key)), "given twice: keep one")
                )
                continue
            lines[(*path, key)] = (shown, key_node.start_mark.line + 1)
            result[key] = _construct(value_node, (*path, key), shown, lines, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), shown, lines, problems) for i, item in enumerate(node.value)]
    try:
        return _SCALARS.construct_object(node, deep=True)
    except (yaml.constructor.ConstructorError, ValueError):
        # e.g. 2020-13-03 looks like a timestamp but is none: the model says what is wrong.
        return node.value


def dotted(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def locate(lines: dict[FieldPath, Location], path: FieldPath, fallback: Location) -> Location:
    """Where ``path`` was written, or its nearest written parent (a missing field: its mapping)."""
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, fallback)


def sub_lines(lines: dict[FieldPath, Location], key: Any) -> dict[FieldPath, Location]:
    """The lines below ``key``, relative to it."""
    return {path[1:]: where for path, where in lines.items() if path[:1] == (key,)}


def merge(base: Document, override: Document) -> Document:
    """Deep-merge ``override`` over ``base``; the lines follow whichever value wins."""
    if not isinstance(base.data, dict) or not isinstance(override.data, dict):
        return override if override.data is not None else base
    data = dict(base.data)
    lines = dict(base.lines)
    for key, value in override.data.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            merged = merge(Document(data[key], sub_lines(lines, key)), Document(value, sub_lines(override.lines, key)))
        else:
            merged = Document(value, sub_lines(override.lines, key))
        data[key] = merged.data
        lines = {path: where for path, where in lines.items() if path[:1] != (key,)}
        lines.update({(key, *path): where for path, where in merged.lines.items()})
    return Document(data, lines)
