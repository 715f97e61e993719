"""A saved model's architecture (Keras 3 ``config.json`` or a legacy ``model_config``) checked, then built.

:func:`read_architecture` turns the parsed JSON into a :class:`ModelPlan` —
the input shape and, in order, each layer's class and constructor arguments —
or raises a :mod:`core.model_loading.errors` error naming the layer and why.
It reads both layouts Keras has written: Keras 3 (``batch_shape``, inbound
nodes as ``{"args": [__keras_tensor__]}``) and tf.keras 2.x
(``batch_input_shape``, inbound nodes as ``[[["dense", 0, 0, {}]]]``).
:func:`build_model` then makes the core model, after checking the parameter
count against :data:`core.limits.MAX_PARAMS` without allocating anything.

What is refused: several inputs or outputs, branches and shared layers
(Propscope models are one chain), nested models, custom or subclassed
classes, ``Lambda`` layers and serialized Python functions, layer types
:mod:`core.model_loading.registry` does not list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import core
from core import limits
from core.model_loading.errors import (InvalidModelError, ModelLimitError, UnsafeModelError, UnsupportedModelError,
                                       fail, translate)
from core.model_loading.graph import one_chain
from core.model_loading.registry import (LAYERS, LEGACY_ARGUMENTS, LEGACY_DROPPED, MODEL_CLASSES, accepted_arguments,
                                         keras_snake, refusal, supported_text)
from core.safeio import Fields, ReadRejected

#: Keys that give the input shape on an InputLayer or on a Sequential's first layer.
INPUT_SHAPE_KEYS = ("batch_shape", "batch_input_shape", "input_shape", "input_dim", "batch_size")
#: Longest layer or model name accepted.
MAX_NAME = 128


@dataclass
class LayerPlan:
    """One layer to build: its Keras class name, its name and its checked constructor arguments."""

    class_name: str
    name: str
    arguments: dict[str, Any]
    #: Group name in a Keras 3 ``.weights.h5`` (``dense``, ``dense_1``, ``re_lu``…)
    weights_key: str = ""


@dataclass
class ModelPlan:
    """A checked architecture: ``Sequential`` or ``Functional``, its input and its chain of layers."""

    kind: str
    name: str
    input_shape: tuple[int, ...]
    input_name: str | None
    layers: list[LayerPlan] = field(default_factory=list)
    trainable: bool = True
    #: A functional model's InputLayer has its own (empty) group in Keras 3 weights files
    input_key: str | None = None


class _Reader:
    def __init__(self, path, where: str) -> None:
        self.path, self.where = path, where

    def error(self, cls, detail: str, layer: str | None = None):
        where = self.where + (f": layer {layer!r}" if layer else "")
        return fail(cls, self.path, where, detail)

    def fields(self, doc: Any, name: str) -> Fields:
        return Fields(doc, f"{self.where}: {name}", self.path)


def read_architecture(doc: Any, path, where: str) -> ModelPlan:
    """The :class:`ModelPlan` of a serialized model (``{"class_name": ..., "config": {...}}``)."""
    reader = _Reader(path, where)
    try:
        return _read(doc, reader)
    except ReadRejected as exc:  # a field of the wrong type or over a limit: the message names the document
        raise translate(exc, path) from None


def _read(doc: Any, reader: _Reader) -> ModelPlan:
    top = Fields(doc, reader.where, reader.path)
    class_name = top.get("class_name", str, max_length=MAX_NAME)
    _check_custom(top.doc, class_name, reader, None, what="model class", recursive=False)
    if class_name not in MODEL_CLASSES:
        raise reader.error(UnsupportedModelError, f"the model is a custom or subclassed model class {class_name!r}; "
                           "its code is not in the file and Propscope never loads custom objects. Propscope opens "
                           f"Sequential and functional models made of: {supported_text()}.")
    config = top.object("config")
    name = _name(config.get("name", str, default="model", max_length=MAX_NAME), reader)
    entries = config.list_of("layers", dict, max_items=limits.MAX_LAYERS + 1, items_limit="MAX_LAYERS")
    if class_name == "Sequential":
        plan = _sequential(name, entries, config, top, reader)
    else:
        plan = _functional(name, entries, config, reader)
    plan.trainable = config.get("trainable", bool, default=True)
    if not plan.layers:
        raise reader.error(InvalidModelError, "the model has no layers.")
    counts: dict[str, int] = {}
    if plan.input_key is not None:
        counts["input_layer"] = 1
    for layer in plan.layers:
        kind = keras_snake(layer.class_name)
        n = counts.get(kind, 0)
        counts[kind] = n + 1
        layer.weights_key = kind if n == 0 else f"{kind}_{n}"
    return plan


def _sequential(name: str, entries: list[dict], config: Fields, top: Fields, reader: _Reader) -> ModelPlan:
    shape, input_name = None, None
    layers: list[LayerPlan] = []
    for i, entry in enumerate(entries):
        fields = Fields(entry, f"{reader.where}: layers[{i}]", reader.path)
        class_name = fields.get("class_name", str, max_length=MAX_NAME)
        layer_config = fields.object("config", default={})
        if class_name == "InputLayer":
            if i != 0:
                raise reader.error(UnsupportedModelError, "an InputLayer after the first layer: Propscope models "
                                   "have one input.")
            shape, input_name = _input_layer(layer_config, reader)
            continue
        if shape is None and not layers:  # tf.keras 2: the first layer's batch_input_shape
            shape = _declared_shape(layer_config.doc, reader, layer_config.doc.get("name"))
        layers.append(_layer(class_name, fields, layer_config, reader))
    build_config = top.doc.get("build_config")
    for source in (config.doc.get("build_input_shape"),
                   build_config.get("input_shape") if isinstance(build_config, dict) else None):
        if shape is None and source is not None:
            shape = _shape(source, reader, None)
    if shape is None:
        raise reader.error(InvalidModelError, "the Sequential model was never built: it has no input shape (and so "
                           "no weights). Give it an Input(shape=...) or train it once before saving.")
    return ModelPlan("Sequential", name, shape, input_name, layers)


def _functional(name: str, entries: list[dict], config: Fields, reader: _Reader) -> ModelPlan:
    by_name: dict[str, tuple[Fields, str, Fields]] = {}
    nodes = []
    for i, entry in enumerate(entries):
        fields = Fields(entry, f"{reader.where}: layers[{i}]", reader.path)
        class_name = fields.get("class_name", str, max_length=MAX_NAME)
        layer_config = fields.object("config", default={})
        lname = fields.get("name", str, default=layer_config.doc.get("name"), max_length=MAX_NAME)
        if not isinstance(lname, str) or lname in by_name:
            raise reader.error(InvalidModelError, f"layer name {lname!r} is missing or used twice.")
        by_name[lname] = (fields, class_name, layer_config)
        nodes.append((lname, class_name, fields.doc.get("inbound_nodes", [])))
    root, chain = one_chain(nodes, config.doc.get("input_layers"), config.doc.get("output_layers"), reader.error)
    shape, input_name = _input_layer(by_name[root][2], reader)
    layers = [_layer(by_name[n][1], by_name[n][0], by_name[n][2], reader) for n in chain]
    return ModelPlan("Functional", name, shape, input_name, layers, input_key="input_layer")


def _input_layer(config: Fields, reader: _Reader) -> tuple[tuple[int, ...], str | None]:
    name = config.doc.get("name")
    if name is not None and not isinstance(name, str):
        raise reader.error(InvalidModelError, f"the InputLayer's name is {_show(name)}, not text.")
    if config.doc.get("sparse") or config.doc.get("ragged"):
        raise reader.error(UnsupportedModelError, "the input is sparse or ragged; Propscope takes dense arrays.")
    _check_custom(config.doc.get("dtype"), None, reader, name)
    shape = _declared_shape(config.doc, reader, name)
    if shape is None:
        raise reader.error(InvalidModelError, "the InputLayer has no shape.", name)
    return shape, (name[:MAX_NAME] if name else None)


def _declared_shape(config: dict, reader: _Reader, layer: Any) -> tuple[int, ...] | None:
    for key in ("batch_shape", "batch_input_shape"):
        if config.get(key) is not None:
            return _shape(config[key], reader, layer)
    if config.get("input_shape") is not None:
        return _shape([None, *config["input_shape"]] if isinstance(config["input_shape"], list) else None, reader,
                      layer)
    if config.get("input_dim") is not None:
        return _shape([None, config["input_dim"]], reader, layer)
    return None


def _shape(value: Any, reader: _Reader, layer: Any) -> tuple[int, ...]:
    """A batch shape ``[null, 28, 28]`` → ``(28, 28)``, every sample dimension a known positive size."""
    label = layer if isinstance(layer, str) else None
    if not isinstance(value, list) or len(value) < 2:
        raise reader.error(InvalidModelError, f"the input shape {_show(value)} is not [batch, size, …].", label)
    dims = value[1:]
    if len(dims) > limits.MAX_SAMPLE_DIMS:
        raise ModelLimitError(f"{_prefix(reader.path, reader.where)}: inputs of {len(dims)} "
                              f"dimensions, over the limit of {limits.MAX_SAMPLE_DIMS} (MAX_SAMPLE_DIMS).")
    for d in dims:
        if d is None:
            raise reader.error(UnsupportedModelError, f"the input shape {_show(value)} has a dimension of unknown "
                               "size; Propscope steps through models whose samples have a fixed size.", label)
        if isinstance(d, bool) or not isinstance(d, int) or d < 1:
            raise reader.error(InvalidModelError, f"the input shape {_show(value)} holds {_show(d)}, not a "
                               "positive whole number.", label)
        if d > limits.MAX_FEATURES:
            raise ModelLimitError(f"{_prefix(reader.path, reader.where)}: an input dimension of {d:,}, over the "
                                  f"limit of {limits.MAX_FEATURES:,} (MAX_FEATURES).")
    features = math.prod(dims)
    if features > limits.MAX_FEATURES:
        raise ModelLimitError(f"{_prefix(reader.path, reader.where)}: inputs of {features:,} values, over the "
                              f"limit of {limits.MAX_FEATURES:,} (MAX_FEATURES).")
    return tuple(dims)


def _layer(class_name: str, entry: Fields, config: Fields, reader: _Reader) -> LayerPlan:
    lname = config.doc.get("name", entry.doc.get("name"))
    label = lname if isinstance(lname, str) else class_name
    _check_custom(entry.doc, class_name, reader, label, what="layer class", recursive=False)
    cls = LAYERS.get(class_name)
    if cls is None:
        why, unsafe = refusal(class_name)
        raise reader.error(UnsafeModelError if unsafe else UnsupportedModelError,
                           f"Propscope cannot open {class_name} layers: {why} Propscope opens models made of: "
                           f"{supported_text()}.", label)
    if not isinstance(lname, str) or not lname or len(lname) > MAX_NAME or "/" in lname:
        raise reader.error(InvalidModelError, f"a {class_name} layer is named {_show(lname)}; a layer name is "
                           f"text of 1 to {MAX_NAME} characters without '/'.")
    return LayerPlan(class_name, lname, _arguments(cls, class_name, config.doc, reader, lname))


def _arguments(cls: type, class_name: str, config: dict, reader: _Reader, layer: str) -> dict[str, Any]:
    """Constructor arguments from a layer config: names ``cls`` takes, values plain JSON or Keras's own
    serialized objects; Keras's serialized built-in functions become their names."""
    accepted = accepted_arguments(cls)
    renames = LEGACY_ARGUMENTS.get(class_name, {})
    dropped = LEGACY_DROPPED.get(class_name, {})
    out: dict[str, Any] = {}
    for key, value in config.items():
        key = renames.get(key, key)
        if key in INPUT_SHAPE_KEYS:
            continue  # the input shape is the model's (read above)
        if key in dropped:
            if not any(value is v or (v is not None and value == v) for v in dropped[key]):
                raise reader.error(UnsupportedModelError, f"{class_name}({key}={_show(value)}) is a tf.keras 2 "
                                   "option Keras 3 and Propscope do not compute.", layer)
            continue
        if key not in accepted:
            raise reader.error(InvalidModelError, f"{class_name} takes no argument {key[:40]!r}.", layer)
        value = _plain(value, reader, layer, key)
        if key == "activation" and isinstance(value, str) and value.lower() not in core.activations.names():
            raise reader.error(UnsupportedModelError, f"activation {value[:40]!r} is not one Propscope computes "
                               f"(custom activations are never loaded); it computes: "
                               f"{', '.join(n for n in core.activations.names() if n)}.", layer)
        out[key] = value
    if class_name == "BatchNormalization" and isinstance(out.get("axis"), list) and len(out["axis"]) == 1:
        out["axis"] = out["axis"][0]  # tf.keras 2 wrote a built layer's axis as a list
    if class_name == "Dense":
        units = out.get("units")
        if isinstance(units, int) and not isinstance(units, bool) and units > limits.MAX_UNITS:
            raise ModelLimitError(f"{_prefix(reader.path, reader.where)}: layer {layer!r} has {units:,} units, "
                                  f"over the limit of {limits.MAX_UNITS:,} (MAX_UNITS).")
    return out


