"""Checks that need the printed pages: image resolution where each image is printed, cards taller than a page.

Printed sizes come from the real layout (``pdf.measure_layout``); which field names an image
comes from ``Issue.images()``, so back pages and the publisher's logo are checked like cards.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..i18n import _
from ..manifest import FieldPath, Issue
from ..project import Project

if TYPE_CHECKING:
    from ..press.pdf import Layout
from ..press import measure_draft, render_draft

MIN_DPI = 150


def layout_findings(project: Project, issue: Issue) -> Iterator[tuple[FieldPath, str]]:
    """Low-resolution images and cards too long for a page, from one layout of the numéro."""
    layout = measure_draft(project, render_draft(project, issue))
    yield from _low_resolution(issue, layout)
    yield from _long_cards(layout)


def _low_resolution(issue: Issue, layout: Layout) -> Iterator[tuple[FieldPath, str]]:
    fields: dict[str, list[FieldPath]] = {}
    for image in issue.images():
        fields.setdefault(image.path, []).append(image.field)
    reported: set[str] = set()
    for printed in layout.images:
        if printed.source in reported:
            continue
        dpi = printed_dpi(printed.pixels, printed.size, printed.fit)
        if dpi >= MIN_DPI:
            continue
        reported.add(printed.source)
        width_mm, height_mm = (side / 96 * 25.4 for side in printed.size)
        message = _("{image}: {width}×{height} px print at {dpi} dpi ({width_mm}×{height_mm} mm): under {minimum} dpi, "
                    "it will look blurred; use a larger image").format(
            image=printed.source.rsplit("/", 1)[-1], width=printed.pixels[0], height=printed.pixels[1], dpi=f"{dpi:.0f}",
            width_mm=f"{width_mm:.0f}", height_mm=f"{height_mm:.0f}", minimum=MIN_DPI)
        for field in fields.get(printed.source, []):
            yield field, message


def _long_cards(layout: Layout) -> Iterator[tuple[FieldPath, str]]:
    pages: dict[str, set[int]] = {}
    heights: dict[str, float] = {}
    for element in layout.elements:
        if element.tag == "article" and "card" in element.classes:
            pages.setdefault(element.id, set()).add(element.page)
            heights[element.id] = heights.get(element.id, 0) + element.height
    for card_id, card_pages in pages.items():
        # Only a card taller than a page is at fault; cards beside it may be pushed apart too.
        if len(card_pages) > 1 and heights[card_id] > layout.page_height:
            theme, number = (int(n) - 1 for n in card_id.removeprefix("initiative-").split("-"))
            yield (
                ("practices", theme, "initiatives", number, "text"),
                _("card too long to fit on one page (printed on pages {first}–{last}): shorten the text").format(
                    first=min(card_pages), last=max(card_pages)),
            )


def printed_dpi(pixels: tuple[int, int], size_px: tuple[float, float], fit: str) -> float:
    """Resolution of an image printed in a box of ``size_px`` CSS pixels (96 per inch)."""
    scale_x, scale_y = size_px[0] / pixels[0], size_px[1] / pixels[1]
    # object-fit: cover scales to fill the box (the larger scale), contain to fit in it.
    scale = max(scale_x, scale_y) if fit == "cover" else min(scale_x, scale_y) if fit == "contain" else scale_x
    return 96 / scale
