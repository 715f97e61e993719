"""The loss phase's formula, written with one sample's numbers, gives the loss function's own value for that sample."""

import re

import numpy as np
import pytest

import core
from core.losses import get as get_loss
from core.stepper import TrainingSession
from core.stepper.loss_terms import num


def last_number(expression: str) -> float:
    """The value an expression ends in (``… = 0.2079``), read back from the text."""
    text = expression.rsplit("=", 1)[1].strip().replace("−", "-")
    match = re.fullmatch(r"(-?[\d.]+)(?:·10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?", text)
    assert match, text
    value = float(match.group(1))
    if match.group(2):
        value *= 10.0 ** int(match.group(2).translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
    return value


def loss_phase(loss, out_units, out_activation, y, n=24, d=4, batch_size=8):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, d)).astype("float32")
    model = core.Sequential([core.Input((d,)), core.layers.Dense(6, "tanh"),
                             core.layers.Dense(out_units, out_activation)])
    model.compile(optimizer="sgd", loss=loss)
    session = TrainingSession(model, x, y, batch_size=batch_size, seed=0)
    while True:
        snap = session.step_phase()
        if snap.phase == "loss":
            return session, snap


CASES = {
    "sparse_categorical_crossentropy": (3, "softmax", lambda r, n: r.integers(0, 3, n)),
    "categorical_crossentropy": (3, "softmax", lambda r, n: np.eye(3, dtype="float32")[r.integers(0, 3, n)]),
    "binary_crossentropy": (1, "sigmoid", lambda r, n: r.integers(0, 2, n).astype("float32")),
    "mean_squared_error": (1, None, lambda r, n: r.normal(size=(n, 1)).astype("float32")),
    "mean_absolute_error": (2, None, lambda r, n: r.normal(size=(n, 2)).astype("float32")),
}


@pytest.mark.parametrize("loss", sorted(CASES))
def test_the_written_formula_equals_the_loss_function_for_each_sample(loss):
    units, activation, make_y = CASES[loss]
    y = make_y(np.random.default_rng(5), 24)
    session, snap = loss_phase(loss, units, activation, y)
    terms = snap.loss_terms
    fn = get_loss(loss)
    batch_y = y[snap.sample_indices]
    for n in range(len(snap.output)):
        expected = float(fn(batch_y[n:n + 1], snap.output[n:n + 1]))  # the loss of a one-sample batch: L_n
        assert terms.per_sample[n] == pytest.approx(expected, rel=1e-5, abs=1e-7)
        assert last_number(terms.expression(n)) == pytest.approx(expected, rel=2e-3, abs=1e-6)  # 4 digits written
    assert last_number(terms.mean_expression) == pytest.approx(snap.data_loss, rel=2e-3)
    assert terms.mean == pytest.approx(snap.data_loss) and snap.data_loss == pytest.approx(snap.loss)  # no penalty


def test_sparse_crossentropy_is_minus_log_of_the_true_class_probability():
    y = np.random.default_rng(2).integers(0, 3, 24)
    _, snap = loss_phase("sparse_categorical_crossentropy", 3, "softmax", y)
    n = 2
    c = int(y[snap.sample_indices][n])
    p = float(snap.output[n, c])
    assert int(snap.loss_terms.true_class[n]) == c
    assert snap.loss_terms.expression(n).startswith(f"L = −log ŷ[{c}] = −log {num(p)} = ")


def test_categorical_crossentropy_writes_the_sum_and_mse_the_square():
    y = np.eye(3, dtype="float32")[np.random.default_rng(3).integers(0, 3, 24)]
    _, snap = loss_phase("categorical_crossentropy", 3, "softmax", y)
    assert snap.loss_terms.expression(0).startswith("L = −Σ_k y_k·log ŷ_k = −(1·log ")
    _, snap = loss_phase("mean_squared_error", 1, None, np.zeros((24, 1), "float32"))
    assert snap.loss_terms.expression(0).startswith(f"L = (ŷ − y)² = ({num(snap.output[0, 0])} − 0)² = ")
    _, snap = loss_phase("binary_crossentropy", 1, "sigmoid", np.ones(24, "float32"))
    assert snap.loss_terms.expression(0).startswith("L = −[y·log ŷ + (1 − y)·log(1 − ŷ)] = −[1·log ")


def test_the_loss_phase_carries_the_gradient_at_the_output():
    y = np.random.default_rng(4).integers(0, 3, 24)
    _, snap = loss_phase("sparse_categorical_crossentropy", 3, "softmax", y)
    assert snap.grad_output is not None and snap.layers[-1].delta is None  # ∂L/∂ŷ before any backward phase
    assert snap.layers[-1].grad_a is not None
    np.testing.assert_array_equal(snap.layers[-1].grad_a, snap.grad_output)
