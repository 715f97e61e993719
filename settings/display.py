"""How large and how strong the views draw: normal or presentation mode, and the zoom (Qt-free).

Presentation mode is for the lecture hall: every text at least 18 pt at
1366×768 (the "normal size" a presentation factor multiplies is 12 pt, so
×1.5 gives 18 pt and ×2 gives 24 pt), edges, curves and points thicker,
full-strength colours, and the docks a lecturer chose hidden. The zoom
(Ctrl+= / Ctrl+- / Ctrl+0) multiplies every text in either mode. All of
it is kept between runs (:meth:`DisplaySettings.to_dict` /
:meth:`DisplaySettings.from_dict`, which falls back to the defaults on
anything it cannot read).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

#: zoom levels Ctrl+= and Ctrl+- step through
ZOOM_STEPS = (0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0)
#: the presentation sizes offered (fonts × this)
PRESENTATION_SIZES = (1.5, 2.0)
#: the size a presentation factor multiplies, in points (×1.5 = 18 pt: readable from the back of a room)
PRESENTATION_BASE_PT = 12.0
#: the smallest text presentation mode allows, in points
PRESENTATION_MIN_PT = 18.0
#: docks hidden in presentation mode unless the lecturer chooses others (their keys in the window)
DEFAULT_HIDDEN_DOCKS = ("Data", "Model", "Training", "Metrics", "Code", "Gradient check")

#: text roles and their size relative to body text
ROLES = {"text": 1.0, "small": 0.9, "title": 1.2, "headline": 1.45}


@dataclass(frozen=True)
class DisplaySettings:
    """The display's state.

    Attributes
    ----------
    presentation : bool
    size : float
        Presentation font factor (one of :data:`PRESENTATION_SIZES`).
    zoom : float
        Every text × this (one of :data:`ZOOM_STEPS`).
    hidden_docks : tuple of str
        Docks presentation mode hides.
    """

    presentation: bool = False
    size: float = 1.5
    zoom: float = 1.0
    hidden_docks: tuple[str, ...] = DEFAULT_HIDDEN_DOCKS

    def text_pt(self, system_pt: float, role: str = "text") -> float:
        """The point size of text of ``role`` when the system's body text is ``system_pt``."""
        factor = ROLES.get(role, 1.0)
        if self.presentation:
            body = PRESENTATION_BASE_PT * self.size
            # "small" text is still read from the back of the room: never under the minimum (at 100 %)
            return max(PRESENTATION_MIN_PT, body * factor) * self.zoom
        return system_pt * factor * self.zoom

    @property
    def line_scale(self) -> float:
        """Edges and curves × this."""
        return self.size * 1.2 if self.presentation else 1.0

    @property
    def point_scale(self) -> float:
        """Points and neurons × this."""
        return self.size if self.presentation else 1.0

    @property
    def high_contrast(self) -> bool:
        """Full-strength colours and black text (presentation mode)."""
        return self.presentation

    def zoomed(self, direction: int) -> "DisplaySettings":
        """One zoom step in (``+1``), out (``-1``), or back to 100 % (``0``)."""
        if direction == 0:
            return replace(self, zoom=1.0)
        steps = list(ZOOM_STEPS)
        here = min(range(len(steps)), key=lambda k: abs(steps[k] - self.zoom))
        return replace(self, zoom=steps[max(0, min(len(steps) - 1, here + (1 if direction > 0 else -1)))])

    def to_dict(self) -> dict[str, Any]:
        return {"presentation": self.presentation, "size": self.size, "zoom": self.zoom,
                "hidden_docks": list(self.hidden_docks)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> "DisplaySettings":
        """Settings kept between runs; anything unreadable falls back to its default."""
        if not isinstance(data, Mapping):
            return cls()
        default = cls()
        presentation = data.get("presentation")
        size = _number(data.get("size"))
        zoom = _number(data.get("zoom"))
        docks = data.get("hidden_docks")
        return cls(presentation=presentation if isinstance(presentation, bool) else default.presentation,
                   size=size if size in PRESENTATION_SIZES else default.size,
                   zoom=min(ZOOM_STEPS, key=lambda z: abs(z - zoom)) if zoom is not None and 0 < zoom < 10
                   else default.zoom,
                   hidden_docks=tuple(str(d) for d in docks) if isinstance(docks, (list, tuple)) else
                   default.hidden_docks)


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