def _plain(value: Any, reader: _Reader, layer: str, key: str) -> Any:
    """``value`` checked: JSON scalars and lists, or Keras's own serialized objects (never custom ones)."""
    if isinstance(value, dict):
        _check_custom(value, value.get("class_name"), reader, layer, what=f"argument {key!r}")
        if value.get("class_name") == "function":
            return value.get("config")  # a Keras built-in function by name ("relu"); resolved from core's list
        return value
    return value


def _check_custom(obj: Any, class_name: Any, reader: _Reader, layer: str | None, what: str = "object",
                  recursive: bool = True) -> None:
    """Refuse serialized objects that are not Keras's own: another ``module``, a ``registered_name`` of a
    custom class, a lambda, a function that is not a plain name — in ``obj`` itself, and anywhere inside it
    when ``recursive`` (a model's or layer's own entry is checked alone: its layers and arguments are checked
    where they are read, to name them)."""
    stack = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if recursive:
            stack.extend(node.values())
        if "class_name" not in node:
            continue
        cname, module, registered = node.get("class_name"), node.get("module"), node.get("registered_name")
        if cname == "__lambda__" or (cname == "function" and not isinstance(node.get("config"), str)):
            raise reader.error(UnsafeModelError, f"the {what} holds Python code (a lambda or function body); "
                               "Propscope never runs code from a file (as Keras's safe_mode).", layer)
        if cname == "function":
            if module not in (None, "builtins") and not str(module).startswith("keras"):
                raise reader.error(UnsupportedModelError, f"the {what} uses the function "
                                   f"{str(node.get('config'))[:60]!r} from module {str(module)[:60]!r}: a custom "
                                   "function, which Propscope never loads.", layer)
            continue
        custom_module = module is not None and not (isinstance(module, str) and
                                                    (module == "keras" or module.startswith("keras.")))
        custom_name = registered is not None and registered != cname
        if custom_module or custom_name or not isinstance(cname, str):
            shown = registered if custom_name else cname
            raise reader.error(UnsupportedModelError, f"the {what} is a custom class {str(shown)[:60]!r}"
                               f"{f' from module {str(module)[:60]!r}' if custom_module else ''}; its code is not "
                               "in the file and Propscope never loads custom objects. Propscope opens models made "
                               f"of: {supported_text()}.", layer)


