"""The course's validation split, index for index: scikit-learn's ``train_test_split``.

The course holds out validation data with
``train_test_split(x, y, test_size=0.2, random_state=42)``. Propscope splits
exactly the same way (without importing scikit-learn), so the code the Code
dock writes selects the very samples the app trains and validates on.

scikit-learn (``ShuffleSplit``) draws one permutation from
``numpy.random.RandomState(random_state)``; the first ``ceil(test_size·n)``
indices are the held-out part, the rest the training part, in permutation
order.
"""

from __future__ import annotations

import math

import numpy as np


def holdout_indices(n: int, test_size: float, random_state: int | None) -> tuple[np.ndarray, np.ndarray]:
    """``(train, held_out)`` sample indices as ``train_test_split(..., test_size, random_state)`` picks them.

    Raises
    ------
    ValueError
        When ``test_size`` is not in (0, 1) or either part would be empty.
    """
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be between 0 and 1, got {test_size}.")
    n_test = math.ceil(test_size * n)
    n_train = n - n_test
    if n_test == 0 or n_train == 0:
        raise ValueError(f"Cannot hold out {test_size:g} of {n} samples: one part would be empty.")
    permutation = np.random.RandomState(random_state).permutation(n)
    return permutation[n_test:n_test + n_train], permutation[:n_test]
