"""No Keras argument is silently ignored: unknown ones and unsupported ones raise, naming it.

Keras raises ``TypeError`` for an unexpected keyword of ``fit``/``evaluate``
(their signatures are explicit) and ``ValueError`` for one passed to a layer or
optimizer constructor. :class:`UnknownArgumentError` is both, so code written
against either catches it.
"""

from __future__ import annotations

from typing import Any


class UnknownArgumentError(TypeError, ValueError):
    """An argument Keras 3 does not have (a typo such as ``fit(epoch=3)``)."""


def reject_unknown(owner: str, kwargs: dict[str, Any], known: Any = ()) -> None:
    """Raise :class:`UnknownArgumentError` naming every key of ``kwargs`` not in ``known``."""
    unknown = sorted(k for k in kwargs if k not in known)
    if unknown:
        names = ", ".join(f"`{k}`" for k in unknown)
        raise UnknownArgumentError(
            f"{owner} got unexpected keyword argument(s) {names}: Keras 3 has no such argument "
            f"(received {', '.join(f'{k}={kwargs[k]!r}' for k in unknown)}).")


def refuse(owner: str, reason: str = "", **values: Any) -> None:
    """Raise ``NotImplementedError`` for the first argument that is set (not None/False).

    These are real Keras arguments that Propscope does not compute; refusing
    them is better than training something other than what the code says.
    """
    for name, value in values.items():
        if value is not None and value is not False:
            tail = f" {reason}" if reason else ""
            raise NotImplementedError(f"{owner}({name}={value!r}) is not supported by Propscope.{tail}")


def check_choice(owner: str, name: str, value: Any, choices: tuple) -> Any:
    if value not in choices:
        raise ValueError(f"{owner}: invalid `{name}`={value!r}; expected one of {choices}.")
    return value
