"""The course's experiments, one click each: data, model and training set together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from settings.config import DataConfig, LayerRow, ModelSpec, TrainConfig
from settings.speeds import LESSON_PACE
from settings.tr_noop import tr_noop

FASHION_TRAIN = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")


@dataclass(frozen=True)
class Lesson:
    """One experiment of the course notes.

    Attributes
    ----------
    title, note : str
        English source text (``tr`` them to show): the menu entry, and what to
        look for (shown in the status bar).
    view : str
        The view to bring forward ("network", "decision", "gradient_flow"…).
    needs_file : bool
        Uses :data:`FASHION_TRAIN` (the window asks for the file if it is missing).
    compare : str
        A compare-mode preset (``settings.compare_setup.PRESETS``) to open on these
        settings, or "" for none.
    pace : float or None
        The run speed the lesson starts at (batches per second): one a class can
        watch; "max" is one click away.
    """

    key: str
    title: str
    data: DataConfig
    model: ModelSpec
    train: TrainConfig
    view: str
    note: str
    needs_file: bool = False
    compare: str = ""
    pace: float | None = LESSON_PACE


def _dense(*rows: tuple[int, str]) -> ModelSpec:
    return ModelSpec(tuple(LayerRow(u, a) for u, a in rows))


def _after_each_hidden(spec: ModelSpec, row: LayerRow) -> ModelSpec:
    """``spec`` with ``row`` (a Dropout or BatchNormalization) after each hidden Dense layer."""
    rows = []
    for layer in spec.layers[:-1]:
        rows += [layer, row]
    return ModelSpec(tuple(rows) + spec.layers[-1:])


def lessons(fashion_path: Path = FASHION_TRAIN) -> list[Lesson]:
    fashion = DataConfig(source="file", path=str(fashion_path), validation_fraction=0.2, seed=42)
    deep = DataConfig(source="builtin", builtin="spiral", n_samples=400, noise=0.1)
    xor = DataConfig(source="gate", gate="XOR")
    xor_training = TrainConfig("binary_crossentropy", "adam", {"learning_rate": 0.1}, batch_size=4, epochs=300)
    deep_training = TrainConfig("binary_crossentropy", "sgd", {"learning_rate": 0.1}, batch_size=32, epochs=50)
    return [
        Lesson("xor_perceptron", tr_noop("XOR with a single perceptron (it cannot)"), xor,
               _dense((1, "sigmoid")), xor_training, "decision",
               tr_noop("One neuron draws one straight line: XOR needs two. "
                       "Run it and watch the accuracy stall at 50–75%.")),
        Lesson("xor_mlp", tr_noop("XOR with an MLP 2-2-1"), xor,
               _dense((2, "tanh"), (1, "sigmoid")), xor_training, "decision",
               tr_noop("Two hidden neurons draw two lines; together they separate XOR.")),
        Lesson("mnist_784_50_10", tr_noop("784-50(sigmoid)-10 with Adam (MNIST-shaped, on Fashion-MNIST)"), fashion,
               _dense((50, "sigmoid"), (10, "softmax")),
               TrainConfig("sparse_categorical_crossentropy", "adam", {}, batch_size=32, epochs=10), "network",
               tr_noop("The course's MNIST network, on Fashion-MNIST images."), needs_file=True),
        Lesson("fashion_784_100_10", tr_noop("Fashion-MNIST 784-100(relu)-10"), fashion,
               _dense((100, "relu"), (10, "softmax")),
               TrainConfig("sparse_categorical_crossentropy", "adam", {}, batch_size=32, epochs=5), "samples",
               tr_noop("Try sgd, adagrad, rmsprop and adam in the Training panel and compare the curves."),
               needs_file=True),
        Lesson("fashion_optimizers", tr_noop("Fashion-MNIST: sgd, adagrad, rmsprop and adam side by side"), fashion,
               _dense((100, "relu"), (10, "softmax")),
               TrainConfig("sparse_categorical_crossentropy", "adam", {}, batch_size=32, epochs=5), "network",
               tr_noop("Four optimizers, each at its Keras default learning rate, on the same batches from the same "
                       "initial weights: press Run in the compare window."), needs_file=True, compare="optimizers"),
        Lesson("fashion_overfitting", tr_noop("Overfitting on Fashion-MNIST: 784-100-10 without and with Dropout(0.3)"),
               fashion, _after_each_hidden(_dense((100, "relu"), (10, "softmax")),
                                           LayerRow(kind="Dropout", rate=0.3)),
               TrainConfig("sparse_categorical_crossentropy", "adam", {}, batch_size=32, epochs=20), "network",
               tr_noop("Without Dropout the training loss keeps falling while the validation loss (dashed) turns "
                       "up after a few epochs: the network learns the training images by heart. With Dropout(0.3) "
                       "the two stay together. Press Run in the compare window; step the main window to see which "
                       "units each batch drops."), needs_file=True, compare="dropout"),
        Lesson("deep_sigmoid", tr_noop("Vanishing gradient: a deep sigmoid network"), deep,
               _dense(*[(32, "sigmoid")] * 5, (1, "sigmoid")), deep_training, "gradient_flow",
               tr_noop("The first layers' ‖∂L/∂W‖ sit orders of magnitude below the last layer's.")),
        Lesson("deep_sigmoid_batchnorm", tr_noop("…and the same sigmoid network with BatchNormalization"), deep,
               _after_each_hidden(_dense(*[(32, "sigmoid")] * 5, (1, "sigmoid")),
                                  LayerRow(kind="BatchNormalization")), deep_training, "gradient_flow",
               tr_noop("BatchNormalization after each sigmoid layer rescales what reaches the next layer, and "
                       "its backward pass rescales δ by γ/σ: every layer's ‖∂L/∂W‖ is now of the same size. "
                       "Compare both networks side by side in the compare window."), compare="batchnorm"),
        Lesson("deep_relu", tr_noop("…and the same depth with ReLU"), deep,
               _dense(*[(32, "relu")] * 5, (1, "sigmoid")), deep_training, "gradient_flow",
               tr_noop("With ReLU the gradient reaches the first layers at a similar size.")),
    ]
