"""Two training sessions side by side: same data, same batch order, same seed.

The course's comparisons — sigmoid against ReLU, SGD against Adam, batch 32
against the full batch — differ in one setting and must agree in everything
else. :class:`Comparison` takes sessions built that way (the same shuffle seed
gives every session the same permutation of the samples in every epoch, so with
equal batch sizes they see identical batches; models built after the same
``set_random_seed`` start from identical weights when their shapes agree) and
advances them by the same number of *samples*, so that a full-batch run and a
batch-32 run stay at the same point of their epochs.

:meth:`Comparison.frame` returns an immutable :class:`ComparisonFrame` for the
views: curves over epochs and activation histograms on one fixed probe batch,
binned alike for every side so that they can be overlaid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from core.engine import forward_all
from core.stepper import TrainingSession
from core.stepper.snapshot import frozen

HIST_BINS = 40


@dataclass(frozen=True)
class SideFrame:
    """One side's curves (x in epochs) and probe activations, as read-only copies.

    ``curves`` maps a name — ``"loss"``, ``"accuracy"``, ``"grad_norm/<k>"`` (k-th Dense layer)
    (per batch, x = epochs trained so far) and ``"epoch/loss"``,
    ``"epoch/val_loss"``, ``"epoch/accuracy"``, ``"epoch/val_accuracy"`` and
    ``"epoch/gap"`` (validation loss − training loss: overfitting makes it
    grow) (x = epoch number) — to ``(x, y)``. ``histograms`` maps a Dense layer's position
    (0 = first) to counts over the frame's shared bin edges.
    """

    label: str
    epochs_done: float
    step: int
    batch_size: int
    layer_names: tuple[str, ...]
    curves: dict
    histograms: dict
    diverged: str


@dataclass(frozen=True)
class ComparisonFrame:
    """Every side at one moment; ``edges[k]`` are the bin edges shared by layer ``k``'s histograms."""

    sides: tuple[SideFrame, ...]
    edges: dict
    target_epochs: int
    done: bool


def samples_seen(session: TrainingSession) -> int:
    """Training samples consumed so far (whole epochs plus the batches of this one)."""
    epochs, batches = divmod(session.step, session.batches_per_epoch)
    return epochs * session.n + min(batches * session.batch_size, session.n)


