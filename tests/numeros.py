"""A generator of numéros for property-based tests: any shape an editor can write, fictional text.

``numero_specs()`` is a Hypothesis strategy of ``NumeroSpec``; ``write_numero(root, spec)``
writes it as issues/NN/issue.yaml (with its images) into a copy of the project. The text is
made of French-looking words from a fixed list, never real facts.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import yaml
from hypothesis import strategies as st
from PIL import Image

WORDS = tuple(
    "territoire commune région projet habitants réseau acteurs économie tourisme culture solidarité "  # noqa: SIM905
    "accompagnement dispositif plateforme numérique entreprises commerçants associations jeunesse "
    "mobilité attractivité coopération relance soutien service public initiative local durable "
    "événement festival marché emploi formation innovation quartier village métropole ensemble".split()
)
ENGLISH_WORDS = tuple(
    "town region project people network economy tourism culture community support service public "  # noqa: SIM905
    "initiative local event festival market jobs training innovation village city together harbour".split()
)
LONG_CARD_CHARS = 900  # above this a card takes the full width (dossier.press.render.WIDE_CARD_CHARS)


@dataclass(frozen=True)
class CardSpec:
    chars: int  # length of its text, one line to the long-card limit
    image: bool
    place: bool


@dataclass(frozen=True)
class NumeroSpec:
    themes: tuple[tuple[CardSpec, ...], ...]  # 1 to 8 themes of 1 to 12 cards
    resources: int  # 0 to 16
    readings: tuple[int, ...]  # articles per reading theme, 0 to 40 in all
    seed: int
    edito: int = 700  # characters of the édito, 200 to 9000 (four pages' worth)
    subtitle: int = 32  # characters of the theme line, 10 to 200
    cover: str | None = None  # None (the themes listed), "portrait" or "landscape" photograph
    english: bool = False  # every third card and article in English (lang: en)
    back_pages: bool = True  # publication.yaml's pages (the Chaire's, the Master 2 insert), or none

    @property
    def cards(self) -> int:
        return sum(len(theme) for theme in self.themes)


cards = st.builds(CardSpec, chars=st.integers(40, LONG_CARD_CHARS), image=st.booleans(), place=st.booleans())
reading_themes = st.lists(st.integers(1, 10), max_size=6).filter(lambda counts: sum(counts) <= 40)


def numero_specs() -> st.SearchStrategy[NumeroSpec]:
    return st.builds(
        NumeroSpec,
        themes=st.lists(st.lists(cards, min_size=1, max_size=12).map(tuple), min_size=1, max_size=8).map(tuple),
        resources=st.integers(0, 16),
        readings=reading_themes.map(tuple),
        seed=st.integers(0, 2**16),
        edito=st.integers(200, 9000),
        subtitle=st.integers(10, 200),
        cover=st.sampled_from([None, "portrait", "landscape"]),
        english=st.booleans(),
    )


def _text(rng: random.Random, chars: int, words: tuple[str, ...] = WORDS) -> str:
    chosen: list[str] = []
    while sum(len(w) + 1 for w in chosen) < chars:
        chosen.append(rng.choice(words))
    text = " ".join(chosen)[:chars].rstrip()
    return text[0].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, chars: int) -> str:
    """About ``chars`` characters in paragraphs of 300 to 900."""
    paragraphs = []
    while chars > 0:
        length = min(chars, rng.randint(300, 900))
        paragraphs.append(_text(rng, max(length, 40)))
        chars -= length
    return "\n\n".join(paragraphs)


def _photo(rng: random.Random, size: tuple[int, int] = (900, 600)) -> bytes:
    """A photograph-like JPEG: a gradient, so that a crop shows (a flat colour would not)."""
    out = io.BytesIO()
    top, bottom = (tuple(rng.randrange(40, 200) for _ in range(3)) for _ in range(2))
    image = Image.linear_gradient("L").resize(size)
    Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), image).save(out, "JPEG", quality=70)
    return out.getvalue()


def manifest(spec: NumeroSpec, number: int = 9) -> tuple[dict, dict[str, bytes]]:
    """The manifest's data and its images (file name → bytes)."""
    rng = random.Random(spec.seed)
    images: dict[str, bytes] = {}
    practices = []
    for t, theme in enumerate(spec.themes, start=1):
        initiatives = []
        for c, card in enumerate(theme, start=1):
            english = spec.english and c % 3 == 0
            words = ENGLISH_WORDS if english else WORDS
            entry = {"title": _text(rng, rng.randint(15, 80), words).rstrip("."), "porteurs": [f"Commune d'Essai {t}-{c}"],
                     "text": _text(rng, card.chars, words)}
            if english:
                entry = {"lang": "en"} | entry
            if card.place:
                entry["place"] = f"Ville-Exemple {c}"
            if (t + c) % 2:
                entry["url"] = f"https://example.org/essai-{t}-{c}"
            if card.image:
                name = f"photo-{t}-{c}.jpg"
                images[name] = _photo(rng)
                entry |= {"image": name, "alt": "Une photo d'essai"}
            initiatives.append(entry)
        practices.append({"theme": f"Thème d'essai {t}", "initiatives": initiatives})
    data = {
        "number": number,
        "subtitle": _text(rng, spec.subtitle).rstrip("."),
        "date": "2024-03-01",
        "edito": _paragraphs(rng, spec.edito),
    }
    if spec.cover:
        images["couverture.jpg"] = _photo(rng, (600, 900) if spec.cover == "portrait" else (900, 600))
        data |= {"cover_image": "couverture.jpg", "cover_alt": "Une photo d'essai", "cover_credit": "Photo : Essai"}
    data |= {
        "practices": practices,
        "resources": [{"organisation": f"Organisme {r}", "title": _text(rng, rng.randint(20, 120)).rstrip(".")}
                      for r in range(1, spec.resources + 1)],
        "readings": [{"theme": f"Lectures {t}", "articles": [_article(rng, spec, t, a) for a in range(1, count + 1)]}
                     for t, count in enumerate(spec.readings, start=1)],
    }
    if not spec.back_pages:
        data["pages"] = []
    return data, images


def _article(rng: random.Random, spec: NumeroSpec, theme: int, number: int) -> dict:
    english = spec.english and number % 3 == 0
    article = {"source": f"Revue {theme}-{number}",
               "title": _text(rng, rng.randint(20, 140), ENGLISH_WORDS if english else WORDS).rstrip("."),
               "date": "2024-03-01"}
    return {"lang": "en"} | article if english else article


def write_numero(root: Path, spec: NumeroSpec, number: int = 9) -> Path:
    """Write the numéro into ``root``/issues/NN/ and return its manifest."""
    data, images = manifest(spec, number)
    folder = root / "issues" / f"{number:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in images.items():
        (folder / name).write_bytes(content)
    path = folder / "issue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    return path
