"""The current batch's samples with the predicted probabilities, and a confusion matrix on validation data."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from core.stepper import Snapshot
from core.stepper.derived import class_indices
from core.stepper.frame import DataContext, Frame
from widgets.common import message_and_plots
from widgets.i18n import Texts, tr
from widgets.palette import FORWARD

SHOWN = 8
RIGHT = (0, 158, 115)
WRONG = (213, 94, 0)
INK = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (20, 20, 20)])
COUNTS = pg.ColorMap([0.0, 1.0], [(255, 255, 255), FORWARD])


class SamplesView(QWidget):
    """Entry point: :meth:`render` (the snapshot's batch, the data's classes, the frame's confusion matrix)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _, self.message, self.plots = message_and_plots(self)
        self.cells = []
        for k in range(SHOWN):
            img_plot = self.plots.addPlot(row=0, col=k)
            img_plot.hideAxis("left")
            img_plot.hideAxis("bottom")
            img_plot.setAspectLocked(True)
            img_plot.setMouseEnabled(False, False)
            image = pg.ImageItem()
            image.setColorMap(INK)
            img_plot.addItem(image)
            bar_plot = self.plots.addPlot(row=1, col=k)
            bar_plot.setYRange(0, 1)
            bar_plot.setMouseEnabled(False, False)
            bars = pg.BarGraphItem(x=[], height=[], width=0.8)
            bar_plot.addItem(bars)
            self.cells.append((img_plot, image, bar_plot, bars))
        texts = Texts(self)
        self.cm_plot = self.plots.addPlot(row=2, col=0, colspan=SHOWN, title=tr("Confusion matrix (validation)"))
        self.cm_plot.invertY(True)
        self.cm_plot.setAspectLocked(True)
        texts.bind(lambda t: self.cm_plot.setLabel("left", t), "true class")
        texts.bind(lambda t: self.cm_plot.setLabel("bottom", t), "predicted class")
        self.cm_image = pg.ImageItem()
        self.cm_image.setColorMap(COUNTS)
        self.cm_plot.addItem(self.cm_image)
        self.cm_texts: list[pg.TextItem] = []
        self.plots.ci.layout.setRowStretchFactor(2, 3)
        self.class_names: tuple[str, ...] = ()
        self.data: DataContext | None = None
        self.confusion: np.ndarray | None = None
        self.marks: list[bool] = []
        self._snapshot: Snapshot | None = None
        texts.on_change(self._retranslate)

    def _retranslate(self) -> None:
        if self.confusion is None:
            self.cm_plot.setTitle(tr("Confusion matrix (validation)"))
        else:
            self._title_confusion(self.confusion)
        if self._snapshot is not None:
            self._show_samples(self._snapshot)

    def render(self, frame: Frame) -> None:
        if frame.data is not self.data and frame.data is not None:
            self._set_data(frame.data)
        if frame.snapshot is not None and frame.snapshot is not self._snapshot:
            self._snapshot = frame.snapshot
            self._show_samples(frame.snapshot)
        if frame.confusion is not None and frame.confusion is not self.confusion:
            self._show_confusion(frame.confusion)

    def _set_data(self, data: DataContext) -> None:
        self.data = data
        # A new session: nothing of the previous data's matrix may stay on screen.
        self.confusion = None
        self.cm_image.clear()
        self.cm_plot.setTitle(tr("Confusion matrix (validation)"))
        self.class_names = tuple(data.class_names)
        n = len(self.class_names)
        for t in self.cm_texts:
            self.cm_plot.removeItem(t)
        self.cm_texts = []
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

    def _show_samples(self, snap: Snapshot) -> bool:
        classification = bool(self.class_names)
        if snap.x is None or snap.output is None or not classification:
            self.message.setText(tr("Samples and predictions appear once a batch has gone forward "
                                    "(classification data only)."))
            for img_plot, _, bar_plot, _ in self.cells:
                img_plot.hide()
                bar_plot.hide()
            return False
        probs = snap.output
        if probs.shape[1] == 1:
            probs = np.hstack([1 - probs, probs])
        truth = class_indices(snap.y)
        pred = probs.argmax(axis=1)
        self.marks = []
        image_like = snap.x.ndim >= 3 or (snap.x.shape[1] >= 64 and int(np.sqrt(snap.x.shape[1])) ** 2 ==
                                          snap.x.shape[1])
        for k, (img_plot, image, bar_plot, bars) in enumerate(self.cells):
            if k >= len(snap.x):
                img_plot.hide()
                bar_plot.hide()
                continue
            img_plot.setVisible(image_like)
            bar_plot.show()
            right = bool(pred[k] == truth[k])
            self.marks.append(right)
            if image_like:
                x = snap.x[k]
                x = x.reshape(int(np.sqrt(x.size)), -1) if x.ndim == 1 else x.mean(axis=2) if x.ndim == 3 else x
                image.setImage(x.T[:, ::-1])
            else:
                image.clear()
            color = RIGHT if right else WRONG
            name = self._name(truth[k])
            guess = self._name(pred[k])
            title = (f"<span style='color:rgb{color}'>{'✓' if right else '✗'} {name}"
                     + ("" if right else f" → {guess}") + "</span>")
            (img_plot if image_like else bar_plot).setTitle(title, size="9pt")
            if image_like:
                bar_plot.setTitle("")
            brushes = [pg.mkBrush(*(RIGHT if c == truth[k] else (170, 170, 170))) for c in range(probs.shape[1])]
            bars.setOpts(x=np.arange(probs.shape[1]), height=probs[k], brushes=brushes)
            step = 1 if probs.shape[1] <= 4 else 3
            bar_plot.getAxis("bottom").setTicks([[(c, str(c)) for c in range(0, probs.shape[1], step)]])
        self.message.setText(tr("Batch {batch}: {right} of {shown} shown right · bars: predicted probability "
                                "per class, green = true class").format(batch=snap.batch + 1, right=sum(self.marks),
                                                                        shown=len(self.marks)))
        return True

    def _name(self, c: int) -> str:
        return self.class_names[int(c)] if int(c) < len(self.class_names) else str(c)

    def _show_confusion(self, cm: np.ndarray) -> None:
        self.confusion = cm
        self.cm_image.setImage(cm.T.astype(float), levels=(0, max(1, cm.max())))
        for t, value in zip(self.cm_texts, cm.ravel()):
            t.setText(str(value))
        self._title_confusion(cm)

    def _title_confusion(self, cm: np.ndarray) -> None:
        acc = np.trace(cm) / max(cm.sum(), 1)
        self.cm_plot.setTitle(tr("Confusion matrix on {n} validation samples · accuracy {acc}").format(
            n=f"{cm.sum():,}", acc=f"{acc:.1%}"))
