"""Compare mode's settings: what each side changes, the course's three comparisons, building them.

Pure Python (no Qt). A :class:`Variant` is one side: the hidden layers'
activation, the optimizer with its learning rate, the batch size, and the
remedies against overfitting — Dropout, BatchNormalization and an L2 penalty
on the hidden layers; every other setting — data, split, normalization, layer
sizes, loss, seed — comes from the main window and is the same on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.compare import Comparison
from core.datasets import Dataset
from settings.build import build_session
from settings.config import DataConfig, LayerRow, ModelSpec, Prepared, TrainConfig, prepare
from settings.tr_noop import tr_noop
from settings.vocabulary import optimizer_defaults, optimizer_key, optimizer_label

FULL_BATCH = 0  # batch size meaning "the whole training set in one batch"


@dataclass(frozen=True)
class Variant:
    """One side of a comparison."""

    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 0.001
    batch_size: int = 32
    #: Dropout rate after each hidden Dense layer (0: none)
    dropout: float = 0.0
    #: BatchNormalization after each hidden Dense layer
    batchnorm: bool = False
    #: L2 factor on each hidden Dense layer's kernel (0: none)
    l2: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "optimizer", optimizer_key(self.optimizer))
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"A dropout rate lies in [0, 1), got {self.dropout}.")
        if not self.l2 >= 0.0:
            raise ValueError(f"An L2 factor is 0 or more, got {self.l2}.")

    def optimizer_text(self) -> str:
        """``"Adam (lr 0.001)"``."""
        return f"{optimizer_label(self.optimizer)} (lr {self.learning_rate:g})"

    def remedies_text(self) -> str:
        """``"Dropout(0.3) + BatchNorm + L2(0.001)"``, or ``"plain"``."""
        parts = ([f"Dropout({self.dropout:g})"] if self.dropout else []) + (["BatchNorm"] if self.batchnorm else []) \
            + ([f"L2({self.l2:g})"] if self.l2 else [])
        return " + ".join(parts) or "plain"

    def describe(self, full_batch_text: str = "full batch", batch_text: str = "batch {n}") -> str:
        text = f"{self.activation} · {self.optimizer_text()} · " + self.batch_label(full_batch_text, batch_text)
        return text + (f" · {self.remedies_text()}" if self.remedies_text() != "plain" else "")

    def batch_label(self, full_batch_text: str = "full batch", batch_text: str = "batch {n}") -> str:
        """``"batch 32"`` or ``"full batch"`` (the texts are given in the UI language)."""
        return full_batch_text if self.batch_size == FULL_BATCH else batch_text.format(n=self.batch_size)


def base_variant(spec: ModelSpec, train: TrainConfig) -> Variant:
    """The main window's current settings as a variant (its remedies: the first Dropout's rate, whether
    there is a BatchNormalization, the first hidden layer's L2 factor)."""
    hidden = spec.hidden_dense
    lr = train.hyper.get("learning_rate", optimizer_defaults(train.optimizer).get("learning_rate", 0.001))
    dropout = next((row.rate for row in spec.layers if row.kind == "Dropout"), 0.0)
    l2 = next((row.factor for row in hidden if row.penalty == "l2"), 0.0)
    return Variant(hidden[0].activation if hidden else "relu", train.optimizer, float(lr), train.batch_size,
                   dropout=float(dropout), batchnorm=any(row.kind == "BatchNormalization" for row in spec.layers),
                   l2=float(l2))


def _sigmoid_relu(base: Variant) -> tuple[Variant, ...]:
    return replace(base, activation="sigmoid"), replace(base, activation="relu")


def _sgd_adam(base: Variant) -> tuple[Variant, ...]:
    return (replace(base, optimizer="sgd", learning_rate=0.01), replace(base, optimizer="adam", learning_rate=0.001))


def _four_optimizers(base: Variant) -> tuple[Variant, ...]:
    # Each at its Keras default learning rate, as the course runs them.
    return tuple(replace(base, optimizer=name, learning_rate=lr)
                 for name, lr in (("sgd", 0.01), ("adagrad", 0.001), ("rmsprop", 0.001), ("adam", 0.001)))


def _batch_sizes(base: Variant) -> tuple[Variant, ...]:
    return replace(base, batch_size=32), replace(base, batch_size=FULL_BATCH)


def _plain(base: Variant) -> Variant:
    return replace(base, dropout=0.0, batchnorm=False, l2=0.0)


def _dropout(base: Variant) -> tuple[Variant, ...]:
    return _plain(base), replace(_plain(base), dropout=0.3)


def _batchnorm(base: Variant) -> tuple[Variant, ...]:
    return _plain(base), replace(_plain(base), batchnorm=True)


def _remedies(base: Variant) -> tuple[Variant, ...]:
    plain = _plain(base)
    return plain, replace(plain, l2=0.001), replace(plain, dropout=0.3), replace(plain, batchnorm=True)


