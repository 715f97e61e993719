"""The decimal point looks like a point: Latin text keeps the system font, Hangul falls back to the
bundled one (drawn in NanumGothic at 9 pt, "0.2" looked like "0,2")."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo, QImage, QPainter

from app.fonts import KOREAN_FAMILY, has_hangul, register_fonts


def glyph(text, font):
    image = QImage(20, 24, QImage.Format.Format_Grayscale8)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(2, 16, text)
    painter.end()
    return bytes(image.constBits())


def test_latin_text_keeps_the_system_font_and_hangul_still_renders(qapp):
    system = QFontInfo(qapp.font()).family()
    register_fonts(qapp)
    font = qapp.font()
    assert font.families()[-1] == KOREAN_FAMILY and has_hangul(font)
    if system != KOREAN_FAMILY:  # the machine has a font of its own: numbers are drawn in it
        assert QFontInfo(font).family() == system
    assert glyph(".", font) != glyph(",", font)
