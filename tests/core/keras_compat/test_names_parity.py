"""The Keras names a course calls, each against real Keras 3: metrics, losses, activations, layers,
initializers, schedules, variables, intermediate-activation models, datasets and config."""

import gzip

import numpy as np
import pytest

import core

from .helpers import BINARY, LABELS, ONE_HOT, REGRESSION, WEIGHTS, X, compile_both, max_weight_error, pair

RNG = np.random.default_rng(1)
PROBS = RNG.random((64, 1)).astype("float32")
SCORES = RNG.dirichlet(np.ones(4), 64).astype("float32")

METRIC_CASES = [
    ("Accuracy", {}, BINARY, (PROBS > 0.5).astype("float32")),
    ("BinaryAccuracy", {"threshold": 0.3}, BINARY, PROBS),
    ("CategoricalAccuracy", {}, ONE_HOT, SCORES),
    ("SparseCategoricalAccuracy", {}, LABELS, SCORES),
    ("TopKCategoricalAccuracy", {"k": 2}, ONE_HOT, SCORES),
    ("SparseTopKCategoricalAccuracy", {"k": 3}, LABELS, SCORES),
    ("Precision", {}, BINARY, PROBS),
    ("Precision", {"thresholds": [0.2, 0.7]}, BINARY, PROBS),
    ("Precision", {"top_k": 1, "class_id": 2}, ONE_HOT, SCORES),
    ("Recall", {"thresholds": 0.4}, BINARY, PROBS),
    ("AUC", {}, BINARY, PROBS),
    ("AUC", {"curve": "PR"}, BINARY, PROBS),
    ("AUC", {"num_thresholds": 20, "summation_method": "minoring"}, ONE_HOT, SCORES),
    ("TruePositives", {}, BINARY, PROBS),
    ("FalseNegatives", {"thresholds": [0.1, 0.9]}, BINARY, PROBS),
    ("RootMeanSquaredError", {}, REGRESSION, REGRESSION[::-1]),
    ("MeanAbsoluteError", {}, REGRESSION, REGRESSION[::-1]),
    ("MeanSquaredError", {}, REGRESSION, REGRESSION[::-1]),
    ("MeanAbsolutePercentageError", {}, REGRESSION, REGRESSION[::-1]),
    ("BinaryCrossentropy", {}, BINARY, PROBS),
    ("CategoricalCrossentropy", {"label_smoothing": 0.1}, ONE_HOT, SCORES),
    ("SparseCategoricalCrossentropy", {}, LABELS, SCORES),
    ("KLDivergence", {}, ONE_HOT, SCORES),
    ("Hinge", {}, BINARY, PROBS - 0.5),
]


@pytest.mark.parametrize("case", range(len(METRIC_CASES)), ids=[f"{c[0]}{c[1] or ''}" for c in METRIC_CASES])
def test_metric_classes_match_keras(keras, case):
    name, kwargs, y_true, y_pred = METRIC_CASES[case]
    km, pm = getattr(keras.metrics, name)(**kwargs), getattr(core.metrics, name)(**kwargs)
    for sample_weight in (None, WEIGHTS[:32]):
        km.reset_state(), pm.reset_state()
        for rows in (slice(0, 32), slice(32, 64)):  # two batches accumulate
            sw = None if sample_weight is None else sample_weight
            km.update_state(y_true[rows], y_pred[rows], sample_weight=sw)
            pm.update_state(y_true[rows], y_pred[rows], sample_weight=sw)
        np.testing.assert_allclose(pm.result(), np.asarray(km.result()), rtol=2e-5, atol=1e-6)
    assert pm.name == km.name and pm.direction == getattr(km, "_direction", None)
    assert pm.get_config() == km.get_config()


