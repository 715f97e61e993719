"""The :class:`Dataset`: samples, labels and what they mean, with splits and preprocessing."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from core.datasets.errors import NonFiniteError, ShapeMismatchError

TASKS = ("classification", "binary", "regression")


@dataclass(frozen=True)
class Dataset:
    """A labelled dataset.

    Attributes
    ----------
    x : ndarray
        Samples, shape ``(n, *input_shape)``.
    y : ndarray
        Integer class labels ``(n,)`` for classification, floats ``(n,)`` or
        ``(n, k)`` for regression.
    task : {"classification", "binary", "regression"}
    class_names : tuple of str
        Names of classes 0, 1, ... (empty for regression).
    feature_names : tuple of str
        Column names for tabular data (empty for images).
    source : str
        Where the data came from, for the UI ("Fashion-MNIST train (IDX, …)").
    x_test, y_test : ndarray, optional
        A separate test set shipped with the data (MNIST's t10k files, mnist.npz).
    name : str
        Short name for menus and titles.
    """

    x: np.ndarray
    y: np.ndarray
    task: str = "classification"
    class_names: tuple[str, ...] = ()
    feature_names: tuple[str, ...] = ()
    source: str = ""
    x_test: np.ndarray | None = None
    y_test: np.ndarray | None = None
    name: str = "data"
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"Unknown task {self.task!r}: expected one of {TASKS}.")
        if len(self.x) != len(self.y):
            raise ShapeMismatchError(f"{len(self.x)} samples but {len(self.y)} labels.", where=self.name)
        if (self.x_test is None) != (self.y_test is None):
            raise ValueError("x_test and y_test go together.")
        if self.x_test is not None and len(self.x_test) != len(self.y_test):
            raise ShapeMismatchError(f"test set: {len(self.x_test)} samples but {len(self.y_test)} labels.",
                                     where=self.name)

    # --- description -------------------------------------------------------
    def __len__(self) -> int:
        return int(len(self.x))

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(int(d) for d in self.x.shape[1:])

    @property
    def is_image(self) -> bool:
        return len(self.input_shape) in (2, 3) and self.input_shape[0] >= 8

    @property
    def num_classes(self) -> int:
        return len(self.class_names) if self.task != "regression" else 0

    def class_counts(self) -> np.ndarray:
        """How many samples of each class (the class balance)."""
        if self.task == "regression":
            return np.zeros(0, dtype=np.int64)
        return np.bincount(self.y.astype(np.int64).reshape(-1), minlength=self.num_classes)

    def describe(self) -> str:
        text = f"{self.name}: {len(self):,} samples of shape {self.input_shape}"
        if self.task != "regression":
            text += f", {self.num_classes} classes"
        else:
            text += ", regression"
        if self.x_test is not None:
            text += f"; test set of {len(self.x_test):,}"
        return text

    # --- splits ------------------------------------------------------------
    def train_test_split(self, test_size: float = 0.2, random_state: int | None = 42,
                         stratify: bool = False) -> tuple["Dataset", "Dataset"]:
        """Shuffled split like scikit-learn's ``train_test_split`` (the course uses 0.2, 42).

        With ``stratify`` every class keeps its share in both parts.
        """
        n = len(self)
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"test_size must be between 0 and 1, got {test_size}.")
        n_test = int(np.ceil(n * test_size))
        if n_test == 0 or n_test >= n:
            raise ValueError(f"Cannot split {n} samples with test_size={test_size}.")
        rng = np.random.default_rng(random_state)
        if stratify and self.task != "regression":
            test_idx = []
            labels = self.y.astype(np.int64)
            for c in np.unique(labels):
                members = np.flatnonzero(labels == c)
                rng.shuffle(members)
                take = int(round(len(members) * test_size))
                test_idx.append(members[:take])
            test = np.sort(np.concatenate(test_idx))
            mask = np.ones(n, dtype=bool)
            mask[test] = False
            train = rng.permutation(np.flatnonzero(mask))
            test = rng.permutation(test)
        else:
            order = rng.permutation(n)
            test, train = order[:n_test], order[n_test:]
        return self.subset(train, "train"), self.subset(test, "validation")

    def validation_split(self, fraction: float) -> tuple["Dataset", "Dataset"]:
        """Keras's ``validation_split``: the *last* ``fraction`` of samples, unshuffled."""
        if not 0.0 < fraction < 1.0:
            raise ValueError(f"fraction must be between 0 and 1, got {fraction}.")
        split_at = int(np.floor(len(self) * (1.0 - fraction)))
        return self.subset(np.arange(split_at), "train"), self.subset(np.arange(split_at, len(self)), "validation")

    def subset(self, index: np.ndarray, part: str | None = None) -> "Dataset":
        """The samples at ``index`` (copied), without the test set."""
        name = f"{self.name} ({part})" if part else self.name
        return replace(self, x=self.x[index], y=self.y[index], x_test=None, y_test=None, name=name)

    def test_set(self) -> "Dataset | None":
        """The shipped test set as its own Dataset, if any."""
        if self.x_test is None:
            return None
        return replace(self, x=self.x_test, y=self.y_test, x_test=None, y_test=None, name=f"{self.name} (test)")

    # --- cleaning and preprocessing ----------------------------------------------
    def nonfinite_rows(self) -> np.ndarray:
        """Indices of samples with NaN/Inf in x or y."""
        bad = np.zeros(len(self), dtype=bool)
        for arr in (self.x, self.y):
            if np.issubdtype(arr.dtype, np.floating):
                bad |= ~np.isfinite(arr.reshape(len(arr), -1)).all(axis=1)
        return np.flatnonzero(bad)

    def check_finite(self) -> None:
        """Raise :class:`NonFiniteError` (with count and rows) if any value is NaN/Inf."""
        rows = self.nonfinite_rows()
        if rows.size:
            raise NonFiniteError(f"{rows.size} sample(s) contain NaN or Inf (first: sample {rows[0]}); "
                                 "drop them or fix the data.", where=self.name, count=int(rows.size), rows=rows)

    def drop_nonfinite(self) -> "Dataset":
        rows = self.nonfinite_rows()
        if not rows.size:
            return self
        keep = np.setdiff1d(np.arange(len(self)), rows)
        return replace(self, x=self.x[keep], y=self.y[keep], meta={**self.meta, "dropped_nonfinite": int(rows.size)})

    def flattened(self) -> "Dataset":
        """Each sample as a vector (what Dense layers take)."""
        x_test = None if self.x_test is None else self.x_test.reshape(len(self.x_test), -1)
        return replace(self, x=self.x.reshape(len(self), -1), x_test=x_test)

    def one_hot_labels(self) -> np.ndarray:
        """One-hot targets for categorical_crossentropy."""
        if self.task == "regression":
            raise ValueError("Regression targets have no one-hot encoding.")
        out = np.zeros((len(self), self.num_classes), dtype=np.float32)
        out[np.arange(len(self)), self.y.astype(np.int64)] = 1.0
        return out


@dataclass(frozen=True)
class Normalizer:
    """Feature scaling fitted on training data and applied to any split.

    Parameters
    ----------
    method : {"none", "divide255", "standardize", "minmax"}
        ``divide255`` is the course's ``x / 255.0``; ``standardize`` subtracts
        the mean and divides by the standard deviation per feature; ``minmax``
        maps each feature to [0, 1].
    """

    method: str = "none"
    shift: np.ndarray | float = 0.0
    scale: np.ndarray | float = 1.0

    METHODS = ("none", "divide255", "standardize", "minmax")

    @classmethod
    def fit(cls, method: str, x: np.ndarray) -> "Normalizer":
        if method not in cls.METHODS:
            raise ValueError(f"Unknown normalization {method!r}: expected one of {cls.METHODS}.")
        x = np.asarray(x, dtype=np.float64)
        if method == "divide255":
            return cls(method, 0.0, 1.0 / 255.0)
        if method == "standardize":
            std = x.std(axis=0)
            return cls(method, x.mean(axis=0), 1.0 / np.where(std > 0, std, 1.0))
        if method == "minmax":
            lo, hi = x.min(axis=0), x.max(axis=0)
            return cls(method, lo, 1.0 / np.where(hi > lo, hi - lo, 1.0))
        return cls("none")

    def transform(self, x: np.ndarray, dtype=np.float32) -> np.ndarray:
        """Scaled copy of ``x``; computed in float64 then rounded, like ``x / 255.0``
        in NumPy followed by Keras's cast, in chunks so 60,000 images need no
        float64 copy of the whole set."""
        x = np.asarray(x)
        if self.method == "none":
            return np.asarray(x, dtype=dtype)
        out = np.empty(x.shape, dtype=dtype)
        step = max(1, 4_000_000 // max(1, int(np.prod(x.shape[1:]))))
        for start in range(0, len(x), step):
            chunk = x[start:start + step].astype(np.float64)
            if self.method == "divide255":
                out[start:start + step] = chunk / 255.0
            else:
                out[start:start + step] = (chunk - self.shift) * self.scale
        return out
