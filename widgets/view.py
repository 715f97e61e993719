"""The one way views are fed: ``view.render(frame)`` with a :class:`~core.stepper.frame.Frame`.

The window renders the visible views on each tick of its frame clock; the
lecture pack and the animation export render views through the same call.
"""

from __future__ import annotations

from typing import Iterable, Protocol, runtime_checkable

from core.stepper.frame import Frame


@runtime_checkable
class View(Protocol):
    """Anything that shows a frame."""

    def render(self, frame: Frame) -> None:
        """Show ``frame``; parts identical (``is``) to the previous frame's may be left as drawn."""


def render_all(views: Iterable[View], frame: Frame) -> None:
    """Render ``frame`` in each of ``views``, in order."""
    for view in views:
        view.render(frame)
