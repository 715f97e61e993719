"""Where the batch is: the phase strip (forward → loss → backward → update) and each layer's numbers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QHeaderView, QLabel, QScrollArea, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from core.stepper import Snapshot
from core.stepper.frame import Frame
from widgets.display import display
from widgets.i18n import Texts, divergence_text, phase_text, snapshot_phase_text, tr, tr_noop
from widgets.layer_text import fmt as _fmt
from widgets.layer_text import layer_detail

FORWARD = "#0072B2"   # blue: the signal travels forward
BACKWARD = "#D55E00"  # vermilion: the error travels back
LOSS = "#882288"      # purple: the loss
UPDATE = "#007A5A"    # green: the update
KIND_COLORS = {"forward": FORWARD, "loss": LOSS, "backward": BACKWARD, "update": UPDATE}
DONE = "#BBBBBB"
COLUMNS = [tr_noop("Layer"), tr_noop("Output"), tr_noop("mean a"), tr_noop("std a"), "‖δ‖", "‖∂L/∂W‖",
           "‖ΔW‖ / ‖W‖", tr_noop("Dropout · BatchNorm · penalty")]


class PropagationView(QWidget):
    """Entry point: :meth:`render`. One label per phase, one table row per layer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        texts.bind(self.title.setText, "No training session yet")
        layout.addWidget(self.title)
        # A deep model has dozens of phases (BatchNormalization and Dropout have their own): the strip
        # scrolls sideways instead of widening the window.
        self.strip_area = QScrollArea(self)
        self.strip_area.setWidgetResizable(True)
        self.strip_area.setFrameShape(QFrame.Shape.NoFrame)
        self.strip_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        strip_widget = QWidget(self.strip_area)
        self.strip = QHBoxLayout(strip_widget)
        self.strip.setContentsMargins(0, 0, 0, 0)
        self.strip.setSpacing(4)
        self.strip_area.setWidget(strip_widget)
        layout.addWidget(self.strip_area)
        self.phase_labels: list[QLabel] = []
        self.table = QTableWidget(0, len(COLUMNS), self)
        texts.bind(lambda _: self.table.setHorizontalHeaderLabels([tr(c) for c in COLUMNS]), "Layer")
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):  # the numbers take their width; the last column's text wraps
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == len(COLUMNS) - 1 else
                                        QHeaderView.ResizeMode.ResizeToContents)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.loss_label = QLabel(self)
        layout.addWidget(self.loss_label)
        self.highlighted_row: int | None = None
        self.snapshot: Snapshot | None = None
        texts.on_change(lambda: self.snapshot is not None and self._draw(self.snapshot))
        display().on_change(self, self._restyle)
        self._restyle()

    def _restyle(self) -> None:
        self.title.setFont(display().font("headline", bold=True))
        self.phase_labels = [lab for lab in self.phase_labels if lab.parent() is not None]
        if self.snapshot is not None:
            labels, self.phase_labels = self.phase_labels, []  # built again at the new size
            for lab in labels:
                self.strip.removeWidget(lab)
                lab.hide()
                lab.deleteLater()
            self._draw(self.snapshot)

    @staticmethod
    def _phases(snap: Snapshot) -> list[tuple[str, int | None]]:
        """The batch's phases (one label each); Flatten and the input have none."""
        if snap.phases:
            return list(snap.phases)
        n = len(snap.layers)
        return ([("forward", i) for i in range(n)] + [("loss", None)] + [("backward", i) for i in reversed(range(n))]
                + [("update", None)])

    def _ensure_strip(self, snap: Snapshot) -> None:
        labels = [phase_text(kind, None if i is None else snap.layers[i].name) for kind, i in self._phases(snap)]
        if [lab.text() for lab in self.phase_labels] == labels:
            return
        for lab in self.phase_labels:
            self.strip.removeWidget(lab)
            lab.hide()  # deleteLater runs later; until then the old label must not show
            lab.deleteLater()
        self.phase_labels = []
        while self.strip.count():  # the trailing stretch
            self.strip.takeAt(0)
        for text in labels:
            lab = QLabel(text, self.strip.parentWidget())
            lab.setMargin(4)
            self.strip.addWidget(lab)
            self.phase_labels.append(lab)
        self.strip.addStretch(1)
        if self.phase_labels:  # one row of labels and room for the scroll bar
            self.strip_area.setFixedHeight(self.phase_labels[0].sizeHint().height()
                                           + self.strip_area.horizontalScrollBar().sizeHint().height() + 4)

    def render(self, frame: Frame) -> None:
        """Show the phase just completed and every layer's values for this batch."""
        if frame.snapshot is not None and frame.snapshot is not self.snapshot:
            self._draw(frame.snapshot)

    def _draw(self, snap: Snapshot) -> None:
        self.snapshot = snap
        self._ensure_strip(snap)
        kinds = [kind for kind, _ in self._phases(snap)]
        done = "#666666" if display().high_contrast else DONE
        for k, lab in enumerate(self.phase_labels):
            if k == snap.phase_index:
                color = KIND_COLORS.get(kinds[k], FORWARD)
                lab.setStyleSheet(f"background:{color}; color:white; font-weight:bold; border-radius:3px")
                self.strip_area.ensureWidgetVisible(lab)
            elif k < snap.phase_index:
                lab.setStyleSheet(f"color:{done}")
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
            cells = [f"{layer.name}\n{layer.kind}{', ' + layer.activation if layer.activation else ''}",
                     "—" if layer.a is None else str(tuple(layer.a.shape)), _fmt(s.act_mean), _fmt(s.act_std),
                     _fmt(s.delta_norm), _fmt(s.grad_norm), _fmt(s.update_ratio), layer_detail(layer, snap.penalties)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if r == snap.phase_layer:
                    item.setBackground(QColor(BACKWARD if snap.phase == "backward" else FORWARD).lighter(180))
                    item.setFont(bold)
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        parts = []
        if snap.loss is not None:
            parts.append(tr("batch loss {value}").format(value=f"{snap.loss:.4f}"))
        if snap.penalties and snap.data_loss is not None:  # as Keras reports it: data loss + every penalty
            terms = " + ".join(f"{k} {v:.4g}" for k, v in snap.penalties.items())
            parts[-1] += " = " + tr("data loss {value}").format(value=f"{snap.data_loss:.4f}") + " + " + terms
        if snap.phase == "loss" and snap.loss_terms is not None:  # the loss function's mean, written out
            parts.append(snap.loss_terms.mean_expression)
        parts += [f"{k} {v:.3f}" for k, v in snap.metrics.items()]
        if snap.epoch_logs:
            parts.append(tr("last epoch:") + " " + ", ".join(f"{k} {v:.4f}" for k, v in snap.epoch_logs.items()))
        parts.append(f"{snap.optimizer}, lr {snap.learning_rate:g} · {snap.device}")
        if snap.divergence:
            parts.insert(0, "⚠ " + divergence_text(snap.divergence))
        self.loss_label.setText("   ·   ".join(parts))
        self.loss_label.setWordWrap(True)
