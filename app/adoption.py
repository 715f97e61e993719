"""The controller's models and sessions from outside: a Keras file or a model handed over from Python, a
session file reopened. Part of :class:`app.controller.TrainingController` (kept apart to stay readable)."""

from __future__ import annotations

from dataclasses import replace

from core.datasets import Dataset
from core.stepper import TrainingSession
from settings.config import DataConfig, LayerRow, ModelSpec
from widgets.i18n import tr


class AdoptionMixin:
    """Taking over a model or session made elsewhere (off the GUI thread, by :mod:`app.loading`)."""

    def adopt_model(self, opened) -> bool:
        """Show a model from outside (:class:`app.model_opening.OpenedModelSession`: a Keras file, a model handed
        over from Python) with its session and data, all made off the GUI thread; nothing fails here."""
        from app.model_opening import dense_rows
        from core.model_loading.copies import copy_model

        pristine = copy_model(opened.model)  # before any training: what new sessions of this model start from
        if opened.dataset is not self._dataset:
            self._data_config, self._dataset = opened.data_config, opened.dataset
            self.dataset_changed.emit(opened.dataset)
        self._spec = dense_rows(opened.model)
        self._train = opened.train
        self._source, self._pristine, self._opened_spec = opened.source, pristine, self._spec
        self._take(opened.model, opened.session)
        for note in opened.source.notes:
            self.info.emit(note)
        return True

    def _rebuild_opened(self) -> bool:
        """A new session of the opened model, from the state it was opened in, on the current data and settings."""
        from app.model_opening import reopened_session

        try:
            opened = reopened_session(self._pristine, self._dataset, self._data_config, self._train, self._source)
        except (ValueError, TypeError, RuntimeError) as exc:
            self.error.emit(tr("Cannot build this model"), str(exc))
            return False
        self._train = replace(opened.train, seed=self._train.seed, backend=self._train.backend,
                              device=self._train.device, dtype=self._train.dtype)
        self._take(opened.model, opened.session)
        return True

    def adopt_session(self, session: TrainingSession, extras: dict, dataset: Dataset | None = None,
                      data_config: DataConfig | None = None) -> bool:
        """Take over a session reopened from a file, with the data shown beside it (both loaded off the GUI
        thread, see :mod:`app.opening`; without ``dataset`` the current data stays shown).

        Everything new is worked out before anything changes, so a failure leaves the app as it was.
        """
        try:
            rows = (LayerRow.from_layer(la) for la in session.model.compute_layers)
            spec = ModelSpec(tuple(row for row in rows if row is not None))
            opt = session.model.optimizer
            train = replace(self._train, loss=session.model.loss.name, optimizer=type(opt).__name__,
                            hyper={k: v for k, v in opt.get_config().items()
                                   if isinstance(v, (int, float, bool)) and v is not None},
                            batch_size=session.batch_size, epochs=session.epochs)
        except (ValueError, TypeError, AttributeError) as exc:
            self.error.emit(tr("Could not open the session"), str(exc))
            return False
        if dataset is not None:
            self._data_config, self._dataset = data_config or self._data_config, dataset
            self.dataset_changed.emit(dataset)
        self._spec, self._train = spec, train
        self._from_file = True
        self._source = self._pristine = self._opened_spec = None
        self._take(session.model, session, class_names=tuple(extras.get("settings", {}).get("class_names", ())))
        return True