def build_model(plan: ModelPlan, path=None):
    """The core model ``plan`` describes (weights freshly initialized: the caller assigns the saved ones)."""
    layers = []
    for lp in plan.layers:
        try:
            layers.append(LAYERS[lp.class_name](**lp.arguments))
        except NotImplementedError as exc:
            raise UnsupportedModelError(f"{_prefix(path)}: layer {lp.name!r}: {_short(exc)}") from None
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            raise InvalidModelError(f"{_prefix(path)}: layer {lp.name!r}: {_short(exc)}") from None
    shape: tuple = (None, *plan.input_shape)
    params = 0
    for layer, lp in zip(layers, plan.layers):
        try:
            out = layer.compute_output_shape(shape)
        except (ValueError, NotImplementedError, TypeError) as exc:
            raise InvalidModelError(f"{_prefix(path)}: layer {lp.name!r} cannot take inputs of shape {shape}: "
                                    f"{_short(exc)}") from None
        if isinstance(layer, core.layers.Dense):
            params += int(shape[-1]) * layer.units + (layer.units if layer.use_bias else 0)
        elif isinstance(layer, core.layers.BatchNormalization) and shape[layer.axis] is not None:
            params += (2 + int(bool(layer.center)) + int(bool(layer.scale))) * int(shape[layer.axis])
        shape = out
    if params > limits.MAX_PARAMS:
        raise ModelLimitError(f"{_prefix(path)}: the model has {params:,} parameters, over the limit of "
                              f"{limits.MAX_PARAMS:,} (MAX_PARAMS).")
    try:
        if plan.kind == "Sequential":
            model = core.Sequential([core.Input(shape=plan.input_shape, name=plan.input_name), *layers],
                                    name=plan.name)
        else:
            t = inputs = core.Input(shape=plan.input_shape, name=plan.input_name)
            for layer in layers:
                t = layer(t)
            model = core.Model(inputs, t, name=plan.name)
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise InvalidModelError(f"{_prefix(path)}: {_short(exc)}") from None
    if not plan.trainable:
        model.trainable = False
    return model


def _name(name: str, reader: _Reader) -> str:
    if not name or "/" in name:
        raise reader.error(InvalidModelError, f"the model name {name!r} is empty or holds '/'.")
    return name


def _prefix(path, where: str | None = None) -> str:
    """``"m.keras, config.json"``: the file's name (when reading a file) and the place in it."""
    from pathlib import Path

    parts = [Path(path).name if path else "", where or ""]
    return ", ".join(p for p in parts if p) or "model"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."
