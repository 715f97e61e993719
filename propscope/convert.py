"""Any model a student has — a real ``keras.Model``, a ``torch.nn.Sequential``, a core model, a model file —
as a compiled core model and the arguments of its :class:`~core.stepper.TrainingSession`.

Qt-free: :func:`propscope.session` uses it headless, :func:`propscope.show`
and ``propscope open`` before handing the result to the window.

A real Keras model is saved to a private temporary ``.keras`` file and opened
from there with :func:`core.model_loading.open_model`: the same checked path as
any file, so what Propscope refuses in a file it refuses here, with the same
message. A torch model goes through :mod:`core.torch_import` and keeps
PyTorch's update rule. The student's own model object is never changed (a
Keras model without an input shape is built on ``x``'s shape first, as its
own ``fit`` would).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import core
from core.model_loading import ModelFileError, open_model

#: ``fit`` options a session takes (``seed`` is Propscope's: the shuffle seed).
FIT_OPTIONS = ("batch_size", "epochs", "shuffle", "seed", "validation_split", "validation_data", "sample_weight")
#: Options of ``fit`` that do nothing when stepping by hand (accepted so a copied ``fit`` call works).
IGNORED_OPTIONS = ("verbose",)
#: For a model that is not compiled (a torch model, an uncompiled Keras model): what compile needs.
COMPILE_OPTIONS = ("optimizer", "loss", "metrics")


@dataclass
class Prepared:
    """A compiled core model, the data as NumPy arrays, and the session's arguments."""

    model: Any
    x: np.ndarray | None
    y: np.ndarray | None
    session_options: dict[str, Any] = field(default_factory=dict)
    #: Where the model came from: "keras", "keras-file", "torch" or "core"
    source: str = "core"
    #: The file it was opened from, if any (the Code dock loads it)
    path: Path | None = None
    #: What did not come across exactly (optimizer state that did not fit…)
    notes: list[str] = field(default_factory=list)


def array(data: Any, what: str) -> np.ndarray | None:
    """``data`` (NumPy, a list, a torch tensor, a pandas object) as a NumPy array."""
    if data is None:
        return None
    if hasattr(data, "detach") and hasattr(data, "cpu"):  # a torch tensor
        data = data.detach().cpu().numpy()
    elif hasattr(data, "to_numpy"):  # pandas
        data = data.to_numpy()
    try:
        out = np.asarray(data)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what} should be an array, not {type(data).__name__} ({exc}).") from None
    if out.dtype == object:
        raise TypeError(f"{what} should be an array of numbers, not {type(data).__name__} of objects.")
    return out


def is_keras_model(model: Any) -> bool:
    """A real Keras 3 model (the ``keras`` package), not a core one."""
    return any(c.__module__.startswith("keras.") and c.__name__ == "Model" for c in type(model).__mro__)


def prepare(model: Any, x: Any = None, y: Any = None, **options: Any) -> Prepared:
    """Convert ``model`` and split ``options`` into compile and session options (see :func:`propscope.session`)."""
    unknown = set(options) - set(FIT_OPTIONS) - set(IGNORED_OPTIONS) - set(COMPILE_OPTIONS)
    if unknown:
        raise TypeError(f"unknown option(s) {sorted(unknown)}; Propscope takes fit's "
                        f"{', '.join(FIT_OPTIONS)} and, for a model that is not compiled, "
                        f"{', '.join(COMPILE_OPTIONS)}.")
    x_arr, y_arr = array(x, "x"), array(y, "y")
    compile_options = {k: options.pop(k) for k in COMPILE_OPTIONS if k in options}
    for key in IGNORED_OPTIONS:
        options.pop(key, None)
    if "validation_data" in options and options["validation_data"] is not None:
        options["validation_data"] = tuple(array(a, "validation_data") for a in options["validation_data"])
    if "sample_weight" in options:
        options["sample_weight"] = array(options["sample_weight"], "sample_weight")
    if isinstance(model, (str, os.PathLike)):
        opened = open_model(model)
        prepared = Prepared(opened.model, x_arr, y_arr, source="keras-file", path=Path(model),
                            notes=list(opened.notes))
    elif isinstance(model, core.Model):
        prepared = Prepared(model, x_arr, y_arr, source="core")
    elif is_keras_model(model):
        prepared = _from_keras(model, x_arr, y_arr)
    elif _is_torch(model):
        return _from_torch(model, x_arr, y_arr, compile_options, options)
    else:
        raise TypeError(f"Propscope shows a keras.Model, a torch.nn.Sequential, a core model or a model file; got "
                        f"{type(model).__module__}.{type(model).__name__}.")
    _compile_if_needed(prepared.model, compile_options)
    prepared.session_options = options
    return prepared


def _compile_if_needed(model, compile_options: dict[str, Any]) -> None:
    if model.compiled and not compile_options:
        return
    if model.compiled and compile_options:
        raise TypeError(f"the model is compiled already; {sorted(compile_options)} would replace its settings. "
                        "Compile it with them instead.")
    if "loss" not in compile_options:
        raise TypeError("the model is not compiled: compile it first, or give loss= (and optimizer=, metrics=).")
    model.compile(optimizer=compile_options.get("optimizer", "rmsprop"), loss=compile_options["loss"],
                  metrics=compile_options.get("metrics"))


def _from_keras(model: Any, x: np.ndarray | None, y: np.ndarray | None) -> Prepared:
    if not model.built and x is not None:
        model.build((None, *x.shape[1:]))
    with tempfile.TemporaryDirectory(prefix="propscope-") as folder:
        path = Path(folder) / "model.keras"
        model.save(str(path))
        try:
            opened = open_model(path)
        except ModelFileError as exc:  # name the student's model, not the temporary file
            raise type(exc)(str(exc).replace(path.name, f"Keras model {model.name!r}", 1)) from None
    return Prepared(opened.model, x, y, source="keras", notes=list(opened.notes))


def _is_torch(model: Any) -> bool:
    from core.torch_import import is_torch_module

    return is_torch_module(model)


def _from_torch(module: Any, x: np.ndarray | None, y: np.ndarray | None, compile_options: dict[str, Any],
                options: dict[str, Any]) -> Prepared:
    from core.torch_import import apply_optimizer_state, loss_from_torch, model_from_torch, optimizer_from_torch

    if "loss" not in compile_options or "optimizer" not in compile_options:
        raise TypeError("a torch model needs its loss and optimizer: propscope.show(model, x, y, "
                        "loss=nn.CrossEntropyLoss(), optimizer=torch.optim.SGD(model.parameters(), lr=0.1)).")
    imported = model_from_torch(module, None if x is None else tuple(x.shape[1:]))
    model = imported.model
    optimizer, state = compile_options["optimizer"], None
    from core.torch_import import is_torch_optimizer

    if is_torch_optimizer(optimizer):
        optimizer, state = optimizer_from_torch(optimizer, imported)
    loss = loss_from_torch(compile_options["loss"], y, int(model.output_shape[-1]))
    model.compile(optimizer=optimizer, loss=loss, metrics=compile_options.get("metrics"))
    if state is not None:
        apply_optimizer_state(model, model.optimizer, state)
    return Prepared(model, x, y, session_options=options, source="torch")


def make_session(prepared: Prepared):
    """The :class:`~core.stepper.TrainingSession` of a :class:`Prepared` model."""
    from core.stepper import TrainingSession

    if prepared.x is None or prepared.y is None:
        raise TypeError("a session needs data: give x and y.")
    return TrainingSession(prepared.model, prepared.x, prepared.y, **prepared.session_options)
