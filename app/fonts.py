"""Fonts: register the bundled Korean font so Hangul renders everywhere, even without a CJK font."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

FONT_DIR = Path(__file__).resolve().parents[1] / "resources" / "fonts"
KOREAN_FAMILY = "NanumGothic"
_registered: list[str] = []


def register_fonts(app: QApplication | None = None) -> list[str]:
    """Register bundled fonts once; make the Korean one a fallback of the application font."""
    if not _registered:
        for path in sorted(FONT_DIR.glob("*.ttf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                _registered.extend(QFontDatabase.applicationFontFamilies(font_id))
    app = app or QApplication.instance()
    if app is not None and KOREAN_FAMILY in _registered:
        font = app.font()
        # The family Qt actually resolved ("DejaVu Sans"), not an alias ("Sans Serif"): with an
        # alias first in the list Qt drew *all* text in the Korean font, whose period at 9 pt
        # looks like a comma ("0,2" for 0.2). Latin text keeps the system font; Hangul falls back.
        resolved = QFontInfo(font).family()
        families = [f for f in [resolved, *(font.families() or [font.family()])] if f != KOREAN_FAMILY]
        font.setFamilies(list(dict.fromkeys(families)) + [KOREAN_FAMILY])
        app.setFont(font)
    return list(_registered)


def has_hangul(font: QFont | None = None) -> bool:
    """Whether text in ``font`` (default: the application's) can draw Hangul."""
    from PySide6.QtGui import QFontMetrics

    font = font or QApplication.font()
    probe = QFont(font)
    for family in font.families() or [font.family()]:
        probe.setFamily(family)
        if QFontMetrics(probe).inFontUcs4(ord("가")):
            return True
    return False
