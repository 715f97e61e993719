"""Compare mode: two (or four) settings trained side by side on the main window's data, curves overlaid.

The window takes the main window's data, split, layer sizes, loss and seed;
each side changes the hidden activation, the optimizer and learning rate, or
the batch size (:mod:`app.compare_setup`). Training runs on a worker thread
that advances both sides by the same number of samples and sends immutable
:class:`~core.compare.ComparisonFrame` objects, at most 15 a second.
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton, QVBoxLayout,
                               QWidget)

from app.screen_fit import ScreenFit
from app.threads import PaintGate, end_thread, gil_bound, start_worker
from app.compare_setup import MAX_SIDES, PRESETS, base_variant, build_comparison, side_labels
from core.compare import Comparison
from widgets.compare_side import CompareSideEditor
from widgets.compare_view import SIDE_COLORS, CompareView
from widgets.doctor_banner import DoctorBanner
from widgets.fitting import wrap_labels
from widgets.i18n import Texts, tr
from widgets.number_fields import int_spin_box

FRAME_INTERVAL_S = 0.2  # curves over epochs: 5 frames a second is plenty, and painting four plots costs ~50 ms


class CompareWorker(QObject):
    """Advances a :class:`Comparison` until done or stopped; emits frames and a finish reason."""

    frame = Signal(object)
    finished = Signal(str)  # "done", "paused" or "error: …"

    def __init__(self, comparison: Comparison, gate: PaintGate | None = None) -> None:
        super().__init__()
        self.comparison = comparison
        self.gate = gate or PaintGate()
        self._stop = threading.Event()
        # ~60 slices an epoch: smooth curves, and a pause is honoured within a slice.
        self.chunk = max(1, comparison.n // 60)

    def stop(self) -> None:
        self._stop.set()

    @Slot()
    def run(self) -> None:
        c = self.comparison
        try:
            last = 0.0
            while not c.done and not self._stop.is_set():
                c.advance(self.chunk, between_batches=self.gate.wait)
                if time.perf_counter() - last >= FRAME_INTERVAL_S:
                    self.frame.emit(c.frame())
                    last = time.perf_counter()
            self.frame.emit(c.frame())
            self.finished.emit("done" if c.done else "paused")
        except Exception as exc:  # shown to the user; the comparison keeps its last state
            self.finished.emit(f"error: {exc}")


class CompareWindow(QMainWindow):
    """The compare-mode window. Widgets emit intents; this window owns the comparison and its thread."""

    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.controller = controller
        self.comparison: Comparison | None = None
        self._thread: QThread | None = None
        self._worker: CompareWorker | None = None
        self.paint_gate = PaintGate()
        self._pending_frame = None
        self.last_error: tuple[str, str] | None = None
        texts = Texts(self)
        texts.bind(self.setWindowTitle, "Propscope · compare settings side by side")
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.header = QLabel(central)
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        bar = QHBoxLayout()
        bar.addWidget(texts.label("Comparison", central))
        self.preset = QComboBox(central)
        for key, (title, _) in PRESETS.items():
            self.preset.addItem(tr(title), key)
        bar.addWidget(self.preset)
        bar.addWidget(texts.label("Epochs", central))
        self.epochs = int_spin_box(central, 1, 1000)
        self.epochs.setValue(5)
        bar.addWidget(self.epochs)
        self.run_button = QPushButton(central)
        self.reset_button = QPushButton(central)
        texts.bind(self.reset_button.setText, "Reset (take the main window's settings)")
        bar.addWidget(self.run_button)
        bar.addWidget(self.reset_button)
        bar.addStretch(1)
        layout.addLayout(bar)
        sides = QHBoxLayout()
        self.sides = [CompareSideEditor(letter, color, central) for letter, color in zip("ABCD", SIDE_COLORS)]
        for editor in self.sides:
            sides.addWidget(editor)
        self.side_a, self.side_b = self.sides[:2]
        self.side_count = 2
        layout.addLayout(sides)
        self.doctor = DoctorBanner(central)  # which side stopped learning, and why
        layout.addWidget(self.doctor)
        self.view = CompareView(central)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        wrap_labels(central)
        self.screen_fit = ScreenFit(self, (1300, 860))  # or less, inside the screen
        self.preset.activated.connect(lambda _: self.apply_preset(self.preset.currentData()))
        self.run_button.clicked.connect(self.toggle_run)
        self.reset_button.clicked.connect(self.rebuild)
        for editor in self.sides:
            editor.changed.connect(self.rebuild)
        self.epochs.valueChanged.connect(self._on_epochs)
        texts.on_change(self._retranslate)
        self._retranslate()
        self.apply_preset("activation")

    # --- building ----------------------------------------------------------------------------
    def apply_preset(self, key: str) -> bool:
        """Set both sides to one of the course's comparisons, on the main window's current settings."""
        c = self.controller
        self.preset.setCurrentIndex(self.preset.findData(key))
        variants = PRESETS[key][1](base_variant(c.spec, c.train_config))[:MAX_SIDES]
        self.side_count = len(variants)
        for editor, variant in zip(self.sides, variants):
            editor.set_variant(variant)
        for k, editor in enumerate(self.sides):
            editor.setVisible(k < self.side_count)
        return self.rebuild()

    def rebuild(self) -> bool:
        """A fresh comparison from the main window's data and settings and the two sides."""
        self.stop(wait=True)
        c = self.controller
        if c.dataset is None:
            self._error(tr("Cannot compare"), tr("Load data in the main window first."))
            return False
        variants = tuple(editor.variant() for editor in self.sides[:self.side_count])
        try:
            comparison = build_comparison(c.dataset, c.data_config, c.spec, c.train_config, variants,
                                          side_labels(variants, tr("full batch"), tr("batch {n}")), self.epochs.value())
        except (ValueError, TypeError, RuntimeError) as exc:
            self._error(tr("Cannot compare"), str(exc))
            return False
        self.comparison = comparison
        self.doctor.reset()
        self._retranslate()
        self.view.set_frame(comparison.frame())
        return True

    def _on_epochs(self, epochs: int) -> None:
        """Only the epoch count changes: the sides keep their training (and a run continues)."""
        if self.comparison is None:
            self.rebuild()
        else:
            self.comparison.set_epochs(epochs)

    # --- running -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None

    def toggle_run(self) -> None:
        if self.running:
            self.stop()
        else:
            self.start()

    def start(self) -> None:
        if self.comparison is None or self.running:
            return
        if self.comparison.done:
            self.comparison.set_epochs(self.comparison.epochs + self.epochs.value())  # run again: that many more
        self.paint_gate.enabled = any(gil_bound(s) for s in self.comparison.sessions)
        worker = CompareWorker(self.comparison, self.paint_gate)
        worker.frame.connect(self._show_frame)
        self._worker = worker
        self._thread = start_worker(self, worker, self._finished)
        self._retranslate()

    def _show_frame(self, frame) -> None:
        # Frames that arrive while one is being drawn replace each other: only the newest is drawn.
        pending, self._pending_frame = self._pending_frame, frame
        if pending is None:
            QTimer.singleShot(0, self._draw_frame)

    def _draw_frame(self) -> None:
        frame, self._pending_frame = self._pending_frame, None
        if frame is not None:
            with self.paint_gate.closed():  # a GIL-bound comparison waits while the plots redraw
                self.view.set_frame(frame)
            c = self.comparison
            self.doctor.check(list(zip(c.labels, c.sessions)), force=not self.running)

    def stop(self, wait: bool = False) -> None:
        """Ask the worker to stop after its current slice; with ``wait``, until it has."""
        if self._worker is not None:
            self._worker.stop()
        if wait and self._thread is not None:
            self._finished("paused")

    def _finished(self, reason: str) -> None:
        sender = self.sender()
        if self._thread is None or (isinstance(sender, CompareWorker) and sender is not self._worker):
            return  # the queued "finished" of a worker already ended by stop(wait=True)
        end_thread(self._thread, self._worker, 30_000)
        self._thread = self._worker = None
        self._draw_frame()  # the final frame, if it is still waiting for its turn
        self._retranslate()
        if reason.startswith("error"):
            self._error(tr("Training failed"), reason[len("error: "):])

    # --- texts -----------------------------------------------------------------------------------
    def _retranslate(self) -> None:
        for i in range(self.preset.count()):
            self.preset.setItemText(i, tr(PRESETS[self.preset.itemData(i)][0]))
        self.run_button.setText(tr("Pause") if self.running else tr("Run all"))
        c = self.controller
        if c.dataset is not None:
            sizes = "-".join(str(row.units) for row in c.spec.layers)
            self.header.setText(tr("Every side trains on {data} with layers {sizes}, loss {loss} and seed {seed}: "
                                   "the same batches in the same order, from the same initial weights when "
                                   "the layer sizes agree.").format(data=c.dataset.name, sizes=sizes,
                                                                    loss=c.train_config.loss,
                                                                    seed=c.train_config.seed))

    def _error(self, title: str, message: str) -> None:
        self.last_error = (title, message)
        QMessageBox.warning(self, title, message)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.stop(wait=True)
        super().closeEvent(event)
