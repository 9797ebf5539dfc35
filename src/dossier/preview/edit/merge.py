"""Three-way merge of lines: a save from the editing view and a change made on disk meanwhile.

``merge(base, ours, theirs)`` keeps both sides' changes when they touch different lines of
``base`` (a change next to another counts as touching it: the result must not depend on
which side's line comes first), and returns None when they overlap; then nothing is merged
and the caller shows both versions. Identical changes on both sides are taken once.
"""

from __future__ import annotations

import difflib

Hunk = tuple[int, int, list[str]]  # base lines [start, end) replaced by these lines


def _hunks(base: list[str], other: list[str]) -> list[Hunk]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def merge(base: str, ours: str, theirs: str) -> str | None:
    """The text with both sides' changes, or None when they touch the same (or adjacent) lines."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    base_lines = base.splitlines(keepends=True)
    our_hunks = _hunks(base_lines, ours.splitlines(keepends=True))
    their_hunks = _hunks(base_lines, theirs.splitlines(keepends=True))
    hunks: list[Hunk] = []
    for hunk in our_hunks:
        if hunk in their_hunks:
            continue  # the same change on both sides
        if any(_touch(hunk, other) for other in their_hunks if other not in our_hunks):
            return None
        hunks.append(hunk)
    hunks += their_hunks
    result, at = [], 0
    for start, end, lines in sorted(hunks, key=lambda h: (h[0], h[1])):
        result += base_lines[at:start] + lines
        at = end
    return "".join(result + base_lines[at:])


def _touch(one: Hunk, other: Hunk) -> bool:
    # Overlapping or adjacent ranges of base lines (an insertion is an empty range at its place).
    return one[0] <= other[1] and other[0] <= one[1]
