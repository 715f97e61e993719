"""A torch.nn.Sequential with a torch.optim optimizer steps in Propscope exactly as optimizer.step() does,
following PyTorch's update rule; what cannot be followed is refused with the module named."""

import numpy as np
import pytest

import core
import propscope
from core.torch_import import TorchImportError

from .conftest import LABELS, X

torch = pytest.importorskip("torch")
nn = torch.nn

X6 = np.concatenate([X, X[:, :1] ** 2], axis=1)  # 6 features


def torch_model(*hidden):
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 8), *hidden, nn.Linear(8, 3))


def torch_step(model, optimizer, loss_fn, x, y):
    optimizer.zero_grad()
    loss = loss_fn(model(torch.from_numpy(x)), torch.from_numpy(y))
    loss.backward()
    optimizer.step()
    return float(loss)


def assert_same_weights(tmodel, session, rtol=1e-5):
    ours = [w.T if w.ndim == 2 else w for w in session.model.get_weights()]
    theirs = [p.detach().numpy() for p in tmodel.parameters()]
    assert len(ours) == len(theirs)
    for a, b in zip(theirs, ours):
        scale = max(float(np.max(np.abs(a))), 1e-12)
        assert float(np.max(np.abs(a - b))) / scale < rtol


CASES = [
    ("SGD", {"lr": 0.1}), ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01}),
    ("Adagrad", {"lr": 0.1}), ("Adagrad", {"lr": 0.1, "lr_decay": 0.1, "weight_decay": 0.1,
                                           "initial_accumulator_value": 0.2}),
    ("RMSprop", {"lr": 0.01}), ("RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01}), ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}), ("AdamW", {"lr": 0.01}),
]


@pytest.mark.parametrize("warm", [0, 2], ids=["fresh", "after-2-torch-steps"])
@pytest.mark.parametrize("case", CASES, ids=[f"{n}{k}" for n, k in CASES])
def test_steps_equal_torch_optimizer_steps(case, warm):
    name, kwargs = case
    tmodel = torch_model(nn.LeakyReLU())
    optimizer = getattr(torch.optim, name)(tmodel.parameters(), **kwargs)
    loss_fn = nn.CrossEntropyLoss()
    for k in range(warm):  # the optimizer has state (moments, step counts) before Propscope sees it
        torch_step(tmodel, optimizer, loss_fn, X6[16 * k:16 * (k + 1)], LABELS[16 * k:16 * (k + 1)])
    session = propscope.session(tmodel, X6[32:], LABELS[32:], loss=loss_fn, optimizer=optimizer, batch_size=8,
                                shuffle=False)
    assert session.engine.optimizer.update_rule == "torch"
    assert session.engine.optimizer.describe_rule() == f"PyTorch's torch.optim.{name} update rule"
    for k in range(2):
        session.step_batch()
        loss = torch_step(tmodel, optimizer, loss_fn, X6[32 + 8 * k:40 + 8 * k], LABELS[32 + 8 * k:40 + 8 * k])
        assert session.history.scalar("loss")[1][-1] == pytest.approx(loss, rel=1e-5)
        assert_same_weights(tmodel, session)


def test_the_keras_rule_would_differ_where_the_rules_differ():
    """Adam with Keras's rule (ε before the bias correction) is not torch's step: the torch rule is needed."""
    tmodel = torch_model()
    optimizer = torch.optim.Adam(tmodel.parameters(), lr=0.01, eps=1e-3)
    keras_rule = propscope.session(tmodel, X6, LABELS, loss=nn.CrossEntropyLoss(), batch_size=48,
                                   optimizer=core.optimizers.Adam(0.01, epsilon=1e-3))
    torch_rule = propscope.session(tmodel, X6, LABELS, loss=nn.CrossEntropyLoss(), optimizer=optimizer, batch_size=48)
    keras_rule.step_batch()
    torch_rule.step_batch()
    torch_step(tmodel, optimizer, nn.CrossEntropyLoss(), X6, LABELS)
    assert_same_weights(tmodel, torch_rule)
    with pytest.raises(AssertionError):
        assert_same_weights(tmodel, keras_rule)


