"""Keras-style global configuration: float type, fuzz factor, name counters."""

from __future__ import annotations

_FLOATX = "float32"
_EPSILON = 1e-7
_VALID_FLOATX = ("float32", "float64")

# Automatic layer/model names ("dense", "dense_1", ...) are unique per session
# exactly as in Keras; clear_session() restarts the numbering.
_NAME_COUNTS: dict[str, int] = {}


def floatx() -> str:
    """Return the default float type, ``"float32"`` unless changed."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Set the default float type (``"float32"`` or ``"float64"``)."""
    global _FLOATX
    if value not in _VALID_FLOATX:
        raise ValueError(f"Unknown floatx {value!r}: expected one of {_VALID_FLOATX}.")
    _FLOATX = value


def epsilon() -> float:
    """Return the fuzz factor used by the crossentropy losses (Keras: 1e-7)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Set the fuzz factor used by the crossentropy losses."""
    global _EPSILON
    _EPSILON = float(value)


def snake_name(class_name: str) -> str:
    """The name Keras gives an object of a class: ``Dense`` → ``dense``, ``BatchNormalization`` →
    ``batch_normalization``, ``ReLU`` → ``re_lu`` (an underscore before each capital that follows a small letter)."""
    out = []
    for i, ch in enumerate(class_name):
        if ch.isupper() and i and not class_name[i - 1].isupper():
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


def unique_name(prefix: str) -> str:
    """Return ``prefix``, then ``prefix_1``, ``prefix_2``... as Keras names objects."""
    count = _NAME_COUNTS.get(prefix, 0)
    _NAME_COUNTS[prefix] = count + 1
    return prefix if count == 0 else f"{prefix}_{count}"


def clear_session() -> None:
    """Reset automatic names, as ``keras.backend.clear_session()`` does."""
    _NAME_COUNTS.clear()


def name_counts() -> dict[str, int]:
    """A copy of the automatic-name counters (to put back with :func:`set_name_counts`)."""
    return dict(_NAME_COUNTS)


def set_name_counts(counts: dict[str, int]) -> None:
    """Put back counters saved by :func:`name_counts` (an operation that failed leaves no trace)."""
    _NAME_COUNTS.clear()
    _NAME_COUNTS.update(counts)
