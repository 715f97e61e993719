"""SVG that travels: an independent renderer (librsvg, CairoSVG) draws what the PNG export shows,
lines stay lines, and Korean text is drawn as outlines that need no font."""

import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from figure_sessions import frame_now, image_array, image_session

from app.figure_export import render_image, svg_bytes
from app.svg_portable import make_portable
from widgets.figures import FigureContext, make_figure


def _ink(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(int).sum(axis=-1) < 3 * 200


@pytest.fixture(scope="module")
def session():
    s = image_session()
    for _ in range(8):
        s.step_batch()
    return s


@pytest.mark.parametrize("language", ["en", "ko"])
@pytest.mark.parametrize("key", ["network", "metrics", "distributions", "samples"])
def test_an_independent_renderer_draws_the_svg_as_the_png(session, svg_renderer, key, language):
    from app.i18n import install_language

    install_language(language)
    with make_figure(key, frame_now(session), FigureContext("Fashion-MNIST", "ABCD-EFGH")) as figure:
        png = image_array(render_image(figure, 120))
        svg = svg_bytes(figure)
    drawn = svg_renderer(svg, 1600, 900)
    assert drawn.shape == png.shape
    difference = np.abs(drawn.astype(int) - png.astype(int)).mean()
    assert difference < 6.0, f"{key}/{language}: mean difference {difference:.1f} of 255"
    ink_png, ink_svg = _ink(png), _ink(drawn)
    overlap = (ink_png & ink_svg).sum() / max(1, (ink_png | ink_svg).sum())
    assert ink_svg.mean() < 1.5 * ink_png.mean()  # no blobs: a stroke is as wide as in the PNG
    assert overlap > 0.5, f"{key}/{language}: ink overlap {overlap:.2f}"


def test_no_line_depends_on_non_scaling_strokes_and_korean_is_outlined(session):
    from app.i18n import install_language

    with make_figure("network", frame_now(session)) as figure:
        english = svg_bytes(figure).decode()
        install_language("ko")
        figure.show(figure.frame)
        korean = svg_bytes(figure).decode()
    assert "non-scaling-stroke" not in english and "non-scaling-stroke" not in korean
    assert "<text" in english and re.search(r"font-family=\"'[^\"]+, sans-serif\"", english)
    assert "<text" not in korean and "유닛" not in korean  # every glyph an outline, Hangul included
    root = ET.fromstring(korean)
    assert root.get("width") == "13.33in" and root.get("viewBox") == "0 0 1600 900"
    assert "ABCD" not in korean


def test_english_text_can_be_outlined_too(session):
    with make_figure("gradient_flow", frame_now(session)) as figure:
        outlined = svg_bytes(figure, text_to_paths=True).decode()
        kept = svg_bytes(figure, text_to_paths=False).decode()
    assert "<text" not in outlined and "<text" in kept


def test_transforms_are_baked_into_the_coordinates_of_cosmetic_lines():
    svg = (b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">'
           b'<g stroke="red" stroke-width="2" transform="matrix(200,0,0,-100,10,90)">'
           b'<polyline fill="none" vector-effect="non-scaling-stroke" points="0,0 0.25,0.5 " />'
           b'<path vector-effect="non-scaling-stroke" d="M0,0 L0.5,0.5 C0.1,0.2 0.3,0.4 0.4,0.8 Z"/>'
           b'<rect vector-effect="non-scaling-stroke" x="0" y="0" width="0.1" height="0.2"/>'
           b'<text x="1" y="2">a</text></g></svg>')
    root = ET.fromstring(make_portable(svg, text_to_paths=False))
    ns = "{http://www.w3.org/2000/svg}"
    group = root.find(f"{ns}g")
    assert group.get("transform") is None and group.get("stroke-width") == "2"
    assert group.find(f"{ns}polyline").get("points") == "10,90 60,40"
    assert group.find(f"{ns}path").get("d") == "M 10,90 L 110,40 C 30,70 70,50 90,10 Z"
    rect = group.find(f"{ns}rect")
    assert (rect.get("x"), rect.get("y"), rect.get("width"), rect.get("height")) == ("10", "70", "20", "20")
    kept = group.find(f"{ns}g")  # the text keeps the transform, in its own group, after the lines
    assert kept.get("transform") == "matrix(200,0,0,-100,10,90)" and kept.find(f"{ns}text").text == "a"
