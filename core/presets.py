"""The course's models, one call each (used by the model panel and the CLI)."""

from __future__ import annotations

from dataclasses import dataclass

from core.layers import Dense, Flatten, Input
from core.models import Sequential


@dataclass(frozen=True)
class LayerSpec:
    """One Dense layer of a preset: units and activation."""

    units: int
    activation: str = "linear"


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
    """``Sequential`` of Dense ``layers`` (LayerSpec) for samples of ``input_shape``; images are flattened first."""
    if not layers:
        raise ValueError("The model needs at least one Dense layer (the output layer).")
    model = Sequential()
    if len(input_shape) > 1:
        model.add(Flatten(input_shape=input_shape))
    else:
        model.add(Input(shape=input_shape))
    for spec in layers:
        model.add(Dense(int(spec.units), activation=spec.activation))
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
        ModelPreset("deep_784_100x3_10", "784-100-100-100-10 (sigmoid, sigmoid, relu)", (784,),
                    (LayerSpec(100, "sigmoid"), LayerSpec(100, "sigmoid"), LayerSpec(100, "relu"),
                     LayerSpec(10, "softmax"))),
    )
}
