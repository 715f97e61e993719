"""``Callback`` and ``CallbackList``: the hooks ``fit``/``evaluate``/``predict`` call, as Keras calls them.

Every hook receives ``logs`` (a dict of Python floats, keys sorted as Keras's
``pythonify_logs`` sorts them): running means with the metrics after each
batch, the epoch's values (and ``val_…``) at its end. ``on_train_batch_*``
default to ``on_batch_*``, as in Keras; ``params`` is ``{"verbose", "epochs",
"steps"}`` and ``model`` the model. :class:`CallbackList` adds the
:class:`~core.callbacks.logging.History` and
:class:`~core.callbacks.logging.ProgbarLogger` Keras adds, and tells the
training loop whether anyone needs per-batch logs, so that a silent ``fit``
costs no host synchronization per batch.
"""

from __future__ import annotations

from typing import Any, Callable

_HOOKS = ("on_batch_begin", "on_batch_end", "on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
          "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
          "on_predict_batch_end", "on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
          "on_predict_begin", "on_predict_end")


def python_logs(logs: dict | None) -> dict[str, Any]:
    """Keras's ``pythonify_logs``: keys sorted, values as Python floats where possible."""
    out: dict[str, Any] = {}
    for key, value in sorted((logs or {}).items()):
        if isinstance(value, dict):
            out.update(python_logs(value))
            continue
        try:
            out[key] = float(value)
        except (TypeError, ValueError):
            out[key] = value
    return out


class Callback:
    """Base class for ``fit(callbacks=[...])``; override the hooks you need.

    Attributes
    ----------
    params : dict
        ``{"verbose": ..., "epochs": ..., "steps": ...}`` (set by ``fit``).
    model : Model
        The model being trained.
    """

    def __init__(self) -> None:
        self.params: dict[str, Any] | None = None
        self._model = None

    def set_params(self, params: dict[str, Any]) -> None:
        self.params = params

    def set_model(self, model) -> None:
        self._model = model

    @property
    def model(self):
        return self._model

    @model.setter
    def model(self, model) -> None:
        self._model = model

    def on_batch_begin(self, batch, logs=None): ...
    def on_batch_end(self, batch, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None): ...
    def on_test_batch_end(self, batch, logs=None): ...
    def on_predict_batch_begin(self, batch, logs=None): ...
    def on_predict_batch_end(self, batch, logs=None): ...
    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_test_begin(self, logs=None): ...
    def on_test_end(self, logs=None): ...
    def on_predict_begin(self, logs=None): ...
    def on_predict_end(self, logs=None): ...


def overrides(callback: Callback, *hooks: str) -> bool:
    """Whether ``callback`` does something in any of ``hooks`` (an override or an instance attribute)."""
    for hook in hooks:
        if hook in vars(callback):
            return True
        method = getattr(type(callback), hook, None)
        if method is not None and method is not getattr(Callback, hook):
            return True
    return False


class CallbackList(Callback):
    """Calls every callback in order; adds History and ProgbarLogger as Keras does."""

    def __init__(self, callbacks=None, add_history: bool = False, add_progbar: bool = False, model=None,
                 **params: Any) -> None:
        super().__init__()
        from core.callbacks.logging import History, ProgbarLogger

        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks must be core.callbacks.Callback instances, got {cb!r}.")
        self._history = next((cb for cb in self.callbacks if isinstance(cb, History)), None)
        self._progbar = next((cb for cb in self.callbacks if isinstance(cb, ProgbarLogger)), None)
        if self._history is None and add_history:
            self._history = History()
            self.callbacks.append(self._history)
        if self._progbar is None and add_progbar:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        self.set_model(model)
        self.set_params(params)

    def set_params(self, params) -> None:
        self.params = params
        if params:
            for cb in self.callbacks:
                cb.set_params(params)

    def set_model(self, model) -> None:
        if not model:
            return
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for cb in self.callbacks:
            cb.set_model(model)

    def wants_batch_logs(self, kind: str) -> Callable[[], bool]:
        """A test telling the loop whether the batch-end hooks of ``kind`` need logs now."""
        hooks = {"train": ("on_train_batch_end", "on_batch_end"), "test": ("on_test_batch_end",),
                 "predict": ("on_predict_batch_end",)}[kind]
        others = [cb for cb in self.callbacks if cb is not self._progbar and overrides(cb, *hooks)]
        progbar = self._progbar
        if others:
            return lambda: True
        if progbar is None:
            return lambda: False
        return lambda: progbar.wants_logs(kind)

    def _call(self, hook: str, *args, logs=None, keyword: bool = False) -> None:
        # Keras passes batch hooks their logs by keyword, the others positionally: a
        # subclass whose parameter is not called `logs` works (or fails) as in Keras.
        logs = python_logs(logs)
        for cb in self.callbacks:
            if keyword:
                getattr(cb, hook)(*args, logs=logs)
            else:
                getattr(cb, hook)(*args, logs)

    def on_batch_begin(self, batch, logs=None):
        self._call("on_batch_begin", batch, logs=logs, keyword=True)

    def on_batch_end(self, batch, logs=None):
        self._call("on_batch_end", batch, logs=logs, keyword=True)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        # One dict for all: a callback that adds a key (ReduceLROnPlateau's
        # learning_rate) shows it to the callbacks after it, History included.
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs, keyword=True)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs, keyword=True)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs=logs, keyword=True)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs=logs, keyword=True)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs=logs, keyword=True)

    def on_predict_batch_end(self, batch, logs=None):
        for cb in self.callbacks:  # the outputs stay arrays
            cb.on_predict_batch_end(batch, logs=logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs=logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs=logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs=logs)
