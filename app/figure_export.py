"""Writing a figure (:class:`widgets.figures.Figure`) as PNG, SVG or PDF, with its numbers beside it.

Sizes: a figure is laid out in figure pixels (1600 × 900 is a 16:9 slide,
120 to the inch). A PNG at 300 dpi of it is 4000 × 2250 pixels and says
300 dpi, so a slide program places it at 13.3 × 7.5 inches: the full
slide. SVG and PDF carry the same inches, vector throughout.

Every file names its lesson fingerprint: PNG text chunks, the SVG's
``<desc>``, the PDF's creator, and the caption drawn in the figure itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter, QPicture
from PySide6.QtSvg import QSvgGenerator

from app.svg_portable import make_portable
from core.export.atomic import atomic_path
from core.export.figure_data import write_figure_data
from widgets.figures import Figure
from widgets.figures.canvas import PIXELS_PER_INCH, FigureSize, play

FORMATS = ("png", "svg", "pdf")
#: Hangul syllables and jamo, and CJK: text in these is drawn as outlines by default (fonts rarely travel).
_NEEDS_OUTLINES = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u3040-\u30ff\u4e00-\u9fff]")


def layout_dpi() -> float:
    """The resolution point-sized text was laid out at (the screen's): every device paints at it."""
    screen = QGuiApplication.primaryScreen()
    return float(screen.logicalDotsPerInch()) if screen is not None else 96.0


def _dots_per_meter(dpi: float) -> int:
    return int(round(dpi / 0.0254))


def render_image(figure: Figure, dpi: float = 300) -> QImage:
    """The figure as an image at ``dpi`` (its size in inches × dpi pixels), white behind."""
    picture = figure.canvas.recording(dpi / PIXELS_PER_INCH)
    return rasterize(picture, figure.canvas.size, dpi, layout_dpi())


def rasterize(picture: QPicture, size: FigureSize, dpi: float, text_dpi: float) -> QImage:
    """A figure's recording (made for pen scale ``dpi`` / 120) as an image; any thread may call it."""
    width, height = size.pixels_at(dpi)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(0xFFFFFFFF)
    image.setDotsPerMeterX(_dots_per_meter(text_dpi))
    image.setDotsPerMeterY(_dots_per_meter(text_dpi))
    painter = QPainter(image)
    play(painter, picture, size, QRectF(0, 0, width, height))
    painter.end()
    image.setDotsPerMeterX(_dots_per_meter(dpi))
    image.setDotsPerMeterY(_dots_per_meter(dpi))
    return image


def save_png(figure: Figure, path: str | Path, dpi: float = 300) -> Path:
    """A PNG at ``dpi`` with its title, caption and lesson code as text chunks."""
    image = render_image(figure, dpi)
    meta = figure.meta()
    image.setText("Title", meta["title"])
    image.setText("Description", meta["caption"])
    image.setText("Software", "Propscope")
    if meta["fingerprint"]:
        image.setText("Lesson fingerprint", meta["fingerprint"])
    with atomic_path(path) as tmp:
        # Quality 80 is zlib level 2: white space compresses as well, in a third of the time.
        if not image.save(str(tmp), "PNG", 80):
            raise OSError(f"could not write {path}")
    return Path(path)


def svg_bytes(figure: Figure, text_to_paths: bool | None = None) -> bytes:
    """The figure as portable SVG (see :mod:`app.svg_portable`); text as outlines when asked, or when
    ``None`` and the figure holds Hangul or CJK text."""
    size = figure.canvas.size
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # SVG Tiny, without clip paths: Qt 6's SVG 1.1 clipping writes one item's clip for the next (axes and
    # labels vanish in librsvg). Figures never rely on clipping: every plot's range holds all it draws.
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(size.width, size.height))
    generator.setViewBox(QRect(0, 0, size.width, size.height))
    generator.setResolution(int(round(layout_dpi())))
    meta = figure.meta()
    generator.setTitle(meta["title"])
    generator.setDescription(meta["caption"])
    painter = QPainter(generator)
    figure.canvas.replay(painter, pen_scale=1.0)
    painter.end()
    raw = bytes(buffer.data())
    if text_to_paths is None:
        text_to_paths = bool(_NEEDS_OUTLINES.search(raw.decode("utf-8", "replace")))
    description = meta["caption"] + (f" · Propscope lesson {meta['fingerprint']}" if meta["fingerprint"] else "")
    return make_portable(raw, text_to_paths, size.inches(), meta["title"], description)


def save_svg(figure: Figure, path: str | Path, text_to_paths: bool | None = None, durable: bool = True) -> Path:
    data = svg_bytes(figure, text_to_paths)
    with atomic_path(path, durable) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def pdf_writer(target, title: str, creator: str, page_inches: tuple[float, float]) -> QPdfWriter:
    """A PDF writer at the layout's resolution with pages of ``page_inches`` and no margins."""
    writer = QPdfWriter(target)
    writer.setResolution(int(round(layout_dpi())))
    writer.setPageLayout(QPageLayout(QPageSize(QSizeF(*page_inches), QPageSize.Unit.Inch),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle(title)
    writer.setCreator(creator)
    return writer


def creator_text(fingerprint: str) -> str:
    return "Propscope" + (f" · lesson {fingerprint}" if fingerprint else "")


def save_pdf(figure: Figure, path: str | Path) -> Path:
    """One vector page the figure's size (13.3 × 7.5 inches for a slide), fonts embedded."""
    meta = figure.meta()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, meta["title"], creator_text(meta["fingerprint"]), figure.canvas.size.inches())
    painter = QPainter(writer)
    draw_on_page(figure, painter, writer, QRectF(0, 0, writer.width(), writer.height()))
    painter.end()
    buffer.close()
    with atomic_path(path) as tmp:
        tmp.write_bytes(bytes(data))
    return Path(path)


def draw_on_page(figure: Figure, painter: QPainter, writer: QPdfWriter, target: QRectF,
                 pen_scale: float | None = None) -> None:
    """Paint ``figure`` into ``target`` (device units of ``writer``) keeping its proportions.

    Lines keep their width relative to the figure unless ``pen_scale`` says otherwise (the handout
    replays the PNG's recording: its lines are then a little bolder on paper, and it costs no drawing).
    """
    size = figure.canvas.size
    scale = min(target.width() / size.width, target.height() / size.height)
    w, h = size.width * scale, size.height * scale
    rect = QRectF(target.x() + (target.width() - w) / 2, target.y() + (target.height() - h) / 2, w, h)
    figure.canvas.replay(painter, rect, pen_scale=scale if pen_scale is None else pen_scale)


def save(figure: Figure, path: str | Path, dpi: float = 300, text_to_paths: bool | None = None,
         data: bool = False) -> list[Path]:
    """Write ``figure`` to ``path`` in the format its suffix names; with ``data``, its numbers beside it."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise ValueError(f"{path.name}: figures are written as .png, .svg or .pdf, not {path.suffix or 'no suffix'}")
    if kind == "png":
        written = [save_png(figure, path, dpi)]
    elif kind == "svg":
        written = [save_svg(figure, path, text_to_paths)]
    else:
        written = [save_pdf(figure, path)]
    if data:
        written += write_figure_data(path.with_suffix(""), figure.tables(), figure.meta())
    return written
