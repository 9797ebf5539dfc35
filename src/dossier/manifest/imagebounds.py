"""Images that would keep a print busy for minutes, or fill the memory: refused before any is drawn.

A raster image is measured from its header (Pillow reads no pixel): over ``MAX_PIXELS``, or
flagged by Pillow as a decompression bomb (a 60000 × 60000 PNG fits in 437 KB), it is refused.

An SVG is read once, as a stream, by expat with every handler ours: no entity may be declared
(a few bytes could stand for megabytes), no file outside it is read, and reading stops as soon as
a bound is passed. Its *expanded* size is then counted as WeasyPrint would draw it: each ``<use>``
draws its target again, each ``url(#…)`` reference (clip paths, masks, patterns, markers) draws
its target's content again, a marker once per vertex. Twelve nested groups each using the level
below four times are 1.5 KB and 16 million shapes; WeasyPrint draws about a thousand shapes a
second here, so ``MAX_SHAPES`` keeps an SVG to a few seconds of printing. A long path counts
too: WeasyPrint reads its points one by one (200,000 points, 1.7 MB, took half a minute).

Invariant: every check reads the file once and stops early; nothing is fetched, nothing decoded.
"""

from __future__ import annotations

import base64
import io
import re
import urllib.parse
import warnings
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from PIL import Image, UnidentifiedImageError

from ..i18n import _, integer

MAX_PIXELS = 50_000_000  # a 600 dpi A4 page is 35 million; WeasyPrint decodes every pixel
MAX_SHAPES = 10_000  # expanded elements of an SVG: about 10 s of WeasyPrint on this project's machines
POINTS_PER_SHAPE = 8  # WeasyPrint reads a path's points in Python: eight take about as long as a shape
MAX_DEPTH = 100  # nesting, references followed included: WeasyPrint draws recursively
MAX_NESTED_IMAGES = 2  # an SVG embedding an SVG embedding an SVG: no further

# What WeasyPrint draws again at each reference; a gradient's or filter's content is a few stops.
_DRAWN = {"svg", "g", "symbol", "use", "pattern", "mask", "clippath", "marker", "path", "rect", "circle", "ellipse",
          "line", "polyline", "polygon", "text", "tspan", "textpath", "image", "a", "switch"}
_MARKERS = {"marker", "marker-start", "marker-mid", "marker-end"}
_URL = re.compile(r"""url\(\s*['"]?([^'")]*)""")
_DECLARATION = re.compile(r"""([-\w]+)\s*:\s*([^;{}]*)""")
_NUMBER = re.compile(r"[-+]?(?:\d*\.\d+|\d+\.?)(?:[eE][-+]?\d+)?")


class _Refused(Exception):
    """Why the image is refused (a message for the editor); raised from inside the parser to stop it."""


def raster_problem(source: Path | BinaryIO) -> str | None:
    """Why a raster image is too large to print, or None; reads its header only."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source) as image:
                width, height = image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            return _too_many_pixels()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            return _("cannot be read as an image: export it again")
    if width * height > MAX_PIXELS:
        return _("is {width} × {height} pixels, over {limit} million: {advice}").format(
            width=integer(width), height=integer(height), limit=integer(MAX_PIXELS // 1_000_000), advice=_advice())
    return None


def _advice() -> str:
    return _("export it smaller ({width} pixels across print well)").format(width=integer(3000))


def _too_many_pixels() -> str:
    return _("has far more than {limit} million pixels (an image that would fill the memory when opened): "
             "{advice}").format(limit=integer(MAX_PIXELS // 1_000_000), advice=_advice())


def svg_problem(path: Path) -> str | None:
    """Why an SVG is unsafe to print (entities, outside files, too many shapes once expanded), or None."""
    try:
        with path.open("rb") as file:
            _measure(file, nesting=0)
    except _Refused as refused:
        return str(refused)
    return None


def _measure(file: BinaryIO, nesting: int) -> int:
    """The SVG's expanded size in elements; raises _Refused past a bound."""
    graph = _Graph(nesting)
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = graph.start
    parser.EndElementHandler = graph.end
    parser.CharacterDataHandler = graph.text
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        # Large pieces, given with Parse: ParseFile takes half a second over a 600 KB data: URL.
        while piece := file.read(1 << 20):
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _Refused(_("is not a readable SVG (an XML error on its line {line}): export it again").format(
            line=exc.lineno)) from None
    return graph.expanded_size()


def _refuse_entities(*_args: object) -> None:
    raise _Refused(_("declares XML entities (<!ENTITY …>), which can stand for any amount of text: "
                     "export the SVG again without them"))


def _too_many_shapes() -> _Refused:
    return _Refused(_("would take minutes to print: over {limit} shapes to draw once its <use> and url(#…) "
                      "references are followed (eight points of a path count as one shape); simplify it, or export "
                      "it as PNG").format(limit=integer(MAX_SHAPES)))


def _too_deep() -> _Refused:
    return _Refused(_("nests its elements more than {depth} levels deep: simplify it, or export it as PNG").format(
        depth=MAX_DEPTH))


