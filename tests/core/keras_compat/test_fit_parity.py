"""fit/evaluate/*_on_batch arguments as Keras 3 honours them: same weights, same history, same returns."""

import numpy as np
import pytest

import core

from .helpers import (BINARY, LABELS, WEIGHTS, X, assert_same_history, compile_both, max_weight_error, pair)

FIT_CASES = {
    "sample_weight": ({}, {"sample_weight": WEIGHTS}),
    "class_weight": ({}, {"class_weight": {0: 1.0, 1: 2.0, 2: 0.5}}),
    "weighted_metrics": ({"weighted_metrics": ["accuracy"]}, {"sample_weight": WEIGHTS}),
    "validation_freq_int": ({}, {"validation_split": 0.25, "validation_freq": 2, "epochs": 3}),
    "validation_freq_list": ({}, {"validation_split": 0.25, "validation_freq": [1, 3], "epochs": 3}),
    "steps_per_epoch": ({}, {"steps_per_epoch": 3, "epochs": 3}),
    "steps_per_epoch_over_the_data": ({}, {"steps_per_epoch": 6, "epochs": 2}),
    "validation_steps_and_batch_size": ({}, {"validation_data": (X[:40], LABELS[:40], WEIGHTS[:40]),
                                             "validation_steps": 2, "validation_batch_size": 8}),
    "loss_weights": ({"loss_weights": [0.5]}, {}),
    "initial_epoch": ({}, {"initial_epoch": 1, "epochs": 3}),
}


@pytest.mark.parametrize("case", sorted(FIT_CASES))
def test_fit_arguments_match_keras(keras, case):
    compile_kw, fit_kw = FIT_CASES[case]
    fit_kw = {"epochs": 2, **fit_kw}
    km, pm = pair(keras)
    compile_both(km, pm, keras, loss="sparse_categorical_crossentropy", metrics=["accuracy"], **compile_kw)
    kh = km.fit(X, LABELS, batch_size=16, shuffle=False, verbose=0, **fit_kw)
    ph = pm.fit(X, LABELS, batch_size=16, shuffle=False, verbose=0, **fit_kw)
    assert max_weight_error(km, pm) < 1e-6
    assert_same_history(kh, ph)


def test_evaluate_and_single_batches_with_sample_weights_match_keras(keras):
    km, pm = pair(keras)
    compile_both(km, pm, keras, loss="sparse_categorical_crossentropy", metrics=["accuracy"],
                 weighted_metrics=["accuracy"])
    for kwargs in ({}, {"sample_weight": WEIGHTS}, {"return_dict": True}, {"steps": 2, "batch_size": 8}):
        np.testing.assert_allclose(pm.evaluate(X, LABELS, verbose=0, **kwargs) if "return_dict" not in kwargs else
                                   list(pm.evaluate(X, LABELS, verbose=0, **kwargs).values()),
                                   km.evaluate(X, LABELS, verbose=0, **kwargs) if "return_dict" not in kwargs else
                                   list(km.evaluate(X, LABELS, verbose=0, **kwargs).values()), rtol=1e-5)
    assert list(pm.evaluate(X, LABELS, verbose=0, return_dict=True)) == \
        list(km.evaluate(X, LABELS, verbose=0, return_dict=True))
    for method in ("train_on_batch", "test_on_batch"):
        got = getattr(pm, method)(X[:16], LABELS[:16], sample_weight=WEIGHTS[:16])
        want = getattr(km, method)(X[:16], LABELS[:16], sample_weight=WEIGHTS[:16])
        np.testing.assert_allclose(got, want, rtol=1e-5)
    np.testing.assert_allclose(pm.train_on_batch(X[:16], LABELS[:16], class_weight={1: 3.0}),
                               km.train_on_batch(X[:16], LABELS[:16], class_weight={1: 3.0}), rtol=1e-5)
    assert max_weight_error(km, pm) < 1e-6
    np.testing.assert_allclose(pm.predict_on_batch(X[:5]), km.predict_on_batch(X[:5]), atol=1e-6)


def test_frozen_layer_is_not_updated_has_no_optimizer_state_and_counts_as_non_trainable(keras):
    km, pm = pair(keras)
    km.layers[0].trainable = False
    pm.layers[0].trainable = False
    compile_both(km, pm, keras, loss="sparse_categorical_crossentropy")
    frozen = pm.get_weights()[:2]
    km.fit(X, LABELS, epochs=2, shuffle=False, verbose=0)
    pm.fit(X, LABELS, epochs=2, shuffle=False, verbose=0)
    assert max_weight_error(km, pm) < 1e-6
    for before, after in zip(frozen, pm.get_weights()[:2]):
        np.testing.assert_array_equal(before, after)
    assert [v.path for v in pm.trainable_weights] == [v.path for v in km.trainable_weights]
    assert [v.path for v in pm.non_trainable_weights] == [v.path for v in km.non_trainable_weights]
    assert [tuple(v.shape) for v in pm.optimizer.variables] == [tuple(v.shape) for v in km.optimizer.variables]
    assert [v.path for v in pm.optimizer.variables] == [v.path for v in km.optimizer.variables]


def test_freezing_the_whole_model_and_unfreezing_a_layer(keras):
    km, pm = pair(keras)
    for m in (km, pm):
        m.trainable = False
        m.layers[1].trainable = True
    compile_both(km, pm, keras, loss="sparse_categorical_crossentropy")
    km.fit(X, LABELS, shuffle=False, verbose=0)
    pm.fit(X, LABELS, shuffle=False, verbose=0)
    assert max_weight_error(km, pm) < 1e-6
    assert len(pm.trainable_weights) == len(km.trainable_weights) == 0  # the model-level flag wins


def test_recompiling_with_a_used_optimizer_keeps_its_state(keras):
    km, pm = pair(keras)
    ko, po = keras.optimizers.Adam(0.01), core.optimizers.Adam(0.01)
    km.compile(ko, "sparse_categorical_crossentropy")
    pm.compile(po, "sparse_categorical_crossentropy", backend="numpy")
    km.fit(X, LABELS, shuffle=False, verbose=0)
    pm.fit(X, LABELS, shuffle=False, verbose=0)
    km.compile(ko, "sparse_categorical_crossentropy", metrics=["accuracy"])
    pm.compile(po, "sparse_categorical_crossentropy", metrics=["accuracy"], backend="numpy")
    assert int(po.iterations.numpy()) == int(ko.iterations.numpy()) == 2
    km.fit(X, LABELS, shuffle=False, verbose=0)
    pm.fit(X, LABELS, shuffle=False, verbose=0)
    assert max_weight_error(km, pm) < 1e-6


def test_validation_split_takes_the_last_rows_with_their_sample_weights(keras):
    km, pm = pair(keras, units=1, out="sigmoid")
    compile_both(km, pm, keras, loss="binary_crossentropy", metrics=["accuracy"])
    kh = km.fit(X, BINARY, sample_weight=WEIGHTS, validation_split=0.3, epochs=2, shuffle=False, verbose=0)
    ph = pm.fit(X, BINARY, sample_weight=WEIGHTS, validation_split=0.3, epochs=2, shuffle=False, verbose=0)
    assert_same_history(kh, ph)
