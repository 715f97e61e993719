"""Keras's ``Variable`` surface over Propscope's plain arrays.

Layers keep their weights as backend arrays in ``layer.params`` (the engine
rebinds them to views of one flat buffer, see :mod:`core.flat`), optimizers
keep their state in ``optimizer.slots`` and two Python scalars. A
:class:`Variable` is a stable, named handle onto one of those places: it reads
the live value each time, so it never goes stale when the array behind it is
rebound, and writing through it (``assign``) writes into that array.

The surface is Keras 3's: ``numpy()``, ``assign``/``assign_add``/``assign_sub``,
``value``, ``shape``, ``dtype``, ``ndim``, ``name``, ``path``, ``trainable``,
NumPy conversion and arithmetic (which, as in Keras, gives plain values).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np


class Variable:
    """A named handle onto one array (or scalar) that lives in a layer or optimizer.

    Parameters
    ----------
    name : str
        Keras's variable name (``"kernel"``, ``"momentum"``, ``"iteration"``).
    path : callable or str
        The full path (``"sequential/dense/kernel"``), or a function giving it
        (a layer's path follows the model it is added to).
    read : callable
        Returns the live value: a backend array, or a Python scalar.
    write : callable
        Stores a new value (a NumPy array of this variable's shape and dtype).
    dtype : callable or str
        The dtype name (``"float32"``, ``"int32"``…), or a function giving it.
    to_numpy : callable, optional
        Converts the live value to a NumPy copy (the backend's ``copy_numpy``).
    trainable : callable or bool
        Whether the optimizer updates it (a layer's flag can change).
    """

    def __init__(self, name: str, path: Callable[[], str] | str, read: Callable[[], Any],
                 write: Callable[[np.ndarray], None], dtype: Callable[[], str] | str,
                 to_numpy: Callable[[Any], np.ndarray] | None = None,
                 trainable: Callable[[], bool] | bool = False) -> None:
        self._name = name
        self._path = path
        self._read = read
        self._write = write
        self._dtype = dtype
        self._to_numpy = to_numpy or (lambda v: np.array(v, copy=True))
        self._trainable = trainable

    # --- identity -------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def path(self) -> str:
        return self._path() if callable(self._path) else self._path

    @property
    def trainable(self) -> bool:
        return bool(self._trainable() if callable(self._trainable) else self._trainable)

    @property
    def dtype(self) -> str:
        return self._dtype() if callable(self._dtype) else self._dtype

    # --- value ------------------------------------------------------------------
    @property
    def value(self) -> Any:
        """The live value (a backend array, not a copy)."""
        return self._read()

    def numpy(self) -> np.ndarray:
        """A NumPy copy of the value (a 0-d array for scalars, as Keras gives)."""
        return np.asarray(self._to_numpy(self._read()), dtype=self.dtype)

    @property
    def shape(self) -> tuple[int, ...]:
        value = self._read()
        return tuple(int(d) for d in value.shape) if hasattr(value, "shape") else ()

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def assign(self, value: Any) -> Any:
        """Write ``value`` (same shape) into the variable; returns the new value."""
        array = np.asarray(value.numpy() if isinstance(value, Variable) else value)
        if tuple(array.shape) != self.shape:
            raise ValueError(f"The shape of the target variable and the shape of the target value in "
                             f"`variable.assign(value)` must match. variable.shape={self.shape}, "
                             f"Received: value.shape={tuple(array.shape)}. Target variable: {self!r}")
        self._write(array.astype(self.dtype, copy=False))
        return self.value

    def assign_add(self, value: Any) -> Any:
        return self.assign(self.numpy() + np.asarray(value, dtype=self.dtype))

    def assign_sub(self, value: Any) -> Any:
        return self.assign(self.numpy() - np.asarray(value, dtype=self.dtype))

    # --- NumPy and Python conversions (Keras variables behave like their value) ---
    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.numpy(), dtype=dtype)

    def __float__(self) -> float:
        return float(self.numpy())

    def __int__(self) -> int:
        return int(self.numpy())

    def __bool__(self) -> bool:
        return bool(self.numpy())

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("len() of a 0-d variable")
        return self.shape[0]

    def __getitem__(self, index):
        return self.numpy()[index]

    def __format__(self, spec: str) -> str:
        return format(self.numpy().item(), spec) if not self.shape else format(str(self), spec)

    def __repr__(self) -> str:
        return f"<Variable path={self.path}, shape={self.shape}, dtype={self.dtype}, value={self.numpy()}>"

    __hash__ = object.__hash__

    # --- arithmetic gives plain values, as a Keras variable gives tensors ----------
    def _binary(op):  # noqa: N805 - a decorator factory used in the class body
        def method(self, other):
            other = other.numpy() if isinstance(other, Variable) else other
            out = op(self.numpy(), other)
            # A scalar comparison gives a Python bool (usable in `if`, `is True`, JSON), as a 0-d tensor's bool() does.
            scalar_bool = isinstance(out, np.bool_) or (isinstance(out, np.ndarray) and out.dtype == np.bool_
                                                         and not out.shape)
            return bool(out) if scalar_bool else out
        return method

    __add__ = _binary(lambda a, b: a + b)
    __radd__ = _binary(lambda a, b: b + a)
    __sub__ = _binary(lambda a, b: a - b)
    __rsub__ = _binary(lambda a, b: b - a)
    __mul__ = _binary(lambda a, b: a * b)
    __rmul__ = _binary(lambda a, b: b * a)
    __truediv__ = _binary(lambda a, b: a / b)
    __rtruediv__ = _binary(lambda a, b: b / a)
    __floordiv__ = _binary(lambda a, b: a // b)
    __mod__ = _binary(lambda a, b: a % b)
    __pow__ = _binary(lambda a, b: a**b)
    __rpow__ = _binary(lambda a, b: b**a)
    __matmul__ = _binary(lambda a, b: a @ b)
    __rmatmul__ = _binary(lambda a, b: b @ a)
    __lt__ = _binary(lambda a, b: a < b)
    __le__ = _binary(lambda a, b: a <= b)
    __gt__ = _binary(lambda a, b: a > b)
    __ge__ = _binary(lambda a, b: a >= b)
    __eq__ = _binary(lambda a, b: a == b)
    __ne__ = _binary(lambda a, b: a != b)
    del _binary

    def __neg__(self):
        return -self.numpy()

    def __abs__(self):
        return abs(self.numpy())


def layer_variable(layer, index: int) -> Variable:
    """The :class:`Variable` for ``layer.params[index]``."""

    def write(array: np.ndarray) -> None:
        ops = layer.ops
        ops.assign(layer.params[index], ops.asarray(array))

    trainable_kind = layer.param_names[index] in layer.trainable_param_names
    return Variable(
        layer.param_names[index],
        lambda: f"{layer.model_name}/{layer.name}/{layer.param_names[index]}" if layer.model_name
        else f"{layer.name}/{layer.param_names[index]}",
        lambda: layer.params[index], write, lambda: layer.ops.dtype,
        to_numpy=lambda v: layer.ops.copy_numpy(v),
        trainable=lambda: trainable_kind and layer.trainable)
