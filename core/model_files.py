"""``model.save`` (a Keras 3 ``.keras`` file) and ``save_weights``/``load_weights`` (``.weights.h5``).

Both layouts are Keras 3's, so real Keras opens what Propscope writes:
``keras.models.load_model("m.keras")`` rebuilds the model with its weights,
compile settings and optimizer state, and ``model.load_weights`` reads the
weights files (and Propscope reads Keras's). Whole model files are read by
:mod:`core.model_loading` (``keras.models.load_model``).
"""

from __future__ import annotations

import datetime
import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from core.export.atomic import atomic_path
from core.progbar import print_msg

#: the Keras version whose file format Propscope writes
KERAS_FORMAT_VERSION = "3.15.1"


def _h5py():
    try:
        import h5py
    except ImportError:
        raise RuntimeError("Keras .weights.h5 files need h5py (pip install h5py).") from None
    return h5py


def ask_to_proceed_with_overwrite(filepath: str) -> bool:
    """Keras's prompt before overwriting a file when ``overwrite=False``."""
    answer = input(f"[WARNING] {filepath} already exists - overwrite? [y/n]").strip().lower()
    while answer not in ("y", "n"):
        answer = input('Enter "y" (overwrite) or "n" (cancel).').strip().lower()
    if answer == "n":
        return False
    print_msg("[TIP] Next time specify overwrite=True!")
    return True


class SavingMixin:
    """Weight files and model files for :class:`core.models.Model`."""

    def save_weights(self, filepath: str | os.PathLike, overwrite: bool = True, max_shard_size: Any = None) -> None:
        """Write every weight to a Keras 3 ``.weights.h5`` file."""
        from core.export.weights import export_keras_h5

        filepath = os.fspath(filepath)
        if max_shard_size is not None:
            raise NotImplementedError("save_weights(max_shard_size=...) (sharded weight files) is not supported.")
        if not filepath.endswith(".weights.h5"):
            raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={filepath}")
        if not overwrite and os.path.exists(filepath) and not ask_to_proceed_with_overwrite(filepath):
            return
        _h5py()
        export_keras_h5(self, filepath)

    def load_weights(self, filepath: str | os.PathLike, skip_mismatch: bool = False, **kwargs: Any) -> None:
        """Read weights from a Keras 3 ``.weights.h5`` file (one Keras or Propscope wrote)."""
        from core import safeio
        from core.arguments import reject_unknown
        from core.export.weights import keras_h5_keys
        from core.model_loading.errors import translate

        reject_unknown("load_weights()", kwargs)
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError("File format not supported: filepath={filepath}. Propscope loads Keras 3 `.weights.h5` "
                             "files (whole models with keras.models.load_model).".format(filepath=filepath))
        if not Path(filepath).is_file():
            raise FileNotFoundError(f"No such weights file: {filepath}")
        try:  # the guarded reader: numeric datasets only, no links or storage outside the file, sizes checked
            contents = safeio.read_h5(filepath)
        except safeio.ReadRejected as exc:
            raise translate(exc, filepath) from None
        if "layers" not in contents.groups:
            raise ValueError(f"{filepath} is not a Keras 3 weights file (no 'layers' group).")
        for key, layer in keras_h5_keys(self):
            if not layer.params:
                continue
            arrays = []
            while f"layers/{key}/vars/{len(arrays)}" in contents.arrays:
                arrays.append(contents.arrays[f"layers/{key}/vars/{len(arrays)}"])
            shapes_match = len(arrays) == len(layer.params) and all(
                tuple(a.shape) == tuple(p.shape) for a, p in zip(arrays, layer.params))
            if not shapes_match:
                if skip_mismatch:
                    continue
                raise ValueError(f"Layer '{layer.name}' expected {len(layer.params)} variables of shapes "
                                 f"{[tuple(p.shape) for p in layer.params]}, but {filepath} holds "
                                 f"{[tuple(a.shape) for a in arrays]} under layers/{key}.")
            layer.set_weights(arrays)

    def to_json(self, **kwargs: Any) -> str:
        """The model's architecture as Keras's JSON (``keras.models.model_from_json`` rebuilds it)."""
        return json.dumps(serialized_config(self), default=json_default, **kwargs)

    def save(self, filepath: str | os.PathLike, overwrite: bool = True, zipped: Any = None, **kwargs: Any) -> None:
        """Write a Keras 3 ``.keras`` file: config, compile settings, weights and optimizer state."""
        from core.arguments import refuse, reject_unknown

        reject_unknown("save()", kwargs)
        filepath = os.fspath(filepath)
        refuse("save", "Propscope writes the zipped `.keras` file.", zipped=None if zipped in (None, True) else zipped)
        if filepath.endswith(".h5") or filepath.endswith(".hdf5"):
            raise NotImplementedError(f"model.save({filepath!r}): the legacy HDF5 model format is not written; use "
                                      "a `.keras` file (or save_weights('….weights.h5')).")
        if not filepath.endswith(".keras"):
            raise ValueError(f"Invalid filepath extension for saving. Please add either a `.keras` extension for the "
                             f"native Keras format (recommended) or a `.h5` extension. Received: filepath={filepath}.")
        if not overwrite and os.path.exists(filepath) and not ask_to_proceed_with_overwrite(filepath):
            return
        write_keras_file(self, filepath)


