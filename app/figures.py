"""Rendering views to PNG (any scale, DPI recorded in the file) and to vector SVG."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from core.export.atomic import atomic_path


def save_png(widget: QWidget, path: str | Path, scale: float = 3.0, dpi: int = 300) -> Path:
    """Render ``widget`` at ``scale``× its size (crisp, not upscaled pixels) with ``dpi`` in the PNG.

    At the default 3× a 1000-pixel-wide view becomes 3000 pixels: 10 inches at 300 dpi.
    """
    size = widget.size()
    image = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    dots_per_meter = int(round(dpi / 0.0254))
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    QWidget.render(widget, painter, QPoint())  # the QWidget overload, also for graphics views
    painter.end()
    with atomic_path(path) as tmp:
        if not image.save(str(tmp), "PNG"):
            raise OSError(f"could not write {path}")
    return Path(path)


def save_svg(widget: QWidget, path: str | Path, title: str = "") -> Path:
    """Render ``widget`` as SVG: lines, circles and text stay vectors for slides.

    pyqtgraph items are switched to their export mode while rendering, so that
    scatter symbols (the network's neurons) are drawn as vector shapes instead
    of cached bitmaps.
    """
    import pyqtgraph as pg

    items = [item for view in [widget, *widget.findChildren(pg.GraphicsView)] if isinstance(view, pg.GraphicsView)
             for item in view.scene().items() if hasattr(item, "setExportMode")]
    for item in items:
        item.setExportMode(True, {"antialias": True, "resolutionScale": 1.0})
    try:
        return _render_svg(widget, path, title)
    finally:
        for item in items:
            item.setExportMode(False)


def _render_svg(widget: QWidget, path: str | Path, title: str) -> Path:
    size = widget.size()
    with atomic_path(path) as tmp:
        generator = QSvgGenerator()
        generator.setFileName(str(tmp))
        generator.setSize(QSize(size.width(), size.height()))
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle(title or widget.objectName() or type(widget).__name__)
        generator.setDescription("Exported from Propscope")
        painter = QPainter(generator)
        QWidget.render(widget, painter, QPoint())  # the QWidget overload, also for graphics views
        painter.end()
    return Path(path)
