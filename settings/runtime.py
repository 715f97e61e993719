"""How training uses the machine, the same for the window and the ``propscope`` command."""

from __future__ import annotations

from core.backend import set_num_threads

#: BLAS (and torch) threads for training. One: at these sizes two are slower, and they
#: collapse when anything else holds the other core (measured: a Fashion-MNIST epoch took
#: 43–51 s beside other work with the default threads, 1.6–3.4 s with one).
TRAINING_THREADS = 1


def use_training_threads() -> int:
    """Limit compute to :data:`TRAINING_THREADS` threads for the rest of the process; returns the number."""
    set_num_threads(TRAINING_THREADS)
    return TRAINING_THREADS
