"""Layers with Keras 3 names, arguments and configs (``import core as keras; keras.layers.Dense``).

Each layer keeps its backward pass beside its forward pass; see
:mod:`core.layers.base` for the contract the engine and the stepper rely on.
"""

from core.layers.activation_layers import ELU, LeakyReLU, ReLU, Softmax
from core.layers.base import Input, InputLayer, KerasTensor, Layer, WeightlessLayer
from core.layers.core_layers import Activation, Dense, Flatten
from core.layers.normalization import BatchNormalization
from core.layers.preprocessing import Normalization, Rescaling
from core.layers.regularization import ActivityRegularization, Dropout

__all__ = ["ELU", "Activation", "ActivityRegularization", "BatchNormalization", "Dense", "Dropout", "Flatten",
           "Input", "InputLayer", "KerasTensor", "Layer", "LeakyReLU", "Normalization", "ReLU", "Rescaling",
           "Softmax", "WeightlessLayer"]


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("layers", name)
