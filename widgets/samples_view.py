"""Every sample of the batch with its predicted probabilities (in pages), and the validation confusion matrix.

Clicking a sample makes it the one the network, the loss and the inspector
show (:attr:`SamplesView.sample_selected`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.stepper import Snapshot
from core.stepper.derived import class_indices
from core.stepper.frame import DataContext, Frame
from widgets.common import plot_area
from widgets.display import display
from widgets.i18n import Texts, class_names_shown, tr
from widgets.palette import BACKWARD, FORWARD

PER_ROW = 8
PRESENTATION_PER_ROW = 4  # large type: fewer, larger samples per page (and the confusion matrix on request)
#: Narrower than this (the first window's central area on a 1366-px screen is 525 px), a row holds
#: PRESENTATION_PER_ROW samples too: eight columns and the confusion matrix pushed the matrix out of view.
NARROW_PX = 900
#: In a narrow view the matrix shows by default only where it fits beside the samples: their width, then the
#: matrix's axis and margins, and its width per class (10 classes: 300 px).
NARROW_SAMPLES_PX, MATRIX_AXIS_PX, MATRIX_CLASS_PX = 360, 80, 30
ROWS = 2
PER_PAGE = PER_ROW * ROWS
RIGHT = (0, 158, 115)
WRONG = (213, 94, 0)
INK = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (20, 20, 20)])
COUNTS = pg.ColorMap([0.0, 1.0], [(255, 255, 255), FORWARD])


class SamplesView(QWidget):
    """Entry point: :meth:`render` (the snapshot's batch, the data's classes, the frame's confusion matrix).

    :meth:`show_page` turns the pages; :attr:`sample_selected` announces a clicked sample.
    """

    sample_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        bar.addWidget(self.message, 1)
        self.previous, self.next = QPushButton("◀", self), QPushButton("▶", self)
        texts.bind(self.previous.setToolTip, "Previous samples of the batch")
        texts.bind(self.next.setToolTip, "Next samples of the batch")
        self.page_label = QLabel(self)
        self.show_confusion = QCheckBox(self)
        texts.bind(self.show_confusion.setText, "Confusion matrix")
        self.show_confusion.setChecked(True)
        bar.addWidget(self.previous)
        bar.addWidget(self.page_label)
        bar.addWidget(self.next)
        bar.addWidget(self.show_confusion)
        layout.addLayout(bar)
        self.plots = plot_area(self, layout)
        self.cells: list = []
        self.per_row = 0
        self.images = True  # whether the cells have an image row (image data) or only their probability bars
        # What each cell shows now: a frame changes only what differs (a title or an axis set again makes
        # pyqtgraph lay the whole grid out and redraw every axis).
        self._shown: dict[tuple[int, str], object] = {}
        self._brushes = {True: pg.mkBrush(*RIGHT), False: pg.mkBrush(150, 150, 150)}
        self.cm_texts: list[pg.TextItem] = []
        self._layout_now: tuple[int, bool] | None = None  # (samples per row, matrix by default) laid out now
        self._build(PER_ROW)
        self.class_names: tuple[str, ...] = ()
        self.data: DataContext | None = None
        self.confusion: np.ndarray | None = None
        self.marks: list[bool] = []  # right or wrong, for the samples on the page
        self.page = 0
        self.selected = 0
        self._snapshot: Snapshot | None = None
        self.show_confusion.toggled.connect(lambda _: self._build(self.per_row, force=True))
        self.previous.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next.clicked.connect(lambda: self.show_page(self.page + 1))
        self.plots.scene().sigMouseClicked.connect(self._clicked)
        texts.on_change(self._retranslate)
        display().on_change(self, self._on_display)

    @property
    def per_page(self) -> int:
        return self.per_row * ROWS

    def _on_display(self) -> None:
        self._apply_layout(force=True)
        self._retranslate()

    def _layout(self) -> tuple[int, bool]:
        """``(samples per row, whether the confusion matrix shows by default)`` for this mode, width and data:
        in presentation mode large samples and the matrix on request; in a narrow view fewer samples, and the
        matrix only where it fits beside them (the check box shows it on request)."""
        if display().settings.presentation:
            return PRESENTATION_PER_ROW, False
        if self.width() >= NARROW_PX:
            return PER_ROW, True
        classes = max(2, len(getattr(self, "class_names", ())))
        return PRESENTATION_PER_ROW, self.width() >= NARROW_SAMPLES_PX + MATRIX_AXIS_PX + MATRIX_CLASS_PX * classes

    def _apply_layout(self, force: bool = False) -> bool:
        """Lay the view out again when its mode, width or data call for another layout (the user's choice of
        the matrix stands until then)."""
        layout = self._layout()
        if layout == self._layout_now and not force:
            return False
        self._layout_now = layout
        per_row, matrix = layout
        self.show_confusion.blockSignals(True)
        self.show_confusion.setChecked(matrix)
        self.show_confusion.blockSignals(False)
        self._build(per_row, force=True)
        self.page = min(self.selected // self.per_page, self.pages - 1)  # the followed sample stays in view
        return True

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self._apply_layout() and self._snapshot is not None:
            self._show_samples(self._snapshot)

    def _build(self, per_row: int, force: bool = False, images: bool | None = None) -> None:
        """Lay out ``per_row`` × ROWS sample cells (image above its probability bars; only the bars for data
        that are no images, which would otherwise leave the images' rows empty) and the confusion matrix."""
        images = self.images if images is None else images
        if per_row == self.per_row and images == self.images and not force:
            return
        self.plots.clear()
        self.per_row, self.cells, self.images = per_row, [], images
        self._shown = {}
        for k in range(per_row * ROWS):
            r, c = divmod(k, per_row)
            img_plot = image = None  # image data only
            if images:
                img_plot = self.plots.addPlot(row=2 * r, col=c)
                img_plot.hideAxis("left")
                img_plot.hideAxis("bottom")
                img_plot.setAspectLocked(True)
                img_plot.setMouseEnabled(False, False)
                img_plot.hideButtons()
                image = pg.ImageItem()
                image.setColorMap(INK)
                img_plot.addItem(image)
            bar_plot = display().style_plot(self.plots.addPlot(row=2 * r + 1, col=c))
            bar_plot.setYRange(0, 1)
            bar_plot.hideAxis("left")  # probabilities: 0 to 1, the bars' heights say it
            bar_plot.setMouseEnabled(False, False)
            bar_plot.hideButtons()
            bars = pg.BarGraphItem(x=[], height=[], width=0.8)
            bar_plot.addItem(bars)
            self.cells.append((img_plot, image, bar_plot, bars))
        for r in range(ROWS):  # the images larger than their bars
            self.plots.ci.layout.setRowStretchFactor(2 * r, 3 if images else 0)
            self.plots.ci.layout.setRowStretchFactor(2 * r + 1, 2)
        self.cm_plot = display().style_plot(self.plots.addPlot(row=0, col=per_row, rowspan=2 * ROWS))
        self.cm_plot.setTitle(tr("Confusion matrix (validation)"))
        self.cm_plot.invertY(True)
        self.cm_plot.setAspectLocked(True)
        self.cm_plot.setLabel("left", tr("true class"))
        self.cm_plot.setLabel("bottom", tr("predicted class"))
        self.cm_image = pg.ImageItem()
        self.cm_image.setColorMap(COUNTS)
        self.cm_plot.addItem(self.cm_image)
        self.cm_texts = []
        self.cm_plot.setVisible(self.show_confusion.isChecked())
        if not self.show_confusion.isChecked():
            self.plots.ci.removeItem(self.cm_plot)
        else:
            self.plots.ci.layout.setColumnStretchFactor(per_row, max(2, per_row // 2))
        if getattr(self, "data", None) is not None:
            self._set_data(self.data, keep_confusion=True)

    def _retranslate(self) -> None:
        self.cm_plot.setLabel("left", tr("true class"))
        self.cm_plot.setLabel("bottom", tr("predicted class"))
        if self.data is not None:
            self.class_names = class_names_shown(self.data.class_names)
        if self.confusion is None:
            self.cm_plot.setTitle(tr("Confusion matrix (validation)"))
        else:
            self._show_confusion(self.confusion)
        if self._snapshot is not None:
            self._show_samples(self._snapshot)

    def render(self, frame: Frame) -> None:
        if frame.data is not self.data and frame.data is not None:
            self._set_data(frame.data)
            self._apply_layout()  # the matrix's room depends on the number of classes
        if frame.snapshot is not None and frame.snapshot is not self._snapshot:
            self._snapshot = frame.snapshot
            self._show_samples(frame.snapshot)
        if frame.confusion is not None and frame.confusion is not self.confusion:
            self._show_confusion(frame.confusion)

    @property
    def pages(self) -> int:
        snap = self._snapshot
        return 1 if snap is None or snap.x is None else max(1, -(-len(snap.x) // self.per_page))

    def show_page(self, page: int) -> None:
        """Show page ``page`` (0-based) of the batch's samples."""
        self.page = max(0, min(page, self.pages - 1))
        if self._snapshot is not None:
            self._show_samples(self._snapshot)

    def select_sample(self, sample: int) -> None:
        """Mark ``sample`` as the one shown elsewhere (its page comes to the front)."""
        self.selected = max(0, int(sample))
        self.page = self.selected // self.per_page
        if self._snapshot is not None:
            self._show_samples(self._snapshot)

    def _set_data(self, data: DataContext, keep_confusion: bool = False) -> None:
        self.data = data
        if not keep_confusion:  # a new session: nothing of the previous data's matrix may stay on screen
            self.confusion = None
            self.cm_image.clear()
            self.cm_plot.setTitle(tr("Confusion matrix (validation)"))
        self.class_names = class_names_shown(data.class_names)
        n = len(self.class_names)
        for t in self.cm_texts:
            self.cm_plot.removeItem(t)
        self.cm_texts = []
        self._shown.pop("matrix font", None)  # new text items: their font is set with their first counts
        if n and n <= 20:
            for i in range(n):
                for j in range(n):
                    t = pg.TextItem("", color=(20, 20, 20), anchor=(0.5, 0.5))
                    t.setPos(j + 0.5, i + 0.5)
                    self.cm_plot.addItem(t)
                    self.cm_texts.append(t)
            ticks = [(k + 0.5, str(k)) for k in range(n)]
            self.cm_plot.getAxis("left").setTicks([ticks])
            self.cm_plot.getAxis("bottom").setTicks([ticks])
        if keep_confusion and self.confusion is not None:
            self._show_confusion(self.confusion)

    def _hide_cells(self) -> None:
        for img_plot, _, bar_plot, _ in self.cells:
            for plot in (img_plot, bar_plot):
                if plot is not None:
                    plot.hide()

    def _show_samples(self, snap: Snapshot) -> bool:
        classification = bool(self.class_names)
        if snap.x is None or snap.output is None or not classification:
            self.message.setText(tr("Samples and predictions appear once a batch has gone forward "
                                    "(classification data only)."))
            self._hide_cells()
            self.page_label.setText("")
            return False
        probs = snap.output
        if probs.shape[1] == 1:
            probs = np.hstack([1 - probs, probs])
        truth = class_indices(snap.y)
        pred = probs.argmax(axis=1)
        self.page = min(self.page, self.pages - 1)
        first = self.page * self.per_page
        self.marks = []
        image_like = snap.x.ndim >= 3 or (snap.x.shape[1] >= 64 and int(np.sqrt(snap.x.shape[1])) ** 2 ==
                                          snap.x.shape[1])
        if image_like != self.images:  # a new kind of data (never from a click: the batch is the same)
            self._build(self.per_row, images=image_like)
        d = display()
        for k, (img_plot, image, bar_plot, bars) in enumerate(self.cells):
            n = first + k
            if n >= len(snap.x):
                for plot in (img_plot, bar_plot):
                    if plot is not None:
                        plot.hide()
                continue
            if img_plot is not None:
                img_plot.show()
            bar_plot.show()
            right = bool(pred[n] == truth[n])
            self.marks.append(right)
            if image_like:
                x = snap.x[n]
                x = x.reshape(int(np.sqrt(x.size)), -1) if x.ndim == 1 else x.mean(axis=2) if x.ndim == 3 else x
                image.setImage(x.T[:, ::-1])
            color = RIGHT if right else WRONG
            # Always two lines (the second names a wrong prediction): the grid keeps its layout.
            title = (f"<span style='color:rgb{color}'>{n}: {'✓' if right else '✗'} {self._name(truth[n])}"
                     + f"<br>{'&nbsp;' if right else '→ ' + self._name(pred[n])}</span>")
            headed = img_plot if image_like else bar_plot
            self._title(k, headed, title, d.css_pt("small"))
            self._border(k, headed, n == self.selected, d.line(3))
            brushes = [self._brushes[c == truth[n]] for c in range(probs.shape[1])]
            bars.setOpts(x=np.arange(probs.shape[1]), height=probs[n], brushes=brushes)
            if self._shown.get((k, "classes")) != probs.shape[1]:
                self._shown[(k, "classes")] = probs.shape[1]
                step = 1 if probs.shape[1] <= 4 else 3
                bar_plot.getAxis("bottom").setTicks([[(c, str(c)) for c in range(0, probs.shape[1], step)]])
        last = min(first + self.per_page, len(snap.x))
        right_all = int((pred == truth).sum())
        self.message.setText(tr("Batch {batch}: {right} of {count} right · green bar: the true class · click a "
                                "sample to follow it").format(
            batch=snap.batch + 1, right=right_all, count=len(snap.x)))
        self.page_label.setText(tr("samples {first}–{last} of {count}").format(first=first, last=last - 1,
                                                                               count=len(snap.x)))
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < self.pages - 1)
        return True

    def _title(self, k: int, plot, html: str, size: str) -> None:
        key = (k, "title" if plot is self.cells[k][0] else "bar title")
        if self._shown.get(key) != (html, size):
            self._shown[key] = (html, size)
            plot.setTitle(html, size=size)

    def _border(self, k: int, plot, selected: bool, width: float) -> None:
        key = (k, "border" if plot is self.cells[k][0] else "bar border")
        if self._shown.get(key) != (selected, width):
            self._shown[key] = (selected, width)
            plot.getViewBox().setBorder(pg.mkPen(BACKWARD, width=width) if selected else None)

    def _clicked(self, event) -> None:
        snap = self._snapshot
        if snap is None or snap.x is None:
            return
        pos = event.scenePos()
        for k, (img_plot, _, bar_plot, _) in enumerate(self.cells):
            n = self.page * self.per_page + k
            hit = any(p is not None and p.isVisible() and p.sceneBoundingRect().contains(pos)
                      for p in (img_plot, bar_plot))
            if hit and n < len(snap.x):
                self.select_sample(n)
                self.sample_selected.emit(n)
                return

    def _name(self, c: int) -> str:
        return self.class_names[int(c)] if int(c) < len(self.class_names) else str(c)

    def _show_confusion(self, cm: np.ndarray) -> None:
        self.confusion = cm
        self.cm_image.setImage(cm.T.astype(float), levels=(0, max(1, cm.max())))
        font = display().font("small")
        refont = self._shown.get("matrix font") != font.toString()
        self._shown["matrix font"] = font.toString()
        for t, value in zip(self.cm_texts, cm.ravel()):
            text = str(value)
            if t.toPlainText() != text:  # most counts change by a few, some not at all
                t.setText(text)
            if refont:
                t.setFont(font)
        self._title_confusion(cm)

    def _title_confusion(self, cm: np.ndarray) -> None:
        acc = np.trace(cm) / max(cm.sum(), 1)
        # Two short lines: one long one set the matrix's least width and pushed it off a narrow view.
        self.cm_plot.setTitle(tr("Confusion matrix (validation)") + "<br>" + tr(
            "{n} samples · accuracy {acc}").format(n=f"{cm.sum():,}", acc=f"{acc:.1%}"))
