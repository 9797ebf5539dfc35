"""Colour arithmetic shared by the checks and the web edition: WCAG luminance and contrast.

Colours are ``#rrggbb`` strings, as validated in the manifests.
"""

from __future__ import annotations

import colorsys


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour (0 black, 1 white)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of a #RRGGBB colour against white paper."""
    return contrast(colour, "#ffffff")


def lightened_for(colour: str, background: str, minimum: float = 4.5) -> str:
    """``colour`` mixed with white, as little as needed, to reach ``minimum`` contrast on a dark ``background``.

    Dark mode keeps the publication's hues while staying readable.
    """
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(21):
        share = step / 20
        mixed = "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in channels)
        if contrast(mixed, background) >= minimum:
            return mixed
    return "#ffffff"


# ---- Theme palettes ----
# A theme's colour carries white text (its band) and marks its cards, its sommaire entry and its rule on
# the cover. The palette is publication.yaml's colours, then as many more as a numéro has themes, each
# chosen by one rule: white text on it at 4.5:1 or more, lightness alternating with its neighbour's
# (1.5:1 or more between consecutive themes, so that they differ by more than hue), and the hue furthest
# from the palette's colours of the same lightness (then from all of them).
WHITE_TEXT = 4.5
NEIGHBOUR_CONTRAST = 1.5
_LIGHT, _DARK = 0.15, 0.06  # target luminances: white text at 5.2:1 and 10:1; as text on the cards' tint, 4.8:1
_SATURATION = 0.6


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{round(channel * 255):02x}" for channel in (red, green, blue))


def _hue(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return colorsys.rgb_to_hls(*channels)[0] * 360


def _at_luminance(hue: float, target: float) -> str:
    """The colour of ``hue`` (degrees) at HLS saturation 0.6 whose luminance is closest to ``target``."""
    low, high = 0.0, 1.0
    for _ in range(20):
        middle = (low + high) / 2
        if luminance(_hex(*colorsys.hls_to_rgb(hue / 360, middle, _SATURATION))) < target:
            low = middle
        else:
            high = middle
    return _hex(*colorsys.hls_to_rgb(hue / 360, low, _SATURATION))


def _hue_distance(first: float, second: float) -> float:
    return min(abs(first - second), 360 - abs(first - second))


def theme_palette(given: list[str], count: int) -> list[str]:
    """``count`` theme colours: ``given`` first, then colours made by the rule above (deterministic)."""
    palette = list(given[:count])
    while len(palette) < count:
        previous = palette[-1] if palette else None
        light = previous is None or luminance(previous) <= (_LIGHT + _DARK) / 2
        hues = [_hue(colour) for colour in palette]
        alike = [_hue(colour) for colour in palette if (luminance(colour) > (_LIGHT + _DARK) / 2) == light]
        best = max(range(0, 360, 5), key=lambda hue, alike=alike, hues=hues: (
            min((_hue_distance(hue, h) for h in alike), default=180),
            min((_hue_distance(hue, h) for h in hues), default=180), -hue))
        palette.append(_at_luminance(best, _LIGHT if light else _DARK))
    return palette


def cover_rule(colour: str, accent: str) -> str:
    """A theme's colour, lightened as little as needed to stand out at 3:1 on the cover's ``accent`` (graphics)."""
    return lightened_for(colour, accent, 3.0)
