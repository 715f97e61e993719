"""The loss phase written out: each sample's loss as its formula with the numbers, and the batch mean.

Computed once at capture (in float64, from the same targets and predictions
the loss saw), so the loss phase can show, for the selected sample,
``L = −log ŷ[c] = −log 0.8123 = 0.2079`` for sparse categorical crossentropy,
the sum for categorical crossentropy, ``(ŷ − y)²`` for MSE, the BCE form, …
Each loss has a *writer* (:data:`WRITERS`, keyed by the loss's ``name``):
``values`` recomputes every sample's loss from the formula it writes, and
``write`` writes one sample's formula with its numbers. A loss without a
writer shows its general formula and the value the loss itself computed.

Expressions are mathematics only (no words), so they need no translation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from core.backend.config import epsilon

SHOWN_TERMS = 4  # terms of a sum written out before "+ …"
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(n: int) -> str:
    """``¹²`` for 12."""
    return str(int(n)).translate(_SUPERSCRIPT)


def num(x: float) -> str:
    """A number as the formulas write it: 4 significant digits, a true minus sign."""
    x = float(x)
    if x == 0:
        return "0"
    text = f"{x:.4g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        text = f"{mantissa}·10{str(int(exp)).translate(_SUPERSCRIPT)}"
    return text.replace("-", "−")


def paren(x: float) -> str:
    """``num(x)``, in parentheses when negative (``0.3 × (−0.2)``)."""
    text = num(x)
    return f"({text})" if text.startswith("−") else text


def sum_text(terms: list[str], total_count: int) -> str:
    """``a + b + c + …`` of the first :data:`SHOWN_TERMS` terms (the caption beside says how many there are:
    a formula has no words to translate)."""
    shown = terms[:SHOWN_TERMS]
    return " + ".join(shown) + (" + …" if total_count > len(shown) else "")


@dataclass(frozen=True)
class LossTerms:
    """One batch's loss, term by term.

    Attributes
    ----------
    loss : str
        The loss's name (``"sparse_categorical_crossentropy"``).
    formula : str
        Its general formula (``Loss.formula``).
    target, prediction : numpy.ndarray
        ``(batch, outputs)``: the targets as the loss sees them (one-hot for
        sparse labels, smoothed when asked) and ŷ (after softmax/sigmoid when
        the loss takes logits).
    per_sample : numpy.ndarray
        ``(batch,)`` each sample's loss, from the formula :meth:`expression` writes.
    true_class : numpy.ndarray or None
        ``(batch,)`` the class marked true, for classification losses.
    mean : float
        The loss function's batch loss as trained (reduction, sample weights, loss weight).
    mean_expression : str
        ``L = 1/N Σ_n L_n = (… + …)/N = mean``.
    penalties : tuple of (str, float)
        Regularization terms added to it (``("dense/kernel", 0.0123)``); ``total`` is the sum, and
        ``total_expression`` writes it (empty without penalties).
    """

    loss: str
    formula: str
    target: np.ndarray
    prediction: np.ndarray
    per_sample: np.ndarray
    true_class: np.ndarray | None
    mean: float
    mean_expression: str
    options: tuple[tuple[str, Any], ...] = ()
    penalties: tuple[tuple[str, float], ...] = ()
    total: float | None = None

    @property
    def total_expression(self) -> str:
        """``L = 2.454 + 0.0123 (dense/kernel) = 2.466`` when regularization adds to the loss, else ""."""
        if not self.penalties:
            return ""
        parts = " + ".join(f"{num(v)} ({name})" for name, v in self.penalties)
        total = self.mean + sum(v for _, v in self.penalties) if self.total is None else self.total
        return f"L = {num(self.mean)} + {parts} = {num(total)}"

    def expression(self, n: int) -> str:
        """Sample ``n``'s loss as its formula with the numbers, ending in ``= value``."""
        writer = WRITERS.get(self.loss)
        if writer is None:
            return f"L_{n} = {num(self.per_sample[n])}"
        return writer.write(self.target[n], self.prediction[n], dict(self.options)) + f" = {num(self.per_sample[n])}"


@dataclass(frozen=True)
class LossWriter:
    """How one loss is written: ``values(y, p, options)`` per sample, ``write(y_n, p_n, options)`` the formula."""

    values: Callable[[np.ndarray, np.ndarray, dict], np.ndarray]
    write: Callable[[np.ndarray, np.ndarray, dict], str]
    classes: bool = False  # a classification loss: the true class is marked


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _clip(p: np.ndarray) -> np.ndarray:
    eps = epsilon()
    return np.clip(p, eps, 1.0 - eps)


def _categorical_q(p: np.ndarray) -> np.ndarray:
    """What Keras takes the log of: ŷ renormalized to sum 1, clipped to [ε, 1 − ε]."""
    return _clip(p / p.sum(axis=-1, keepdims=True))


def _cce_values(y, p, options):
    return -(y * np.log(_categorical_q(p))).sum(axis=-1)


def _sparse_write(y, p, options):
    c = int(np.argmax(y))
    q = float(_categorical_q(p[None])[0, c])
    name = "softmax(z)" if options.get("from_logits") else "ŷ"
    return f"L = −log {name}[{c}] = −log {num(q)}"


