"""Pyphen's hyphenation patterns, kept parsed in ``.dossier/hyphenation/`` between prints.

WeasyPrint hyphenates each language with Pyphen, which parses the language's patterns the
first time a process asks: 57 ms for English, 12 ms for French, in every build. Parsed once,
they load from a ``marshal`` file in 5 and 2 ms.

Invariants: a cache file is named by Pyphen's version and the SHA-256 of the dictionary it was made
from, so a new Pyphen never reads an old parse; a file that does not hold exactly what Pyphen built
(damaged, truncated, written by someone else) is ignored and replaced, never trusted; a
folder that cannot be written only means parsing again. ``marshal`` builds data, it runs
nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import re
from pathlib import Path

import pyphen

from ...files import OutputError, write_atomically
from .typesetting import typesetter

# The languages a draft's text is in: its root's and every element's lang attribute.
_LANG_ATTRIBUTE = re.compile(r'\blang="([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)"')

CACHE = ".dossier/hyphenation"

Patterns = dict[str, tuple[int, tuple[int, ...]]]


def load_patterns(html: str, cache: Path) -> None:
    """Give Pyphen the parsed patterns of every language the draft names, from ``cache`` when there."""
    for language in sorted(set(_LANG_ATTRIBUTE.findall(html))):
        name = pyphen.language_fallback(language.replace("-", "_"))
        if name is None:
            continue
        path = pyphen.LANGUAGES[name]
        if path not in pyphen.hdcache:
            pyphen.hdcache[path] = typesetter(_load(Path(path), cache))


def _load(dictionary: Path, cache: Path) -> pyphen.HyphDict:
    data = dictionary.read_bytes()
    # Named by Pyphen's version as well as the dictionary: a Pyphen that parses differently never reads our parse.
    version = re.sub(r"[^0-9A-Za-z.]", "_", getattr(pyphen, "__version__", "unknown"))
    cached = cache / f"pyphen-{version}-{hashlib.sha256(data).hexdigest()[:32]}.marshal"
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        patterns, maxlen = marshal.loads(cached.read_bytes())
        if _well_formed(patterns, maxlen):
            return _hyph_dict(patterns, maxlen)
    parsed = pyphen.HyphDict(dictionary)
    if _well_formed(parsed.patterns, parsed.maxlen):  # plain numbers: not a dictionary with alternatives
        with contextlib.suppress(OSError, OutputError):
            write_atomically(cached, marshal.dumps((parsed.patterns, parsed.maxlen)))
    return parsed


def _well_formed(patterns: object, maxlen: object) -> bool:
    return (
        type(patterns) is dict and type(maxlen) is int and bool(patterns)
        and all(
            type(key) is str and type(value) is tuple and len(value) == 2 and type(value[0]) is int
            and type(value[1]) is tuple and all(type(number) is int for number in value[1])
            for key, value in patterns.items()
        )
    )


def _hyph_dict(patterns: Patterns, maxlen: int) -> pyphen.HyphDict:
    # What HyphDict.__init__ leaves once it has parsed the file.
    hyph_dict = pyphen.HyphDict.__new__(pyphen.HyphDict)
    hyph_dict.patterns, hyph_dict.cache, hyph_dict.maxlen = patterns, {}, maxlen
    return hyph_dict
