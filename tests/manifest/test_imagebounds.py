"""The bounds on images, one rule at a time: what an SVG expands to, and a raster's pixels.

The hostile corpus (hostile/image_bombs.yaml) shows the messages; these show where each bound
lies, that ordinary images pass, and that the ways of multiplying drawing are all counted.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from dossier.manifest.imagebounds import MAX_PIXELS, MAX_SHAPES, raster_problem, svg_problem
from hostile_images import png_bomb, use_bomb

SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{}</svg>'


def svg(tmp_path: Path, body: str, *, raw: bool = False) -> str | None:
    path = tmp_path / "image.svg"
    path.write_text(body if raw else SVG.format(body), encoding="utf-8")
    return svg_problem(path)


def test_the_use_bomb_is_measured_not_drawn(tmp_path: Path):
    assert "shapes" in svg(tmp_path, use_bomb(12, 4), raw=True)
    assert svg(tmp_path, use_bomb(5, 4), raw=True) is None  # 3,737 elements drawn: a few seconds of printing
    assert "shapes" in svg(tmp_path, use_bomb(6, 4), raw=True)  # 14,953


def test_many_plain_shapes_pass_up_to_the_bound(tmp_path: Path):
    assert svg(tmp_path, '<rect width="1" height="1"/>' * (MAX_SHAPES - 1)) is None
    assert "shapes" in svg(tmp_path, '<rect width="1" height="1"/>' * MAX_SHAPES)


def test_url_references_and_markers_are_counted_as_drawn(tmp_path: Path):
    clip = '<defs><clipPath id="c">' + '<circle r="1"/>' * 100 + "</clipPath></defs>"
    assert svg(tmp_path, clip + '<rect clip-path="url(#c)" width="1" height="1"/>' * 50) is None
    assert "shapes" in svg(tmp_path, clip + '<rect clip-path="url(#c)" width="1" height="1"/>' * 120)
    # A marker is drawn at every vertex of the path: 200 points × 100 circles.
    marker = '<defs><marker id="m">' + '<circle r="1"/>' * 100 + "</marker></defs>"
    points = " ".join(f"{i},{i}" for i in range(200))
    assert "shapes" in svg(tmp_path, marker + f'<polyline points="{points}" marker-mid="url(#m)"/>')
    assert "shapes" in svg(tmp_path, marker + f'<polyline points="{points}" style="marker-mid: url(#m)"/>')
    assert "shapes" in svg(tmp_path, marker + f"<style>polyline {{ marker-mid: url(#m) }}</style><polyline "
                                              f'points="{points}"/>')


def test_gradients_shared_by_many_shapes_are_not_a_bomb(tmp_path: Path):
    """Illustrator's exports: a style sheet's classes fill thousands of paths with one gradient."""
    gradient = '<defs><linearGradient id="lg"><stop offset="0"/><stop offset="1"/></linearGradient></defs>'
    style = "<style>.a { fill: url(#lg) }</style>"
    assert svg(tmp_path, gradient + style + '<path class="a" d="M0 0 L1 1 L2 0 Z"/>' * 3000) is None


@pytest.mark.parametrize("body", [
    '<g id="a"><use href="#b"/></g><g id="b"><use xlink:href="#a"/></g>',
    '<clipPath id="c"><rect clip-path="url(#c)" width="1" height="1"/></clipPath>',
    '<linearGradient id="x" href="#y"/><linearGradient id="y" href="#x"/>',
])
def test_a_reference_loop_is_refused(tmp_path: Path, body: str):
    assert "refers to itself" in svg(tmp_path, body)


@pytest.mark.parametrize(("body", "words"), [
    ('<image href="/etc/passwd"/>', "links to another file (/etc/passwd)"),
    ('<image xlink:href="https://example.org/x.png"/>', "links to another file"),
    ("<style>@import url(other.css);</style>", "@import"),
    ("<g>" * 150 + "</g>" * 150, "levels deep"),
    ('<g id="a"/>' + "".join(f'<g id="u{i}"><use href="#{"u" + str(i - 1) if i else "a"}"/></g>' for i in range(150)),
     "levels deep"),
])
def test_outside_files_and_depth_are_refused(tmp_path: Path, body: str, words: str):
    assert words in svg(tmp_path, body)


def test_entities_are_refused_before_any_expansion(tmp_path: Path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
              + SVG.format("<text>&b;</text>"))
    assert "entities" in svg(tmp_path, laughs, raw=True)
    # A DOCTYPE without entities (Illustrator writes one) is fine.
    doctype = '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" ' \
              '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + SVG.format("<rect/>")
    assert svg(tmp_path, doctype, raw=True) is None
    assert "readable" in svg(tmp_path, SVG.format("<rect>"), raw=True)


def test_images_inside_an_svg_are_measured_too(tmp_path: Path):
    photo = io.BytesIO()
    Image.new("RGB", (40, 30)).save(photo, "PNG")
    fine = base64.b64encode(photo.getvalue()).decode()
    assert svg(tmp_path, f'<image href="data:image/png;base64,{fine}"/>') is None
    inner = base64.b64encode(use_bomb(12, 4).encode()).decode()
    assert "shapes" in svg(tmp_path, f'<image href="data:image/svg+xml;base64,{inner}"/>')
    # Each <use> of the image element draws the embedded SVG again.
    small = base64.b64encode(use_bomb(4, 4).encode()).decode()  # about 2,200 elements drawn
    assert svg(tmp_path, f'<image id="i" href="data:image/svg+xml;base64,{small}"/>' + '<use href="#i"/>' * 3) is None
    assert "shapes" in svg(tmp_path, f'<image id="i" href="data:image/svg+xml;base64,{small}"/>' + '<use href="#i"/>' * 12)


def test_raster_bounds(tmp_path: Path):
    assert raster_problem(io.BytesIO(png_bomb(7000, 7000))) is None  # 49 megapixels
    assert "7,072 × 7,072 pixels" in raster_problem(io.BytesIO(png_bomb(7072, 7072)))  # just over 50
    assert 7072 * 7072 > MAX_PIXELS > 7000 * 7000
    assert "far more than 50 million" in raster_problem(io.BytesIO(png_bomb(60000, 60000)))
    assert "cannot be read" in raster_problem(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40))


def test_a_path_of_very_many_points_counts_as_many_shapes(tmp_path: Path):
    """WeasyPrint read a path of 200,000 points (1.7 MB) for half a minute."""
    def path(points: int) -> str:
        return '<path d="M0 0 ' + " ".join(f"L{i % 1000} {i // 1000}" for i in range(points)) + '"/>'

    assert svg(tmp_path, path(40_000)) is None  # a detailed map's outline
    assert "eight points of a path count as one shape" in svg(tmp_path, path(200_000))