def _cce_write(y, p, options):
    q = _categorical_q(p[None])[0]
    name = "softmax(z)" if options.get("from_logits") else "ŷ"
    nonzero = [k for k in np.argsort(-np.abs(y * np.log(q))) if y[k] != 0]
    terms = [f"{num(y[k])}·log {num(q[k])}" for k in nonzero]
    return f"L = −Σ_k y_k·log {name}_k = −({sum_text(terms, len(nonzero)) or '0'})"


def _bce_values(y, p, options):
    q = _clip(p)
    return -(y * np.maximum(np.log(q), -100.0) + (1 - y) * np.maximum(np.log(1 - q), -100.0)).mean(axis=-1)


def _bce_write(y, p, options):
    q = _clip(p)
    name = "σ(z)" if options.get("from_logits") else "ŷ"
    parts = [f"{num(y[k])}·log {num(q[k])} + {num(1 - y[k])}·log {num(1 - q[k])}" for k in range(len(y))]
    if len(y) == 1:
        return f"L = −[y·log {name} + (1 − y)·log(1 − {name})] = −[{parts[0]}]"
    return (f"L = −1/{len(y)} Σ_k [y_k·log {name}_k + (1 − y_k)·log(1 − {name}_k)] = −1/{len(y)}·("
            + sum_text([f"[{t}]" for t in parts], len(parts)) + ")")


def _mse_values(y, p, options):
    return ((p - y) ** 2).mean(axis=-1)


def _mse_write(y, p, options):
    terms = [f"({num(p[k])} − {paren(y[k])})²" for k in range(len(y))]
    if len(y) == 1:
        return f"L = (ŷ − y)² = {terms[0]}"
    return f"L = 1/{len(y)} Σ_k (ŷ_k − y_k)² = ({sum_text(terms, len(terms))})/{len(y)}"


def _mae_values(y, p, options):
    return np.abs(p - y).mean(axis=-1)


def _mae_write(y, p, options):
    terms = [f"|{num(p[k])} − {paren(y[k])}|" for k in range(len(y))]
    if len(y) == 1:
        return f"L = |ŷ − y| = {terms[0]}"
    return f"L = 1/{len(y)} Σ_k |ŷ_k − y_k| = ({sum_text(terms, len(terms))})/{len(y)}"


#: loss name → writer; a loss added to core registers its writer here to be written out in the loss phase
WRITERS: dict[str, LossWriter] = {
    "sparse_categorical_crossentropy": LossWriter(_cce_values, _sparse_write, classes=True),
    "categorical_crossentropy": LossWriter(_cce_values, _cce_write, classes=True),
    "binary_crossentropy": LossWriter(_bce_values, _bce_write, classes=True),
    "mean_squared_error": LossWriter(_mse_values, _mse_write),
    "mean_absolute_error": LossWriter(_mae_values, _mae_write),
}


def loss_terms(loss, target, output, per_sample, sample_weight, batch_loss: float,
               penalties: tuple[tuple[str, float], ...] = (), total: float | None = None) -> LossTerms:
    """The :class:`LossTerms` of one batch: ``loss`` (a :class:`core.losses.Loss`), the targets it saw,
    the model's ``output``, the per-sample losses it computed and the batch loss it reported (the loss
    function's part; regularization ``penalties`` add up to ``total``)."""
    y = np.asarray(target, dtype=np.float64).reshape(len(target), -1)
    out = np.asarray(output, dtype=np.float64).reshape(len(output), -1)
    logits = bool(getattr(loss, "from_logits", False))
    options = (("from_logits", logits),)
    writer = WRITERS.get(loss.name)
    if logits and writer is not None:
        out = 1.0 / (1.0 + np.exp(-out)) if loss.name == "binary_crossentropy" else _softmax(out)
    if writer is not None and not logits:
        values = writer.values(y, out, dict(options))
    else:  # the loss's own numbers (from logits, the formula is written on the probabilities but not recomputed)
        values = np.asarray(per_sample, dtype=np.float64).reshape(-1)
    true_class = None
    if writer is not None and writer.classes:
        true_class = (y[:, 0] > 0.5).astype(int) if y.shape[1] == 1 else y.argmax(axis=1)
    return LossTerms(loss=loss.name, formula=getattr(loss, "formula", ""), target=_ro(y), prediction=_ro(out),
                     per_sample=_ro(values), true_class=None if true_class is None else _ro(true_class),
                     mean=float(batch_loss), mean_expression=_mean_expression(loss, values, sample_weight, batch_loss),
                     options=options, penalties=tuple((str(k), float(v)) for k, v in penalties),
                     total=None if total is None else float(total))


def _mean_expression(loss, values: np.ndarray, sample_weight, batch_loss: float) -> str:
    n = len(values)
    if sample_weight is None:
        terms = [num(v) for v in values]
        body = f"1/{n} Σ_n L_n = ({sum_text(terms, n)})/{n}"
    else:
        w = np.asarray(sample_weight, dtype=np.float64).reshape(-1)
        terms = [f"{num(wi)}·{num(v)}" for wi, v in zip(w, values)]
        divisor = num(w.sum()) if getattr(loss, "reduction", "") == "mean_with_sample_weight" else str(n)
        body = f"Σ_n w_n·L_n / {divisor} = ({sum_text(terms, n)})/{divisor}"
    if getattr(loss, "reduction", "") == "sum":
        body = "Σ_n L_n = " + sum_text([num(v) for v in values], n)
    return f"L = {body} = {num(batch_loss)}"


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.array(a)
    a.flags.writeable = False
    return a
