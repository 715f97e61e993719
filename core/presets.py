"""The course's models, one call each (used by the model panel and the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core import regularizers
from core.layers import BatchNormalization, Dense, Dropout, Flatten, Input
from core.layers.description import layer_from_entry
from core.models import Sequential

#: The layer kinds a row of the model table can be.
LAYER_KINDS = ("Dense", "Dropout", "BatchNormalization")
#: Kernel penalties a Dense row can carry (Keras's names: keras.regularizers.l1, l2, l1_l2).
PENALTIES = ("", "l1", "l2", "l1_l2")


@dataclass(frozen=True)
class LayerSpec:
    """One row of a model: a Dense layer (units, activation, an optional kernel penalty), a
    ``Dropout(rate)`` or a ``BatchNormalization()`` with Keras's defaults.

    ``LayerSpec(100, "relu")`` is a Dense layer; ``LayerSpec(kind="Dropout", rate=0.3)`` a Dropout;
    ``LayerSpec(100, "relu", penalty="l2", factor=0.001)`` a Dense layer with
    ``kernel_regularizer=l2(0.001)`` (``l1_l2`` uses the factor for both).
    """

    units: int = 0
    activation: str = "linear"
    kind: str = "Dense"
    rate: float = 0.0
    penalty: str = ""
    factor: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in LAYER_KINDS:
            raise ValueError(f"Unknown layer kind {self.kind!r}: expected one of {', '.join(LAYER_KINDS)}.")
        if self.kind == "Dense" and int(self.units) < 1:
            raise ValueError(f"A Dense layer needs at least one unit, got {self.units}.")
        if self.kind == "Dropout" and not 0.0 <= float(self.rate) < 1.0:
            raise ValueError(f"A dropout rate lies in [0, 1), got {self.rate}.")
        if self.penalty not in PENALTIES:
            raise ValueError(f"Unknown kernel penalty {self.penalty!r}: expected l1, l2 or l1_l2.")
        if not float(self.factor) >= 0.0:
            raise ValueError(f"A penalty factor is 0 or more, got {self.factor}.")

    @property
    def is_dense(self) -> bool:
        return self.kind == "Dense"

    def regularizer(self):
        """The kernel regularizer this row asks for, or None."""
        if self.kind != "Dense" or not self.penalty or not self.factor:
            return None
        if self.penalty == "l1_l2":
            return regularizers.L1L2(l1=self.factor, l2=self.factor)
        return regularizers.L1(self.factor) if self.penalty == "l1" else regularizers.L2(self.factor)

    def entry(self) -> dict[str, Any]:
        """The row as a layer description (:mod:`core.layers.description`), without a name."""
        if self.kind == "Dropout":
            return {"class": "Dropout", "rate": float(self.rate)}
        if self.kind == "BatchNormalization":
            return {"class": "BatchNormalization"}
        entry: dict[str, Any] = {"class": "Dense", "units": int(self.units), "activation": self.activation}
        reg = self.regularizer()
        if reg is not None:
            entry["kernel_regularizer"] = regularizers.serialize(reg)
        return entry

    def label(self) -> str:
        """Short text: ``"100 relu"``, ``"100 relu + l2(0.001)"``, ``"Dropout(0.3)"``, ``"BatchNorm"``."""
        if self.kind == "Dropout":
            return f"Dropout({self.rate:g})"
        if self.kind == "BatchNormalization":
            return "BatchNorm"
        reg = f" + {self.penalty}({self.factor:g})" if self.regularizer() is not None else ""
        return f"{self.units} {self.activation}{reg}"

    @classmethod
    def from_layer(cls, layer) -> "LayerSpec | None":
        """The row of a Dense, Dropout or BatchNormalization layer (None for another layer).

        A Dense kernel penalty the table cannot show (an L1L2 with two different factors, a bias or
        activity penalty) is left out; BatchNormalization's own arguments are Keras's defaults in a row.
        """
        if isinstance(layer, Dropout):
            return cls(kind="Dropout", rate=float(layer.rate))
        if isinstance(layer, BatchNormalization):
            return cls(kind="BatchNormalization")
        if not isinstance(layer, Dense):
            return None
        reg, penalty, factor = layer.kernel_regularizer, "", 0.0
        if isinstance(reg, regularizers.L1L2) and reg.l1 == reg.l2:
            penalty, factor = "l1_l2", reg.l1
        elif isinstance(reg, regularizers.L2):
            penalty, factor = "l2", reg.l2
        elif isinstance(reg, regularizers.L1):
            penalty, factor = "l1", reg.l1
        return cls(layer.units, layer.activation.name, penalty=penalty if factor else "", factor=factor)


@dataclass(frozen=True)
class ModelPreset:
    """A named architecture from the course notes.

    Attributes
    ----------
    key : str
        Stable identifier (``"fashion_784_100_10"``).
    title : str
        What the model panel shows.
    input_shape : tuple of int
        One sample's shape; image inputs are flattened first.
    layers : tuple of LayerSpec
    loss, optimizer : str
        What the course compiles it with.
    """

    key: str
    title: str
    input_shape: tuple[int, ...]
    layers: tuple[LayerSpec, ...]
    loss: str = "sparse_categorical_crossentropy"
    optimizer: str = "adam"

    def build(self) -> Sequential:
        """A fresh, built ``Sequential`` of this preset (weights from the global seed)."""
        return build_sequential(self.input_shape, self.layers)


def build_sequential(input_shape: tuple[int, ...], layers) -> Sequential:
    """``Sequential`` of ``layers`` (LayerSpec rows) for samples of ``input_shape``; images are flattened first."""
    if not layers:
        raise ValueError("The model needs at least one Dense layer (the output layer).")
    model = Sequential()
    if len(input_shape) > 1:
        model.add(Flatten(input_shape=input_shape))
    else:
        model.add(Input(shape=input_shape))
    for spec in layers:
        model.add(layer_from_entry(spec.entry()))
    return model


PRESETS: dict[str, ModelPreset] = {
    p.key: p
    for p in (
        ModelPreset("xor_2_2_1", "XOR 2-2-1 (sigmoid)", (2,),
                    (LayerSpec(2, "sigmoid"), LayerSpec(1, "sigmoid")), "binary_crossentropy", "sgd"),
        ModelPreset("dense_3_2", "Input(3) → Dense(2)", (3,), (LayerSpec(2),), "mse", "sgd"),
        ModelPreset("mlp_4_8_8_3", "4-8-8-3", (4,), (LayerSpec(8), LayerSpec(8), LayerSpec(3)),
                    "mse", "sgd"),
        ModelPreset("mnist_784_50_10", "MNIST 784-50(sigmoid)-10", (784,),
                    (LayerSpec(50, "sigmoid"), LayerSpec(10, "softmax"))),
        ModelPreset("fashion_784_100_10", "Fashion-MNIST 784-100(relu)-10", (784,),
                    (LayerSpec(100, "relu"), LayerSpec(10, "softmax"))),
        ModelPreset("fashion_784_100_dropout_10", "Fashion-MNIST 784-100(relu)-Dropout(0.3)-10", (784,),
                    (LayerSpec(100, "relu"), LayerSpec(kind="Dropout", rate=0.3), LayerSpec(10, "softmax"))),
        ModelPreset("fashion_784_100_bn_l2_10", "Fashion-MNIST 784-100(relu, l2 0.001)-BatchNorm-10", (784,),
                    (LayerSpec(100, "relu", penalty="l2", factor=0.001), LayerSpec(kind="BatchNormalization"),
                     LayerSpec(10, "softmax"))),
        ModelPreset("deep_784_100x3_10", "784-100-100-100-10 (sigmoid, sigmoid, relu)", (784,),
                    (LayerSpec(100, "sigmoid"), LayerSpec(100, "sigmoid"), LayerSpec(100, "relu"),
                     LayerSpec(10, "softmax"))),
    )
}
