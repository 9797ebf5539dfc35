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
from ..i18n import _, integer
from .characters import character_problem
from .yamlhints import hash_comment_problem, syntax_problem

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


# Bounds on what a file may expand to: aliases can make a few hundred bytes stand for
# billions of values ("billion laughs"). A real numéro has a few thousand values at most.
MAX_VALUES = 20_000
MAX_DEPTH = 40


class _TooLarge(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message


def compose(path: Path, shown: str, problems: list[Problem]) -> Document:
    """Read a YAML file with the line of every value; problems are appended, never raised."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, 0, "", _("not UTF-8 text ({reason}): save the file as UTF-8").format(reason=exc.reason)))
        return Document(None)
    # YAML forbids most of these in a file (PyYAML would report them without a line); values are checked below.
    if bad := character_problem(text):
        offset, message = bad
        problems.append(Problem(shown, text.count("\n", 0, offset) + 1, "", message))
        return Document(None)
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.MarkedYAMLError as exc:
        if "invalid Unicode character escape" in (exc.problem or ""):  # "\uD800": half of a surrogate pair
            mark = exc.problem_mark or exc.context_mark
            problems.append(Problem(shown, mark.line + 1 if mark else 0, "", _(
                "a \\u escape that is not a character (half of a surrogate pair): delete it, or write the character "
                "itself")))
            return Document(None)
        line, message = syntax_problem(exc, text)
        problems.append(Problem(shown, line, "", message))
        return Document(None)
    except yaml.YAMLError as exc:  # e.g. a character PyYAML's reader refuses
        problems.append(Problem(shown, 0, "", _("not readable as YAML: {error}").format(error=" ".join(str(exc).split()))))
        return Document(None)
    if node is None:
        return Document({}, {(): (shown, 1)})
    doc = Document(None)
    builder = _Builder(shown, doc.lines, problems, text.split("\n"))
    try:
        doc.data = builder.construct(node, (), 0)
    except _TooLarge as exc:
        problems.append(Problem(shown, exc.line, "", exc.message))
        return Document(None)
    return doc


class _Builder:
    """Turns composed nodes into data, counting values so that aliases cannot blow up."""

    def __init__(self, shown: str, lines: dict[FieldPath, Location], problems: list[Problem],
                 source: list[str] | None = None) -> None:
        self.shown, self.lines, self.problems, self.source = shown, lines, problems, source or []
        self.values = 0

    def construct(self, node: yaml.Node, path: FieldPath, depth: int) -> Any:
        line = node.start_mark.line + 1
        self.values += 1
        if self.values > MAX_VALUES:
            # An alias's node is where its anchor was written: name the top-level field being read.
            line = self.lines.get(path[:1], (self.shown, line))[1]
            raise _TooLarge(line, _("too many repeated aliases: the file stands for over {count} values; write the "
                                    "values out instead of repeating anchors (&) and aliases (*)").format(
                count=integer(MAX_VALUES)))
        if depth > MAX_DEPTH:
            line = self.lines.get(path[:1], (self.shown, line))[1]
            raise _TooLarge(line, _("nested more than {depth} levels deep (an alias inside its own anchor?): "
                                    "write the values out instead").format(depth=MAX_DEPTH))
        self.lines.setdefault(path, (self.shown, line))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.construct(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        self._check_characters(node, path)
        try:
            return _SCALARS.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError):
            # e.g. 2020-13-03 looks like a timestamp but is none: the model says what is wrong.
            return node.value

    def _check_characters(self, node: yaml.Node, path: FieldPath) -> None:
        """A scalar written with escapes ("\\uFFFE", "\\x7F") holds characters the file's text did not show."""
        if isinstance(node, yaml.ScalarNode) and node.style == '"' and (bad := character_problem(node.value)):
            self.problems.append(Problem(self.shown, node.start_mark.line + 1, _in_words(path), bad[1], path=path))

    def _mapping(self, node: yaml.MappingNode, path: FieldPath, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(Problem(self.shown, line, _in_words(path),
                                             _("merge keys (<<) are not supported: write the fields out")))
                continue
            self._check_characters(key_node, path)
            try:
                key = _SCALARS.construct_object(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            except (yaml.constructor.ConstructorError, ValueError):
                key = None
            if not isinstance(key, str | int) or isinstance(key, bool):
                self.problems.append(Problem(self.shown, line, _in_words(path), _("a key must be a plain name")))
                continue
            if key in result:
                self.problems.append(Problem(self.shown, line, _in_words((*path, key)), _("given twice: keep one"),
                                             path=(*path, key)))
                continue
            self.lines[(*path, key)] = (self.shown, line)
            result[key] = self.construct(value_node, (*path, key), depth + 1)
            plain = isinstance(value_node, yaml.ScalarNode) and not value_node.style and line <= len(self.source)
            if plain and (lost := hash_comment_problem(self.source[line - 1], str(key), result[key])):
                self.problems.append(Problem(self.shown, line, _in_words((*path, key)), lost, path=(*path, key)))
        return result


def _in_words(path: FieldPath) -> str:
    from .where import in_words  # where.py reads the model, which is built on this module

    return in_words(path)


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