def test_metric_objects_and_functions_in_compile_match_keras(keras):
    km, pm = pair(keras, units=1, out="sigmoid")
    compile_both(km, pm, keras, loss="binary_crossentropy", metrics=[
        "accuracy", "mse", "AUC", None][:3] + [keras.metrics.Precision(), keras.metrics.mean_absolute_error])
    # the same list, built from core's names
    pm.compile(optimizer=core.optimizers.Adam(), loss="binary_crossentropy", backend="numpy",
               metrics=["accuracy", "mse", "AUC", core.metrics.Precision(), core.metrics.mean_absolute_error])

    def my_metric(y_true, y_pred):
        return np.abs(y_true - y_pred).max(axis=-1)

    kh = km.fit(X, BINARY, batch_size=16, epochs=2, shuffle=False, verbose=0)
    ph = pm.fit(X, BINARY, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert list(ph.history) == list(kh.history)
    for key in kh.history:
        np.testing.assert_allclose(ph.history[key], kh.history[key], rtol=3e-5, atol=1e-6, err_msg=key)
    pm.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[my_metric], backend="numpy")
    value = pm.evaluate(X, BINARY, verbose=0, return_dict=True)["my_metric"]
    assert value == pytest.approx(float(np.mean(my_metric(BINARY, pm.predict(X, verbose=0)))), rel=1e-5)


LOSS_CASES = [
    ("MeanAbsolutePercentageError", {}, REGRESSION, REGRESSION * 0.7 + 0.1),
    ("MeanSquaredLogarithmicError", {}, np.abs(REGRESSION), np.abs(REGRESSION[::-1])),
    ("LogCosh", {"reduction": "sum"}, REGRESSION, REGRESSION[::-1]),
    ("KLDivergence", {}, ONE_HOT, SCORES),
    ("Hinge", {"reduction": "mean_with_sample_weight"}, BINARY, PROBS - 0.5),
    ("SquaredHinge", {}, BINARY, PROBS - 0.5),
    ("CategoricalHinge", {}, ONE_HOT, SCORES),
    ("Poisson", {"reduction": None}, np.abs(REGRESSION), np.abs(REGRESSION[::-1])),
    ("Huber", {"delta": 0.5}, REGRESSION, REGRESSION[::-1]),
    ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2}, BINARY, PROBS * 4 - 2),
    ("SparseCategoricalCrossentropy", {"reduction": "sum"}, LABELS, SCORES),
]


