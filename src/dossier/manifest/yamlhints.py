"""What a YAML mistake means for someone who writes French text, not YAML: the line and what to do.

PyYAML says « mapping values are not allowed in this context » both for ``title: Festival : la
musique`` (a French « : » in a text) and for a key indented one space too far; here the line
itself tells them apart, and the advice shows the line as it should be written. A ``#`` that
follows a space starts a comment: ``colour: #2e7d32`` leaves the colour empty and ``title:
La campagne #MATOURNÉE`` cuts the title short, silently; ``hash_comment_problem`` says so.
"""

from __future__ import annotations

import re

import yaml

from ..i18n import _

# "key: value" at the start of a line (after a list's dash): the key and the text after it.
_ENTRY = re.compile(r"^\s*(?:-\s+)?([^\s:#\"'][^:#]*?):\s+(.*?)\s*$")
# A value left empty or cut short by a "#" glued to what follows (a colour, a hashtag), not "# a comment".
_GLUED_HASH = re.compile(r"\s#\S")


def syntax_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """(line, message) for a YAML syntax error, in the catalog's language."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 0
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    problem = exc.problem or ""
    # A quote left open runs on over the following lines, and YAML stumbles further down.
    if problem.startswith(("did not find expected", "expected <block end>", "mapping values")) and \
            (opened := _unclosed_quote(lines, line)):
        return opened, _("a quoted text is not closed: add its closing quote mark")
    if problem.startswith("mapping values are not allowed") and mark is not None:
        entry = _ENTRY.match(source[:mark.column]) if ":" in source[:mark.column].lstrip("- ") else None
        if entry:
            key, value = entry[1].strip(), source[source.index(":", len(source) - len(source.lstrip())) + 1:].strip()
            return line, _("the text contains “: ”, which YAML takes for a new field: put the text in quotes, "
                           "as in {example}").format(example=f"`{key}: {_quoted(value)}`")
        return line, _("this line is not indented like the lines around it: line up its field with the others "
                       "(spaces only)")
    if "cannot start any token" in problem and "\t" in source:
        return line, _("a tab in the indentation: indent with spaces only")
    if problem == "found undefined alias" or "cannot start any token" in problem:
        return line, _("a text starts with a symbol (*, &, !, %, @ or `) that YAML reads as an instruction: "
                       "put the text in quotes")
    if "while scanning a quoted scalar" in (exc.context or "") and exc.context_mark is not None:
        return exc.context_mark.line + 1, _("a quoted text is not closed: add its closing quote mark")
    if "flow" in (exc.context or ""):
        return line, _("a list or mapping in [ ] or { } is not closed, or a text in it has a comma: close it and put "
                       "texts that contain commas in quotes")
    if problem.startswith(("did not find expected", "expected <block end>")):
        return line, _("this line is not indented like the lines around it: line up its field with the others, "
                       "and list entries under their field with “- ” (spaces only)")
    # PyYAML's own words (problem) are English: they stay so, inside a translated sentence.
    what = problem or exc.context or _("invalid YAML")
    return line, _("YAML syntax error: {what} (check this line's indentation and the line before; put in quotes "
                   "a text that contains “: ” or starts with a symbol)").format(what=what)


def hash_comment_problem(line_text: str, key: str, value: object) -> str | None:
    """Why a field's value was lost to a ``#`` read as a comment, or None."""
    colon = line_text.find(":")
    after = line_text[colon + 1:] if colon >= 0 else ""
    glued = _GLUED_HASH.search(after)
    if glued is None:
        return None
    written = after.strip()
    if value is None:
        return _("left empty: in YAML a # after a space starts a comment; if the # is part of the value, "
                 "put the value in quotes: {example}").format(example=f"`{key}: {_quoted(written)}`")
    if isinstance(value, str) and after.strip().startswith(value):
        return _("cut short at the #: in YAML a # after a space starts a comment; if the # is part of the text, "
                 "put the text in quotes: {example}").format(example=f"`{key}: {_quoted(written)}`")
    return None


_OPENS_QUOTE = re.compile(r'^\s*(?:-\s+)?[^\s:#"\'][^:#]*:\s+"(.*)$')


def _unclosed_quote(lines: list[str], before: int) -> int | None:
    """The line (from 1) of a double-quoted value opened and not closed on its line, before line ``before``."""
    for number, text in enumerate(lines[:max(before - 1, 0)], 1):
        if (opened := _OPENS_QUOTE.match(text)) and len(re.findall(r'(?<!\\)"', opened[1])) % 2 == 0:
            return number
    return None


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
