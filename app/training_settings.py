"""The controller's training-settings changes, each applied as narrowly as it can be
(:mod:`settings.training_changes`). Part of :class:`app.controller.TrainingController`."""

from __future__ import annotations

from settings.config import TrainConfig
from settings.training_changes import check_optimizer, continue_session, describe_change
from widgets.i18n import tr


class TrainingSettingsMixin:
    """Epochs and hyper-parameters in place, batch size and backend on the same weights, a new model otherwise."""

    def set_training(self, config: TrainConfig) -> bool:
        """Apply training settings, keeping all the change allows (see settings.training_changes): epochs
        and hyper-parameters in place, batch size/backend/precision on the same weights; a new model only
        for a new loss, optimizer type or seed. A run is paused for the change and goes on after it."""
        change = describe_change(self._train, config)
        if self._restarts(change):
            return self._apply(train=config)
        try:
            check_optimizer(config)  # Keras's own checks of every value, before anything changes
        except (ValueError, TypeError) as exc:
            self.error.emit(tr("Invalid training setting"), str(exc))
            return False
        old, self._train = self._train, config
        if self.running:  # applied between two batches, then the run goes on
            self._after_run.append(lambda: self._change_training(change, old, config, resume=True))
            self.pause()
            return True
        return self._change_training(change, old, config)

    def _change_training(self, change, old: TrainConfig, config: TrainConfig, resume: bool = False) -> bool:
        session = self._session
        try:
            if change.hyper:
                session.set_hyperparameters(**change.hyper)
            if change.new_session:
                session = continue_session(session, self.prepared, old, config)
            session.epochs = config.epochs
        except (ValueError, TypeError, RuntimeError) as exc:
            self._train = old
            self.error.emit(tr("Invalid training setting"), str(exc))
            self.model_changed.emit(self._model)
            return False
        if change.new_session:
            self._take(self._model, session)
        else:
            self.model_changed.emit(self._model)  # the Code dock and the panels show what trains now
            self.status_changed.emit(self.status())
        if resume:
            self._resume()
        return True

    def _resume(self) -> None:
        """Go on with a run paused for a change (unless it had reached its end meanwhile)."""
        s = self._session
        if s is not None and not self.running and s.step < s.epochs * s.batches_per_epoch:
            self._start(None, self._speed)

    def _restarts(self, change) -> bool:
        # A reopened session file trains on its own arrays: a new batch size starts again there. An opened model
        # takes the panel's Keras optimizer with any new training setting but the epochs (app.model_opening).
        if self._source is not None and (change.hyper or change.new_session):
            return True
        return change.restart or self._session is None or (change.new_session and self._from_file)

    def discards_progress(self, config: TrainConfig) -> bool:
        """Would these training settings throw away training progress (a new model)?"""
        return self.has_progress and self._restarts(describe_change(self._train, config))
