"""Sessions of opened models and of torch models survive session files: the optimizer's progress at step 0
(iterations, moments) and PyTorch's update rule are kept, and training continues bit-identically."""

import numpy as np
import pytest

import core
import propscope
from core.export.session_file import load_session, save_session
from core.model_loading import open_model
from core.stepper import TrainingSession

from .conftest import LABELS, X


def continue_both(session, path):
    save_session(session, path)
    reopened, _ = load_session(path)
    for s in (session, reopened):
        s.step_batch()
        s.step_batch()
    for a, b in zip(session.model.get_weights(), reopened.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    return reopened


def test_an_opened_models_optimizer_progress_is_kept_in_session_files(keras, tmp_path):
    km = keras.Sequential([keras.Input((5,)), keras.layers.Dense(6, activation="tanh"),
                           keras.layers.Dense(3, activation="softmax")])
    km.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    for _ in range(3):
        km.train_on_batch(X[:16], LABELS[:16])
    km.save(tmp_path / "m.keras")
    session = TrainingSession(open_model(tmp_path / "m.keras").model, X, LABELS, batch_size=16, seed=1)
    session.step_batch()
    reopened = continue_both(session, tmp_path / "s.propscope")
    assert reopened.initial_iterations == 3 and int(reopened.engine.optimizer.iterations) == 3 + reopened.step
    reopened.reset()  # back to step 0: the optimizer state the file was opened with
    assert int(reopened.engine.optimizer.iterations) == 3
    np.testing.assert_array_equal(reopened.engine.optimizer.slots["momentum"][0],
                                  session.get_state().initial_optimizer_slots["momentum"][0])


def test_a_torch_rule_session_is_kept_in_session_files(tmp_path):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    tmodel = torch.nn.Sequential(torch.nn.Linear(5, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))
    optimizer = torch.optim.RMSprop(tmodel.parameters(), lr=0.01, momentum=0.5)
    session = propscope.session(tmodel, X, LABELS, loss=torch.nn.CrossEntropyLoss(), optimizer=optimizer,
                                batch_size=16, seed=2)
    session.step_batch()
    reopened = continue_both(session, tmp_path / "t.propscope")
    assert isinstance(reopened.engine.optimizer, core.optimizers.TorchRMSprop)
    assert reopened.engine.optimizer.momentum == 0.5 and reopened.model.loss.from_logits


def test_a_torch_rule_optimizer_is_not_written_as_a_keras_optimizer(tmp_path):
    model = core.Sequential([core.Input((5,)), core.layers.Dense(3)])
    model.compile(optimizer=core.optimizers.TorchAdam(0.01), loss="mse")
    with pytest.raises(ValueError, match="PyTorch's torch.optim.Adam update rule, which Keras does not have"):
        model.save(tmp_path / "m.keras")
    assert not (tmp_path / "m.keras").exists()


def test_an_opened_model_of_any_layer_type_is_kept_in_session_files(keras, tmp_path):
    t = inputs = keras.Input((5,))
    for layer in (keras.layers.Rescaling(0.5), keras.layers.Dense(6), keras.layers.LeakyReLU(0.1),
                  keras.layers.Dense(3), keras.layers.Softmax()):
        t = layer(t)
    km = keras.Model(inputs, t, name="chain")
    km.compile(optimizer=keras.optimizers.SGD(0.1, momentum=0.9), loss="sparse_categorical_crossentropy")
    km.train_on_batch(X[:16], LABELS[:16])
    km.save(tmp_path / "m.keras")
    session = TrainingSession(open_model(tmp_path / "m.keras").model, X, LABELS, batch_size=16, seed=3)
    session.step_batch()
    reopened = continue_both(session, tmp_path / "chain.propscope")
    assert [type(la).__name__ for la in reopened.model.layers] == ["InputLayer", "Rescaling", "Dense", "LeakyReLU",
                                                                  "Dense", "Softmax"]
    assert reopened.model.compute_layers[2].negative_slope == pytest.approx(0.1)
    assert reopened.initial_iterations == 1


def test_a_session_files_keras_config_is_checked_like_a_model_file(tmp_path):
    import json
    import zipfile

    from core.export.session_file import InvalidSessionError, UnsafeSessionError

    model = core.Sequential([core.Input((5,)), core.layers.Dense(4), core.layers.ReLU(), core.layers.Dense(3)])
    model.compile(optimizer="sgd", loss="mse")
    session = TrainingSession(model, X, np.zeros((48, 3), "float32"), batch_size=16)
    save_session(session, tmp_path / "s.propscope")
    for change, error, message in (
            (lambda d: d["keras"]["config"]["layers"][2].update(class_name="Lambda"), UnsafeSessionError,
             "model.json: keras: layer 're_lu': Propscope cannot open Lambda layers"),
            (lambda d: d["keras"]["config"]["layers"][1]["config"].update(units=10**9), core.export.session_file.
             SessionLimitError, "over the limit of 4,096 \\(MAX_UNITS\\)"),
            (lambda d: d["keras"].update(class_name="Evil"), InvalidSessionError, "custom or subclassed")):
        with zipfile.ZipFile(tmp_path / "s.propscope") as zin, zipfile.ZipFile(tmp_path / "bad.propscope", "w") as z:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "model.json":
                    doc = json.loads(data)
                    change(doc)
                    data = json.dumps(doc).encode()
                z.writestr(item.filename, data)
        with pytest.raises(error, match=message):
            load_session(tmp_path / "bad.propscope")
