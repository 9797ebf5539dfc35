"""A palette for any number of themes (dossier.colours.theme_palette): distinct, readable, visible on the cover."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from dossier.colours import _hue, _hue_distance, contrast, contrast_on_white, cover_rule, theme_palette

REPO = Path(__file__).resolve().parent.parent
PUBLICATION = yaml.safe_load((REPO / "publication.yaml").read_text(encoding="utf-8"))["colours"]


def distinct(first: str, second: str) -> bool:
    """Told apart by hue (30° or more) or by lightness (1.5:1 or more)."""
    return _hue_distance(_hue(first), _hue(second)) >= 30 or contrast(first, second) >= 1.5


@pytest.mark.parametrize("given", [PUBLICATION["themes"], PUBLICATION["themes"][:1], []],
                         ids=["publication", "one colour", "none"])
@pytest.mark.parametrize("count", [1, 4, 5, 8, 12])
def test_every_theme_gets_a_readable_distinct_colour(given: list[str], count: int):
    palette = theme_palette(given, count)
    assert len(palette) == count
    assert palette[: len(given)] == given[:count]
    assert all(contrast_on_white(colour) >= 4.5 for colour in palette)  # white text on its band
    if not given:  # the rule's own colours are also text (place lines) on the cards' tint
        assert all(contrast(colour, "#f3f5f7") >= 4.5 for colour in palette)
    for first, second in itertools.pairwise(palette):
        assert contrast(first, second) >= 1.5, (first, second)  # neighbours differ in lightness too
    if count <= 8:
        for first, second in itertools.combinations(palette, 2):
            assert distinct(first, second), (first, second)
    assert theme_palette(given, count) == palette  # the same numéro, the same colours


def test_the_publications_colours_are_text_on_the_cards_tint():
    assert all(contrast(colour, "#f3f5f7") >= 4.5 for colour in theme_palette(PUBLICATION["themes"], 8))


def test_the_cover_rules_stand_out_on_the_accent():
    for colour in theme_palette(PUBLICATION["themes"], 8):
        assert contrast(cover_rule(colour, PUBLICATION["accent"]), PUBLICATION["accent"]) >= 3
