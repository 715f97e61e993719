"""Fixtures of the figure tests: the bundled fonts and English after each test, sessions, SVG renderers."""

from __future__ import annotations

import pytest
from figure_sessions import RENDERERS, image_session


@pytest.fixture(autouse=True)
def fonts_and_language(qapp):
    from app.fonts import register_fonts
    from app.i18n import install_language

    register_fonts(qapp)
    yield
    install_language("en")


@pytest.fixture
def trained_image_session():
    session = image_session()
    for _ in range(8):
        session.step_batch()
    return session


@pytest.fixture(params=sorted(RENDERERS))
def svg_renderer(request):
    """An independent SVG renderer: ``render(svg_bytes, width, height) -> (h, w, 3) array``."""
    render, available, why = RENDERERS[request.param]
    if not available():
        pytest.skip(why)
    return render
