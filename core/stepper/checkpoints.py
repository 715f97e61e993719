"""Checkpoints for rewinding: model and optimizer state every k steps, within a memory budget.

Rewinding to step s restores the last checkpoint at or before s and replays
the batches in between; replay is deterministic, so the result is identical
to what happened the first time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Checkpoint:
    """Everything needed to resume after ``step`` updates: every weight (trainable or not, so
    BatchNormalization's moving statistics too), the optimizer's state, the dropout layers' random
    streams, and the epoch's running totals (loss sum, metric statistics, samples)."""

    step: int
    weights: tuple[np.ndarray, ...]
    slots: dict[str, tuple[np.ndarray, ...]]
    optimizer_built: bool
    epoch_loss_sum: float
    epoch_metric_sums: tuple  # per metric: its statistics so far this epoch (see core.metrics), or None
    epoch_samples: int = 0
    noise: tuple = ()  # (seed, draws) of each dropout layer's random stream: replays draw the same masks

    @property
    def nbytes(self) -> int:
        return sum(w.nbytes for w in self.weights) + sum(a.nbytes for v in self.slots.values() for a in v)


class CheckpointStore:
    """Checkpoints every ``every`` steps; when over budget, every second one goes and ``every`` doubles.

    Step 0 is always kept. Replay after a rewind is then at most ``every``
    batches, and memory never exceeds ``budget_bytes`` (plus one checkpoint).
    """

    def __init__(self, every: int = 50, budget_bytes: int = 256 * 1024 * 1024) -> None:
        if every < 1:
            raise ValueError("checkpoint interval must be ≥ 1")
        self.every = every
        self.budget_bytes = budget_bytes
        self._by_step: dict[int, Checkpoint] = {}

    def due(self, step: int) -> bool:
        return step % self.every == 0 and step not in self._by_step

    def add(self, checkpoint: Checkpoint) -> None:
        self._by_step[checkpoint.step] = checkpoint
        while self.nbytes > self.budget_bytes and len(self._by_step) > 2:
            self.every *= 2
            self._by_step = {s: c for s, c in self._by_step.items() if s == 0 or s % self.every == 0}

    def at_or_before(self, step: int) -> Checkpoint:
        best = max(s for s in self._by_step if s <= step)
        return self._by_step[best]

    def drop_after(self, step: int) -> None:
        """Forget checkpoints after ``step`` (a future that is being rewritten)."""
        self._by_step = {s: c for s, c in self._by_step.items() if s <= step}

    def clear(self) -> None:
        self._by_step.clear()

    def all(self) -> list[Checkpoint]:
        """Every checkpoint kept, by step."""
        return [self._by_step[s] for s in sorted(self._by_step)]

    def replace(self, every: int, checkpoints: list[Checkpoint]) -> None:
        """Keep exactly ``checkpoints`` (another store's :meth:`all`, e.g. of the app's training process)."""
        if every < 1:
            raise ValueError("checkpoint interval must be ≥ 1")
        self.every = every
        self._by_step = {c.step: c for c in checkpoints}

    @property
    def steps(self) -> list[int]:
        return sorted(self._by_step)

    @property
    def nbytes(self) -> int:
        return sum(c.nbytes for c in self._by_step.values())
