"""The compile settings a model file was saved with: optimizer (with its config), loss, metrics.

Keras 3 keeps them as ``compile_config`` in ``config.json`` (or the legacy
``.h5`` file's ``training_config`` attribute, with the optimizer under
``optimizer_config``); tf.keras 2.x wrote the same attribute with its own
spellings (``"reduction": "auto"``, ``MeanMetricWrapper`` metrics, per-output
lists, ``Custom>Adam``, ``decay``/``jit_compile``/``is_legacy_optimizer``
keys). :func:`read_compile_settings` accepts both and builds only what core
provides, by name from core's own registries; anything else is refused with
what is supported. :func:`compile_model` compiles the built model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import core
from core.model_loading.errors import InvalidModelError, UnsafeModelError, UnsupportedModelError, fail
from core.model_loading.registry import accepted_arguments

#: Optimizer config keys tf.keras 2.x wrote that Keras 3 (and Propscope) drop.
LEGACY_OPTIMIZER_KEYS = ("jit_compile", "is_legacy_optimizer")
#: tf.keras 2.x's loss reduction "auto" is Keras 3's default.
LEGACY_REDUCTIONS = {"auto": "sum_over_batch_size", "sum_over_batch_size": "sum_over_batch_size"}


@dataclass
class CompileSettings:
    """What ``model.compile`` gets: an optimizer object, a loss, metrics, weights of the loss."""

    optimizer: Any
    loss: Any
    metrics: list = field(default_factory=list)
    weighted_metrics: list = field(default_factory=list)
    loss_weights: Any = None


class _Reader:
    def __init__(self, path, where: str) -> None:
        self.path, self.where = path, where

    def error(self, cls, detail: str):
        return fail(cls, self.path, self.where, detail)


def read_compile_settings(doc: Any, path, where: str, optimizer_key: str = "optimizer") -> CompileSettings | None:
    """Compile settings from a ``compile_config`` (``optimizer_key="optimizer"``) or a legacy
    ``training_config`` (``optimizer_key="optimizer_config"``); None when the model was not compiled."""
    reader = _Reader(path, where)
    if doc in (None, {}):
        return None
    if not isinstance(doc, dict):
        raise reader.error(InvalidModelError, f"the compile settings are {type(doc).__name__}, not an object.")
    optimizer = _optimizer(doc.get(optimizer_key), reader)
    loss = _single_output(doc.get("loss"), "loss", reader)
    loss = None if loss is None else _loss(loss, reader)
    metrics = _metrics(doc.get("metrics"), "metrics", reader)
    weighted = _metrics(doc.get("weighted_metrics"), "weighted_metrics", reader)
    loss_weights = _single_output(doc.get("loss_weights"), "loss_weights", reader)
    if loss_weights is not None and (isinstance(loss_weights, bool) or not isinstance(loss_weights, (int, float))):
        raise reader.error(InvalidModelError, f"'loss_weights' is {_show(loss_weights)}, not a number.")
    return CompileSettings(optimizer, loss, metrics, weighted, loss_weights)


def compile_model(model, settings: CompileSettings, path=None, where: str = "compile settings") -> None:
    """``model.compile(...)`` with ``settings``; what core refuses is reported against the file."""
    try:
        model.compile(optimizer=settings.optimizer, loss=settings.loss, metrics=settings.metrics or None,
                      weighted_metrics=settings.weighted_metrics or None,
                      loss_weights=None if settings.loss_weights is None else [float(settings.loss_weights)])
    except NotImplementedError as exc:
        raise fail(UnsupportedModelError, path, where, str(exc)) from None
    except (ValueError, TypeError) as exc:
        raise fail(InvalidModelError, path, where, str(exc)) from None


def _single_output(value: Any, key: str, reader: _Reader) -> Any:
    """Per-output settings (a one-item list or dict, as multi-output Keras writes them) → the one value."""
    if isinstance(value, dict) and "class_name" not in value:
        if len(value) != 1:
            raise reader.error(UnsupportedModelError, f"'{key}' names {len(value)} outputs; Propscope steps "
                               "through models with one output.")
        return next(iter(value.values()))
    if isinstance(value, list) and key != "metrics":
        if len(value) != 1:
            raise reader.error(UnsupportedModelError, f"'{key}' holds {len(value)} entries, one per output; "
                               "Propscope steps through models with one output.")
        return value[0]
    return value


def _keras_object(value: dict, what: str, reader: _Reader) -> tuple[str, dict]:
    """``(class_name, config)`` of a serialized Keras object, refusing custom ones and code."""
    class_name, module = value.get("class_name"), value.get("module")
    registered, config = value.get("registered_name"), value.get("config", {})
    if class_name == "__lambda__" or (class_name == "function" and not isinstance(config, str)):
        raise reader.error(UnsafeModelError, f"the {what} holds Python code; Propscope never runs code from a file "
                           "(as Keras's safe_mode).")
    custom = (module is not None and not (isinstance(module, str) and (module in ("keras", "builtins")
                                                                          or module.startswith("keras."))))
    if class_name == "function" and custom:
        raise reader.error(UnsupportedModelError, f"the {what} is the function {str(config)[:60]!r} from module "
                           f"{str(module)[:60]!r}: a custom function, which Propscope never loads.")
    if custom or not isinstance(class_name, str) or (registered is not None and registered != class_name):
        raise reader.error(UnsupportedModelError, f"the {what} is a custom class "
                           f"{str(registered or class_name)[:60]!r}; Propscope never loads custom objects.")
    if class_name != "function" and not isinstance(config, dict):
        raise reader.error(InvalidModelError, f"the {what}'s config is {_show(config)}, not an object.")
    return class_name, config


def _optimizer(value: Any, reader: _Reader):
    names = core.optimizers.names()
    if value is None:
        raise reader.error(InvalidModelError, "the model was saved compiled but without its optimizer.")
    if isinstance(value, str):
        class_name, config = value, {}
    elif isinstance(value, dict):
        class_name, config = _keras_object(value, "optimizer", reader)
        # tf.keras 2.11–2.15 wrote its own built-in optimizers as "Custom>Adam".
        class_name = class_name.removeprefix("Custom>")
    else:
        raise reader.error(InvalidModelError, f"the optimizer is {_show(value)}, not a name or an object.")
    if class_name.lower() not in names:
        raise reader.error(UnsupportedModelError, f"the optimizer {class_name[:40]!r} is not one Propscope "
                           f"implements ({', '.join(names)}). Compile the model with one of them, or open it "
                           "without its compile settings (load_model(..., compile=False)).")
    cls = type(core.optimizers.get(class_name.lower()))
    config = {k: v for k, v in config.items() if k not in LEGACY_OPTIMIZER_KEYS}
    if config.get("decay") in (0, 0.0, None):
        config.pop("decay", None)
    elif "decay" in config:
        raise reader.error(UnsupportedModelError, f"the optimizer uses tf.keras 2's learning-rate 'decay' "
                           f"({_show(config['decay'])}), which Keras 3 dropped; use a learning-rate schedule.")
    accepted = accepted_arguments(cls)
    for key, item in config.items():
        if key not in accepted and key != "lr":
            raise reader.error(InvalidModelError, f"{cls.__name__} takes no argument {key[:40]!r}.")
        if isinstance(item, dict):
            if key != "learning_rate":
                raise reader.error(InvalidModelError, f"{cls.__name__} argument {key!r} is an object.")
            _keras_object(item, "learning-rate schedule", reader)
        elif isinstance(item, (list, str)) and key != "name":
            raise reader.error(InvalidModelError, f"{cls.__name__} argument {key!r} is {_show(item)}.")
    try:
        return core.optimizers.deserialize({"class_name": cls.__name__, "config": config})
    except NotImplementedError as exc:
        raise reader.error(UnsupportedModelError, f"the optimizer: {exc}") from None
    except (ValueError, TypeError, KeyError, OverflowError, AttributeError) as exc:
        raise reader.error(InvalidModelError, f"the optimizer: {exc}") from None


def _loss(value: Any, reader: _Reader):
    if isinstance(value, dict):
        class_name, config = _keras_object(value, "loss", reader)
        if class_name == "function":
            value = config
        else:
            config = dict(config)
            if config.get("reduction") in LEGACY_REDUCTIONS:
                config["reduction"] = LEGACY_REDUCTIONS[config["reduction"]]
            value = {"class_name": class_name, "config": config}
    if isinstance(value, str) and value.lower() in core.losses.CROSSENTROPY:
        return value
    try:
        return core.losses.get(value) if isinstance(value, (str, dict)) else _bad(reader, "loss", value)
    except NotImplementedError as exc:
        raise reader.error(UnsupportedModelError, f"the loss: {exc}") from None
    except (ValueError, TypeError, KeyError, OverflowError, AttributeError) as exc:
        raise reader.error(UnsupportedModelError if "Unknown" in str(exc) else InvalidModelError,
                           f"the loss: {exc}") from None


def _metrics(value: Any, key: str, reader: _Reader) -> list:
    if value is None:
        return []
    if isinstance(value, dict) and "class_name" not in value:
        value = _single_output(value, key, reader)
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        raise reader.error(InvalidModelError, f"'{key}' is {_show(value)}, not a list.")
    if len(value) == 1 and isinstance(value[0], list):  # tf.keras 2: one list per output
        value = value[0]
    if len(value) > 16:
        raise reader.error(InvalidModelError, f"'{key}' lists {len(value)} metrics (at most 16).")
    out = []
    for item in value:
        if isinstance(item, dict):
            class_name, config = _keras_object(item, "metric", reader)
            if class_name == "function":
                item = config
            elif class_name == "MeanMetricWrapper":  # tf.keras 2: a function metric, by its name
                name, fn = config.get("name"), config.get("fn")
                item = name if name in ("accuracy", "acc") else fn
                if not isinstance(item, str):
                    raise reader.error(UnsupportedModelError, f"the metric {_show(config)[:60]} wraps a custom "
                                       "function; Propscope never loads custom objects.")
            else:
                item = {"class_name": class_name, "config": config}
        if not isinstance(item, (str, dict)):
            _bad(reader, "metric", item)
        try:
            core.metrics.get(item)
        except NotImplementedError as exc:
            raise reader.error(UnsupportedModelError, f"the metric: {exc}") from None
        except (ValueError, TypeError, KeyError, OverflowError, AttributeError) as exc:
            raise reader.error(UnsupportedModelError if "Could not interpret" in str(exc) or "Unknown" in str(exc)
                               else InvalidModelError, f"the metric: {exc}") from None
        out.append(item)
    return out


def _bad(reader: _Reader, what: str, value: Any):
    raise reader.error(InvalidModelError, f"the {what} is {_show(value)}, not a name or a Keras object.")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
