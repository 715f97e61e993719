"""A functional model's graph, checked to be one chain: one input, each layer fed by the one before, one output.

Reads both ways Keras has written the graph: Keras 3's inbound nodes
(``{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["dense", 0, 0]}}]}``) and
tf.keras 2.x's (``[[["dense", 0, 0, {}]]]``), and both spellings of
``input_layers``/``output_layers`` (``["x", 0, 0]`` and ``[["x", 0, 0]]``).
Several inputs or outputs, branches, merges, shared layers and layers off
the chain are refused with the layer named.
"""

from __future__ import annotations

from typing import Any, Callable

from core import limits
from core.model_loading.errors import InvalidModelError, ModelLimitError, UnsupportedModelError


def one_chain(nodes: list[tuple[str, str, Any]], input_layers: Any, output_layers: Any,
              error: Callable[..., Exception]) -> tuple[str, list[str]]:
    """``(input layer, [the layers from the input to the output])`` of ``nodes`` =
    ``[(name, class name, inbound_nodes), …]``; ``error(cls, detail, layer=None)`` makes the exception."""
    inputs = _endpoints(input_layers, "input", error)
    outputs = _endpoints(output_layers, "output", error)
    names = {name for name, _, _ in nodes}
    parent = {name: _inbound(inbound, name, class_name, error) for name, class_name, inbound in nodes}
    roots = [name for name, class_name, _ in nodes if class_name == "InputLayer"]
    if len(roots) != 1 or inputs != roots:
        raise error(UnsupportedModelError, f"the model has {max(len(roots), len(inputs))} inputs "
                    f"({', '.join(map(repr, roots or inputs))}); Propscope steps through models with exactly one "
                    "input and one output.")
    children: dict[str, list[str]] = {}
    for child, par in parent.items():
        if par is not None:
            if par not in names:
                raise error(InvalidModelError, f"takes its input from {par!r}, which is not a layer of the model.",
                            child)
            children.setdefault(par, []).append(child)
    chain, current = [], roots[0]
    while True:
        following = children.get(current, [])
        if len(following) > 1:
            raise error(UnsupportedModelError, f"its output feeds {len(following)} layers ({', '.join(following)}); "
                        "Propscope models are one chain of layers, without branches.", current)
        if not following:
            break
        current = following[0]
        chain.append(current)
        if len(chain) > limits.MAX_LAYERS:
            raise error(ModelLimitError, f"more than {limits.MAX_LAYERS} layers (MAX_LAYERS).")
    unused = [name for name, _, _ in nodes if name != roots[0] and name not in chain]
    if unused:
        raise error(UnsupportedModelError, "is not on the chain from the input to the output; Propscope models are "
                    "one chain of layers.", unused[0])
    if outputs != [current]:
        raise error(UnsupportedModelError, f"the model's outputs are {outputs}; Propscope steps through models with "
                    f"one output, at the end of the chain ({current!r}).")
    return roots[0], chain


def _endpoints(value: Any, what: str, error) -> list[str]:
    """``input_layers``/``output_layers``: ``["x", 0, 0]`` (Keras 3, one) or ``[["x", 0, 0], …]``."""
    if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str):
        value = [value]
    if not isinstance(value, list) or not value or not all(
            isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) for v in value):
        raise error(InvalidModelError, f"'{what}_layers' should list [layer name, 0, 0] entries, not {_show(value)}.")
    if len(value) != 1:
        raise error(UnsupportedModelError, f"the model has {len(value)} {what}s "
                    f"({', '.join(repr(v[0]) for v in value)}); Propscope steps through models with exactly one "
                    "input and one output.")
    return [v[0] for v in value]


def _inbound(nodes: Any, name: str, class_name: str, error) -> str | None:
    """The one layer a functional layer takes its input from (None for the InputLayer)."""
    if not isinstance(nodes, list):
        raise error(InvalidModelError, f"'inbound_nodes' should be a list, not {_show(nodes)}.", name)
    if class_name == "InputLayer" or not nodes:
        if nodes:
            raise error(InvalidModelError, "an InputLayer with inbound nodes.", name)
        return None
    if len(nodes) > 1:
        raise error(UnsupportedModelError, f"the layer is called {len(nodes)} times (shared weights); Propscope "
                    "models use each layer once.", name)
    node = nodes[0]
    if isinstance(node, dict):  # Keras 3: {"args": [tensor], "kwargs": {}}
        args, kwargs = node.get("args"), node.get("kwargs", {})
        tensors = args if isinstance(args, list) else None
        if tensors and len(tensors) == 1 and isinstance(tensors[0], list):
            tensors = tensors[0]
        history = [t.get("config", {}).get("keras_history") if isinstance(t, dict) else None for t in tensors or []]
    elif isinstance(node, list):  # tf.keras 2: [["dense", 0, 0, {kwargs}], …]
        history = [entry[:3] if isinstance(entry, list) and len(entry) >= 3 else None for entry in node]
        kwargs = node[0][3] if len(node) == 1 and isinstance(node[0], list) and len(node[0]) > 3 else {}
    else:
        raise error(InvalidModelError, f"an inbound node {_show(node)} is neither Keras 3's nor tf.keras's.", name)
    if len(history) != 1:
        raise error(UnsupportedModelError, f"the layer takes {len(history)} inputs; Propscope models are one chain "
                    "of layers, each taking the previous one's output.", name)
    entry = history[0]
    if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
            and entry[1] == 0 and entry[2] == 0):
        raise error(InvalidModelError, f"its input {_show(entry)} is not [layer name, 0, 0].", name)
    if not isinstance(kwargs, dict) or any(v not in (None, True, False) for v in kwargs.values()):
        raise error(UnsupportedModelError, f"the layer is called with arguments {_show(kwargs)}; Propscope calls "
                    "each layer on its input alone.", name)
    return entry[0]


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
