"""The code view's Keras code runs with ``import core as keras``; the PyTorch code matches in size."""

import numpy as np
import pytest

import core
from core.codegen import keras_code, torch_code


def model():
    m = core.Sequential([core.layers.Flatten(input_shape=(28, 28)), core.layers.Dense(100, activation="relu"),
                         core.layers.Dense(10, activation="softmax")])
    m.compile(optimizer=core.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
    return m


def test_keras_code_runs_with_core_and_gives_the_same_summary():
    m = model()
    code = keras_code(m, batch_size=16, epochs=1)
    assert "optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)," in code
    rng = np.random.default_rng(0)
    scope = {"x_train": rng.random((32, 28, 28)), "y_train": rng.integers(0, 10, 32)}
    core.backend.clear_session()
    exec(code.replace("import keras  # or: import core as keras", "import core as keras"), scope)
    built = scope["model"]
    assert built.count_params() == m.count_params() == 79_510
    assert [r["output_shape"] for r in built.summary_rows()] == [r["output_shape"] for r in m.summary_rows()]
    assert len(scope["history"].history["loss"]) == 1


def test_torch_code_builds_the_same_parameter_count_and_trains(torch_module):
    m = model()
    code = torch_code(m, batch_size=16, epochs=1)
    rng = np.random.default_rng(0)
    scope = {"x_train": rng.random((32, 28, 28)).astype("float32"), "y_train": rng.integers(0, 10, 32)}
    exec(code, scope)
    assert sum(p.numel() for p in scope["model"].parameters()) == m.count_params()
    assert "torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=False)" in code


@pytest.mark.parametrize("loss,out", [("binary_crossentropy", (1, "sigmoid")), ("mse", (2, "linear")),
                                      ("categorical_crossentropy", (3, "softmax"))])
def test_torch_code_for_other_losses_runs(torch_module, loss, out):
    m = core.Sequential([core.Input(shape=(4,)), core.layers.Dense(5, activation="tanh"),
                         core.layers.Dense(out[0], activation=out[1])])
    m.compile(optimizer="adam", loss=loss)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, (16, 1)).astype("float32") if out[0] == 1 else (
        np.eye(3, dtype="float32")[rng.integers(0, 3, 16)] if out[0] == 3 else rng.normal(size=(16, 2)))
    scope = {"x_train": rng.normal(size=(16, 4)).astype("float32"), "y_train": y}
    exec(torch_code(m, batch_size=8, epochs=1), scope)
    assert sum(p.numel() for p in scope["model"].parameters()) == m.count_params()


def regularized():
    m = core.Sequential([
        core.Input(shape=(6,)),
        core.layers.Dense(8, activation="relu", kernel_regularizer=core.regularizers.L2(0.01),
                          activity_regularizer=core.regularizers.L1(0.001)),
        core.layers.BatchNormalization(momentum=0.9, gamma_regularizer="l1"),
        core.layers.Dropout(0.3, seed=4),
        core.layers.Dense(3, activation="softmax", bias_regularizer=core.regularizers.L1L2(0.01, 0.02))])
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def test_keras_code_writes_dropout_batchnorm_and_regularizers_and_runs_in_core_and_keras():
    m = regularized()
    code = keras_code(m, batch_size=8)
    assert ("keras.layers.Dense(8, activation='relu', kernel_regularizer=keras.regularizers.L2(l2=0.01), "
            "activity_regularizer=keras.regularizers.L1(l1=0.001))") in code
    assert "keras.layers.BatchNormalization(momentum=0.9, gamma_regularizer=keras.regularizers.L1(l1=0.01))" in code
    assert "keras.layers.Dropout(0.3, seed=4)" in code
    rng = np.random.default_rng(0)
    data = {"x_train": rng.normal(size=(16, 6)).astype("float32"), "y_train": rng.integers(0, 3, 16)}
    core.backend.clear_session()
    scope = dict(data)
    exec(code.replace("import keras  # or: import core as keras", "import core as keras"), scope)
    unnamed = (lambda model: [{k: v for k, v in la["config"].items() if k != "name"}
                              for la in model.get_config()["layers"]])
    assert unnamed(scope["model"]) == unnamed(m)
    keras = pytest.importorskip("keras")
    keras.backend.clear_session(free_memory=False)
    scope = dict(data)
    exec(code, scope)
    assert scope["model"].count_params() == m.count_params()


def test_torch_code_adds_the_penalties_to_the_loss_and_trains(torch_module):
    m = regularized()
    code = torch_code(m, batch_size=8)
    assert "loss = loss + 0.01 * model[0].weight.pow(2).sum()  # kernel_regularizer L2(l2=0.01) of dense" in code
    assert "penalty = penalty + 0.001 * h.abs().sum() / len(h)" in code
    assert "nn.BatchNorm1d(8, eps=0.001, momentum=0.1)" in code and "nn.Dropout(p=0.3)" in code
    rng = np.random.default_rng(0)
    scope = {"x_train": rng.normal(size=(16, 6)).astype("float32"), "y_train": rng.integers(0, 3, 16)}
    exec(code, scope)
    assert sum(p.numel() for p in scope["model"].parameters()) == sum(
        int(np.prod(v.shape)) for v in m.trainable_weights)
