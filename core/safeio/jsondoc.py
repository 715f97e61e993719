"""JSON documents from files: bounded size and depth, no NaN, no duplicate keys, and a typed field reader.

:func:`parse_json` turns bytes into Python objects or raises the reader's
errors (never ``RecursionError``, ``UnicodeDecodeError`` or ``ValueError``).
:class:`Fields` reads one JSON object against a small schema written where
it is used: each field's type, range or named limit, and choices, with the
field named in every message.
"""

from __future__ import annotations

import json
import math
from typing import Any, Sequence

from core import limits
from core.safeio.errors import CorruptFileError, InvalidValueError, ReadLimitError

_TYPE_NAMES = {bool: "true/false", int: "a whole number", float: "a number", str: "text", dict: "an object",
               list: "a list"}


def parse_json(data: bytes | bytearray | str, path=None, where: str | None = None,
               max_bytes: int = limits.MAX_JSON_BYTES, max_depth: int = limits.MAX_JSON_DEPTH) -> Any:
    """Parse ``data`` as strict JSON (UTF-8) within ``max_bytes`` and ``max_depth``."""
    if len(data) > max_bytes:
        raise ReadLimitError(f"the JSON document has {len(data):,} bytes, over the {max_bytes:,} allowed "
                             "(MAX_JSON_BYTES).", path, where, limit="MAX_JSON_BYTES")
    try:
        text = data if isinstance(data, str) else bytes(data).decode("utf-8")
        doc = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float,
                         object_pairs_hook=_unique_keys)
    except RecursionError:
        raise ReadLimitError(f"the JSON nests deeper than {max_depth} levels (MAX_JSON_DEPTH).", path, where,
                             limit="MAX_JSON_DEPTH") from None
    except (ValueError, UnicodeError, TypeError) as exc:  # JSONDecodeError is a ValueError
        raise CorruptFileError(f"not valid JSON ({_short(exc)}).", path, where) from None
    depth = _depth(doc)
    if depth > max_depth:
        raise ReadLimitError(f"the JSON nests {depth} levels deep, over the limit of {max_depth} (MAX_JSON_DEPTH).",
                             path, where, limit="MAX_JSON_DEPTH")
    return doc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:40]} is out of range for a number")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} appears twice")
        out[key] = value
    return out


def _depth(doc: Any) -> int:
    """Nesting depth, without recursion."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, level)
            if level <= limits.MAX_JSON_DEPTH:  # deeper is refused anyway; no need to walk it
                children = node.values() if isinstance(node, dict) else node
                stack.extend((child, level + 1) for child in children)
            else:
                return level
    return deepest


class Fields:
    """Typed access to one JSON object, naming the document and field in every error.

    Parameters
    ----------
    doc : object
        The parsed value; anything but a JSON object is refused here.
    name : str
        The document's name for messages ("session.json").
    path : str or Path, optional
        The file, for messages.
    """

    def __init__(self, doc: Any, name: str, path=None) -> None:
        if not isinstance(doc, dict):
            raise InvalidValueError(f"should hold a JSON object, not {_kind(doc)}.", path, name)
        self.doc, self.name, self.path = doc, name, path

    def has(self, key: str) -> bool:
        return key in self.doc

    def _fail(self, key: str, message: str) -> InvalidValueError:
        return InvalidValueError(f"{key!r} {message}", self.path, self.name)

    def get(self, key: str, kind: type, *, default: Any = ..., minimum: float | None = None,
            maximum: float | None = None, limit: str | None = None, choices: Sequence[Any] | None = None,
            max_length: int = 4096) -> Any:
        """``doc[key]`` checked: of type ``kind``, within ``[minimum, maximum]`` or ``[minimum, limit]``,
        one of ``choices``; ``default`` when absent (absent without a default is an error)."""
        if key not in self.doc:
            if default is ...:
                raise self._fail(key, "is missing.")
            return default
        value = self.doc[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self._fail(key, f"should be {_TYPE_NAMES.get(kind, kind.__name__)}, not {_kind(value)}.")
        if kind is str and len(value) > max_length:
            raise self._fail(key, f"is {len(value):,} characters long, over {max_length:,}.")
        if choices is not None and value not in choices:
            shown = ", ".join(repr(c) for c in list(choices)[:12])
            raise self._fail(key, f"is {_show(value)}; expected one of {shown}.")
        if kind in (int, float):
            if minimum is not None and value < minimum:
                raise self._fail(key, f"is {value}; it must be at least {minimum}.")
            if limit is not None:
                top = getattr(limits, limit)
                if value > top:
                    raise ReadLimitError(f"{key!r} is {value:,}, over the limit of {top:,} ({limit}).",
                                         self.path, self.name, limit=limit)
            if maximum is not None and value > maximum:
                raise self._fail(key, f"is {value}; it must be at most {maximum}.")
        return value

    def object(self, key: str, default: Any = ...) -> "Fields":
        """The JSON object at ``key`` as :class:`Fields` (named ``name.key``)."""
        value = self.get(key, dict, default=default)
        return Fields(value, f"{self.name}: {key}", self.path)

    def list_of(self, key: str, kind: type, *, max_items: int, default: Any = ..., items_limit: str | None = None,
                **checks: Any) -> list[Any]:
        """A list at ``key`` whose items are each checked like :meth:`get` checks a field; more than
        ``max_items`` items is an error (a :class:`ReadLimitError` naming ``items_limit`` when given)."""
        values = self.get(key, list, default=default)
        if len(values) > max_items:
            if items_limit:
                raise ReadLimitError(f"{key!r} has {len(values):,} items, over the limit of {max_items:,} "
                                     f"({items_limit}).", self.path, self.name, limit=items_limit)
            raise self._fail(key, f"has {len(values):,} items, over {max_items:,}.")
        return [Fields({f"{key}[{i}]": v}, self.name, self.path).get(f"{key}[{i}]", kind, **checks)
                for i, v in enumerate(values)]


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."
