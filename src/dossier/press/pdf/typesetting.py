"""A typesetter's hyphenation, where CSS cannot say it: which words WeasyPrint may hyphenate.

WeasyPrint hyphenates through Pyphen's dictionaries (``pyphen.hdcache``); each dictionary is
wrapped here so that it never offers to split:

- a proper name (a word with a capital letter: San Francisco, Coachella, Aix-Marseille);
- a word under 7 letters (also ``hyphenate-limit-chars`` in the styles);
- a word the measured pass forbade.

WeasyPrint lacks ``hyphenate-limit-lines`` (at most two hyphenated line ends in a row) and
``hyphenate-limit-last`` (no paragraph ending on a word's tail alone). ``hyphenation_faults``
finds both on the laid-out lines; the layout is then done again with those words forbidden
(``layout.render_document``): a numéro without a fault is laid out once, and only the words at
fault lose their hyphenation.

Invariant: only hyphenation changes; the words, their order and the styles stay.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator

import pyphen
from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline

MIN_WORD = 7  # letters: a shorter word is never split
MAX_RUN = 2  # hyphenated line ends in a row
HYPHEN = "-"  # the styles' hyphenate-character
# Held while one of this package's wrappers of WeasyPrint is in place: two prints in two threads (the
# preview's, a check's) then take turns instead of undoing each other's wrappers.
WRAPPED = threading.RLock()


class TypesetterDictionary:
    """A Pyphen dictionary that keeps proper names, short words and forbidden words whole."""

    def __init__(self, dictionary: pyphen.HyphDict) -> None:
        self.dictionary = dictionary
        self.forbidden: set[str] = set()

    def positions(self, word: str) -> list:
        if len(word) < MIN_WORD or any(letter.isupper() for letter in word) or word.lower() in self.forbidden:
            return []
        return self.dictionary.positions(word)


def typesetter(dictionary: pyphen.HyphDict | TypesetterDictionary) -> TypesetterDictionary:
    return dictionary if isinstance(dictionary, TypesetterDictionary) else TypesetterDictionary(dictionary)


def forbid(words: Iterable[str]) -> None:
    """Keep these words whole in every loaded dictionary (the measured pass's corrections)."""
    words = {word.lower() for word in words}
    for dictionary in pyphen.hdcache.values():
        if isinstance(dictionary, TypesetterDictionary):
            dictionary.forbidden |= words


def forgive() -> None:
    """Forget the last print's corrections: a new document starts from the rules alone."""
    for dictionary in pyphen.hdcache.values():
        if isinstance(dictionary, TypesetterDictionary):
            dictionary.forbidden.clear()


def block_lines(box: boxes.Box) -> Iterator[list[str]]:
    """The texts of each block's lines, one list per block, in order (page furniture left out)."""
    if isinstance(box, boxes.MarginBox):
        return
    children = getattr(box, "children", ())
    lines = [child for child in children if isinstance(child, boxes.LineBox)]
    if lines:
        yield ["".join(text.text for text in _texts(line)) for line in lines]
    for child in children:
        if not isinstance(child, boxes.LineBox):
            yield from block_lines(child)


def _texts(box: boxes.Box) -> Iterator[boxes.TextBox]:
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def _hyphenated(line: str) -> bool:
    stripped = line.rstrip()
    return stripped.endswith(HYPHEN) and len(stripped) > 1 and stripped[-2].isalpha()


def _split_word(line: str, following: str) -> str:
    """The word cut at the end of ``line`` and ending at the start of ``following``."""
    head = line.rstrip().removesuffix(HYPHEN).split()[-1:] or [""]
    tail = following.split()[:1] or [""]
    word = head[0] + tail[0]
    word = word[max(word.rfind("’"), word.rfind("'")) + 1:]  # d’exportation: the dictionaries get exportation
    return "".join(character for character in word if character.isalpha() or character == "-")


def hyphenation_faults(document_pages: Iterable) -> set[str]:
    """Words to keep whole: each third (fifth…) hyphenated line end in a row, and a paragraph's lone tail."""
    faults: set[str] = set()
    for page in document_pages:
        for block in block_lines(page._page_box):
            for fault in _block_faults(block):
                faults.add(fault)
    return faults


def hyphen_runs(lines: list[str]) -> list[int]:
    """The lengths of the runs of line ends hyphenated in a word (not at a compound's own hyphen, say)."""
    runs, run = [], 0
    for index, line in enumerate(lines[:-1]):
        if _hyphenated(line) and _automatic(_split_word(line, lines[index + 1])):
            run += 1
        else:
            runs, run = runs + [run] if run else runs, 0
    return runs + [run] if run else runs


def _automatic(word: str) -> bool:
    """Whether the dictionaries could have split it: a compound's or a name's hyphen is the writer's."""
    return len(word) >= MIN_WORD and word.isalpha() and word.islower()


def _block_faults(lines: list[str]) -> Iterator[str]:
    run = 0
    for index, line in enumerate(lines[:-1]):
        word = _split_word(line, lines[index + 1]) if _hyphenated(line) else ""
        if word and _automatic(word):
            run += 1
            if run > MAX_RUN:
                yield word
                run = 0
        else:
            run = 0
    if len(lines) >= 2 and _hyphenated(lines[-2]) and len(lines[-1].split()) == 1:
        word = _split_word(lines[-2], lines[-1])
        if _automatic(word):
            yield word


@contextlib.contextmanager
def hyphenation_limits() -> Iterator[None]:
    """While laying out: no third hyphenated line end in a row, no paragraph's tail alone on its last line.

    WeasyPrint breaks a paragraph's lines one after the other, each call given the text left
    (``layout.inline.split_first_line``, private: there is no public hook; WeasyPrint is pinned and
    tests/test_pdf_typesetting.py fails if this stops acting). A line that would be a third
    hyphenated one in a row, or leave a single word's tail for the text's end, is broken again
    without hyphenation. The measured pass (``hyphenation_faults``) catches what this misses.
    """
    runs: dict[tuple[int, str, float], int] = {}  # the text left after a hyphenated line → its run

    def split(text, style, context, max_width, *rest, **options):  # noqa: ANN001, ANN202 - WeasyPrint's signature
        result = original(text, style, context, max_width, *rest, **options)
        if style["hyphens"] != "auto" or not _auto_hyphenated(text, result, style):
            return result
        run = runs.get((id(style), text, max_width), 0) + 1
        left = text.encode()[result[2]:].decode()
        if run > MAX_RUN or not any(character.isspace() for character in left.strip()):
            plain = style.copy()
            plain["hyphens"] = "manual"
            result = original(text, plain, context, max_width, *rest, **options)
            if not _auto_hyphenated(text, result, style):
                return result
        runs[(id(style), text.encode()[result[2]:].decode(), max_width)] = run
        return result

    with WRAPPED:
        original = inline.split_first_line
        inline.split_first_line = split
        try:
            yield
        finally:
            inline.split_first_line = original


def _auto_hyphenated(text: str, result: tuple, style: dict) -> bool:
    """Whether split_first_line's first line ends with a hyphen the text does not have there."""
    layout, length, resume_index = result[:3]
    if resume_index is None:
        return False
    character = style["hyphenate_character"]
    # The line's own length leaves the added hyphen out; the layout's text ends with it.
    added = layout.text.encode()[length:].decode(errors="ignore")
    return added == character and not text.encode()[length:].decode(errors="ignore").startswith(character)
