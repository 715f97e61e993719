"""The controller: owns the settings, the dataset, the model and the training session; views only get frames."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal

from app.adoption import AdoptionMixin
from app.frame_clock import FrameClock, default_clock
from app.opening import load_dataset
from app.publisher import FramePublisher
from app.runner import DIVERGED, PREEMPTED, RunSource, SessionRun, default_runner
from app.session_status import session_status
from app.threads import gil_bound
from app.training_settings import TrainingSettingsMixin
from core import limits
from core.datasets import Dataset, DatasetError
from core.presets import PRESETS
from core.stepper import Snapshot, TrainingDiverged, TrainingSession
from settings.build import build_session
from settings.config import DataConfig, ModelSpec, Prepared, TrainConfig, prepare
from settings.validation import evaluate_test, handed_over
from settings.vocabulary import default_loss, loss_fits
from widgets.i18n import divergence_text, tr


class TrainingController(QObject, TrainingSettingsMixin, AdoptionMixin):
    """Everything the window can ask for, and the signals it listens to.

    Intents (``step_phase``, ``run``, ``load_data``…) come from widgets via the
    window; results leave as signals, views get :class:`~core.stepper.frame.Frame`
    objects through :attr:`frame_ready`. State is read through properties and
    changed only through these methods, each of which leaves everything as it
    was when it fails. Training runs on the app's :class:`~app.runner.RunSource`;
    nothing here ever waits for it.

    Parameters
    ----------
    runner : RunSource, optional
        Default: the app's one runner (shared with compare mode: one run at a time).
    clock : FrameClock, optional
        Default: the app's one frame clock.
    """

    frame_ready = Signal(object)           # Frame
    dataset_changed = Signal(object)       # Dataset
    model_changed = Signal(object)         # compiled core model (for the summary)
    session_changed = Signal(object)       # TrainingSession (new or reset)
    running_changed = Signal(bool)
    status_changed = Signal(dict)
    error = Signal(str, str)               # title, message
    info = Signal(str)
    test_evaluated = Signal(dict)          # the test set's loss/metrics, with "step" and "samples"

    def __init__(self, parent: QObject | None = None, runner: RunSource | None = None,
                 clock: FrameClock | None = None) -> None:
        super().__init__(parent)
        self.runner = runner or default_runner()
        self.clock = clock or default_clock()
        self.publisher = FramePublisher(self.clock, self.runner.gate, self)
        self.publisher.frame_ready.connect(self._on_frame)
        self.runner.finished.connect(self._on_run_finished)
        self.runner.stop_overdue.connect(self._on_stop_overdue)
        self._data_config, self._dataset = DataConfig(), None
        self._spec, self._train = ModelSpec(), TrainConfig()
        self._model = self._session = None
        self._prepared: tuple | None = None  # (dataset, data settings, Prepared): reused while both stay
        self._job: SessionRun | None = None
        self._after_run: list = []
        self._decision_wanted = False
        self._status_history = None
        self._trim_pending = False  # freed memory goes back to the system after a session is replaced
        self._speed: float | None = None     # the last run's pace, resumed after a training change
        self._from_file = False              # a reopened session: its arrays are its own, not `prepared`
        # A model from outside: where it came from, an untouched copy as opened, the panel rows shown for it.
        self._source = self._pristine = self._opened_spec = None

    # --- state (read-only outside) -------------------------------------------------------
    data_config = property(lambda self: self._data_config)
    dataset = property(lambda self: self._dataset)
    spec = property(lambda self: self._spec)
    train_config = property(lambda self: self._train)
    model = property(lambda self: self._model)
    session: TrainingSession | None = property(lambda self: self._session)
    latest: Snapshot | None = property(lambda self: self.publisher.latest)
    source = property(lambda self: self._source)  # where the model came from (app.model_opening), or None

    @property
    def prepared(self) -> Prepared | None:
        """The current data split and normalized (made once per data and data settings, not per model)."""
        if self._dataset is None:
            return None
        held = self._prepared
        if held is None or held[0] is not self._dataset or held[1] != self._data_config:
            held = self._prepared = (self._dataset, self._data_config, prepare(self._dataset, self._data_config))
        return held[2]

    @property
    def running(self) -> bool:
        """A run of this session is under way (or waiting for the compute thread)."""
        return self.runner.is_active(self._job)

    @property
    def has_progress(self) -> bool:
        return self.trained_steps > 0

    @property
    def trained_steps(self) -> int:
        """The steps trained so far (what discarding would throw away)."""
        return 0 if self._session is None else self._session.max_step

    def status(self) -> dict:
        """The status bar's numbers, counted from the snapshot on screen (see :mod:`app.session_status`)."""
        return session_status(self._session, self.latest, self.running)

    # --- configuration ------------------------------------------------------------------
    def load_data(self, config: DataConfig, dataset: Dataset | None = None, *, spec: ModelSpec | None = None,
                  train: TrainConfig | None = None) -> bool:
        """Load data (or take ``dataset``, already loaded from ``config`` off the GUI thread by
        :mod:`app.loading`), optionally with a model and training settings that go with it (a lesson);
        on failure report it and keep everything as it was."""
        try:
            dataset = load_dataset(config) if dataset is None else dataset
        except (DatasetError, ValueError) as exc:
            self.error.emit(tr("Could not load the data"), str(exc))
            return False
        old = (self._data_config, self._dataset, self._train, self._spec)
        train = train or self._train
        if not loss_fits(train.loss, dataset.task):
            train = replace(train, loss=default_loss(dataset.task))
        self._data_config, self._dataset, self._train = config, dataset, train
        if self._source is None or spec is not None:  # an opened model keeps its own output layer
            self._spec = (spec or self._spec).fitted_to(dataset, train.loss)
        self.dataset_changed.emit(dataset)
        if not self.rebuild():
            self._data_config, self._dataset, self._train, self._spec = old
            if self._dataset is not None:
                self.dataset_changed.emit(self._dataset)
            return False
        return True

    def set_model(self, spec: ModelSpec) -> bool:
        return self._apply(spec=spec)

    def evaluate_test(self) -> dict | None:
        """``model.evaluate(x_test, y_test)`` on the file's separate test set, with the current weights.

        While a run goes on it is evaluated after the current batch, and the run continues."""
        prepared = None if self._from_file or handed_over(self._dataset) else self.prepared  # no test set there
        if self._session is None or prepared is None or prepared.x_test is None:
            self.error.emit(tr("No test set"), tr("This data has no separate test set (such as t10k files)."))
            return None
        if self.running:
            self._after_run.append(lambda: (self.evaluate_test(), self._resume()))
            self.pause()
            return None
        try:
            logs = evaluate_test(self._model, prepared, self._session.batch_size)
        except (ValueError, RuntimeError) as exc:
            self.error.emit(tr("Could not evaluate the test set"), str(exc))
            return None
        result = {**logs, "step": self._session.step, "samples": len(prepared.x_test)}
        self.test_evaluated.emit(result)
        return result

    def apply_preset(self, key: str) -> bool:
        """A course preset's layers, loss and optimizer; layers sized for the current data if its inputs differ."""
        preset, data = PRESETS[key], self._dataset
        hyper = self._train.hyper if preset.optimizer == self._train.optimizer else {}
        train = replace(self._train, loss=preset.loss, optimizer=preset.optimizer, hyper=hyper)
        spec = ModelSpec.from_preset(key)
        expected, have = _size(preset.input_shape), _size(data.input_shape) if data else 0
        if data is not None and expected != have:
            self.info.emit(tr("{preset} expects {expected} inputs; this data has {have}. The layers are applied to "
                              "the current data.").format(preset=preset.title, expected=expected, have=have))
            spec = spec.fitted_to(data, train.loss)
        return self._apply(spec=spec, train=train)

    def set_data_options(self, config: DataConfig) -> bool:
        """Split/normalization changes (same source): rebuild the session."""
        return self._apply(data=config)

    def _apply(self, spec: ModelSpec | None = None, train: TrainConfig | None = None,
               data: DataConfig | None = None) -> bool:
        old = (self._spec, self._train, self._data_config)
        self._spec, self._train, self._data_config = spec or self._spec, train or self._train, data or old[2]
        if not self.rebuild():
            self._spec, self._train, self._data_config = old
            return False
        return True

    def rebuild(self) -> bool:
        """A fresh model and session from the current settings (the old session stays if that fails); a model
        from outside stays, as opened, until its layers are edited (see :func:`app.model_opening.reopened_session`)."""
        if self._dataset is None:
            return False
        if self._source is not None and self._spec == self._opened_spec:
            return self._rebuild_opened()
        try:
            built = build_session(self._dataset, self._data_config, self._spec, self._train, prepared=self.prepared)
        except (ValueError, TypeError, RuntimeError) as exc:
            self.error.emit(tr("Cannot build this model"), str(exc))
            return False
        self._from_file = False
        self._source = self._pristine = self._opened_spec = None
        self._take(built.model, built.session)
        if built.model.backend_message:
            self.info.emit(built.model.backend_message)
        return True

    def _take(self, model, session: TrainingSession, class_names: tuple[str, ...] | None = None) -> None:
        """Make ``session`` the one shown; a run of the previous session is told to stop (never waited for)."""
        self._detach_run()
        replaced = self._session is not None
        self._model, self._session = model, session
        session.capture_options.decision_surface = self._decision_wanted
        data = self._dataset
        task = data.task if data is not None else "classification"
        names = class_names if class_names is not None and data is None else (data.class_names if data else ())
        self.model_changed.emit(model)
        self.session_changed.emit(session)
        self.publisher.set_session(session, task, tuple(names))  # a new session shows at once
        if replaced and not self._trim_pending:  # once the old session's last references are gone (frames, views)
            self._trim_pending = True
            QTimer.singleShot(0, self._release_memory)

    def _release_memory(self) -> None:
        import gc

        from app.memory import release_freed_memory

        self._trim_pending = False
        gc.collect()  # a replaced session can sit in a reference cycle (hundreds of MB) until the next full pass
        self.runner.release_unused()  # the training process's copy of the old data, if no session uses it
        release_freed_memory()

    def set_view_needs(self, confusion: bool = False, decision: bool = False) -> None:
        """What the views on screen need beyond the batch: the confusion matrix, the decision surface."""
        self.publisher.set_want_confusion(confusion)
        changed = decision != self._decision_wanted
        self._decision_wanted = decision
        if self._session is not None:
            self._session.capture_options.decision_surface = decision
            if self.running:
                self.runner.set_capture_options(decision, self._confusion_classes())
            if changed and decision and not self.running:
                self.publisher.show(self._session.snapshot())

    def _confusion_classes(self) -> int:
        """Classes of the confusion matrix the views want (0: they want none)."""
        data = self.publisher.data
        return len(data.class_names) if self.publisher.want_confusion and data is not None else 0

    def refresh(self) -> None:
        """Show the session's current state again (after an export replayed other steps)."""
        if self._session is not None and not self.running:
            self.publisher.show(self._session.snapshot())

    # --- stepping (GUI thread; each is a few milliseconds) ------------------------------------
    def _ready(self) -> bool:
        return self._session is not None and not self.running

    def step_phase(self) -> None:
        if self._ready() and self._room_for_more():
            self._guarded(self._session.step_phase)

    def step_batch(self) -> None:
        if self._ready() and self._room_for_more():
            self._guarded(self._session.step_batch)

    def seek(self, step: int) -> None:
        if self._ready():
            self._guarded(lambda: self._session.seek(max(0, min(step, self._session.max_step))))

    def step_back(self) -> None:
        if self._session is not None:
            self.seek(self._session.step - 1)

    def reset(self) -> None:
        """Back to step 0 (after the current batch of a run, which is stopped)."""
        if self.running:
            self._after_run.append(self.reset)
            self.pause()
            return
        if self._session is not None:
            self._guarded(self._session.reset)
            self.session_changed.emit(self._session)

    def _guarded(self, action) -> None:
        try:
            snap = action()
        except TrainingDiverged as exc:
            self.error.emit(tr("Training diverged"), divergence_text(exc.divergence))
            return
        except (ValueError, RuntimeError) as exc:
            self.error.emit(tr("Training failed"), str(exc))
            return
        self.publisher.show(snap)
        if snap.divergence:
            self.error.emit(tr("Training diverged"), divergence_text(snap.divergence))

    # --- running (on the runner's worker) -----------------------------------------------------
    def step_epoch(self) -> None:
        if self._ready() and self._room_for_more():
            s = self._session
            self._start((s.epoch + 1) * s.batches_per_epoch - s.step, None)

    def run(self, batches_per_second: float | None = None) -> None:
        self._speed = batches_per_second
        if self._ready() and self._room_for_more():
            self._start(None, batches_per_second)

    def set_pace(self, batches_per_second: float | None) -> None:
        """The run speed changed: a run under way takes the new pace (``None``: full speed) at once. A full-speed
        run in the training process is taken back after its batch and goes on here at the new pace."""
        self._speed = batches_per_second
        if self._job is None or not self.running:
            return
        if batches_per_second is not None and self.runner.runs_elsewhere(self._job):
            self._after_run.append(self._resume)
            self.pause()
            return
        self._job.set_pace(batches_per_second)

    def _room_for_more(self) -> bool:
        """Whether the session has a batch left to train; at the end of its epochs, the configured epochs are
        added once more (running or stepping again goes on training), so no counter passes its total.
        When nothing can be added, says why instead of doing nothing silently."""
        s = self._session
        if s.mid_batch or s.step < s.epochs * s.batches_per_epoch:
            return True
        if s.epochs < 1 and self._train.epochs < 1:
            self.error.emit(tr("Nothing to train"), tr("This session is set to 0 epochs. Set Epochs in the "
                                                       "Training panel to 1 or more to train it."))
            return False
        more = min(max(self._train.epochs, 1), limits.MAX_STEPS // s.batches_per_epoch - s.epochs)
        if more < 1:
            self.error.emit(tr("Training failed"), tr("This session has reached the most steps a session "
                                                      "can hold ({limit:,}).").format(limit=limits.MAX_STEPS))
            return False
        s.epochs += more  # train the configured epochs once more
        self.status_changed.emit(self.status())
        return True

    def toggle_run(self, batches_per_second: float | None = None) -> None:
        self.pause() if self.running else self.run(batches_per_second)

    def _start(self, max_steps: int | None, batches_per_second: float | None) -> None:
        s = self._session
        if s.divergence is not None:
            self.error.emit(tr("Training diverged"), divergence_text(s.divergence) + " " + tr("Reset or rewind first."))
            return
        self.runner.gate.enabled = gil_bound(s)
        self._job = SessionRun(s, max_steps, batches_per_second, self.clock.interval_s, self.runner.gate.wait)
        self.publisher.follow(self._job)
        self.runner.set_capture_options(s.capture_options.decision_surface, self._confusion_classes())
        self.runner.submit(self._job)
        self.running_changed.emit(True)

    def pause(self) -> None:
        """Stop the run after its current batch. Returns at once; :attr:`running_changed` follows."""
        if self._job is not None:
            self.runner.request_stop(self._job)

    def _detach_run(self) -> None:
        """The session is being replaced: its run stops on its own, and is no longer this controller's."""
        job, self._job = self._job, None
        self._after_run.clear()
        if job is not None:
            self.runner.request_stop(job)
            self.publisher.follow(None)
            self.running_changed.emit(False)

    def _on_run_finished(self, job, reason: str) -> None:
        if job is not self._job:
            return  # another owner's run, or a replaced session's
        self._job = None
        self.publisher.unfollow()
        self.running_changed.emit(False)
        if reason == DIVERGED and self._session.divergence is not None:
            self.error.emit(tr("Training diverged"), divergence_text(self._session.divergence))
        elif reason == PREEMPTED:
            self.info.emit(tr("Paused: compare mode is training now (one run at a time)."))
        elif reason.startswith("error"):
            self.error.emit(tr("Training failed"), reason[len("error: "):])
        self.status_changed.emit(self.status())
        callbacks, self._after_run = self._after_run, []
        for callback in callbacks:
            callback()

    def _on_stop_overdue(self, job, seconds: float) -> None:
        if job is self._job:
            self.error.emit(tr("Training did not stop"),
                            tr("The training thread has not stopped {seconds} s after it was asked to. Its last "
                               "batch may still be computing; save your work and restart if it does not "
                               "end.").format(seconds=f"{seconds:g}"))

    def _on_frame(self, frame) -> None:
        self.frame_ready.emit(frame)
        if not frame.running or frame.history is not self._status_history:
            # While running, the status line (and its repaint) follows the curves' beat, 5 a second.
            self._status_history = frame.history
            self.status_changed.emit(self.status())


def _size(shape) -> int:
    n = 1
    for d in shape:
        n *= int(d)
    return n
