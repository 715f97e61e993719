"""The controller: owns the dataset, the model and the training session; views only get snapshots."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QThread, QTimer, Signal

from app.config import (DataConfig, LayerRow, ModelSpec, TrainConfig, build_model, default_loss, make_session,
                        optimizer_class_name, prepare)
from app.threads import PaintGate, end_thread, gil_bound, start_worker
from app.training_changes import check_optimizer, continue_session, describe_change
from app.validation import evaluate_test
from app.worker import RunWorker
from core.datasets import Dataset, DatasetError
from core.stepper import Snapshot, TrainingDiverged, TrainingSession
from widgets.i18n import divergence_text, phase_text, snapshot_phase_text, tr

REDRAW_INTERVAL_MS = 33  # ~30 Hz


class TrainingController(QObject):
    """Everything the window can ask for, and the signals views listen to.

    Intents (``step_phase``, ``run``, ``load_data``...) come from widgets via
    the window; results leave as signals. Training runs on a worker thread and
    redraws are coalesced to ~30 Hz, so the event loop never waits.
    """

    snapshot_ready = Signal(object)        # Snapshot, at most ~30/s
    dataset_changed = Signal(object)       # Dataset
    model_changed = Signal(object)         # compiled core model (for the summary)
    session_changed = Signal(object)       # TrainingSession (new or reset)
    running_changed = Signal(bool)
    status_changed = Signal(dict)
    error = Signal(str, str)               # title, message
    info = Signal(str)
    test_evaluated = Signal(dict)          # the test set's loss/metrics, with "step" and "samples"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data_config = DataConfig()
        self.dataset: Dataset | None = None
        self.spec = ModelSpec()
        self.train_config = TrainConfig()
        self.model = None
        self.session: TrainingSession | None = None
        self.prepared = None                # app.config.Prepared: the arrays the session trains on
        self._speed: float | None = None    # the run speed of the last run (resumed after a change)
        self.latest: Snapshot | None = None
        self._pending: Snapshot | None = None
        self._thread: QThread | None = None
        self.paint_gate = PaintGate()
        self._worker: RunWorker | None = None
        self.snapshots_published = 0
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_INTERVAL_MS)
        self._timer.timeout.connect(self._flush)
        self._timer.start()

    # --- state ------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._thread is not None

    @property
    def has_progress(self) -> bool:
        return self.session is not None and self.session.max_step > 0

    def status(self) -> dict:
        s = self.session
        if s is None:
            return {"ready": False}
        snap = self.latest
        return {"ready": True, "step": s.step, "epoch": s.epoch + 1, "epochs": s.epochs,
                "batch": s.batch + 1, "batches": s.batches_per_epoch,
                "phase": snapshot_phase_text(snap) if snap else phase_text("start"),
                "loss": None if snap is None else snap.loss, "device": s.engine.ops.describe(),
                "running": self.running, "max_step": s.max_step,
                "diverged": divergence_text(s.divergence) if s.divergence else ""}

    # --- configuration ---------------------------------------------------------
    def load_data(self, config: DataConfig) -> bool:
        """Load data; on failure report it and keep everything as it was."""
        try:
            dataset = config.load()
            if len(dataset) < 2:
                raise DatasetError("the data set has fewer than 2 samples.")
        except (DatasetError, ValueError) as exc:
            self.error.emit(tr("Could not load the data"), str(exc))
            return False
        self.pause(wait=True)
        old = (self.data_config, self.dataset, self.train_config, self.spec)
        self.data_config, self.dataset = config, dataset
        loss = self.train_config.loss
        if not _loss_fits(loss, dataset):
            loss = default_loss(dataset)
        self.train_config = replace(self.train_config, loss=loss)
        self.spec = self.spec.fitted_to(dataset, loss)
        self.dataset_changed.emit(dataset)
        if not self.rebuild():
            self.data_config, self.dataset, self.train_config, self.spec = old
            if self.dataset is not None:
                self.dataset_changed.emit(self.dataset)
            return False
        return True

    def set_model(self, spec: ModelSpec) -> bool:
        return self._apply(spec=spec)

    def set_training(self, config: TrainConfig) -> bool:
        """Apply training settings, keeping all the change allows (see app.training_changes)."""
        change = describe_change(self.train_config, config)
        if self._restarts(change):
            return self._apply(train=config)
        try:
            check_optimizer(config)
            resume = self.running
            self.pause(wait=True)
            if change.hyper:
                self.session.set_hyperparameters(**change.hyper)
            if change.new_session:
                self.session = continue_session(self.session, self.dataset, self.prepared, self.train_config, config)
            self.session.epochs = config.epochs
        except (ValueError, TypeError, RuntimeError) as exc:
            self.error.emit(tr("Invalid training setting"), str(exc))
            return False
        self.train_config = config
        self.model_changed.emit(self.model)  # the Code dock and the panels show what trains now
        if change.new_session:
            self.session_changed.emit(self.session)
            self._publish(self.session.snapshot(), now=True)
        self.status_changed.emit(self.status())
        if resume and self.session.step < self.session.epochs * self.session.batches_per_epoch:
            self._start(None, self._speed)
        return True

    def _restarts(self, change) -> bool:
        # A session reopened from a file has no prepared arrays to continue on with a new batch size.
        return change.restart or self.session is None or (change.new_session and self.prepared is None)

    def discards_progress(self, config: TrainConfig) -> bool:
        """Would these training settings throw away training progress (a new model)?"""
        return self.has_progress and self._restarts(describe_change(self.train_config, config))

    def evaluate_test(self) -> dict | None:
        """``model.evaluate(x_test, y_test)`` on the file's separate test set, at the current step."""
        if self.session is None or self.prepared is None or self.prepared.x_test is None:
            self.error.emit(tr("No test set"), tr("This data has no separate test set (such as t10k files)."))
            return None
        resume = self.running
        self.pause(wait=True)
        try:
            logs = evaluate_test(self.model, self.prepared, self.train_config.loss, self.dataset.num_classes,
                                 self.session.batch_size)
        except (ValueError, RuntimeError) as exc:
            self.error.emit(tr("Could not evaluate the test set"), str(exc))
            return None
        finally:
            if resume:
                self._start(None, self._speed)
        result = {**logs, "step": self.session.step, "samples": len(self.prepared.x_test)}
        self.test_evaluated.emit(result)
        return result

    def set_data_options(self, config: DataConfig) -> bool:
        """Split/normalization changes (same source): rebuild the session."""
        old = self.data_config
        self.data_config = config
        if not self.rebuild():
            self.data_config = old
            return False
        return True

    def _apply(self, spec: ModelSpec | None = None, train: TrainConfig | None = None) -> bool:
        self.pause(wait=True)
        old = (self.spec, self.train_config)
        if spec is not None:
            self.spec = spec
        if train is not None:
            self.train_config = train
        if not self.rebuild():
            self.spec, self.train_config = old
            self.rebuild()
            return False
        return True

    def rebuild(self) -> bool:
        """Build the model and a fresh session from the current configuration."""
        if self.dataset is None:
            return False
        try:
            model = build_model(self.spec, self.dataset, self.train_config)
            prepared = prepare(self.dataset, self.data_config)
            session = make_session(model, self.dataset, prepared, self.train_config)
        except (ValueError, TypeError, RuntimeError) as exc:
            self.error.emit(tr("Cannot build this model"), str(exc))
            return False
        self.model, self.session, self.prepared = model, session, prepared
        if model.backend_message:
            self.info.emit(model.backend_message)
        self.model_changed.emit(model)
        self.session_changed.emit(session)
        self._publish(session.snapshot(), now=True)  # a new session shows at once, not on the next tick
        return True

    def adopt_session(self, session: TrainingSession, extras: dict) -> None:
        """Take over a session reopened from a file (its data reference becomes the current data)."""
        from core.layers import Dense

        self.pause(wait=True)
        ref = extras.get("data_ref") or {}
        fields = {k: v for k, v in ref.items() if k in DataConfig.__dataclass_fields__}
        if fields:
            self.data_config = DataConfig(**fields)
            try:
                self.dataset = self.data_config.load()
                self.dataset_changed.emit(self.dataset)
            except (DatasetError, ValueError):
                pass  # the session carries its own arrays; the preview just stays as it was
        self.model, self.session = session.model, session
        self.prepared = None  # the file carries its own arrays: no test set, a new batch size restarts
        self.spec = ModelSpec(tuple(LayerRow(la.units, la.activation.name) for la in session.model.compute_layers
                                if isinstance(la, Dense)))
        opt = session.model.optimizer
        self.train_config = replace(self.train_config, loss=session.model.loss.name,
                                    optimizer=optimizer_class_name(type(opt).__name__),
                                    hyper={k: v for k, v in opt.get_config().items()
                                           if isinstance(v, (int, float, bool)) and v is not None},
                                    batch_size=session.batch_size, epochs=session.epochs)
        self.model_changed.emit(self.model)
        self.session_changed.emit(session)
        self._publish(session.snapshot(), now=True)

    # --- stepping (GUI thread; each is a few milliseconds) -------------------------
    def _ready(self) -> bool:
        return self.session is not None and not self.running

    def step_phase(self) -> None:
        if self._ready():
            self._guarded(self.session.step_phase)

    def step_batch(self) -> None:
        if self._ready():
            self._guarded(self.session.step_batch)

    def seek(self, step: int) -> None:
        if self._ready():
            self._guarded(lambda: self.session.seek(max(0, min(step, self.session.max_step))))

    def reset(self) -> None:
        self.pause(wait=True)
        if self.session is not None:
            self._guarded(self.session.reset)
            self.session_changed.emit(self.session)

    def _guarded(self, action) -> None:
        try:
            snap = action()
        except TrainingDiverged as exc:
            self.error.emit(tr("Training diverged"), divergence_text(exc.divergence))
            return
        except (ValueError, RuntimeError) as exc:
            self.error.emit(tr("Training failed"), str(exc))
            return
        self._publish(snap, now=True)
        if snap.divergence:
            self.error.emit(tr("Training diverged"), divergence_text(snap.divergence))

    # --- running (worker thread) --------------------------------------------------------
    def step_epoch(self) -> None:
        if self._ready():
            s = self.session
            remaining = (s.epoch + 1) * s.batches_per_epoch - s.step
            self._start(remaining, None)

    def run(self, batches_per_second: float | None = None) -> None:
        self._speed = batches_per_second
        if self._ready():
            s = self.session
            if s.step >= s.epochs * s.batches_per_epoch:
                s.epochs += self.train_config.epochs  # "run" again: train the configured epochs once more
            self._start(None, batches_per_second)

    def _start(self, max_steps: int | None, batches_per_second: float | None) -> None:
        if self.session.divergence is not None:
            self.error.emit(tr("Training diverged"),
                            divergence_text(self.session.divergence) + " " + tr("Reset or rewind first."))
            return
        self.paint_gate.enabled = gil_bound(self.session)
        worker = RunWorker(self.session, max_steps, batches_per_second, self.paint_gate)
        worker.snapshot.connect(self._on_worker_snapshot)
        self._worker = worker
        self._thread = start_worker(self, worker, self._finish_thread)
        self.running_changed.emit(True)

    def pause(self, wait: bool = False) -> None:
        """Stop after the current batch; with ``wait``, return once stopped."""
        if self.session is not None:
            self.session.request_stop()
        if wait and self._thread is not None:
            self._finish_thread("paused")

    def _on_worker_snapshot(self, snap: Snapshot) -> None:
        self._publish(snap)

    def _finish_thread(self, reason: str) -> None:
        sender = self.sender()
        if self._thread is None or (isinstance(sender, RunWorker) and sender is not self._worker):
            return  # the queued "finished" of a worker already ended by pause(wait=True)
        end_thread(self._thread, self._worker, 10_000)
        self._thread = self._worker = None
        self.running_changed.emit(False)
        # Views throttled during the run (curves at 5 Hz) must show the final state now.
        if self._pending is None and self.latest is not None:
            self._pending = self.latest
        self._flush()
        if reason == "diverged" and self.session.divergence is not None:
            self.error.emit(tr("Training diverged"), divergence_text(self.session.divergence))
        elif reason.startswith("error"):
            self.error.emit(tr("Training failed"), reason[len("error: "):])
        self.status_changed.emit(self.status())

    def shutdown(self) -> None:
        """Stop training and wait for the worker (called when the window closes)."""
        self._timer.stop()
        self.pause(wait=True)

    # --- publishing -------------------------------------------------------------------
    def _publish(self, snap: Snapshot, now: bool = False) -> None:
        self._pending = snap
        if now:
            self._flush()

    def _flush(self) -> None:
        snap, self._pending = self._pending, None
        if snap is None:
            return
        self.latest = snap
        self.snapshots_published += 1
        with self.paint_gate.closed():  # a GIL-bound training waits while the views redraw
            self.snapshot_ready.emit(snap)
            self.status_changed.emit(self.status())


def _loss_fits(loss: str, data: Dataset) -> bool:
    if data.task == "regression":
        return loss in ("mean_squared_error", "mean_absolute_error", "huber")
    if loss == "binary_crossentropy":
        return data.task == "binary"
    return loss in ("sparse_categorical_crossentropy", "categorical_crossentropy") or data.task == "binary"

