"""Dropout, BatchNormalization and kernel penalties in the settings: model rows, compare-mode sides, lessons."""

import numpy as np
import pytest

import core
from core.datasets import generate
from settings.build import build_session
from settings.compare_setup import PRESETS, Variant, base_variant, build_comparison, side_labels, side_settings
from settings.config import DataConfig, LayerRow, ModelSpec, TrainConfig
from settings.lessons import lessons

SPIRAL = generate("spiral", 120, 0.1, 0)
DATA = DataConfig(validation_fraction=0.25)
TRAIN = TrainConfig("binary_crossentropy", "adam", {"learning_rate": 0.01}, batch_size=16, epochs=2)
DROP, BN = LayerRow(kind="Dropout", rate=0.3), LayerRow(kind="BatchNormalization")


def kinds(model):
    return [type(layer).__name__ for layer in model.compute_layers]


def test_rows_build_dense_dropout_batchnorm_and_penalties():
    spec = ModelSpec((LayerRow(8, "relu", penalty="l2", factor=0.01), BN, DROP,
                      LayerRow(4, "tanh", penalty="l1_l2", factor=0.001), LayerRow(1, "sigmoid")))
    model = build_session(SPIRAL, DATA, spec, TRAIN).model
    assert kinds(model) == ["Dense", "BatchNormalization", "Dropout", "Dense", "Dense"]
    assert model.layers[0].kernel_regularizer.get_config() == {"l2": 0.01}
    assert model.layers[3].kernel_regularizer.get_config() == {"l1": 0.001, "l2": 0.001}
    assert model.layers[2].rate == 0.3
    assert [LayerRow.from_layer(la) for la in model.compute_layers] == list(spec.layers)
    assert [row.label() for row in spec.layers[:3]] == ["8 relu + l2(0.01)", "BatchNorm", "Dropout(0.3)"]


@pytest.mark.parametrize("bad", [dict(kind="Conv2D"), dict(kind="Dropout", rate=1.0), dict(units=0),
                                 dict(units=3, penalty="l3", factor=0.1), dict(units=3, penalty="l2", factor=-1.0)])
def test_bad_rows_are_refused_with_the_reason(bad):
    with pytest.raises(ValueError):
        LayerRow(**bad)


def test_the_output_layer_must_be_dense_and_fitting_keeps_the_other_rows():
    with pytest.raises(ValueError, match="output layer and must be a Dense layer"):
        ModelSpec((LayerRow(8, "relu"), DROP)).model_config((2,))
    fitted = ModelSpec((LayerRow(8, "relu"), DROP, LayerRow(3, "softmax"))).fitted_to(SPIRAL, "binary_crossentropy")
    assert fitted.layers == (LayerRow(8, "relu"), DROP, LayerRow(1, "sigmoid"))


def test_compare_sides_add_or_remove_the_remedies_after_every_hidden_layer():
    spec = ModelSpec((LayerRow(8, "tanh"), LayerRow(6, "tanh"), LayerRow(1, "sigmoid")))
    base = base_variant(spec, TRAIN)
    assert (base.dropout, base.batchnorm, base.l2) == (0.0, False, 0.0)
    plain, with_dropout = PRESETS["dropout"][1](base)
    assert side_settings(spec, TRAIN, plain)[0] == spec
    rows = side_settings(spec, TRAIN, Variant("relu", "adam", 0.01, 16, dropout=0.3, batchnorm=True, l2=0.001))[0]
    assert [row.kind for row in rows.layers] == ["Dense", "BatchNormalization", "Dropout"] * 2 + ["Dense"]
    assert all(row.penalty == "l2" and row.factor == 0.001 and row.activation == "relu"
               for row in rows.hidden_dense)
    assert rows.layers[-1] == LayerRow(1, "sigmoid")  # the output layer is left alone
    # A model that already has remedies keeps its own arrangement on the side that matches it.
    own = ModelSpec((LayerRow(8, "tanh"), DROP, LayerRow(6, "tanh"), LayerRow(1, "sigmoid")))
    same = base_variant(own, TRAIN)
    assert same.dropout == 0.3 and side_settings(own, TRAIN, same)[0] == own
    assert side_settings(own, TRAIN, PRESETS["dropout"][1](same)[0])[0] == spec
    sides = PRESETS["remedies"][1](base)
    assert side_labels(sides) == ("A · plain", "B · L2(0.001)", "C · Dropout(0.3)", "D · BatchNorm")


def test_compare_sides_start_from_the_same_dense_weights_and_train():
    spec = ModelSpec((LayerRow(8, "sigmoid"), LayerRow(8, "sigmoid"), LayerRow(1, "sigmoid")))
    variants = PRESETS["batchnorm"][1](base_variant(spec, TRAIN))
    comparison = build_comparison(SPIRAL, DATA, spec, TRAIN, variants, side_labels(variants), 1)
    plain, normalized = (s.model for s in comparison.sessions)
    assert kinds(normalized) == ["Dense", "BatchNormalization", "Dense", "BatchNormalization", "Dense"]
    dense = [la for la in normalized.compute_layers if isinstance(la, core.layers.Dense)]
    for a, b in zip(plain.compute_layers, dense):
        for wa, wb in zip(a.get_weights(), b.get_weights()):
            np.testing.assert_array_equal(wa, wb)
    comparison.advance(10_000)
    frame = comparison.frame()
    assert [len(side.layer_names) for side in frame.sides] == [3, 3]  # the Dense layers, side by side
    assert all(len(side.curves["grad_norm/0"][1]) for side in frame.sides)
    for side in frame.sides:  # the generalization gap per epoch: validation loss − training loss
        epochs, gap = side.curves["epoch/gap"]
        assert list(epochs) == [1.0]
        assert gap[0] == pytest.approx(side.curves["epoch/val_loss"][1][0] - side.curves["epoch/loss"][1][0])


def test_remedies_need_a_hidden_layer():
    spec = ModelSpec((LayerRow(1, "sigmoid"),))
    variants = PRESETS["dropout"][1](base_variant(spec, TRAIN))
    with pytest.raises(ValueError, match="no hidden layer"):
        build_comparison(SPIRAL, DATA, spec, TRAIN, variants, side_labels(variants), 1)
    with pytest.raises(ValueError, match="dropout rate"):
        Variant(dropout=1.2)


def test_the_new_lessons_compare_and_build(tmp_path):
    by_key = {lesson.key: lesson for lesson in lessons(tmp_path / "fashion.gz")}
    overfit, bn = by_key["fashion_overfitting"], by_key["deep_sigmoid_batchnorm"]
    assert overfit.compare == "dropout" and overfit.needs_file and overfit.train.epochs == 20
    assert [row.kind for row in overfit.model.layers] == ["Dense", "Dropout", "Dense"]
    assert bn.compare == "batchnorm" and bn.view == "gradient_flow"
    assert [row.kind for row in bn.model.layers].count("BatchNormalization") == 5
    built = build_session(bn.data.load(), bn.data, bn.model, bn.train)
    assert kinds(built.model).count("BatchNormalization") == 5
    sides = PRESETS[bn.compare][1](base_variant(bn.model, bn.train))
    assert side_labels(sides) == ("A · plain", "B · BatchNorm")