def serialized_config(model) -> dict[str, Any]:
    """``config.json`` of a ``.keras`` file: the model's serialized config with build and compile settings."""
    from core.models import Sequential

    if isinstance(model, Sequential):
        head = {"module": "keras", "class_name": "Sequential", "config": model.get_config(), "registered_name": None}
        build = {"input_shape": list(model.input_shape) if model.built else None}
    else:
        head = {"module": "keras.src.models.functional", "class_name": "Functional", "config": model.get_config(),
                "registered_name": "Functional"}
        build = {"input_shape": None}
    return {**head, "build_config": build, "compile_config": compile_config(model) if model.compiled else {}}


def _identifier(obj: Any, module: str) -> Any:
    if obj is None or isinstance(obj, (str, int, float)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [_identifier(o, module) for o in obj]
    if hasattr(obj, "get_config") and not isinstance(obj, type):
        return {"module": module, "class_name": type(obj).__name__, "config": obj.get_config(), "registered_name": None}
    if isinstance(obj, type):
        return obj.__name__
    return getattr(obj, "__name__", str(obj))


def compile_config(model) -> dict[str, Any]:
    from core.optimizers import serialize

    return {"optimizer": serialize(model.optimizer), "loss": _identifier(model.loss_identifier, "keras.losses"),
            "loss_weights": None if model.loss_weight is None else [model.loss_weight],
            "metrics": _identifier(model.metric_identifiers, "keras.metrics") or None,
            "weighted_metrics": _identifier(model.weighted_metric_identifiers, "keras.metrics") or None,
            "run_eagerly": model.run_eagerly, "steps_per_execution": 1,
            "jit_compile": model.jit_compile if isinstance(model.jit_compile, bool) else False}


def write_keras_file(model, filepath: str) -> None:
    """The ``.keras`` zip: ``metadata.json``, ``config.json``, ``model.weights.h5`` (written atomically)."""
    from core.export.weights import write_keras_weights

    h5py = _h5py()
    if model.compiled and getattr(model.optimizer, "update_rule", "keras") != "keras":
        raise ValueError(f"The model trains with {model.optimizer.describe_rule()}, which Keras does not have, so a "
                         ".keras file cannot hold it. Compile the model with a Keras optimizer to save it, or save "
                         "the weights (save_weights) or a Propscope session file.")
    weights = io.BytesIO()
    optimizer = model.optimizer if model.compiled and model.optimizer is not None and model.optimizer.built else None
    with h5py.File(weights, "w") as h5:
        write_keras_weights(h5, model, optimizer)
    metadata = {"keras_version": KERAS_FORMAT_VERSION,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    with atomic_path(filepath) as tmp:
        with zipfile.ZipFile(tmp, "w") as zf:
            zf.writestr("metadata.json", json.dumps(metadata))
            zf.writestr("config.json", json.dumps(serialized_config(model), default=json_default))
            zf.writestr("model.weights.h5", weights.getvalue())


def json_default(obj: Any) -> Any:
    """JSON for what configs hold beyond JSON's types (tuples, NumPy scalars)."""
    if isinstance(obj, tuple):
        return list(obj)
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"Cannot serialize {obj!r} into a .keras config.")
