"""``keras.saving``: whole models to and from Keras files (``load_model``, ``save_model``, weights files).

Opening reads Keras 3 ``.keras`` archives and legacy ``.h5`` model files
(Keras 3 or tf.keras 2.x) through the guarded reader; see
:mod:`core.model_loading`. Custom objects are never loaded, so the names that
register or scope them are refused with the reason.
"""

from __future__ import annotations

import os
from typing import Any

from core.model_loading import load_model


def save_model(model, filepath: str | os.PathLike, overwrite: bool = True, zipped: Any = None, **kwargs: Any) -> None:
    """``model.save(filepath)``: a Keras 3 ``.keras`` file that real Keras opens."""
    model.save(filepath, overwrite=overwrite, zipped=zipped, **kwargs)


def load_weights(model, filepath: str | os.PathLike, skip_mismatch: bool = False, **kwargs: Any) -> None:
    """``model.load_weights(filepath)``."""
    model.load_weights(filepath, skip_mismatch=skip_mismatch, **kwargs)


def save_weights(model, filepath: str | os.PathLike, overwrite: bool = True, **kwargs: Any) -> None:
    """``model.save_weights(filepath)``."""
    model.save_weights(filepath, overwrite=overwrite, **kwargs)


__all__ = ["load_model", "load_weights", "save_model", "save_weights"]


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("saving", name)