class _Graph:
    """The elements as read: children, references to ids (with how many times each is drawn), own weight."""

    def __init__(self, nesting: int) -> None:
        self.nesting = nesting
        self.children: list[list[int]] = []
        self.refs: list[list[tuple[str, int]]] = []  # (id, times drawn)
        self.weight: list[int] = []  # 1, or an embedded SVG's size
        self.drawn: list[bool] = []
        self.tags: list[str] = []
        self.vertices: list[int] = []
        self.ids: dict[str, int] = {}
        self.open: list[int] = []
        self.sheet_refs: list[tuple[str, bool]] = []  # url(#…) in <style>: (id, is a marker)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        index = len(self.weight)
        if index >= MAX_SHAPES:
            raise _too_many_shapes()
        if len(self.open) >= MAX_DEPTH:
            raise _too_deep()
        tag = name.rpartition("}")[2].lower()
        if self.open:
            self.children[self.open[-1]].append(index)
        self.open.append(index)
        self.children.append([])
        self.refs.append([])
        self.weight.append(1)
        self.drawn.append(tag in _DRAWN)
        self.tags.append(tag)
        vertices = 0
        pending: list[tuple[str, bool]] = []  # (id, as a marker)
        for qualified, value in attributes.items():
            attribute = qualified.rpartition("}")[2]
            if attribute == "id":
                self.ids.setdefault(value.strip(), index)
            elif attribute == "href" and tag != "a":
                pending.extend((target, False) for target in self._href(tag, value.strip(), index))
            elif attribute in {"d", "points"}:
                vertices = max(1, len(_NUMBER.findall(value)) // 2)
            elif attribute == "style":
                pending.extend(_style_refs(value))
            elif "url(" in value:
                pending.extend((target, attribute in _MARKERS) for target in _targets(value))
        self.vertices.append(vertices or (2 if tag == "line" else 1))
        self.weight[index] += vertices // POINTS_PER_SHAPE  # a path of 200,000 points: half a minute
        # A marker is drawn at each vertex of its path.
        self.refs[index] = [(target, self.vertices[index] if marker else 1) for target, marker in pending]

    def end(self, _name: str) -> None:
        self.open.pop()

    def text(self, data: str) -> None:
        if not self.open or self.tags[self.open[-1]] != "style":
            return
        if "url(" in data or "@import" in data.lower():
            if "@import" in data.lower():
                raise _Refused(_("links to another file (@import): export the SVG again with its styles inside"))
            self.sheet_refs.extend(_style_refs(data))

    def _href(self, tag: str, value: str, index: int) -> list[str]:
        """The id an href refers to; an image inside (data:) is measured, a link to another file refused."""
        if tag == "image" and value.startswith("data:"):
            self.weight[index] = _embedded_size(value, self.nesting)
            return []
        if "#" in value and tag != "image":
            return [value.partition("#")[2]]  # WeasyPrint looks a fragment up in this file, whatever the path
        if value:
            raise _Refused(_("links to another file ({href}): export the SVG again with its images inside").format(
                href=value[:80]))
        return []

    def expanded_size(self) -> int:
        """Every element counted as many times as it is drawn; raises _Refused past the bounds or on a loop."""
        if not self.weight:
            return 0
        # A <style> rule may apply to any element: count its references once per element (markers per vertex).
        everything, all_vertices = len(self.weight), sum(self.vertices)
        self.refs[0] += [(target, all_vertices if marker else everything) for target, marker in self.sheet_refs]
        size: list[int | None] = [None] * len(self.weight)
        depth = [0] * len(self.weight)
        state = [0] * len(self.weight)  # 0 unseen, 1 being counted (a loop if met again), 2 counted
        stack = [0]
        while stack:
            node = stack[-1]
            edges = self.children[node] + [self.ids[t] for t, _times in self.refs[node] if t in self.ids]
            if state[node] == 0:
                state[node] = 1
                for target in edges:
                    if state[target] == 1:
                        raise _Refused(_("refers to itself (a <use> or url(#…) that leads back to where it is): "
                                         "export it again"))
                    if state[target] == 0:
                        stack.append(target)
                continue
            stack.pop()
            if state[node] == 2:
                continue
            state[node] = 2
            total = self.weight[node] + sum(size[child] or 0 for child in self.children[node])
            for target_id, times in self.refs[node]:
                target = self.ids.get(target_id)
                if target is not None:
                    total += times * ((size[target] or 0) if self.drawn[target] else 1)
            size[node] = min(total, MAX_SHAPES + 1)
            depth[node] = 1 + max((depth[t] for t in edges), default=0)
            if size[node] > MAX_SHAPES:
                raise _too_many_shapes()
            if depth[node] > MAX_DEPTH:
                raise _too_deep()
        return size[0] or 0


def _targets(value: str) -> list[str]:
    return [url.partition("#")[2].strip() for url in _URL.findall(value) if "#" in url]


def _style_refs(css: str) -> list[tuple[str, bool]]:
    """The ids a style attribute or sheet refers to with url(#…), and whether as a marker."""
    return [(target, prop.lower() in _MARKERS) for prop, value in _DECLARATION.findall(css)
            for target in _targets(value)]


def _embedded_size(url: str, nesting: int) -> int:
    """An image inside the SVG (a data: URL): its expanded size if an SVG, 1 if a raster image within the bounds."""
    header, _comma, payload = url[5:].partition(",")
    try:
        data = base64.b64decode(payload, validate=False) if header.endswith(";base64") \
            else urllib.parse.unquote_to_bytes(payload)
    except ValueError:
        raise _Refused(_("embeds an image that cannot be read: export it again")) from None
    if b"<svg" in data[:4096].lower():
        if nesting >= MAX_NESTED_IMAGES:
            raise _Refused(_("embeds SVG images inside SVG images more than {count} levels deep: export it again")
                           .format(count=MAX_NESTED_IMAGES))
        return 1 + _measure(io.BytesIO(data), nesting + 1)
    if problem := raster_problem(io.BytesIO(data)):
        raise _Refused(_("embeds an image that {problem}").format(problem=problem))
    return 1


__all__ = ["MAX_PIXELS", "MAX_SHAPES", "raster_problem", "svg_problem"]
