"""Editorial checks beyond validation: links, duplicates, alt texts, image resolution, card length.

Validation says whether a manifest can be printed; checks say what an editor should fix
before sending it: each finding is ``file:line: message``. Printed sizes come from the
real layout, so the dpi of an image is measured where it is printed.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from weasyprint.formatting_structure import boxes

from ..build import output_paths
from ..errors import Problem
from ..files import write_atomically
from ..manifest.load import FieldPath, load_issue_with_lines, locate
from ..manifest.model import Issue
from ..manifest.typography import markdown_links
from ..pdf import PROJECT_URL, lay_out
from ..project import Project
from ..render import render_html
from ..scaffold import PLACEHOLDER

MIN_DPI = 150
# WCAG's minimum contrast for body text; theme colours print as text (place tags) on paper.
MIN_CONTRAST = 4.5
LINK_TIMEOUT = 10.0
LINK_WORKERS = 8
LINK_CACHE_DAYS = 1


@dataclass(frozen=True)
class Link:
    url: str
    field: FieldPath


def check_issue(
    project: Project,
    issue_ref: str | Path,
    *,
    online: bool = False,
    timeout: float = LINK_TIMEOUT,
    cache_path: Path | None = None,
) -> list[Problem]:
    """Every finding for a numéro, in file and line order. Raises ManifestError if it does not validate."""
    manifest = project.manifest_for(issue_ref)
    issue, lines = load_issue_with_lines(project, manifest)

    def at(field: FieldPath, message: str) -> Problem:
        return Problem(*locate(lines, field, lines[()]), "", message)

    content = issue.model_dump(exclude={"publication"})  # the numéro's own fields, walked by two checks
    findings: list[Problem] = []
    links = list(_links(issue, content))
    findings += [
        at(link.field, f"{link.url}: insecure http:// link: use https:// if the site offers it")
        for link in links
        if link.url.startswith("http://")
    ]
    findings += [at(field, message) for field, message in _duplicates(issue)]
    findings += [at(field, f"still «\u202f{PLACEHOLDER}\u202f» from 'dossier new': write the text, or remove the entry")
                 for field in _placeholders(content, ())]
    findings += [
        at(field, "image without alt text: describe it in 'alt' (what a reader who cannot see it should know)")
        for field in _images_without_alt(issue)
    ]
    findings += [at(field, message) for field, message in _contrast_findings(issue)]
    findings += [at(field, message) for field, message in _layout_findings(project, issue)]
    if online:
        cache = cache_path or project.root / ".dossier" / "links.json"
        findings += [at(link.field, message) for link, message in check_links(links, timeout=timeout, cache_path=cache)]
    return sorted(set(findings), key=lambda p: (p.file, p.line, p.message))


def _links(issue: Issue, content: dict[str, Any]) -> Iterator[Link]:
    """Every address in the numéro (and its back pages), with the field that holds it."""

    def walk(value: Any, path: FieldPath) -> Iterator[Link]:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "url" and isinstance(item, str):
                    yield Link(item, (*path, key))
                elif isinstance(item, str) and key in MARKDOWN_FIELDS:
                    yield from (Link(url, (*path, key)) for url in markdown_links(item))
                else:
                    yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, (*path, index))

    yield from walk(content, ())
    yield from walk(issue.publication.model_dump(include={"url", "pages"}), ("publication",))


MARKDOWN_FIELDS = {"edito", "text", "intro", "contact"}


def _placeholders(value: Any, path: FieldPath) -> Iterator[FieldPath]:
    if isinstance(value, str) and PLACEHOLDER.casefold() in value.casefold():
        yield path
    elif isinstance(value, dict) and "porteurs" in value:  # an initiative: one finding for the card
        if any(PLACEHOLDER.casefold() in str(item).casefold() for item in value.values()):
            yield (*path, "title")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, (*path, index))


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _duplicates(issue: Issue) -> Iterator[tuple[FieldPath, str]]:
    seen: dict[str, tuple[int, int]] = {}
    for t, theme in enumerate(issue.practices):
        for i, initiative in enumerate(theme.initiatives):
            if PLACEHOLDER.casefold() in initiative.title.casefold():
                continue  # reported as a placeholder
            for key in (_normalised(initiative.title), _normalised(initiative.text)):
                if key in seen and seen[key] != (t, i):
                    first_t, first_i = seen[key]
                    first = issue.practices[first_t].initiatives[first_i].title
                    yield (
                        ("practices", t, "initiatives", i, "title"),
                        f"the same initiative as «\u202f{first}\u202f» in {issue.practices[first_t].theme}: keep one",
                    )
                    break
                seen.setdefault(key, (t, i))


def _images_without_alt(issue: Issue) -> Iterator[FieldPath]:
    for t, theme in enumerate(issue.practices):
        for i, initiative in enumerate(theme.initiatives):
            if initiative.image and not initiative.alt:
                yield ("practices", t, "initiatives", i, "image")
    for p, page in enumerate(issue.back_pages):
        if page.image and not page.alt:
            yield ("pages", p, "image")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_on_white(colour: str) -> float:
    """WCAG contrast ratio of a #RRGGBB colour against white paper."""
    return 1.05 / (_luminance(colour) + 0.05)


def _contrast_findings(issue: Issue) -> Iterator[tuple[FieldPath, str]]:
    colours = [(("publication", "colours", "accent"), issue.publication.colours.accent)]
    colours += [(("practices", t, "colour"), theme.colour) for t, theme in enumerate(issue.practices) if theme.colour]
    colours += [(("publication", "colours", "themes", n), c) for n, c in enumerate(issue.publication.colours.themes)]
    for field, colour in colours:
        ratio = contrast_on_white(colour)
        if ratio < MIN_CONTRAST:
            yield field, (
                f"colour {colour} is too light for text on white ({ratio:.1f}:1, at least {MIN_CONTRAST}:1 is needed): "
                "choose a darker shade"
            )


