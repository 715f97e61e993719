"""One or two steps of each optimizer on w = 1.0 with g = 0.5, worked out by hand
from the Keras 3 update rules (float64, so the numbers are exact to 1e-12)."""

import math

import numpy as np
import pytest

from core import optimizers
from core.backend.ops import NumpyOps

OPS = NumpyOps("float64")


def run(opt, grads, w0=1.0):
    w = np.array([w0])
    for g in grads:
        opt.apply([np.array([g])], [w], OPS)
    return float(w[0])


def test_sgd_plain():
    # w ← w − ηg = 1 − 0.1·0.5
    assert run(optimizers.SGD(learning_rate=0.1), [0.5]) == pytest.approx(0.95, abs=1e-12)


def test_sgd_momentum_two_steps():
    # m1 = −0.05, w1 = 0.95;  m2 = 0.9·(−0.05) − 0.05 = −0.095, w2 = 0.855
    assert run(optimizers.SGD(learning_rate=0.1, momentum=0.9), [0.5, 0.5]) == pytest.approx(0.855, abs=1e-12)


def test_sgd_nesterov_two_steps():
    # step 1: m = −0.05;  w = 1 + 0.9·(−0.05) − 0.05 = 0.905
    # step 2: m = 0.9·(−0.05) − 0.05 = −0.095;  w = 0.905 + 0.9·(−0.095) − 0.05 = 0.7695
    opt = optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    assert run(opt, [0.5]) == pytest.approx(0.905, abs=1e-12)
    opt = optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    assert run(opt, [0.5, 0.5]) == pytest.approx(0.7695, abs=1e-12)


def test_sgd_accepts_course_lr_alias():
    opt = optimizers.SGD(lr=0.01, momentum=0.9)
    assert opt.learning_rate == 0.01 and opt.momentum == 0.9


def test_adagrad_epsilon_inside_the_root():
    # G = 0.1 + 0.25 = 0.35;  w = 1 − 0.1·0.5/√(0.35 + 1e-7)
    got = run(optimizers.Adagrad(learning_rate=0.1), [0.5])
    assert got == pytest.approx(1 - 0.05 / math.sqrt(0.3500001), abs=1e-12)
    assert got == pytest.approx(0.91548459, abs=1e-8)


def test_rmsprop_plain():
    # v = 0.1·0.25 = 0.025;  w = 1 − 0.01·0.5/√(0.025 + 1e-7) = 0.96837729
    got = run(optimizers.RMSprop(learning_rate=0.01), [0.5])
    assert got == pytest.approx(0.96837729, abs=1e-8)


def test_rmsprop_centered():
    # v = 0.025, ḡ = 0.05, d = 0.025 − 0.0025 + 1e-7 = 0.0225001;  w = 1 − 0.005/0.15000033...
    got = run(optimizers.RMSprop(learning_rate=0.01, centered=True), [0.5])
    assert got == pytest.approx(1 - 0.005 / math.sqrt(0.0225001), abs=1e-12)
    assert got == pytest.approx(0.96666674, abs=1e-8)


def test_rmsprop_momentum_two_steps():
    # step 1: v1 = 0.025, Δ1 = 0.005/√0.0250001, m1 = Δ1
    # step 2: v2 = 0.9·0.025 + 0.025 = 0.0475, Δ2 = 0.005/√0.0475001, m2 = 0.5·m1 + Δ2
    d1 = 0.005 / math.sqrt(0.0250001)
    d2 = 0.005 / math.sqrt(0.0475001)
    expected = 1 - d1 - (0.5 * d1 + d2)
    got = run(optimizers.RMSprop(learning_rate=0.01, momentum=0.5), [0.5, 0.5])
    assert got == pytest.approx(expected, abs=1e-12)
    assert got == pytest.approx(0.92962438, abs=1e-8)


def test_adam_first_step_bias_correction_and_epsilon_hat():
    # m = 0.05, v = 0.00025, α = 0.1·√(1 − 0.999)/(1 − 0.9) = √0.001 = 0.0316227766
    # w = 1 − α·0.05/(√0.00025 + 1e-7) = 1 − 0.00158113883/0.0158114883 = 0.90000063245
    got = run(optimizers.Adam(learning_rate=0.1), [0.5])
    assert got == pytest.approx(0.90000063245, abs=1e-10)


