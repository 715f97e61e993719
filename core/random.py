"""The seeded random generator behind initializers and shuffling."""

from __future__ import annotations

import numpy as np

_GENERATOR = np.random.default_rng()


def global_generator() -> np.random.Generator:
    """The process-wide generator that :func:`set_random_seed` resets."""
    return _GENERATOR


def set_random_seed(seed: int) -> None:
    """Make every later initialization and shuffle reproducible.

    Like ``keras.utils.set_random_seed``: the same seed and the same sequence
    of model building and training calls give bit-identical results.
    """
    global _GENERATOR
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"The seed must be a non-negative integer, got {seed!r}.")
    _GENERATOR = np.random.default_rng(int(seed))
    np.random.seed(int(seed) % 2**32)


def draw_seed() -> int:
    """A shuffle seed drawn from the global generator (``fit`` and sessions draw one each)."""
    return int(_GENERATOR.integers(0, 2**31 - 1))


def epoch_permutation(n: int, seed: int, epoch: int) -> np.ndarray:
    """The sample order of ``epoch``: a function of ``(seed, epoch)`` only, so any
    epoch can be replayed without replaying the ones before it."""
    return np.random.default_rng([seed, epoch]).permutation(n)
