"""Colour arithmetic shared by the checks and the web edition: WCAG luminance and contrast.

Colours are ``#rrggbb`` strings, as validated in the manifests.
"""

from __future__ import annotations


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
