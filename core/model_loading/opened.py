"""What opening a model file gives: the model, and what the file said about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class OpenedModel:
    """A model opened from a Keras file.

    Attributes
    ----------
    model : core.models.Model
        Built, with the saved weights; compiled when the file held compile settings.
    path : Path
        The file.
    format : str
        ``"keras"`` (a Keras 3 ``.keras`` archive) or ``"h5"`` (the legacy HDF5 model format).
    keras_version : str or None
        The version that wrote the file, as the file says.
    saved_by : str
        For people: ``"Keras 3.15.1"``, ``"tf.keras 2.15.0"``.
    compiled : bool
        Whether the file held compile settings (optimizer, loss, metrics), now applied.
    optimizer_state : bool
        Whether the optimizer's saved state (iterations, moments…) was restored.
    notes : list of str
        What did not come across exactly (e.g. an optimizer state that did not fit).
    """

    model: Any
    path: Path
    format: str
    keras_version: str | None = None
    saved_by: str = ""
    compiled: bool = False
    optimizer_state: bool = False
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for a status bar: ``"model.keras (Keras 3.15.1): compiled, optimizer state at step 120"``."""
        parts = [f"{self.path.name} ({self.saved_by})"]
        if self.compiled:
            state = (f"optimizer state at step {int(self.model.optimizer.iterations)}" if self.optimizer_state
                     else "fresh optimizer state")
            parts.append(f"compiled, {state}")
        else:
            parts.append("not compiled")
        return ": ".join(parts[:1]) + (": " + ", ".join(parts[1:]) if len(parts) > 1 else "")
