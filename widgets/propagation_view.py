"""Where the batch is: the phase strip (forward → loss → backward → update) and each layer's numbers."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from core.stepper import Snapshot
from core.stepper.frame import Frame
from widgets.flow_layout import FlowLayout
from widgets.i18n import Texts, divergence_text, phase_text, snapshot_phase_text, tr, tr_noop

FORWARD = "#0072B2"   # blue: the signal travels forward
BACKWARD = "#D55E00"  # vermilion: the error travels back
DONE = "#BBBBBB"
COLUMNS = [tr_noop("Layer"), tr_noop("Output"), tr_noop("mean a"), tr_noop("std a"), "‖δ‖", "‖∂L/∂W‖",
           "‖ΔW‖ / ‖W‖"]


def _fmt(x: float | None) -> str:
    if x is None or not np.isfinite(x):
        return "—" if x is None else str(x)
    return f"{x:.3g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.2e}"


class PropagationView(QWidget):
    """Entry point: :meth:`render`. One label per phase, one table row per layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        texts.bind(self.title.setText, "No training session yet")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.title.setWordWrap(True)
        self.strip = FlowLayout(spacing=4)  # wraps: 14 phases of a deep net fit any window
        layout.addLayout(self.strip)
        self.phase_labels: list[QLabel] = []
        self.table = QTableWidget(0, len(COLUMNS), self)
        texts.bind(lambda _: self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS]), "Layer")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.loss_label = QLabel(self)
        layout.addWidget(self.loss_label)
        self.highlighted_row: int | None = None
        self.snapshot: Snapshot | None = None
        texts.on_change(lambda: self.snapshot is not None and self._draw(self.snapshot))

    def _ensure_strip(self, snap: Snapshot) -> None:
        names = [la.name for la in snap.layers]
        labels = ([phase_text("forward", n) for n in names] + [phase_text("loss")]
                  + [phase_text("backward", n) for n in reversed(names)] + [phase_text("update")])
        if [lab.text() for lab in self.phase_labels] == labels:
            return
        for lab in self.phase_labels:
            self.strip.removeWidget(lab)
            lab.hide()  # deleteLater runs later; until then the old label must not show
            lab.deleteLater()
        self.phase_labels = []
        for text in labels:
            lab = QLabel(text, self)
            lab.setMargin(4)
            self.strip.addWidget(lab)
            self.phase_labels.append(lab)

    def render(self, frame: Frame) -> None:
        """Show the phase just completed and every layer's values for this batch."""
        if frame.snapshot is not None and frame.snapshot is not self.snapshot:
            self._draw(frame.snapshot)

    def _draw(self, snap: Snapshot) -> None:
        self.snapshot = snap
        self._ensure_strip(snap)
        first_backward = len(snap.layers) + 1  # after every forward phase and the loss
        for k, lab in enumerate(self.phase_labels):
            if k == snap.phase_index:
                color = BACKWARD if k >= first_backward else FORWARD
                lab.setStyleSheet(f"background:{color}; color:white; font-weight:bold; border-radius:3px")
            elif k < snap.phase_index:
                lab.setStyleSheet(f"color:{DONE}")
            else:
                lab.setStyleSheet("")
        where = tr("start (no batch yet)") if snap.phase == "start" else snapshot_phase_text(snap)
        self.title.setText(tr("Epoch {epoch} · batch {batch}/{batches} · step {step} · {where}").format(
            epoch=snap.epoch + 1, batch=snap.batch + 1, batches=snap.batches_per_epoch, step=snap.step, where=where))
        self.table.setRowCount(len(snap.layers))
        self.highlighted_row = snap.phase_layer
        bold = QFont()
        bold.setBold(True)
        for r, layer in enumerate(snap.layers):
            s = layer.stats  # computed at capture (core.stepper.derived)
            cells = [f"{layer.name} ({layer.kind}{', ' + layer.activation if layer.activation else ''})",
                     "—" if layer.a is None else str(tuple(layer.a.shape)), _fmt(s.act_mean), _fmt(s.act_std),
                     _fmt(s.delta_norm), _fmt(s.grad_norm), _fmt(s.update_ratio)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if r == snap.phase_layer:
                    item.setBackground(QColor(BACKWARD if snap.phase == "backward" else FORWARD).lighter(180))
                    item.setFont(bold)
                self.table.setItem(r, c, item)
        parts = []
        if snap.loss is not None:
            parts.append(tr("batch loss {value}").format(value=f"{snap.loss:.4f}"))
        parts += [f"{k} {v:.3f}" for k, v in snap.metrics.items()]
        if snap.epoch_logs:
            parts.append(tr("last epoch:") + " " + ", ".join(f"{k} {v:.4f}" for k, v in snap.epoch_logs.items()))
        parts.append(f"{snap.optimizer}, lr {snap.learning_rate:g} · {snap.device}")
        if snap.divergence:
            parts.insert(0, "⚠ " + divergence_text(snap.divergence))
        self.loss_label.setText("   ·   ".join(parts))
        self.loss_label.setWordWrap(True)