def _image_fields(issue: Issue) -> dict[str, list[FieldPath]]:
    """Project-relative image path → the fields that print it."""
    fields: dict[str, list[FieldPath]] = {}
    for t, theme in enumerate(issue.practices):
        for i, initiative in enumerate(theme.initiatives):
            if initiative.image:
                fields.setdefault(initiative.image, []).append(("practices", t, "initiatives", i, "image"))
    for r, resource in enumerate(issue.resources):
        if resource.logo:
            fields.setdefault(resource.logo, []).append(("resources", r, "logo"))
    if issue.publication.logo:
        fields.setdefault(issue.publication.logo, []).append(("publication", "logo"))
    return fields


def _walk_boxes(box: boxes.Box) -> Iterator[boxes.Box]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk_boxes(child)


def _layout_findings(project: Project, issue: Issue) -> Iterator[tuple[FieldPath, str]]:
    """Findings that need the printed pages: image resolution and cards split across pages."""
    html_path = output_paths(project, issue)[0]
    document = lay_out(project, render_html(project, issue), html_path)
    image_fields = _image_fields(issue)
    card_pages: dict[str, set[int]] = {}
    card_heights: dict[str, float] = {}
    page_height = document.pages[0]._page_box.height if document.pages else 0
    reported: set[str] = set()
    for number, page in enumerate(document.pages, start=1):
        for box in _walk_boxes(page._page_box):
            element = box.element
            if element is None:
                continue
            classes = (element.get("class") or "").split()
            if "card" in classes and element.get("id") and box.element_tag == "article":
                card_pages.setdefault(element.get("id"), set()).add(number)
                card_heights[element.get("id")] = card_heights.get(element.get("id"), 0) + box.margin_height()
            if isinstance(box, boxes.ReplacedBox) and box.element_tag == "img":
                source = _project_path(box)
                pixels = (getattr(box.replacement, "width", 0), getattr(box.replacement, "height", 0))
                if source is None or source in reported or not all(pixels) or not box.width or not box.height:
                    continue
                dpi = _printed_dpi(pixels, (box.width, box.height), box.style["object_fit"])
                if dpi < MIN_DPI:
                    reported.add(source)
                    for field in image_fields.get(source, []):
                        yield (
                            field,
                            (
                                f"{source.rsplit('/', 1)[-1]}: {pixels[0]}×{pixels[1]} px print at {dpi:.0f} dpi "
                                f"({box.width / 96 * 25.4:.0f}×{box.height / 96 * 25.4:.0f} mm): "
                                f"under {MIN_DPI} dpi, it will look blurred; use a larger image"
                            ),
                        )
    for card_id, pages in card_pages.items():
        # Only a card taller than a page is at fault; cards beside it may be pushed apart too.
        if len(pages) > 1 and card_heights[card_id] > page_height:
            theme, number = (int(n) - 1 for n in card_id.removeprefix("initiative-").split("-"))
            yield (
                ("practices", theme, "initiatives", number, "text"),
                f"card too long to fit on one page (printed on pages {min(pages)}–{max(pages)}): shorten the text",
            )


def _project_path(box: boxes.Box) -> str | None:
    url = getattr(box.replacement, "url", None) or box.element.get("src") or ""
    if url.startswith(PROJECT_URL):
        return url.removeprefix(PROJECT_URL)
    src = box.element.get("src") or ""
    return re.sub(r"^(\.\./)+", "", src) or None


def _printed_dpi(pixels: tuple[int, int], size_px: tuple[float, float], fit: str) -> float:
    """Resolution of an image printed in a box of ``size_px`` CSS pixels (96 per inch)."""
    scale_x, scale_y = size_px[0] / pixels[0], size_px[1] / pixels[1]
    # object-fit: cover scales to fill the box (the larger scale), contain to fit in it.
    scale = max(scale_x, scale_y) if fit == "cover" else min(scale_x, scale_y) if fit == "contain" else scale_x
    return 96 / scale


def check_links(links: list[Link], *, timeout: float, cache_path: Path) -> list[tuple[Link, str]]:
    """Reach every address once (bounded concurrency); the ones that answered well are cached for a day."""
    cache = _read_cache(cache_path)
    now = time.time()
    fresh = {url for url, checked in cache.items() if now - checked < LINK_CACHE_DAYS * 86400}
    to_check = sorted({link.url for link in links if link.url.startswith("http") and link.url not in fresh})
    with ThreadPoolExecutor(max_workers=LINK_WORKERS) as pool:
        results = dict(zip(to_check, pool.map(lambda url: _reach(url, timeout), to_check), strict=True))
    for url, problem in results.items():
        if problem is None:
            cache[url] = now
    if results:
        write_atomically(cache_path, json.dumps(cache, indent=1, sort_keys=True).encode())
    return [(link, f"{link.url}: {results[link.url]}") for link in links if results.get(link.url)]


def _reach(url: str, timeout: float) -> str | None:
    """None when the address answers with success (after redirects), else what went wrong."""
    headers = {"User-Agent": "dossier-link-check/1.0"}
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if response.status < 400:
                    return None
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in {403, 405, 501}:
                continue  # some servers refuse HEAD: ask again with GET
            return f"broken link: the server answers {exc.code} {exc.reason}"
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, TimeoutError) or "timed out" in str(reason):
                return f"no answer within {timeout:g} s"
            return f"unreachable: {reason}"
    return "broken link"


def _read_cache(path: Path) -> dict[str, float]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}