def test_adam_second_step():
    # t=2: m = 0.05 + (0.5 − 0.05)·0.1 = 0.095;  v = 0.00025 + (0.25 − 0.00025)·0.001 = 0.00049975
    # α = 0.1·√(1 − 0.999²)/(1 − 0.9²) = 0.1·√0.001999/0.19
    alpha = 0.1 * math.sqrt(1 - 0.999**2) / (1 - 0.9**2)
    step2 = alpha * 0.095 / (math.sqrt(0.00049975) + 1e-7)
    got = run(optimizers.Adam(learning_rate=0.1), [0.5, 0.5])
    assert got == pytest.approx(0.90000063245 - step2, abs=1e-10)
    assert got == pytest.approx(0.80000108, abs=1e-8)


def test_adam_amsgrad_keeps_the_largest_velocity():
    # g = 1 then 0: v1 = 0.001, v2 = 0.000999 < v̂ = 0.001 → the second step divides by √0.001
    opt = optimizers.Adam(learning_rate=0.1, amsgrad=True)
    w = run(opt, [1.0, 0.0])
    step1 = 0.1 * math.sqrt(0.001) / 0.1 * 0.1 / (math.sqrt(0.001) + 1e-7)
    m2 = 0.1 * 0.9
    step2 = 0.1 * math.sqrt(1 - 0.999**2) / (1 - 0.81) * m2 / (math.sqrt(0.001) + 1e-7)
    assert w == pytest.approx(1 - step1 - step2, abs=1e-12)


def test_adamw_decays_before_the_adam_step():
    # w = 1 − 1·0.1·0.1 = 0.99, then the Adam step of test_adam_first_step (≈ 0.09999936755)
    got = run(optimizers.AdamW(learning_rate=0.1, weight_decay=0.1), [0.5])
    assert got == pytest.approx(0.99 - 0.09999936755, abs=1e-10)


def test_defaults_are_keras_3_defaults():
    assert optimizers.SGD().get_config()["learning_rate"] == 0.01
    assert optimizers.Adagrad().get_config()["learning_rate"] == 0.001
    assert optimizers.Adagrad().initial_accumulator_value == 0.1
    rms = optimizers.RMSprop()
    assert (rms.learning_rate, rms.rho, rms.momentum, rms.epsilon, rms.centered) == (0.001, 0.9, 0.0, 1e-7, False)
    adam = optimizers.Adam()
    assert (adam.learning_rate, adam.beta_1, adam.beta_2) == (0.001, 0.9, 0.999)
    assert (adam.epsilon, adam.amsgrad) == (1e-7, False)
    assert optimizers.AdamW().weight_decay == 0.004


@pytest.mark.parametrize("kwargs,match", [
    ({"momentum": 1.5}, "momentum"),
    ({"learning_rate": -1}, "learning_rate"),
    ({"learning_rate": "fast"}, "learning_rate"),
    ({"clipnorm": 1.0, "clipvalue": 1.0}, "Only one"),
    ({"bogus": 1}, "not recognized"),
])
def test_invalid_hyperparameters_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        optimizers.SGD(**kwargs)


def test_get_resolves_names_and_serializes():
    for name, cls in [("sgd", optimizers.SGD), ("Adam", optimizers.Adam), ("rmsprop", optimizers.RMSprop),
                      ("adagrad", optimizers.Adagrad), ("adamw", optimizers.AdamW)]:
        opt = optimizers.get(name)
        assert isinstance(opt, cls)
        again = optimizers.deserialize(optimizers.serialize(opt))
        assert again.get_config() == opt.get_config()
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: 'adamax2'"):
        optimizers.get("adamax2")


def test_clipnorm_scales_each_gradient():
    # g = (3, 4): ‖g‖ = 5 > 1 → g·1/5 = (0.6, 0.8); w = 0 − 1·g
    w = np.zeros(2)
    optimizers.SGD(learning_rate=1.0, clipnorm=1.0).apply([np.array([3.0, 4.0])], [w], OPS)
    np.testing.assert_allclose(w, [-0.6, -0.8], atol=1e-12)


def test_schedule_drives_the_learning_rate():
    sched = optimizers.schedules.ExponentialDecay(0.1, decay_steps=1, decay_rate=0.5)
    opt = optimizers.SGD(learning_rate=sched)
    # steps use η = 0.1 then 0.05, computed in float32 as Keras does: w = 1 − 0.1·1 − 0.05·1
    assert run(opt, [1.0, 1.0]) == 1.0 - float(np.float32(0.1)) - float(np.float32(0.05))
