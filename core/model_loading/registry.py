"""Which Keras layer classes a model file may hold, and why the others are refused.

Adding a layer type that :mod:`core.layers` implements is one line in
:data:`LAYERS`: its Keras class name and the core class. The loader then
checks the saved config's arguments against that class's constructor (only
names it takes; nested objects only Keras's own), builds it, and reads its
weights in ``layer.weights`` order (``.keras`` files) or trainable-first order
(legacy ``.h5`` files), as Keras writes them.

Nothing is looked up by a name that is not on these lists: a class name
from a file never reaches ``getattr``, ``importlib`` or a custom-object table.
"""

from __future__ import annotations

import inspect
import re

from core import layers as core_layers
from core import unsupported

#: Keras class name → the core layer class that computes it. One line per layer type.
LAYERS: dict[str, type] = {
    "Dense": core_layers.Dense,
    "Flatten": core_layers.Flatten,
    "Activation": core_layers.Activation,
    "ReLU": core_layers.ReLU,
    "LeakyReLU": core_layers.LeakyReLU,
    "ELU": core_layers.ELU,
    "Softmax": core_layers.Softmax,
    "Rescaling": core_layers.Rescaling,
    "Normalization": core_layers.Normalization,
    "Dropout": core_layers.Dropout,
    "BatchNormalization": core_layers.BatchNormalization,
    "ActivityRegularization": core_layers.ActivityRegularization,
}

#: Arguments tf.keras 2.x wrote under older names (class → {old: new}).
LEGACY_ARGUMENTS: dict[str, dict[str, str]] = {
    "LeakyReLU": {"alpha": "negative_slope"},
}

#: Arguments tf.keras 2.x wrote that Keras 3 dropped, with the values that mean "as Keras 3 computes"
#: (class → {argument: accepted values}); any other value is refused, naming it.
LEGACY_DROPPED: dict[str, dict[str, tuple]] = {
    "BatchNormalization": {"fused": (None, True, False), "virtual_batch_size": (None,), "adjustment": (None,)},
}

#: Model classes: a Sequential, or a functional model (tf.keras 2.0–2.3 called it "Model").
MODEL_CLASSES = ("Sequential", "Functional", "Model")

LAMBDA = ("Lambda", "TFOpLambda", "SlicingOpLambda")


def supported_text() -> str:
    """``"InputLayer, Dense, Flatten, …"``: what an opened model may be made of."""
    return ", ".join(["InputLayer", *LAYERS])


def refusal(class_name: str) -> tuple[str, bool]:
    """``(reason, unsafe)`` for a layer class that is not in :data:`LAYERS`.

    ``unsafe`` is true for classes that would run code from the file
    (``Lambda``): those are refused as unsafe, as Keras's ``safe_mode`` does.
    """
    if class_name in LAMBDA:
        return ("it is a Lambda layer, whose Python code is stored in the file; Propscope never runs code from "
                "a file (as Keras's safe_mode). Write the computation with built-in layers instead.", True)
    if class_name in MODEL_CLASSES:
        return ("it is a whole model nested inside the model; Propscope opens one chain of layers. Save the "
                "inner model's layers directly in one Sequential or functional model.", False)
    why = unsupported.reason("layers", class_name)
    if why is not None:
        return why, False
    return ("it is not a Keras layer Propscope knows: a custom or subclassed layer, whose code is not in the "
            "file (Propscope never loads custom objects).", False)


def keras_snake(name: str) -> str:
    """Keras's ``to_snake_case``: the group name of a class in a weights file (``ReLU`` → ``re_lu``)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def accepted_arguments(cls: type) -> set[str]:
    """The keyword arguments ``cls(...)`` takes: its ``__init__``'s and its bases' (``name``, ``trainable``…)."""
    names: set[str] = set()
    for klass in cls.__mro__:
        if klass is object or "__init__" not in vars(klass):
            continue
        for name, p in inspect.signature(klass.__init__).parameters.items():
            if name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
                names.add(name)
    return names
