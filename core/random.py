"""The seeded random generators behind initializers, shuffling and dropout.

Two generators, both reset by :func:`set_random_seed`: the *global* one draws
initial weights and shuffle seeds; the *noise* one draws the seed of each
``Dropout`` layer built without one. Keeping them apart means adding a
Dropout layer to a model does not change the other layers' initial weights
(the overfitting lesson compares 784-100-10 with and without Dropout from the
same start).

A :class:`NoiseStream` gives a layer its random numbers as a function of
``(seed, call)`` alone, as :func:`epoch_permutation` gives the batch order:
the state of a stream is one integer (how many draws it made), so a
checkpoint stores it and a replay reproduces every mask bit for bit.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

from core.backend import config as backend_config

_GENERATOR = np.random.default_rng()
_NOISE = np.random.default_rng()


def global_generator() -> np.random.Generator:
    """The process-wide generator that :func:`set_random_seed` resets."""
    return _GENERATOR


def noise_generator() -> np.random.Generator:
    """The generator of the seeds of dropout layers built without ``seed=`` (also reset by the seed)."""
    return _NOISE


def set_random_seed(seed: int) -> None:
    """Make every later initialization, shuffle and dropout mask reproducible.

    Like ``keras.utils.set_random_seed``: the same seed and the same sequence
    of model building and training calls give bit-identical results.
    """
    global _GENERATOR, _NOISE
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"The seed must be a non-negative integer, got {seed!r}.")
    _GENERATOR = np.random.default_rng(int(seed))
    _NOISE = np.random.default_rng([int(seed), 1])
    np.random.seed(int(seed) % 2**32)


def generator_states() -> tuple[dict, dict]:
    """The states of both generators (an operation that must leave no trace puts them back)."""
    return _GENERATOR.bit_generator.state, _NOISE.bit_generator.state


def set_generator_states(states: tuple[dict, dict]) -> None:
    _GENERATOR.bit_generator.state, _NOISE.bit_generator.state = states


@contextmanager
def global_state_kept() -> Iterator[None]:
    """Put back what building a model changes globally: both generators always (opening a file must not
    change later draws; building a Dropout layer draws from the noise generator), the automatic layer
    names when the block fails."""
    states = generator_states()
    names = backend_config.name_counts()
    try:
        yield
    except BaseException:
        backend_config.set_name_counts(names)
        raise
    finally:
        set_generator_states(states)


def draw_seed() -> int:
    """A shuffle seed drawn from the global generator (``fit`` and sessions draw one each)."""
    return int(_GENERATOR.integers(0, 2**31 - 1))


def draw_noise_seed() -> int:
    """A dropout layer's seed, from the noise generator."""
    return int(_NOISE.integers(0, 2**31 - 1))


def epoch_permutation(n: int, seed: int, epoch: int) -> np.ndarray:
    """The sample order of ``epoch``: a function of ``(seed, epoch)`` only, so any
    epoch can be replayed without replaying the ones before it."""
    return np.random.default_rng([seed, epoch]).permutation(n)


class NoiseStream:
    """Uniform random numbers for one layer: draw ``k`` comes from ``(seed, k)`` alone.

    Parameters
    ----------
    seed : int
        Non-negative.

    Attributes
    ----------
    calls : int
        Draws made so far; with the seed, the whole state of the stream.
    """

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self.calls = 0

    def uniform(self, shape: tuple[int, ...]) -> np.ndarray:
        """The next draw: float64 values in [0, 1) of ``shape``."""
        values = np.random.default_rng([self.seed, self.calls]).random(shape)
        self.calls += 1
        return values

    def get_state(self) -> tuple[int, int]:
        return self.seed, self.calls

    def set_state(self, state: Any) -> None:
        seed, calls = (int(v) for v in state)
        if seed < 0 or calls < 0:
            raise ValueError(f"A noise stream's seed and call count are non-negative, got {state!r}.")
        self.seed, self.calls = seed, calls
