"""One press, one meaningful phase: Flatten and the input are no phases; layers that compute are."""

import numpy as np
import pytest

import core
from core.stepper import TrainingSession
from core.stepper.phases import batch_phases


def session_of(layers, x, y, loss="sparse_categorical_crossentropy", batch_size=8):
    model = core.Sequential(layers)
    model.compile(optimizer="sgd", loss=loss)
    return TrainingSession(model, x, y, batch_size=batch_size, seed=0)


def images(n=16):
    rng = np.random.default_rng(0)
    return rng.random((n, 28, 28)).astype("float32"), rng.integers(0, 10, n)


def table(n=16, d=3):
    rng = np.random.default_rng(1)
    return rng.normal(size=(n, d)).astype("float32"), rng.integers(0, 2, n).astype("float32")


def labels(session):
    return [kind if i is None else f"{kind} · {session.engine.layers[i].name}" for kind, i in session.phases]


def test_784_100_10_takes_six_presses_and_flatten_is_no_phase():
    x, y = images()
    s = session_of([core.Input((28, 28)), core.layers.Flatten(name="flat"), core.layers.Dense(100, "relu", name="h"),
                    core.layers.Dense(10, "softmax", name="out")], x, y)
    assert labels(s) == ["forward · h", "forward · out", "loss", "backward · out", "backward · h", "update"]
    shown = [s.step_phase().phase_label for _ in range(6)]
    assert shown == labels(s) and s.step == 1 and not s.mid_batch
    # the Flatten's steps ran inside the first forward phase and the last backward phase
    plan = s.phase_plan
    assert plan[0].steps == (("forward", 0), ("forward", 1)) and plan[4].steps == (("backward", 1), ("backward", 0))


@pytest.mark.parametrize("hidden, presses", [((), 4), ((5,), 6), ((5, 4), 8), ((5, 4, 3), 10)])
def test_phases_per_batch_for_dense_stacks(hidden, presses):
    x, y = table()
    layers = [core.Input((3,))] + [core.layers.Dense(u, "tanh") for u in hidden] + [core.layers.Dense(1, "sigmoid")]
    s = session_of(layers, x, y, loss="binary_crossentropy")
    assert len(s.phases) == presses == 2 * (len(hidden) + 1) + 2
    snap = s.step_phase()
    assert snap.phases_per_batch == presses and snap.phases == tuple(s.phases)


def test_a_layer_that_computes_gets_its_own_phases():
    """Activation layers compute (as Dropout and BatchNormalization will): forward and backward phases of their own."""
    x, y = table()
    s = session_of([core.Input((3,)), core.layers.Dense(4, name="d"), core.layers.Activation("tanh", name="act"),
                    core.layers.Dense(1, "sigmoid", name="o")], x, y, loss="binary_crossentropy")
    assert labels(s) == ["forward · d", "forward · act", "forward · o", "loss", "backward · o", "backward · act",
                         "backward · d", "update"]


def test_the_rule_is_the_layer_property_not_a_type_list():
    class Reshaping:  # any layer saying it only reshapes
        computes = False

    class Computing:
        pass  # a layer that says nothing computes

    plan = batch_phases([Reshaping(), Computing(), Reshaping(), Computing(), Reshaping()], first_trainable=1)
    assert [p.key for p in plan] == [("forward", 1), ("forward", 3), ("loss", None), ("backward", 3),
                                     ("backward", 1), ("update", None)]
    # every engine step runs exactly once, in the engine's order
    steps = [step for p in plan for step in p.steps]
    assert steps == ([("forward", i) for i in range(5)] + [("loss", None)]
                     + [("backward", i) for i in reversed(range(5))] + [("update", None)])


def test_no_backward_phase_below_the_first_layer_that_learns():
    x, y = table()
    frozen = core.layers.Dense(4, "tanh", name="frozen", trainable=False)
    s = session_of([core.Input((3,)), frozen, core.layers.Dense(1, "sigmoid", name="o")], x, y,
                   loss="binary_crossentropy")
    assert labels(s) == ["forward · frozen", "forward · o", "loss", "backward · o", "update"]


def test_stepping_phase_by_phase_is_bit_identical_to_whole_batches():
    x, y = images(32)

    def make():
        core.utils.set_random_seed(3)
        return session_of([core.Input((28, 28)), core.layers.Flatten(), core.layers.Dense(8, "relu"),
                           core.layers.Dense(10, "softmax")], x, y)

    a, b = make(), make()
    for _ in range(3 * len(a.phases)):
        a.step_phase()
    for _ in range(3):
        b.step_batch()
    for wa, wb in zip(a.model.get_weights(), b.model.get_weights()):
        np.testing.assert_array_equal(wa, wb)
