"""``Sequential`` and functional ``Model`` (``keras.models``), and Keras's model-file functions.

:mod:`core.models.model` holds the functional ``Model`` (structure, compile,
summary, weights), :mod:`core.models.sequential` the ``Sequential`` stack and
:mod:`core.models.arguments` the checks of their arguments.
"""

from __future__ import annotations

from typing import Any

from core.models.model import Model
from core.models.sequential import Sequential

__all__ = ["Model", "Sequential", "load_model", "model_from_json", "save_model"]


def load_model(filepath: Any, custom_objects: Any = None, compile: bool = True, safe_mode: bool = True) -> Model:
    """Keras's ``load_model``: a Keras 3 ``.keras`` or legacy ``.h5`` model file (see :mod:`core.model_loading`)."""
    from core.model_loading import load_model as load

    return load(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)


def save_model(model: Model, filepath: Any, overwrite: bool = True, zipped: Any = None, **kwargs: Any) -> None:
    """Keras's ``save_model``: ``model.save(filepath)``."""
    model.save(filepath, overwrite=overwrite, zipped=zipped, **kwargs)


def model_from_json(json_string: str, custom_objects: Any = None) -> Model:
    """Keras's ``model_from_json``: the (uncompiled, freshly initialized) model ``model.to_json()`` described."""
    from core import safeio
    from core.model_loading import architecture
    from core.model_loading.errors import InvalidModelError

    if custom_objects:
        raise NotImplementedError("model_from_json(custom_objects=...): Propscope never loads custom objects.")
    try:
        doc = safeio.parse_json(json_string, None, "JSON")
    except safeio.ReadRejected as exc:
        raise InvalidModelError(str(exc)) from None
    return architecture.build_model(architecture.read_architecture(doc, None, "JSON"))


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("models", name)