class Comparison:
    """Advance several sessions on the same data by the same number of samples.

    Parameters
    ----------
    sessions : sequence of TrainingSession
        Built on the same training samples (checked by count) with the same
        shuffle seed (checked).
    labels : sequence of str
        What differs, e.g. ``("sigmoid", "relu")``.
    epochs : int
        How far :meth:`advance` goes.
    probe : array_like, optional
        Inputs whose activations the histograms show (default: the first 512
        training samples of the first session).
    """

    def __init__(self, sessions: Sequence[TrainingSession], labels: Sequence[str], epochs: int,
                 probe=None) -> None:
        if len(sessions) < 2 or len(sessions) != len(labels):
            raise ValueError("A comparison needs two or more sessions, each with a label.")
        if len({s.n for s in sessions}) != 1:
            raise ValueError("The sessions must train on the same samples.")
        if len({s.shuffle_seed for s in sessions}) != 1:
            raise ValueError("The sessions must share the shuffle seed (the same batch order).")
        if epochs < 1:
            raise ValueError("epochs must be at least 1.")
        self.sessions = list(sessions)
        self.labels = [str(label) for label in labels]
        first = self.sessions[0]
        self.probe = np.asarray(first.engine.ops.to_numpy(first.xs[:512]) if probe is None else probe)
        self.set_epochs(int(epochs))

    def set_epochs(self, epochs: int) -> None:
        """Train every side to ``epochs`` (e.g. more, to run a finished comparison again)."""
        self.epochs = epochs
        for s in self.sessions:
            s.epochs = epochs

    @property
    def n(self) -> int:
        return self.sessions[0].n

    def side_done(self, i: int) -> bool:
        s = self.sessions[i]
        return s.divergence is not None or s.step >= self.epochs * s.batches_per_epoch

    @property
    def done(self) -> bool:
        return all(self.side_done(i) for i in range(len(self.sessions)))

    def advance(self, samples: int, between_batches=None, stop=None) -> None:
        """Train every side until it has seen ``samples`` more samples (in whole batches).

        A side whose batch is larger than ``samples`` takes one step and is then
        ahead; it waits until the others catch up. ``between_batches`` is
        passed on to :meth:`TrainingSession.run`. Once ``stop`` (a
        ``threading.Event``) is set, every side stops after its current batch;
        the next call brings the sides level again.
        """
        behind = [samples_seen(s) for i, s in enumerate(self.sessions) if not self.side_done(i)]
        if not behind:
            return
        goal = min(min(behind) + max(1, int(samples)), self.epochs * self.n)
        for i, s in enumerate(self.sessions):
            if self.side_done(i) or (stop is not None and stop.is_set()):
                continue
            steps = 0
            seen = samples_seen(s)
            while seen < goal and s.step + steps < self.epochs * s.batches_per_epoch:
                epoch, batch = divmod(s.step + steps, s.batches_per_epoch)
                seen = epoch * s.n + min((batch + 1) * s.batch_size, s.n)
                steps += 1
            if steps:
                def after_batch(session=s) -> None:
                    if between_batches is not None:
                        between_batches()
                    if stop is not None and stop.is_set():
                        session.request_stop()  # the side stops after this batch, not after its slice

                for _ in s.run(max_steps=steps, capture_every_seconds=None, capture_last=False,
                               between_batches=after_batch):
                    pass  # only a divergence is yielded; the frame reads the history

    # --- what the views show ----------------------------------------------------------
    def frame(self) -> ComparisonFrame:
        acts = [self._probe_activations(s) for s in self.sessions]
        edges = {}
        for k in range(min(len(a) for a in acts)):
            values = np.concatenate([a[k].ravel() for a in acts])
            values = values[np.isfinite(values)]
            lo, hi = (float(values.min()), float(values.max())) if values.size else (0.0, 1.0)
            edges[k] = frozen(np.linspace(lo, hi if hi > lo else lo + 1e-6, HIST_BINS + 1))
        sides = []
        for s, label, a in zip(self.sessions, self.labels, acts):
            hist = {}
            for k, e in edges.items():
                finite = a[k][np.isfinite(a[k])]
                counts = np.histogram(finite, bins=e)[0].astype(float)
                hist[k] = frozen(counts / max(counts.sum(), 1.0))  # shares: sides with other sizes compare
            sides.append(SideFrame(label=label, epochs_done=samples_seen(s) / s.n, step=s.step,
                                   batch_size=s.batch_size, layer_names=tuple(self._dense_names(s)),
                                   curves=self._curves(s), histograms=hist,
                                   diverged="" if s.divergence is None else s.divergence.message()))
        return ComparisonFrame(sides=tuple(sides), edges=edges, target_epochs=self.epochs, done=self.done)

    @staticmethod
    def _dense_names(s: TrainingSession) -> list[str]:
        """The layers with a kernel (Dense): the k-th of every side is the same layer of the same size, whatever
        Dropout or BatchNormalization layers a side adds between them."""
        return [layer.name for layer in s.engine.layers if "kernel" in layer.param_names]

    def _curves(self, s: TrainingSession) -> dict:
        h, bpe = s.history, s.batches_per_epoch
        out = {}
        keys = {"loss": "loss", "accuracy": "accuracy"}
        keys.update({f"grad_norm/{k}": f"{name}/grad_norm" for k, name in enumerate(self._dense_names(s))})
        for name, key in keys.items():
            steps, values = h.scalar(key)
            out[name] = (frozen(steps / bpe), frozen(values))
        for key in ("loss", "val_loss", "accuracy", "val_accuracy"):
            epochs, values = h.epoch_series(key)
            out[f"epoch/{key}"] = (frozen(np.asarray(epochs, dtype=float)), frozen(values))
        (train_x, train_y), (val_x, val_y) = out["epoch/loss"], out["epoch/val_loss"]
        both, at_train, at_val = np.intersect1d(train_x, val_x, return_indices=True)
        out["epoch/gap"] = (frozen(both), frozen(np.asarray(val_y)[at_val] - np.asarray(train_y)[at_train]))
        return out

    def _probe_activations(self, s: TrainingSession) -> list[np.ndarray]:
        """Each Dense layer's activations for the probe inputs, with the side's current weights."""
        ops, layers = s.engine.ops, s.engine.layers
        weighted = [i for i, layer in enumerate(layers) if "kernel" in layer.param_names]
        return [ops.copy_numpy(a) for a in forward_all(layers, ops, ops.asarray(self.probe), weighted)]
