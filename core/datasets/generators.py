"""Built-in datasets: TensorFlow Playground's 2-D sets and the perceptron's logic gates.

The 2-D generators follow TensorFlow Playground (``dataset.ts``): the same
shapes, radii and noise scaling, with ``noise`` in [0, 0.5] as its 0–50%
slider. Classification labels are 0/1 (Playground's −1/+1).
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from core.datasets.dataset import Dataset


def _rng(seed: int | None) -> np.random.Generator:
    return np.random.default_rng(seed)


def _check(n: int, noise: float) -> None:
    if n < 2:
        raise ValueError(f"n_samples must be at least 2, got {n}.")
    if not 0.0 <= noise <= 1.0:
        raise ValueError(f"noise must be in [0, 1], got {noise}.")


def circle(n_samples: int = 500, noise: float = 0.0, seed: int | None = 0) -> Dataset:
    """Class 1 inside radius 2.5, class 0 in a ring from 3.5 to 5 (Playground "circle")."""
    _check(n_samples, noise)
    rng, radius = _rng(seed), 5.0
    half = n_samples // 2

    def points(count, r_lo, r_hi):
        r = rng.uniform(r_lo, r_hi, count)
        angle = rng.uniform(0, 2 * math.pi, count)
        p = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
        noisy = p + rng.uniform(-radius, radius, (count, 2)) * noise
        label = (np.hypot(noisy[:, 0], noisy[:, 1]) < radius * 0.5).astype(np.int64)
        return p, label

    p1, l1 = points(half, 0, radius * 0.5)
    p0, l0 = points(n_samples - half, radius * 0.7, radius)
    return _two_d("circle", np.vstack([p1, p0]), np.concatenate([l1, l0]), noise, seed)


def xor(n_samples: int = 500, noise: float = 0.0, seed: int | None = 0) -> Dataset:
    """Class 1 where x·y ≥ 0 (quadrants I and III), points kept 0.3 off the axes."""
    _check(n_samples, noise)
    rng, padding = _rng(seed), 0.3
    p = rng.uniform(-5, 5, (n_samples, 2))
    p += np.where(p > 0, padding, -padding)
    noisy = p + rng.uniform(-5, 5, (n_samples, 2)) * noise
    label = (noisy[:, 0] * noisy[:, 1] >= 0).astype(np.int64)
    return _two_d("xor", p, label, noise, seed)


def gaussians(n_samples: int = 500, noise: float = 0.0, seed: int | None = 0) -> Dataset:
    """Two Gaussian blobs at (2, 2) (class 1) and (−2, −2) (class 0); noise widens them."""
    _check(n_samples, noise)
    rng = _rng(seed)
    variance = 0.5 + (4.0 - 0.5) * (noise / 0.5)  # Playground: scale [0, .5] → [0.5, 4]
    half = n_samples // 2
    sd = math.sqrt(variance)
    p1 = rng.normal(2, sd, (half, 2))
    p0 = rng.normal(-2, sd, (n_samples - half, 2))
    label = np.concatenate([np.ones(half, np.int64), np.zeros(n_samples - half, np.int64)])
    return _two_d("gaussians", np.vstack([p1, p0]), label, noise, seed)


def spiral(n_samples: int = 500, noise: float = 0.0, seed: int | None = 0) -> Dataset:
    """Two interleaved spirals (Playground "spiral"), the hardest of the 2-D sets."""
    _check(n_samples, noise)
    rng = _rng(seed)
    half = n_samples // 2
    parts, labels = [], []
    for count, delta, label in ((half, 0.0, 1), (n_samples - half, math.pi, 0)):
        i = np.arange(count)
        r = i / count * 5
        t = 1.75 * i / count * 2 * math.pi + delta
        p = np.stack([r * np.sin(t), r * np.cos(t)], axis=1) + rng.uniform(-1, 1, (count, 2)) * noise
        parts.append(p)
        labels.append(np.full(count, label, np.int64))
    return _two_d("spiral", np.vstack(parts), np.concatenate(labels), noise, seed)


def moons(n_samples: int = 500, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """Two interleaving half circles (scikit-learn's ``make_moons``), Gaussian noise."""
    _check(n_samples, noise)
    rng = _rng(seed)
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out, t_in = np.linspace(0, math.pi, n_out), np.linspace(0, math.pi, n_in)
    outer = np.stack([np.cos(t_out), np.sin(t_out)], axis=1)
    inner = np.stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5], axis=1)
    p = np.vstack([outer, inner]) + rng.normal(0, noise, (n_samples, 2))
    label = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    order = rng.permutation(n_samples)
    return _two_d("moons", p[order], label[order], noise, seed)


