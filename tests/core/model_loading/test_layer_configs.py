"""Dropout, BatchNormalization and regularizers in saved configs as tf.keras 2.x wrote them (made by hand)."""

import pytest

from core import model_loading
from core.model_loading.architecture import build_model, read_architecture


def _tf2_config(bn_extra: dict) -> dict:
    dense = {"class_name": "Dense", "config": {
        "name": "dense", "trainable": True, "batch_input_shape": [None, 4], "dtype": "float32", "units": 6,
        "activation": "relu", "use_bias": True,
        "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
        "bias_initializer": {"class_name": "Zeros", "config": {}},
        "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}}
    bn = {"class_name": "BatchNormalization", "config": {
        "name": "batch_normalization", "trainable": True, "dtype": "float32", "axis": [1], "momentum": 0.9,
        "epsilon": 0.001, "center": True, "scale": True,
        "beta_initializer": {"class_name": "Zeros", "config": {}},
        "gamma_initializer": {"class_name": "Ones", "config": {}},
        "moving_mean_initializer": {"class_name": "Zeros", "config": {}},
        "moving_variance_initializer": {"class_name": "Ones", "config": {}},
        "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None,
        **bn_extra}}
    dropout = {"class_name": "Dropout", "config": {"name": "dropout", "trainable": True, "dtype": "float32",
                                                  "rate": 0.25, "noise_shape": None, "seed": None}}
    out = {"class_name": "Dense", "config": {"name": "dense_1", "units": 3, "activation": "softmax"}}
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": [dense, bn, dropout, out]}}


def test_a_tf_keras_2_config_with_batchnorm_dropout_and_l2_builds():
    plan = read_architecture(_tf2_config({"fused": None, "virtual_batch_size": None, "adjustment": None,
                                          "renorm": False, "renorm_clipping": None, "renorm_momentum": 0.99}),
                             None, "model_config")
    model = build_model(plan)
    dense, bn, dropout, _ = model.compute_layers
    assert dense.kernel_regularizer.get_config() == {"l2": 0.01}
    assert bn.axis == 1 and bn.momentum == 0.9 and dropout.rate == 0.25
    assert [w.name for w in model.non_trainable_weights] == ["moving_mean", "moving_variance"]
    assert [p.weights_key for p in plan.layers] == ["dense", "batch_normalization", "dropout", "dense_1"]


@pytest.mark.parametrize("extra, message", [
    ({"virtual_batch_size": 8}, "virtual_batch_size=8"),
    ({"renorm": True}, "renorm"),
    ({"gamma_constraint": {"class_name": "NonNeg", "config": {}}}, "gamma_constraint"),
])
def test_what_batchnorm_does_not_compute_is_refused_by_name(extra, message):
    with pytest.raises(model_loading.UnsupportedModelError, match=message):
        build_model(read_architecture(_tf2_config(extra), None, "model_config"))
