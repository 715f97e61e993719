"""Weight initializers with Keras 3 names, formulas and defaults.

Random draws come from a NumPy ``Generator`` so that a seed reproduces a model
exactly on every backend (weights are created in NumPy, then moved).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from core import random as prandom
from core.arguments import refuse


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

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Initializer":
        return cls(**config)


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

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None, input_axes=None,
                 output_axes=None):
        super().__init__(seed)
        refuse("VarianceScaling", "Dense kernels use the last two axes.", input_axes=input_axes,
               output_axes=output_axes)
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: expected one of {{'fan_in', 'fan_out', 'fan_avg'}}. "
                             f"Received: mode={mode!r}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"Invalid `distribution` argument: expected one of {{'uniform', 'truncated_normal', "
                             f"'untruncated_normal'}}. Received: distribution={distribution!r}")
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
        return {"seed": self.seed, "scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "input_axes": None, "output_axes": None}


def _family(name: str, scale: float, mode: str, distribution: str):
    class _Init(VarianceScaling):
        def __init__(self, seed=None, input_axes=None, output_axes=None):
            super().__init__(scale, mode, distribution, seed, input_axes, output_axes)

        def get_config(self):
            return {"seed": self.seed, "input_axes": None, "output_axes": None}

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

    def __init__(self):
        super().__init__(None)

    def sample(self, shape, rng):
        return np.zeros(shape)

    def get_config(self):
        return {}


class Ones(Zeros):
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


class Identity(Initializer):
    """The identity matrix times ``gain`` (Keras ``identity``; 2-D shapes only)."""

    name = "identity"

    def __init__(self, gain=1.0):
        super().__init__(None)
        self.gain = float(gain)

    def sample(self, shape, rng):
        if len(shape) != 2:
            raise ValueError(f"Identity matrix initializer can only be used for 2D matrices. Received: "
                             f"shape={shape} of rank {len(shape)}.")
        return np.eye(*shape) * self.gain

    def get_config(self):
        return {}  # as Keras 3.15 (its Identity does not record the gain)


class RandomNormal(Initializer):
    """Normal draws (Keras defaults mean 0.0, stddev 0.05)."""

    name = "random_normal"

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def sample(self, shape, rng):
        return rng.normal(self.mean, self.stddev, shape)

    def get_config(self):
        return {"seed": self.seed, "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomNormal):
    """Normal draws re-drawn beyond two standard deviations (Keras defaults mean 0.0, stddev 0.05)."""

    name = "truncated_normal"

    def sample(self, shape, rng):
        return self.mean + _truncated_normal(shape, self.stddev, rng)


class RandomUniform(Initializer):
    """Uniform draws (Keras defaults −0.05 to 0.05)."""

    name = "random_uniform"

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = float(minval), float(maxval)

    def sample(self, shape, rng):
        return rng.uniform(self.minval, self.maxval, shape)

    def get_config(self):
        return {"seed": self.seed, "minval": self.minval, "maxval": self.maxval}


class Orthogonal(Initializer):
    """Keras ``orthogonal(gain=1.0)``: Q of the QR decomposition of a normal matrix, signs fixed by diag(R)."""

    name = "orthogonal"

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = float(gain)

    def sample(self, shape, rng):
        if len(shape) < 2:
            raise ValueError(f"The tensor to initialize must be at least two-dimensional. Received: "
                             f"shape={shape} of rank {len(shape)}.")
        rows, cols = int(np.prod(shape[:-1])), int(shape[-1])
        q, r = np.linalg.qr(rng.standard_normal((max(rows, cols), min(rows, cols))))
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return self.gain * q.reshape(shape)

    def get_config(self):
        return {"seed": self.seed, "gain": self.gain}


_CLASSES = (GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, VarianceScaling, Zeros,
            Ones, Constant, Identity, RandomNormal, TruncatedNormal, RandomUniform, Orthogonal)
_REGISTRY = {cls.name: cls for cls in _CLASSES}
_REGISTRY.update({cls.__name__.lower(): cls for cls in _CLASSES})
_REGISTRY.update({"uniform": RandomUniform, "normal": RandomNormal, "zero": Zeros, "one": Ones,
                  "identityinitializer": Identity, "orthogonalinitializer": Orthogonal})

# Function-style aliases, as keras.initializers.glorot_uniform etc.
glorot_uniform, glorot_normal, he_uniform, he_normal = GlorotUniform, GlorotNormal, HeUniform, HeNormal
lecun_uniform, lecun_normal, variance_scaling, zeros, ones = LecunUniform, LecunNormal, VarianceScaling, Zeros, Ones
constant, identity, random_normal, truncated_normal = Constant, Identity, RandomNormal, TruncatedNormal
random_uniform, orthogonal = RandomUniform, Orthogonal
IdentityInitializer, OrthogonalInitializer = Identity, Orthogonal


def get(identifier: Any) -> Initializer:
    """Resolve a Keras initializer name, class, instance or serialized dict."""
    if isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Initializer):
        return identifier()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        key = identifier.lower()
        if key in _REGISTRY:
            return _REGISTRY[key]()
        raise ValueError(f"Unknown initializer {identifier!r}. Known: {', '.join(sorted(c.name for c in _CLASSES))}.")
    raise TypeError(f"Could not interpret initializer {identifier!r}.")


def serialize(initializer: Initializer) -> dict[str, Any]:
    """Keras's serialized form: ``{"module": "keras.initializers", "class_name": ..., "config": ...}``."""
    return {"module": "keras.initializers", "class_name": type(initializer).__name__,
            "config": initializer.get_config(), "registered_name": None}


def deserialize(config: dict[str, Any]) -> Initializer:
    cls = _REGISTRY.get(str(config.get("class_name", "")).lower())
    if cls is None:
        raise ValueError(f"Unknown initializer class {config.get('class_name')!r}.")
    return cls.from_config(config.get("config", {}))


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("initializers", name)
