"""A session file's ``data_ref`` (where its data came from), checked before anything is regenerated.

A data reference is a plain JSON object from a file: a built-in set's name
and size, a gate, or a path. :func:`data_config_from_ref` accepts only the
values the data panel itself could produce — so a reference asking for 10⁸
points (the panel allows 10⁵) is refused with the limit named, instead of
freezing the window for minutes and exhausting memory.
"""

from __future__ import annotations

import math
from dataclasses import fields
from typing import Any

from settings.config import BUILTIN_SETS, GATES, DataConfig
from core import limits
from core.datasets import Normalizer

SOURCES = ("builtin", "gate", "file")
NORMALIZATIONS = ("auto",) + Normalizer.METHODS
MAX_PATH = 4096


class DataRefError(ValueError):
    """A data reference that names no data the app could load; the message says which field and why."""


def data_config_from_ref(ref: Any) -> DataConfig:
    """The :class:`DataConfig` that ``ref`` describes, every field checked (unknown keys are ignored).

    Raises
    ------
    DataRefError
        A field of the wrong type or outside what the data panel allows.
    core.limits.LimitError
        ``n_samples`` over ``MAX_BUILTIN_SAMPLES`` or a seed over ``MAX_SEED``.
    """
    if not isinstance(ref, dict):
        raise DataRefError(f"the data reference should be an object, not {type(ref).__name__}.")
    known = {f.name for f in fields(DataConfig)}
    values = {k: v for k, v in ref.items() if k in known}
    default = DataConfig()
    out: dict[str, Any] = {}
    for key in known:
        if key not in values:
            continue
        value, kind = values[key], type(getattr(default, key))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
            raise DataRefError(f"data reference field {key!r} should be {kind.__name__}, not {type(value).__name__}.")
        out[key] = value
    config = DataConfig(**out)
    _choice("source", config.source, SOURCES)
    if config.source == "builtin":
        _choice("builtin", config.builtin, BUILTIN_SETS)
        limits.check_limit("the data reference's n_samples", config.n_samples, "MAX_BUILTIN_SAMPLES", minimum=2)
    if config.source == "gate":
        _choice("gate", config.gate, GATES)
    if config.source == "file" and (len(config.path) > MAX_PATH or "\0" in config.path):
        raise DataRefError("the data reference's path is not a usable file name.")
    if not (math.isfinite(config.noise) and 0.0 <= config.noise <= 1.0):
        raise DataRefError(f"the data reference's noise {config.noise!r} is outside 0 to 1.")
    if not (math.isfinite(config.validation_fraction) and 0.0 <= config.validation_fraction < 1.0):
        raise DataRefError(f"the data reference's validation share {config.validation_fraction!r} is outside [0, 1).")
    limits.check_limit("the data reference's seed", config.seed, "MAX_SEED")
    _choice("normalization", config.normalization, NORMALIZATIONS)
    return config


def _choice(key: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise DataRefError(f"the data reference's {key} {value[:40]!r} is not one of {', '.join(choices)}.")