@pytest.mark.parametrize("case", range(len(LOSS_CASES)), ids=[c[0] for c in LOSS_CASES])
def test_loss_objects_reductions_and_sample_weights_match_keras(keras, case):
    name, kwargs, y_true, y_pred = LOSS_CASES[case]
    kl, pl = getattr(keras.losses, name)(**kwargs), getattr(core.losses, name)(**kwargs)
    for sw in (None, WEIGHTS):
        np.testing.assert_allclose(pl(y_true, y_pred, sample_weight=sw),
                                   np.asarray(kl(y_true, y_pred, sample_weight=sw)), rtol=2e-5, atol=1e-6)
    fn = name[0].lower() + "".join("_" + c.lower() if c.isupper() else c for c in name[1:])
    fn = {"k_l_divergence": "kl_divergence", "log_cosh": "log_cosh"}.get(fn, fn)
    if hasattr(keras.losses, fn) and hasattr(core.losses, fn) and not kwargs:
        np.testing.assert_allclose(getattr(core.losses, fn)(y_true, y_pred),
                                   np.asarray(getattr(keras.losses, fn)(y_true, y_pred)), rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("name, kwargs", [
    ("relu", {"negative_slope": 0.1, "max_value": 1.5, "threshold": 0.2}), ("relu", {"max_value": 6.0}),
    ("leaky_relu", {"negative_slope": 0.3}), ("elu", {"alpha": 0.5}), ("gelu", {"approximate": True}),
    ("softmax", {"axis": -1}), ("log_softmax", {}), ("softplus", {}), ("softsign", {}), ("hard_sigmoid", {}),
    ("relu6", {}), ("mish", {}), ("exponential", {}), ("celu", {"alpha": 2.0}), ("hard_silu", {}),
    ("log_sigmoid", {}), ("hard_tanh", {}), ("silu", {}), ("selu", {}),
])
def test_activation_functions_with_keyword_arguments_match_keras(keras, name, kwargs):
    z = np.linspace(-7, 7, 48, dtype="float32").reshape(6, 8)
    np.testing.assert_allclose(getattr(core.activations, name)(z, **kwargs),
                               np.asarray(getattr(keras.activations, name)(z, **kwargs)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("layer", ["ReLU", "LeakyReLU", "ELU", "Softmax"])
def test_activation_layers_train_as_in_keras(keras, layer):
    kwargs = {"ReLU": {"max_value": 0.8, "negative_slope": 0.05}, "LeakyReLU": {}, "ELU": {"alpha": 0.7},
              "Softmax": {}}[layer]
    km, pm = pair(keras, extra_keras=(getattr(keras.layers, layer)(**kwargs),),
                  extra_core=(getattr(core.layers, layer)(**kwargs),))
    compile_both(km, pm, keras, loss="sparse_categorical_crossentropy")
    km.fit(X, LABELS, batch_size=16, epochs=2, shuffle=False, verbose=0)
    pm.fit(X, LABELS, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert max_weight_error(km, pm) < 1e-6
    assert pm.layers[1].get_config() == km.layers[1].get_config()


def test_rescaling_and_adapted_normalization_train_as_in_keras(keras):
    models = []
    for lib in (keras, core):
        norm = lib.layers.Normalization()
        norm.adapt(X * 3 + 1)
        models.append(lib.Sequential([lib.Input((5,)), lib.layers.Rescaling(2.0, offset=0.5), norm,
                                      lib.layers.Dense(4, activation="softmax")]))
    km, pm = models
    pm.set_weights(km.get_weights())
    compile_both(km, pm, keras, loss="sparse_categorical_crossentropy")
    km.fit(X, LABELS, batch_size=16, epochs=2, shuffle=False, verbose=0)
    pm.fit(X, LABELS, batch_size=16, epochs=2, shuffle=False, verbose=0)
    assert max_weight_error(km, pm) < 1e-6
    assert [len(m.non_trainable_weights) for m in (km, pm)] == [3, 3]
    fixed = core.layers.Normalization(mean=[1.0] * 5, variance=[4.0] * 5, invert=True)
    kfixed = keras.layers.Normalization(mean=[1.0] * 5, variance=[4.0] * 5, invert=True)
    np.testing.assert_allclose(fixed(X), np.asarray(kfixed(X)), rtol=1e-6)
    assert fixed.get_config() == kfixed.get_config() and fixed.count_params() == 0


@pytest.mark.parametrize("name, kwargs", [
    ("GlorotUniform", {}), ("GlorotNormal", {}), ("HeNormal", {}), ("HeUniform", {}), ("LecunNormal", {}),
    ("LecunUniform", {}), ("TruncatedNormal", {"stddev": 0.3}), ("RandomNormal", {"mean": 1.0}),
    ("RandomUniform", {"minval": -1.0}), ("Orthogonal", {"gain": 2.0}), ("Zeros", {}), ("Constant", {"value": 3.0}),
    ("VarianceScaling", {"scale": 2.0, "mode": "fan_out", "distribution": "uniform"}), ("Identity", {}),
])
def test_initializers_draw_what_keras_draws(keras, name, kwargs):
    shape = (300, 200)
    seeded = dict(kwargs, seed=7) if name not in ("Zeros", "Constant", "Identity") else kwargs  # deterministic
    kw = np.asarray(getattr(keras.initializers, name)(**seeded)(shape))
    pw = getattr(core.initializers, name)(**seeded)(shape)
    assert pw.dtype == kw.dtype and pw.shape == kw.shape
    assert pw.mean() == pytest.approx(kw.mean(), abs=float(0.02 * max(kw.std(), 1e-3)) + 1e-9)
    assert pw.std() == pytest.approx(kw.std(), rel=0.03, abs=1e-9)
    assert np.abs(pw).max() <= np.abs(kw).max() * 1.05 + 1e-9 or name.endswith("Normal") and "Truncated" not in name
    if name == "Orthogonal":
        np.testing.assert_allclose(pw.T @ pw, 4 * np.eye(200), atol=1e-4)
    assert core.initializers.serialize(getattr(core.initializers, name)(**kwargs)) == \
        keras.initializers.serialize(getattr(keras.initializers, name)(**kwargs))
    if name != "Constant":  # keras.initializers.get("constant") fails in Keras 3.15 (no value)
        key = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
        assert type(core.initializers.get(key)).__name__ == type(keras.initializers.get(key)).__name__


SCHEDULES = [
    ("ExponentialDecay", (0.1, 7, 0.5), {"staircase": True}), ("InverseTimeDecay", (0.1, 5, 0.5), {}),
    ("PiecewiseConstantDecay", ([5, 12], [0.1, 0.05, 0.01]), {}), ("PolynomialDecay", (0.1, 20), {"power": 2.0}),
    ("PolynomialDecay", (0.1, 7), {"cycle": True}), ("CosineDecay", (0.1, 20), {"alpha": 0.1}),
    ("CosineDecay", (0.1, 20), {"warmup_target": 0.2, "warmup_steps": 5}), ("CosineDecayRestarts", (0.1, 6), {}),
]


@pytest.mark.parametrize("case", range(len(SCHEDULES)), ids=[f"{s[0]}{s[2] or ''}" for s in SCHEDULES])
def test_schedules_match_keras_and_round_trip(keras, case):
    name, args, kwargs = SCHEDULES[case]
    ks, ps = getattr(keras.optimizers.schedules, name)(*args, **kwargs), \
        getattr(core.optimizers.schedules, name)(*args, **kwargs)
    for step in range(0, 30, 3):
        assert float(ps(step)) == pytest.approx(float(ks(step)), rel=1e-6, abs=1e-9)
    assert ps.get_config() == ks.get_config()
    assert type(ps).from_config(ps.get_config()).get_config() == ps.get_config()
    popt = core.optimizers.SGD(learning_rate=ps)
    kopt = keras.optimizers.SGD(learning_rate=ks)
    config = popt.get_config()
    assert config["learning_rate"] == kopt.get_config()["learning_rate"]
    again = core.optimizers.SGD.from_config(config)
    assert again.get_config() == config
    assert float(again.learning_rate) == pytest.approx(float(ks(0)), rel=1e-6)
    with pytest.raises(TypeError, match="not settable"):
        again.learning_rate = 0.1


def test_variables_and_optimizer_variables_look_like_keras(keras):
    km, pm = pair(keras)
    compile_both(km, pm, keras, loss="sparse_categorical_crossentropy")
    km.fit(X, LABELS, batch_size=32, shuffle=False, verbose=0)
    pm.fit(X, LABELS, batch_size=32, shuffle=False, verbose=0)
    for kv, pv in zip(km.weights + km.optimizer.variables, pm.weights + pm.optimizer.variables):
        assert (pv.path, pv.name, pv.shape, pv.dtype) == (kv.path, kv.name, tuple(kv.shape), kv.dtype)
        np.testing.assert_allclose(pv.numpy(), kv.numpy(), rtol=1e-5, atol=1e-6)
    assert pm.layers[0].kernel.numpy().shape == (5, 7) and pm.layers[0].bias.path == "sequential/dense/bias"
    it, lr = pm.optimizer.iterations, pm.optimizer.learning_rate
    assert it.numpy() == km.optimizer.iterations.numpy() == 2 and it.numpy().dtype == np.int32
    assert lr.numpy() == km.optimizer.learning_rate.numpy() and lr.numpy().dtype == np.float32
    pm.layers[0].kernel.assign(np.zeros((5, 7)))
    assert not pm.get_weights()[0].any()
    with pytest.raises(ValueError, match="shape"):
        pm.layers[0].bias.assign(np.zeros(3))


@pytest.mark.parametrize("clip", [False, True], ids=["flat_buffers", "per_array"])
def test_assigning_the_learning_rate_takes_effect_at_the_next_step_and_keeps_state(keras, clip):
    opt = ("Adam", {"learning_rate": 0.01, **({"clipnorm": 5.0} if clip else {})})
    km, pm = pair(keras)
    compile_both(km, pm, keras, optimizer=opt, loss="sparse_categorical_crossentropy")
    assert pm.optimizer.clipnorm == (5.0 if clip else None)  # clipping works per array, not on flat buffers
    for model in (km, pm):
        model.fit(X, LABELS, batch_size=16, shuffle=False, verbose=0)
        model.optimizer.learning_rate = 0.05
        model.fit(X, LABELS, batch_size=16, shuffle=False, verbose=0)
    assert float(pm.optimizer.learning_rate) == pytest.approx(0.05) and int(pm.optimizer.iterations) == 8
    assert max_weight_error(km, pm) < 2e-6


def test_intermediate_activation_models_predict_as_keras(keras):
    km, pm = pair(keras)
    kfirst = keras.Model(km.inputs, km.layers[0].output)
    pfirst = core.Model(pm.input, pm.layers[0].output)
    np.testing.assert_allclose(pfirst.predict(X, verbose=0), kfirst.predict(X, verbose=0), atol=1e-6)
    kall = keras.Model(inputs=km.inputs, outputs=[layer.output for layer in km.layers])
    pall = core.Model(inputs=pm.inputs, outputs=[layer.output for layer in pm.layers])
    for p, k in zip(pall.predict(X, verbose=0), kall.predict(X, verbose=0)):
        np.testing.assert_allclose(p, k, atol=1e-6)
    assert pfirst.layers[1] is pm.layers[0]  # shared, as in Keras: the same weights
    with pytest.raises(NotImplementedError, match="several outputs"):
        pall.compile(optimizer="sgd", loss="mse")
        pall.fit(X, X, verbose=0)
    with pytest.raises(AttributeError, match="never been called"):
        _ = core.layers.Dense(3).output


def _idx(path, array, magic):
    with gzip.open(path, "wb") as fh:
        fh.write(bytes([0, 0, 8, magic]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape))
        fh.write(array.astype(np.uint8).tobytes())


def test_datasets_load_local_files_and_never_download(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"mnist\.npz was not found, and Propscope never downloads") as info:
        core.datasets.mnist.load_data()
    assert str(tmp_path / "datasets" / "mnist.npz") in str(info.value)
    images = np.arange(3 * 28 * 28).reshape(3, 28, 28) % 256
    np.savez(tmp_path / "datasets" / "mnist.npz" if (tmp_path / "datasets").mkdir() is None else None,
             x_train=images, y_train=np.array([1, 2, 3]), x_test=images[:1], y_test=np.array([7]))
    (x, y), (xt, yt) = core.datasets.mnist.load_data()
    assert x.shape == (3, 28, 28) and y.tolist() == [1, 2, 3] and xt.shape == (1, 28, 28) and yt.tolist() == [7]
    folder = tmp_path / "datasets" / "fashion-mnist"
    folder.mkdir()
    _idx(folder / "train-images-idx3-ubyte.gz", images, 3)
    _idx(folder / "train-labels-idx1-ubyte.gz", np.array([0, 9, 4]), 1)
    _idx(folder / "t10k-images-idx3-ubyte.gz", images[:2], 3)
    _idx(folder / "t10k-labels-idx1-ubyte.gz", np.array([5, 6]), 1)
    (x, y), (xt, yt) = core.datasets.fashion_mnist.load_data()
    assert x.dtype == np.uint8 and x.shape == (3, 28, 28) and y.tolist() == [0, 9, 4] and yt.tolist() == [5, 6]
    np.testing.assert_array_equal(x, images)


def test_config_floatx_and_to_categorical_as_keras(keras):
    assert core.utils.to_categorical([0, 2, 1]).dtype == keras.utils.to_categorical([0, 2, 1]).dtype
    np.testing.assert_array_equal(core.utils.to_categorical([[1], [3]], 4), keras.utils.to_categorical([[1], [3]], 4))
    assert core.config.floatx() == keras.config.floatx() == "float32"
    core.config.set_floatx("float64")
    try:
        model = core.Sequential([core.Input((5,)), core.layers.Dense(2)])
        assert model.weights[0].dtype == "float64" and model.get_weights()[0].dtype == np.float64
    finally:
        core.config.set_floatx("float32")
    assert core.config.epsilon() == keras.config.epsilon() and core.config.image_data_format() == "channels_last"
