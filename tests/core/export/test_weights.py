"""Weights round-trip through every export format."""

import json

import numpy as np
import pytest

import core
from core.export import (export_csv, export_json, export_keras_h5, export_npz, export_torch, torch_sequential_code,
                         torch_state_dict)


def trained_model():
    core.utils.set_random_seed(0)
    model = core.Sequential([core.layers.Flatten(input_shape=(4, 4)), core.layers.Dense(5, activation="relu"),
                             core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    model.fit(rng.random((32, 4, 4)), rng.integers(0, 3, 32), epochs=2, verbose=0)
    return model


def test_npz_uses_keras_variable_paths(tmp_path):
    model = trained_model()
    export_npz(model, tmp_path / "w.npz")
    with np.load(tmp_path / "w.npz", allow_pickle=False) as npz:
        assert sorted(npz.files) == ["dense/bias", "dense/kernel", "dense_1/bias", "dense_1/kernel"]
        for name, w in zip(("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias"), model.get_weights()):
            np.testing.assert_array_equal(npz[name], w)


def test_csv_and_json_round_trip(tmp_path):
    model = trained_model()
    files = export_csv(model, tmp_path / "csv")
    assert [f.name for f in files] == ["dense_kernel.csv", "dense_bias.csv", "dense_1_kernel.csv", "dense_1_bias.csv"]
    np.testing.assert_allclose(np.loadtxt(files[0], delimiter=","), model.get_weights()[0], rtol=1e-7)
    np.testing.assert_allclose(np.loadtxt(files[1], delimiter=","), model.get_weights()[1], rtol=1e-7)
    export_json(model, tmp_path / "w.json")
    doc = json.loads((tmp_path / "w.json").read_text())
    assert [la["name"] for la in doc["layers"]] == ["flatten", "dense", "dense_1"]
    np.testing.assert_allclose(doc["layers"][1]["kernel"], model.get_weights()[0], rtol=1e-7)


def test_torch_state_dict_loads_into_the_equivalent_sequential(tmp_path, torch_module):
    torch = torch_module
    model = trained_model()
    export_torch(model, tmp_path / "w.pt")
    code = torch_sequential_code(model)
    scope = {}
    exec(code, scope)  # the generated code, as a student would paste it
    net = scope["model"]
    net.load_state_dict(torch.load(tmp_path / "w.pt", weights_only=True))
    x = np.random.default_rng(1).random((6, 4, 4)).astype("float32")
    with torch.no_grad():
        out = net(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(out, model.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    assert sum(v.size for v in torch_state_dict(model).values()) == model.count_params()


def test_keras_weights_h5_loads_in_keras(tmp_path):
    keras = pytest.importorskip("keras")
    pytest.importorskip("h5py")
    model = trained_model()
    export_keras_h5(model, tmp_path / "model.weights.h5")
    km = keras.Sequential([keras.layers.Flatten(input_shape=(4, 4)), keras.layers.Dense(5, activation="relu"),
                           keras.layers.Dense(3, activation="softmax")])
    km.load_weights(tmp_path / "model.weights.h5")
    for a, b in zip(km.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_writes_are_atomic(tmp_path, monkeypatch):
    model = trained_model()
    target = tmp_path / "w.npz"
    target.write_bytes(b"previous content")

    def broken(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(OSError, match="disk full"):
        export_npz(model, target)
    assert target.read_bytes() == b"previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["w.npz"]  # no temporary file left behind


def regularized_model():
    core.utils.set_random_seed(0)
    model = core.Sequential([core.Input((6,)), core.layers.Dense(5, activation="relu", kernel_regularizer="l2"),
                             core.layers.BatchNormalization(momentum=0.8), core.layers.Dropout(0.3),
                             core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    model.fit(rng.normal(size=(64, 6)), rng.integers(0, 3, 64), epochs=3, verbose=0)
    return model


def test_batchnorm_and_dropout_export_with_keras_names_and_to_torch(tmp_path, torch_module):
    torch = torch_module
    model = regularized_model()
    export_npz(model, tmp_path / "w.npz")
    with np.load(tmp_path / "w.npz", allow_pickle=False) as npz:
        assert {"batch_normalization/gamma", "batch_normalization/beta", "batch_normalization/moving_mean",
                "batch_normalization/moving_variance"} <= set(npz.files)
    doc_layers = export_json(model, tmp_path / "w.json") and json.loads((tmp_path / "w.json").read_text())["layers"]
    assert doc_layers[1]["moving_variance"] == pytest.approx(model.layers[1].moving_variance.numpy().tolist())
    assert doc_layers[2]["rate"] == 0.3 and doc_layers[0]["kernel_regularizer"]["class_name"] == "L2"
    code = torch_sequential_code(model)
    assert "nn.BatchNorm1d(5, eps=0.001, momentum=0.2)" in code and "nn.Dropout(p=0.3)" in code
    export_torch(model, tmp_path / "w.pt")
    scope = {}
    exec(code, scope)
    net = scope["model"]
    net.load_state_dict(torch.load(tmp_path / "w.pt", weights_only=True))
    net.eval()  # inference: running statistics, no dropout — as predict
    x = np.random.default_rng(1).normal(size=(6, 6)).astype("float32")
    with torch.no_grad():
        np.testing.assert_allclose(net(torch.from_numpy(x)).numpy(), model.predict(x, verbose=0), atol=1e-6)
    assert sum(p.numel() for p in net.parameters()) == sum(int(np.prod(v.shape)) for v in model.trainable_weights)


def test_keras_weights_h5_of_batchnorm_and_dropout_loads_in_keras(tmp_path):
    keras = pytest.importorskip("keras")
    model = regularized_model()
    export_keras_h5(model, tmp_path / "model.weights.h5")
    km = keras.Sequential([keras.Input((6,)), keras.layers.Dense(5, activation="relu"),
                           keras.layers.BatchNormalization(), keras.layers.Dropout(0.3),
                           keras.layers.Dense(3, activation="softmax")])
    km.load_weights(tmp_path / "model.weights.h5")
    for a, b in zip(km.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_export_all_writes_keras_h5_always_and_lists_only_what_it_wrote(tmp_path, monkeypatch):
    from core.export import weights as weights_module

    def no_torch(model, path):
        raise RuntimeError("Exporting a PyTorch state_dict needs torch installed.")

    monkeypatch.setattr(weights_module, "export_torch", no_torch)
    done = weights_module.export_all(trained_model(), tmp_path)
    files = weights_module.written_files(done)
    assert files == ["weights.npz", "weights.json", "csv/", "model.weights.h5", "torch_model.py"]
    assert all((tmp_path / name).exists() for name in files) and not (tmp_path / "weights.pt").exists()
    assert "load_state_dict" not in (tmp_path / "torch_model.py").read_text()
