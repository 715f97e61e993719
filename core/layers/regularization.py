"""Keras's regularization layers: ``Dropout`` and ``ActivityRegularization``.

``Dropout`` is Keras's inverted dropout: in training each unit is kept with
probability 1 − rate and the kept ones are scaled by 1/(1 − rate), so the
expected output equals the input and nothing changes at inference::

    a = x ⊙ m · 1/(1 − rate)        m ~ Bernoulli(1 − rate), drawn per batch
    δ = ∂L/∂x = ∂L/∂a ⊙ m · 1/(1 − rate)

Its random numbers come from a :class:`core.random.NoiseStream`: the mask of
the k-th training batch is a function of the layer's seed and k alone, so a
checkpoint (the seed and k) lets the stepper rewind and replay bit for bit.
The masks are not Keras's (Keras draws from torch's generator): they have the
same distribution, and ``rate=0`` gives identical training.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core import random as prandom
from core import regularizers as regularizers_module
from core.layers.base import Layer, WeightlessLayer


def _noise_shape(noise_shape: Any) -> tuple | None:
    """Keras's ``_validate_noise_shape``: None, or a tuple of positive ints and Nones."""
    if noise_shape is None:
        return None
    if isinstance(noise_shape, str):
        raise ValueError(f"Invalid value received for argument `noise_shape`. Expected a tuple or list of integers. "
                         f"Received: noise_shape={noise_shape}")
    try:
        noise_shape = tuple(noise_shape)
    except TypeError:
        raise ValueError(f"Invalid value received for argument `noise_shape`. Expected an iterable of integers "
                         f"(e.g., a tuple or list). Received: noise_shape={noise_shape}") from None
    for i, dim in enumerate(noise_shape):
        if dim is None:
            continue
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise ValueError(f"Invalid value received for argument `noise_shape`. Expected all elements to be "
                             f"integers or None. Received element at index {i}: {dim} (type: {type(dim).__name__})")
        if dim <= 0:
            raise ValueError(f"Invalid value received for argument `noise_shape`. Expected all dimensions to be "
                             f"positive integers or None. Received negative or zero value at index {i}: {dim}")
    return tuple(None if d is None else int(d) for d in noise_shape)


class Dropout(Layer):
    """Keras ``Dropout(rate, noise_shape=None, seed=None)``.

    Parameters
    ----------
    rate : float
        Fraction of the units to drop, in [0, 1].
    noise_shape : tuple, optional
        Shape of the mask, broadcast over the input (None entries take the
        input's size): ``(None, 1)`` drops whole samples.
    seed : int, optional
        The mask stream's seed; by default one is drawn from the noise
        generator that ``keras.utils.set_random_seed`` resets.

    Notes
    -----
    ``z`` is the layer's input and ``a`` its output; in training the forward
    pass records ``mask`` (1 kept, 0 dropped, in the mask's shape), ``scale``
    = 1/(1 − rate) and ``multiplier`` = mask · scale (broadcast to the input).
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"Invalid value received for argument `rate`. Expected a float value between 0 and 1. "
                             f"Received: rate={rate}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ValueError(f"Argument `seed` must be a non-negative integer or None. Received: seed={seed}")
        self.rate = rate
        self.seed = None if seed is None else int(seed)
        self.noise_shape = _noise_shape(noise_shape)
        # As Keras creates its seed generator only when rate > 0, only then is a seed drawn.
        self.noise = prandom.NoiseStream(self.seed if self.seed is not None else
                                         prandom.draw_noise_seed() if rate > 0 else 0)
        #: the gradient check fixes the mask (a boolean keep-array) while it moves one weight at a time
        self.fixed_mask: np.ndarray | None = None

    def noise_streams(self) -> list:
        return [self.noise] if self.rate > 0 else []

    def mask_shape(self, input_shape: tuple) -> tuple[int, ...]:
        """The concrete shape of one batch's mask (Keras's ``_get_concrete_noise_shape``)."""
        if self.noise_shape is None:
            return tuple(int(d) for d in input_shape)
        if len(self.noise_shape) != len(input_shape):
            raise ValueError(f"Dropout {self.name!r}: noise_shape {self.noise_shape} does not match inputs of rank "
                             f"{len(input_shape)}.")
        return tuple(int(input_shape[i]) if d is None else d for i, d in enumerate(self.noise_shape))

    def draw_keep(self, input_shape: tuple) -> np.ndarray:
        """The next batch's keep-mask (True = kept), advancing the stream."""
        if self.fixed_mask is not None:
            return self.fixed_mask
        return self.noise.uniform(self.mask_shape(input_shape)) >= self.rate

    def forward(self, ops, x, training=False, record=None):
        if not training or self.rate == 0:
            return x, x
        scale = 0.0 if self.rate == 1 else 1.0 / (1.0 - self.rate)
        keep = np.zeros(self.mask_shape(tuple(x.shape)), dtype=bool) if self.rate == 1 else \
            self.draw_keep(tuple(x.shape))
        mask = keep.astype(ops.dtype)
        full = mask * ops.scalar(scale)
        if full.shape != tuple(x.shape):  # a noise_shape: one mask value for a whole row or column
            full = np.broadcast_to(full, tuple(x.shape)).copy()
        multiplier = ops.asarray(full)
        a = x * multiplier
        if record is not None:
            record.update(mask=ops.asarray(mask), scale=ops.scalar(scale), multiplier=multiplier)
        return x, a

    def backward(self, ops, x, z, a, grad_a, need_grad_x=True, grads_out=None, need_grads=True, record=None):
        multiplier = None if record is None else record.get("multiplier")
        delta = grad_a if multiplier is None else grad_a * multiplier
        return delta, [], delta

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape}


class ActivityRegularization(WeightlessLayer):
    """Keras ``ActivityRegularization(l1=0.0, l2=0.0)``: passes its input through and adds
    ``L1L2(l1, l2)`` of it, divided by the batch size, to the loss."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0, **kwargs: Any) -> None:
        if "activity_regularizer" in kwargs:
            raise ValueError("ActivityRegularization takes l1 and l2, not an activity_regularizer.")
        super().__init__(activity_regularizer=regularizers_module.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = l1, l2

    def forward(self, ops, x, training=False, record=None):
        return x, x

    def local_backward(self, ops, x, a, grad_a):
        return grad_a

    def get_config(self):
        config = {k: v for k, v in super().get_config().items() if k != "activity_regularizer"}
        return {**config, "l1": self.l1, "l2": self.l2}
