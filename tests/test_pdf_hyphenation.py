"""pdf/hyphenation.py: Pyphen's patterns, parsed once, hyphenate as freshly parsed ones; a bad cache is not trusted."""

from __future__ import annotations

import marshal
from pathlib import Path

import pyphen
import pytest

from dossier.press.pdf.hyphenation import load_patterns

DRAFT = '<html lang="fr"><body><p>Attractivité</p><p lang="en">Development</p><p lang="xx-YY">?</p></body></html>'
WORDS = {"fr": ["attractivité", "territoriale", "développement"], "en": ["development", "communication", "hyphenation"]}


@pytest.fixture
def fresh_pyphen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pyphen, "hdcache", {})


def _positions(language: str) -> list[list[int]]:
    dictionary = pyphen.Pyphen(lang=language)
    return [dictionary.positions(word) for word in WORDS[language]]


def _expected(language: str) -> list[list[int]]:
    dictionary = pyphen.Pyphen(lang=language, cache=False)  # parsed from the dictionary itself
    return [dictionary.positions(word) for word in WORDS[language]]


def test_patterns_are_parsed_once_then_loaded_and_hyphenate_the_same(fresh_pyphen: None, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / ".dossier" / "hyphenation"
    load_patterns(DRAFT, cache)
    assert len(list(cache.glob("*.marshal"))) == 2  # French and English; no dictionary for xx-YY
    pyphen.hdcache.clear()
    with monkeypatch.context() as patched:
        patched.setattr(pyphen.HyphDict, "__init__", lambda *args: pytest.fail("parsed again"))
        load_patterns(DRAFT, cache)
    loaded = {str(path) for path in pyphen.hdcache}
    assert loaded == {str(pyphen.LANGUAGES[pyphen.language_fallback(language)]) for language in ("fr", "en")}
    for language in ("fr", "en"):
        assert _positions(language) == _expected(language)
        assert any(_positions(language))


@pytest.mark.parametrize("content", [
    b"",
    b"not marshal at all",
    marshal.dumps(({"ab": (0, (1,))}, 2))[:-3],  # cut short
    marshal.dumps(({"ab": (0, ("1",))}, 2)),  # a number that is text
    marshal.dumps((["ab"], 2)),
    marshal.dumps(({}, 2)),
])
def test_a_damaged_cache_file_is_ignored_and_replaced(fresh_pyphen: None, tmp_path: Path, content: bytes) -> None:
    cache = tmp_path / "hyphenation"
    load_patterns('<p lang="fr">x</p>', cache)
    (written,) = cache.glob("*.marshal")
    written.write_bytes(content)
    pyphen.hdcache.clear()
    load_patterns('<p lang="fr">x</p>', cache)
    assert _positions("fr") == _expected("fr")
    patterns, _maxlen = marshal.loads(written.read_bytes())  # parsed again and written whole
    assert len(patterns) > 1000


def test_a_folder_that_cannot_be_made_only_means_parsing(fresh_pyphen: None, tmp_path: Path) -> None:
    in_the_way = tmp_path / "hyphenation"
    in_the_way.write_text("a file where the folder would be")
    load_patterns('<p lang="en">x</p>', in_the_way / "cache")
    assert _positions("en") == _expected("en")


def test_another_pyphen_never_reads_this_ones_parse(fresh_pyphen: None, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "hyphenation"
    load_patterns('<p lang="fr">x</p>', cache)
    (ours,) = cache.glob("*.marshal")
    assert f"pyphen-{pyphen.__version__}-" in ours.name
    pyphen.hdcache.clear()
    monkeypatch.setattr(pyphen, "__version__", "99.0")
    load_patterns('<p lang="fr">x</p>', cache)
    assert sorted(path.name for path in cache.glob("*.marshal")) == sorted([ours.name, ours.name.replace(
        f"pyphen-{pyphen_version(ours.name)}-", "pyphen-99.0-")])


def pyphen_version(name: str) -> str:
    return name.removeprefix("pyphen-").split("-", 1)[0]