def plane(n_samples: int = 500, noise: float = 0.0, seed: int | None = 0) -> Dataset:
    """Regression: target (x + y)/10 over [−6, 6]² (Playground "plane")."""
    _check(n_samples, noise)
    rng, radius = _rng(seed), 6.0
    p = rng.uniform(-radius, radius, (n_samples, 2))
    noisy = p + rng.uniform(-radius, radius, (n_samples, 2)) * noise
    target = (noisy[:, 0] + noisy[:, 1]) / 10.0
    return _regression("plane", p, target, noise, seed)


_GAUSS_CENTERS = ((-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1))


def multi_gaussian(n_samples: int = 500, noise: float = 0.0, seed: int | None = 0) -> Dataset:
    """Regression: six signed Gaussian bumps (Playground "multi gaussian")."""
    _check(n_samples, noise)
    rng, radius = _rng(seed), 6.0
    p = rng.uniform(-radius, radius, (n_samples, 2))
    noisy = p + rng.uniform(-radius, radius, (n_samples, 2)) * noise
    target = np.zeros(n_samples)
    for cx, cy, sign in _GAUSS_CENTERS:
        dist = np.hypot(noisy[:, 0] - cx, noisy[:, 1] - cy)
        value = sign * np.clip(1.0 - dist / 2.0, 0.0, 1.0)  # scale [0, 2] → [1, 0], clamped
        target = np.where(np.abs(value) > np.abs(target), value, target)
    return _regression("multi_gaussian", p, target, noise, seed)


_GATES: dict[str, Callable[[int, int], int]] = {
    "AND": lambda a, b: a & b,
    "OR": lambda a, b: a | b,
    "NAND": lambda a, b: 1 - (a & b),
    "XOR": lambda a, b: a ^ b,
}


def logic_gate(gate: str = "XOR") -> Dataset:
    """The four rows of a 2-input truth table: the perceptron lesson's data."""
    key = gate.upper()
    if key not in _GATES:
        raise ValueError(f"Unknown gate {gate!r}: expected one of {', '.join(_GATES)}.")
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([_GATES[key](int(a), int(b)) for a, b in x.astype(int)], dtype=np.int64)
    return Dataset(x, y, "binary", ("0", "1"), ("x1", "x2"), f"{key} truth table", name=key)


def _two_d(name: str, x: np.ndarray, y: np.ndarray, noise: float, seed) -> Dataset:
    return Dataset(x.astype(np.float32), y, "binary", ("0", "1"), ("x1", "x2"),
                   f"built-in {name} (noise {noise:.2f}, seed {seed})", name=name,
                   meta={"generator": name, "noise": noise, "seed": seed})


def _regression(name: str, x: np.ndarray, y: np.ndarray, noise: float, seed) -> Dataset:
    return Dataset(x.astype(np.float32), y.astype(np.float32), "regression", (), ("x1", "x2"),
                   f"built-in {name} (noise {noise:.2f}, seed {seed})", name=name,
                   meta={"generator": name, "noise": noise, "seed": seed})


GENERATORS: dict[str, Callable[..., Dataset]] = {
    "circle": circle, "xor": xor, "gaussians": gaussians, "spiral": spiral, "moons": moons,
    "plane": plane, "multi_gaussian": multi_gaussian,
}


def generate(name: str, n_samples: int = 500, noise: float = 0.0, seed: int | None = 0) -> Dataset:
    """Generate a built-in 2-D set by name."""
    try:
        fn = GENERATORS[name]
    except KeyError:
        raise ValueError(f"Unknown dataset {name!r}: expected one of {', '.join(GENERATORS)}.") from None
    return fn(n_samples=n_samples, noise=noise, seed=seed)
