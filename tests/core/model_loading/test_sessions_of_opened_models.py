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
