"""Weight initializers with Keras 3 names, formulas and defaults.

Random draws come from a NumPy ``Generator`` so that a seed reproduces a model
exactly on every backend (weights are created in NumPy, then moved).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from core import random as prandom


class Initializer:
    """Base class: ``init(shape, dtype) -> np.ndarray``."""

    name = "initializer"

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed

    def _rng(self, rng: np.random.Generator | None) -> np.random.Generator:
        if rng is not None:
            return rng
        if self.seed is not None:
            return np.random.default_rng(self.seed)
        return prandom.global_generator()

    def __call__(self, shape, dtype="float32", rng: np.random.Generator | None = None) -> np.ndarray:
        return np.asarray(self.sample(tuple(shape), self._rng(rng)), dtype=dtype)

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed}


def _fans(shape: tuple[int, ...]) -> tuple[float, float]:
    if len(shape) < 1:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    return float(shape[-2]), float(shape[-1])


def _truncated_normal(shape, stddev: float, rng: np.random.Generator) -> np.ndarray:
    # Keras truncates at two standard deviations by re-drawing.
    out = rng.standard_normal(shape)
    bad = np.abs(out) > 2.0
    while bad.any():
        out[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2.0
    return out * stddev


class VarianceScaling(Initializer):
    """Keras ``VarianceScaling``: the family behind Glorot, He and LeCun."""

    name = "variance_scaling"

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid mode {mode!r}.")
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"Invalid distribution {distribution!r}.")
        self.scale, self.mode, self.distribution = float(scale), mode, distribution

    def sample(self, shape, rng):
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * scale)
            return rng.uniform(-limit, limit, shape)
        if self.distribution == "truncated_normal":
            # 0.879... is the stddev of a unit normal truncated at ±2.
            return _truncated_normal(shape, math.sqrt(scale) / 0.87962566103423978, rng)
        return rng.standard_normal(shape) * math.sqrt(scale)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution, "seed": self.seed}


def _family(name: str, scale: float, mode: str, distribution: str):
    class _Init(VarianceScaling):
        def __init__(self, seed=None):
            super().__init__(scale, mode, distribution, seed)

        def get_config(self):
            return {"seed": self.seed}

    _Init.name = name
    _Init.__name__ = "".join(p.capitalize() for p in name.split("_"))
    _Init.__qualname__ = _Init.__name__
    _Init.__doc__ = f"Keras ``{name}``: VarianceScaling(scale={scale}, mode={mode!r}, distribution={distribution!r})."
    return _Init


GlorotUniform = _family("glorot_uniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _family("glorot_normal", 1.0, "fan_avg", "truncated_normal")
HeUniform = _family("he_uniform", 2.0, "fan_in", "uniform")
HeNormal = _family("he_normal", 2.0, "fan_in", "truncated_normal")
LecunUniform = _family("lecun_uniform", 1.0, "fan_in", "uniform")
LecunNormal = _family("lecun_normal", 1.0, "fan_in", "truncated_normal")


class Zeros(Initializer):
    """All zeros (Keras ``zeros``)."""

    name = "zeros"

    def sample(self, shape, rng):
        return np.zeros(shape)


class Ones(Initializer):
    """All ones (Keras ``ones``)."""

    name = "ones"

    def sample(self, shape, rng):
        return np.ones(shape)


class Constant(Initializer):
    """A constant value (Keras ``constant``, default 0.0)."""

    name = "constant"

    def __init__(self, value=0.0):
        super().__init__(None)
        self.value = float(value)

    def sample(self, shape, rng):
        return np.full(shape, self.value)

    def get_config(self):
        return {"value": self.value}


class RandomNormal(Initializer):
    """Normal draws (Keras defaults mean 0.0, stddev 0.05)."""

    name = "random_normal"

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def sample(self, shape, rng):
        return rng.normal(self.mean, self.stddev, shape)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    """Uniform draws (Keras defaults −0.05 to 0.05)."""

    name = "random_uniform"

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = float(minval), float(maxval)

    def sample(self, shape, rng):
        return rng.uniform(self.minval, self.maxval, shape)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


_REGISTRY = {
    cls.name: cls
    for cls in (
        GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal,
        Zeros, Ones, Constant, RandomNormal, RandomUniform,
    )
}


def get(identifier: Any) -> Initializer:
    """Resolve a Keras initializer name, class or instance."""
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if isinstance(identifier, str):
        key = identifier.lower()
        if key in _REGISTRY:
            return _REGISTRY[key]()
        raise ValueError(f"Unknown initializer {identifier!r}. Known: {', '.join(sorted(_REGISTRY))}.")
    raise TypeError(f"Could not interpret initializer {identifier!r}.")
