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
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    utils,
)
from core.layers import Input
from core.models import Model, Sequential

__version__ = "0.1.0"

__all__ = [
    "Input", "Model", "Sequential", "activations", "gradcheck", "backend", "callbacks", "initializers",
    "layers", "losses", "metrics", "models", "optimizers", "utils",
]
