"""Keras's activation layers: ``ReLU``, ``LeakyReLU``, ``ELU`` and ``Softmax`` (no weights).

Each is an :class:`~core.layers.core_layers.Activation` layer whose activation
carries the layer's arguments; the derivative comes with it, so the stepper
shows δ through these layers as through any other.
"""

from __future__ import annotations

import warnings
from typing import Any

from core import activations
from core.layers.core_layers import Activation


class ReLU(Activation):
    """Keras ``ReLU(max_value=None, negative_slope=0.0, threshold=0.0)``::

        a = min(z, max_value) if z > threshold else negative_slope·(z − threshold)
    """

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0, threshold: float = 0.0,
                 **kwargs: Any) -> None:
        if threshold is None or threshold < 0.0:
            raise ValueError("threshold of a ReLU layer cannot be None or a negative value. "
                             f"Received: threshold={threshold}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold
        super().__init__(activations.relu_with(negative_slope, max_value, threshold), **kwargs)

    def get_config(self):
        config = {k: v for k, v in super().get_config().items() if k != "activation"}
        return {**config, "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}


class LeakyReLU(Activation):
    """Keras ``LeakyReLU(negative_slope=0.3)`` — note the layer's default slope is 0.3,
    the ``leaky_relu`` activation's is 0.2, as in Keras."""

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any) -> None:
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.", stacklevel=2)
        if negative_slope is None or negative_slope < 0:
            raise ValueError("The negative_slope value of a Leaky ReLU layer cannot be None or negative value. "
                             f"Expected a float. Received: negative_slope={negative_slope}")
        self.negative_slope = negative_slope
        super().__init__(activations.leaky_relu_with(negative_slope), **kwargs)

    def get_config(self):
        config = {k: v for k, v in super().get_config().items() if k != "activation"}
        return {**config, "negative_slope": self.negative_slope}


class ELU(Activation):
    """Keras ``ELU(alpha=1.0)``."""

    def __init__(self, alpha: float = 1.0, **kwargs: Any) -> None:
        self.alpha = alpha
        super().__init__(activations.elu_with(alpha), **kwargs)

    def get_config(self):
        config = {k: v for k, v in super().get_config().items() if k != "activation"}
        return {**config, "alpha": self.alpha}


class Softmax(Activation):
    """Keras ``Softmax(axis=-1)`` over the last axis (the only one an MLP has)."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        self.axis = axis
        if not isinstance(axis, int):
            raise NotImplementedError(f"Softmax(axis={axis!r}): Propscope normalizes over one axis, the last.")
        super().__init__(activations.softmax_with(-1), **kwargs)

    def compute_output_shape(self, input_shape):
        if self.axis not in (-1, len(input_shape) - 1):
            raise NotImplementedError(f"Softmax(axis={self.axis}) on inputs {input_shape}: Propscope normalizes "
                                      "over the last axis only.")
        return tuple(input_shape)

    def get_config(self):
        config = {k: v for k, v in super().get_config().items() if k != "activation"}
        return {**config, "axis": self.axis}