#: The course's comparisons: key → (title, base variant → the sides).
PRESETS = {
    "activation": (tr_noop("sigmoid vs ReLU (hidden layers)"), _sigmoid_relu),
    "optimizer": (tr_noop("SGD (lr 0.01) vs Adam (lr 0.001)"), _sgd_adam),
    "optimizers": (tr_noop("sgd, adagrad, rmsprop and adam (Keras default learning rates)"), _four_optimizers),
    "batch": (tr_noop("batch 32 vs full batch (48,000 on Fashion-MNIST)"), _batch_sizes),
    "dropout": (tr_noop("without vs with Dropout(0.3) after the hidden layers (overfitting)"), _dropout),
    "batchnorm": (tr_noop("without vs with BatchNormalization after the hidden layers"), _batchnorm),
    "remedies": (tr_noop("plain, L2(0.001), Dropout(0.3) and BatchNormalization side by side"), _remedies),
}
MAX_SIDES = 4


def side_settings(spec: ModelSpec, train: TrainConfig, variant: Variant) -> tuple[ModelSpec, TrainConfig]:
    """The main settings with ``variant`` applied: hidden activations, optimizer, learning rate, batch, and
    the remedies. A side whose remedies are those of the main model keeps its layers as they are; one whose
    remedies differ gets, after every hidden Dense layer, BatchNormalization (if asked) then Dropout(rate)
    (if asked), and the L2 factor on every hidden Dense kernel."""
    same = (lambda v: (v.dropout, v.batchnorm, v.l2))
    if same(variant) == same(base_variant(spec, train)):
        layers = tuple(replace(row, activation=variant.activation) if row.is_dense else row
                       for row in spec.layers[:-1]) + spec.layers[-1:]
    else:
        rows: list[LayerRow] = []
        for row in spec.hidden_dense:
            rows.append(replace(row, activation=variant.activation, penalty="l2" if variant.l2 else "",
                                factor=variant.l2))
            if variant.batchnorm:
                rows.append(LayerRow(kind="BatchNormalization"))
            if variant.dropout:
                rows.append(LayerRow(kind="Dropout", rate=variant.dropout))
        layers = tuple(rows) + spec.layers[-1:]
    hyper = dict(train.hyper) if variant.optimizer == train.optimizer else {}
    hyper["learning_rate"] = variant.learning_rate
    return ModelSpec(layers), replace(train, optimizer=variant.optimizer, hyper=hyper,
                                      batch_size=max(1, variant.batch_size))


def build_comparison(data: Dataset, data_config: DataConfig, spec: ModelSpec, train: TrainConfig,
                     variants: tuple[Variant, ...], labels: tuple[str, ...], epochs: int,
                     prepared: Prepared | None = None) -> Comparison:
    """Sessions for every variant on the same prepared data, seed and batch order.

    Each model is built after ``set_random_seed(train.seed)`` (in ``build_model``),
    so sides with the same layer sizes start from the same weights. ``prepared``
    reuses data already split and normalized with ``data_config``.
    """
    outside = (lambda v: replace(v, activation="", dropout=0.0, batchnorm=False, l2=0.0))
    only_hidden_differs = len({outside(v) for v in variants}) == 1 and len(set(variants)) > 1
    if not spec.hidden_dense and only_hidden_differs:
        raise ValueError("The sides differ only in the hidden layers (activation, Dropout, BatchNormalization, L2), "
                         "and this model has no hidden "
                         "layer: add one in the Model panel.")
    prepared = prepare(data, data_config) if prepared is None else prepared
    n = len(prepared.x_train)
    sessions = []
    for variant in variants:
        side_spec, side_train = side_settings(spec, train, variant)
        batch = n if variant.batch_size == FULL_BATCH else variant.batch_size
        sessions.append(build_session(data, data_config, side_spec, side_train, batch_size=batch,
                                      prepared=prepared).session)
    return Comparison(sessions, labels, epochs)


def side_labels(variants: tuple[Variant, ...], full_batch_text: str = "full batch",
                batch_text: str = "batch {n}") -> tuple[str, ...]:
    """Short labels naming only what differs between the sides: ``("A · sigmoid", "B · relu")``."""
    def differs(get) -> bool:
        return len({get(v) for v in variants}) > 1

    labels = []
    for letter, v in zip("ABCDEFGH", variants):
        parts = []
        if differs(lambda u: u.activation):
            parts.append(v.activation)
        if differs(lambda u: (u.optimizer, u.learning_rate)):
            parts.append(v.optimizer_text())
        if differs(lambda u: u.batch_size):
            parts.append(v.batch_label(full_batch_text, batch_text))
        if differs(lambda u: (u.dropout, u.batchnorm, u.l2)):
            parts.append(v.remedies_text())
        labels.append(f"{letter} · " + (", ".join(parts) or v.describe(full_batch_text, batch_text)))
    return tuple(labels)
