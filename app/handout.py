"""The lecture pack as one PDF handout: a title page, one figure per page with its caption, the model
summary and the chain-rule equations — vector throughout, fonts embedded, A4 landscape."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from app.figure_export import creator_text, draw_on_page, layout_dpi
from core.export.atomic import atomic_path
from widgets.figures import Figure
from widgets.figures.canvas import INK, MUTED, figure_families
from widgets.i18n import tr, tr_noop

#: The chain rule's title and notes (``core.export.chain_rule``), listed for the translation catalogue.
CHAIN_RULE_TEXTS = (
    tr_noop("{layer}, neuron j = {unit}, sample n = {sample}, step {step} ({phase})"),
    tr_noop("sum over {n} inputs; b_j = {b}"),
    tr_noop("k over the {n} neurons of {layer}: the error comes back through the weights"),
    tr_noop("from the loss {loss}"), tr_noop("from {layer}"), tr_noop("softmax couples the outputs"),
    tr_noop("softmax couples the outputs; with crossentropy this is (ŷ − y)/N"),
    tr_noop("i = {i}, the input with the largest |∂L/∂w|; over the {n} samples of the batch"),
    tr_noop("{optimizer}, learning rate {lr}"), tr_noop("{optimizer}, learning rate {lr}; state: {state}"))

#: A4 landscape: a 16:9 figure fills its width.
PAGE_INCHES = (11.69, 8.27)
MARGIN_INCHES = 0.45


def _html_font(px: float, mono: bool = False) -> QFont:
    font = QFont()
    families = figure_families()
    font.setFamilies((["DejaVu Sans Mono", "Noto Sans Mono", "Consolas", "Menlo"] if mono else []) + families)
    font.setPixelSize(max(1, int(round(px))))
    return font


class Handout:
    """Pages written one after another; :meth:`save` writes the file (atomically)."""

    def __init__(self, title: str, fingerprint: str = "") -> None:
        self.title, self.fingerprint = title, fingerprint
        self.data = QByteArray()
        self.buffer = QBuffer(self.data)
        self.buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.writer = QPdfWriter(self.buffer)
        self.writer.setResolution(int(round(layout_dpi())))
        self.writer.setPageLayout(QPageLayout(QPageSize(QSizeF(*PAGE_INCHES), QPageSize.Unit.Inch),
                                              QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        self.writer.setTitle(title)
        self.writer.setCreator(creator_text(fingerprint))
        self.painter = QPainter(self.writer)
        self.dpi = self.writer.resolution()
        self.pages = 0

    # --- geometry --------------------------------------------------------------------------------
    @property
    def page(self) -> QRectF:
        return QRectF(0, 0, self.writer.width(), self.writer.height())

    @property
    def body(self) -> QRectF:
        m = MARGIN_INCHES * self.dpi
        return self.page.adjusted(m, m, -m, -m * 1.4)

    def _points(self, pt: float) -> float:
        """A size in points as device pixels of this writer."""
        return pt * self.dpi / 72.0

    def _new_page(self) -> None:
        if self.pages:
            self.writer.newPage()
        self.pages += 1
        self._footer()

    def _footer(self) -> None:
        p = self.painter
        p.setFont(_html_font(self._points(8)))
        p.setPen(QColor(MUTED))
        m = MARGIN_INCHES * self.dpi
        rect = QRectF(m, self.page.height() - m, self.page.width() - 2 * m, m * 0.6)
        left = "Propscope" + (f" · lesson {self.fingerprint}" if self.fingerprint else "")
        p.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), left)
        p.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), str(self.pages))

    def _document(self, body_html: str, width: float, pt: float = 11, mono: bool = False) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(_html_font(self._points(pt), mono))
        doc.setDefaultStyleSheet(f"body {{ color: {INK}; }} h1 {{ font-size: {self._points(24):.0f}px; }} "
                                 f"h2 {{ font-size: {self._points(16):.0f}px; }} "
                                 f"p.note {{ color: {MUTED}; }}")
        doc.setDocumentMargin(0)
        doc.setTextWidth(width)
        doc.setHtml(body_html)
        return doc

    def _draw_document(self, doc: QTextDocument, top_left) -> float:
        p = self.painter
        p.save()
        p.translate(top_left)
        doc.drawContents(p)
        p.restore()
        return doc.size().height()

    # --- pages -----------------------------------------------------------------------------------
    def title_page(self, lines: list[str]) -> None:
        """The pack's title, then ``lines`` (data, model, training, the lesson fingerprint), one a paragraph."""
        self._new_page()
        body = self.body
        text = f"<h1>{html.escape(self.title)}</h1>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        doc = self._document(text, body.width(), pt=14)
        self._draw_document(doc, body.topLeft() + QRectF(0, body.height() * 0.25, 0, 0).topLeft())

    def figure_page(self, figure: Figure, number: int) -> None:
        """The figure as large as the page allows, its number and title below (its caption is in it)."""
        self._new_page()
        body = self.body
        caption = self._document(f"<p><b>{html.escape(tr('Figure {n}.').format(n=number))}</b> "
                                 f"{html.escape(figure.title())}</p>", body.width(), pt=11)
        room = QRectF(body.x(), body.y(), body.width(), body.height() - caption.size().height() - self._points(8))
        draw_on_page(figure, self.painter, self.writer, room, pen_scale=1.0)
        size = figure.canvas.size
        scale = min(room.width() / size.width, room.height() / size.height)
        bottom = room.y() + (room.height() + size.height * scale) / 2
        self._draw_document(caption, QRectF(body.x(), bottom + self._points(6), 0, 0).topLeft())

    def text_page(self, heading: str, body_html: str, mono: bool = False, pt: float = 10) -> None:
        """A page of text (the summary in a fixed-width font, the equations as rich text)."""
        self._new_page()
        body = self.body
        doc = self._document(f"<h2>{html.escape(heading)}</h2>{body_html}", body.width(), pt=pt, mono=mono)
        if doc.size().height() > body.height():  # a very deep model: shrink to one page rather than cut it
            doc = self._document(f"<h2>{html.escape(heading)}</h2>{body_html}", body.width(),
                                 pt=pt * body.height() / doc.size().height(), mono=mono)
        self._draw_document(doc, body.topLeft())

    def save(self, path: str | Path, durable: bool = True) -> Path:
        self.painter.end()
        self.buffer.close()
        with atomic_path(path, durable) as tmp:
            tmp.write_bytes(bytes(self.data))
        return Path(path)
