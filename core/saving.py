"""``model.save_weights`` / ``load_weights`` (Keras 3's ``.weights.h5``) and ``model.save``.

The ``.weights.h5`` layout is Keras 3's (``layers/<dense…>/vars/<i>``), so
real Keras loads what Propscope writes and the other way round; h5py is
needed for these files (it comes with Keras: ``pip install h5py``). Whole
``.keras`` model files are not written yet (planned with model import/export);
``save`` says so instead of writing something Keras could not open.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from core.progbar import print_msg


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
        from core.arguments import reject_unknown
        from core.export.weights import keras_h5_keys

        reject_unknown("load_weights()", kwargs)
        filepath = os.fspath(filepath)
        if not filepath.endswith(".weights.h5"):
            raise ValueError("File format not supported: filepath={filepath}. Propscope loads Keras 3 `.weights.h5` "
                             "files (whole `.keras` models are not read yet).".format(filepath=filepath))
        if not Path(filepath).is_file():
            raise FileNotFoundError(f"No such weights file: {filepath}")
        h5py = _h5py()
        with h5py.File(filepath, "r") as h5:
            groups = h5.get("layers")
            if groups is None:
                raise ValueError(f"{filepath} is not a Keras 3 weights file (no 'layers' group).")
            for key, layer in keras_h5_keys(self):
                if not layer.params:
                    continue
                vars_group = groups.get(f"{key}/vars")
                arrays = [] if vars_group is None else [np.asarray(vars_group[str(i)]) for i in range(len(vars_group))]
                shapes_match = len(arrays) == len(layer.params) and all(
                    tuple(a.shape) == tuple(p.shape) for a, p in zip(arrays, layer.params))
                if not shapes_match:
                    if skip_mismatch:
                        continue
                    raise ValueError(f"Layer '{layer.name}' expected {len(layer.params)} variables of shapes "
                                     f"{[tuple(p.shape) for p in layer.params]}, but {filepath} holds "
                                     f"{[tuple(a.shape) for a in arrays]} under layers/{key}.")
                layer.set_weights(arrays)

    def save(self, filepath: str | os.PathLike, overwrite: bool = True, zipped: Any = None, **kwargs: Any) -> None:
        """Keras's whole-model save: not implemented yet (it needs the ``.keras`` model format)."""
        raise NotImplementedError(
            f"model.save({os.fspath(filepath)!r}): writing whole-model `.keras` files is not implemented in "
            "Propscope yet (planned with Keras model import/export). Save the weights with "
            "model.save_weights('name.weights.h5') (or ModelCheckpoint(..., save_weights_only=True)), or the "
            "whole training state as a Propscope session.")
