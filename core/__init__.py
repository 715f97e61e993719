"""Propscope's core: a Keras-compatible MLP library that shows its work.

``import core as keras`` runs the course code unchanged::

    model = keras.Sequential([
        keras.layers.Dense(100, activation="sigmoid", input_shape=(784,)),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=5)

This package is pure Python + NumPy; torch is imported only when the torch
backend is requested, and Qt never (a test enforces it).
"""

from core import (
    gradcheck,
    activations,
    backend,
    callbacks,
    config,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    saving,
    utils,
)
from core.datasets import fashion_mnist, mnist  # noqa: F401 - keras.datasets.mnist.load_data()
from core.layers import Input, InputLayer
from core.losses import Loss
from core.metrics import Metric
from core.models import Model, Sequential
from core.optimizers import Optimizer
from core.variables import Variable

__version__ = "0.1.0"

__all__ = [
    "Input", "InputLayer", "Loss", "Metric", "Model", "Optimizer", "Sequential", "Variable", "activations",
    "backend", "callbacks", "config", "datasets", "gradcheck", "initializers", "layers", "losses", "metrics",
    "models", "optimizers", "regularizers", "saving", "utils",
]


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("", name)