def test_layers_activations_and_losses_map_to_their_keras_twins():
    torch.manual_seed(1)
    tmodel = nn.Sequential(nn.Flatten(), nn.Linear(6, 5), nn.ReLU(), nn.Identity(), nn.Linear(5, 5), nn.ELU(0.5),
                           nn.Linear(5, 5), nn.GELU(), nn.Linear(5, 5), nn.SiLU(), nn.Linear(5, 5), nn.LeakyReLU(0.05),
                           nn.Sequential(nn.Linear(5, 1), nn.Sigmoid()))
    session = propscope.session(tmodel, X6.reshape(48, 2, 3), (X6[:, 0] > 0).astype("float32"), loss=nn.BCELoss(),
                                optimizer=torch.optim.SGD(tmodel.parameters(), lr=0.1), batch_size=48)
    model = session.model
    assert [type(la).__name__ for la in model.compute_layers] == ["Flatten", "Dense", "Dense", "ELU", "Dense",
                                                                  "Dense", "Dense", "LeakyReLU", "Dense"]
    dense = [la for la in model.compute_layers if type(la).__name__ == "Dense"]
    assert [la.activation.name for la in dense] == ["relu", "linear", "gelu", "swish", "linear", "sigmoid"]
    np.testing.assert_allclose(model.predict(X6.reshape(48, 2, 3), verbose=0),
                               tmodel(torch.from_numpy(X6.reshape(48, 2, 3))).detach().numpy(), rtol=1e-5, atol=1e-6)
    for loss, expected in ((nn.MSELoss(), "MeanSquaredError"), (nn.L1Loss(), "MeanAbsoluteError"),
                           (nn.BCEWithLogitsLoss(), "BinaryCrossentropy"), (nn.HuberLoss(delta=0.5), "Huber")):
        s = propscope.session(tmodel, X6.reshape(48, 2, 3), X6[:, :1], loss=loss, batch_size=48,
                              optimizer=torch.optim.SGD(tmodel.parameters(), lr=0.1))
        assert type(s.model.loss).__name__ == expected


def test_one_hot_targets_take_categorical_crossentropy_from_logits():
    tmodel = torch_model()
    optimizer = torch.optim.SGD(tmodel.parameters(), lr=0.5)
    one_hot = np.eye(3, dtype="float32")[LABELS]
    session = propscope.session(tmodel, X6, one_hot, loss=nn.CrossEntropyLoss(), optimizer=optimizer, batch_size=48)
    assert type(session.model.loss).__name__ == "CategoricalCrossentropy" and session.model.loss.from_logits
    session.step_batch()
    torch_step(tmodel, optimizer, nn.CrossEntropyLoss(), X6, one_hot)
    assert_same_weights(tmodel, session)


def test_frozen_linear_layers_stay_frozen():
    tmodel = torch_model()
    for p in tmodel[0].parameters():
        p.requires_grad = False
    optimizer = torch.optim.Adam(tmodel.parameters(), lr=0.05)
    session = propscope.session(tmodel, X6, LABELS, loss=nn.CrossEntropyLoss(), optimizer=optimizer, batch_size=48)
    assert [la.trainable for la in session.model.compute_layers] == [False, True, True]
    session.step_batch()
    torch_step(tmodel, optimizer, nn.CrossEntropyLoss(), X6, LABELS)
    assert_same_weights(tmodel, session)


REFUSED = [
    (lambda: nn.Sequential(nn.Conv2d(1, 2, 3)), "module 0 is Conv2d"),
    (lambda: nn.Sequential(nn.Linear(6, 4), nn.LSTM(4, 4)), "module 1 is LSTM"),
    (lambda: nn.Sequential(nn.Linear(6, 4), nn.Dropout()), "module 1 is Dropout"),
    (lambda: nn.Linear(6, 3), "Propscope imports a torch.nn.Sequential; got Linear"),
    (lambda: nn.Sequential(nn.Linear(6, 4), nn.Softmax(dim=0)), "Softmax\\(dim=0\\)"),
    (lambda: nn.Sequential(nn.Linear(6, 4), nn.GELU(approximate="tanh")), "approximate='tanh'"),
]


@pytest.mark.parametrize("index", range(len(REFUSED)))
def test_modules_propscope_cannot_follow_are_named(index):
    make, message = REFUSED[index]
    tmodel = make()
    with pytest.raises(TorchImportError, match=message) as info:
        propscope.session(tmodel, X6, LABELS, loss=nn.CrossEntropyLoss(),
                          optimizer=torch.optim.SGD(tmodel.parameters(), lr=0.1))
    if "module" in message:
        assert "Linear, ReLU, Sigmoid, Tanh, Softmax" in str(info.value)


def test_optimizers_and_losses_propscope_cannot_follow_are_named():
    tmodel = torch_model()
    params = list(tmodel.parameters())
    cases = [(torch.optim.Adadelta(params), nn.CrossEntropyLoss(), "Adadelta; Propscope follows torch.optim SGD"),
             (torch.optim.SGD([{"params": params[:2]}, {"params": params[2:], "lr": 0.5}], lr=0.1),
              nn.CrossEntropyLoss(), "2 parameter groups"),
             (torch.optim.SGD(params[:2], lr=0.1), nn.CrossEntropyLoss(), "not the model's trainable parameters"),
             (torch.optim.SGD(params, lr=0.1, maximize=True), nn.CrossEntropyLoss(), "maximizes"),
             (torch.optim.SGD(params, lr=0.1), nn.NLLLoss(), "NLLLoss; Propscope computes"),
             (torch.optim.SGD(params, lr=0.1), nn.CrossEntropyLoss(reduction="sum"), "reduction='sum'"),
             (torch.optim.SGD(params, lr=0.1), nn.CrossEntropyLoss(label_smoothing=0.1), "label_smoothing")]
    for optimizer, loss, message in cases:
        with pytest.raises(TorchImportError, match=message):
            propscope.session(tmodel, X6, LABELS, loss=loss, optimizer=optimizer)
    with pytest.raises(TypeError, match="needs its loss and optimizer"):
        propscope.session(tmodel, X6, LABELS)
