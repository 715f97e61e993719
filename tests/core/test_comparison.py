"""Compare mode's core: same batches and initial weights, lockstep by samples, immutable frames."""

import numpy as np
import pytest

import core
from core.compare import Comparison, samples_seen
from core.datasets import generate
from core.stepper import TrainingSession

DATA = generate("spiral", 200, 0.1, 0)


def session(act="tanh", batch=32, seed=5, hidden=(8,), optimizer="adam", n=200):
    core.utils.set_random_seed(3)  # the same initial weights for the same shapes
    layers = [core.Input(shape=(2,))] + [core.layers.Dense(u, activation=act) for u in hidden]
    model = core.Sequential(layers + [core.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    return TrainingSession(model, DATA.x[:n], DATA.y[:n], batch_size=batch, seed=seed,
                           validation_data=(DATA.x[:40], DATA.y[:40]))


def test_sides_see_the_same_batches_from_the_same_initial_weights():
    a, b = session("sigmoid"), session("relu")
    for wa, wb in zip(a.model.get_weights(), b.model.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    for step in range(0, 3 * a.batches_per_epoch):
        np.testing.assert_array_equal(a.batch_indices(step), b.batch_indices(step))


def test_identical_sides_give_identical_curves():
    c = Comparison([session(), session()], ["A", "B"], epochs=3)
    while not c.done:
        c.advance(50)
    first, second = c.frame().sides
    for key in first.curves:
        for u, v in zip(first.curves[key], second.curves[key]):
            np.testing.assert_array_equal(u, v)


def test_sides_advance_by_samples_and_a_full_batch_steps_once_an_epoch():
    small, full = session(batch=32), session(batch=200)
    c = Comparison([small, full], ["32", "full"], epochs=4)
    while not c.done:
        c.advance(40)
        assert abs(samples_seen(small) - samples_seen(full)) <= 200  # never more than one big batch apart
    assert full.step == 4 and small.step == 4 * 7
    assert samples_seen(small) == samples_seen(full) == 4 * 200
    frame = c.frame()
    assert frame.done and [s.epochs_done for s in frame.sides] == [4.0, 4.0]
    x, _ = frame.sides[1].curves["loss"]
    np.testing.assert_array_equal(x, [1, 2, 3, 4])  # one point per (full-batch) step, x in epochs


def test_frame_histograms_share_bins_and_are_read_only():
    c = Comparison([session("sigmoid"), session("relu")], ["sigmoid", "relu"], epochs=1)
    c.advance(100)
    frame = c.frame()
    assert set(frame.edges) == {0, 1}  # hidden and output layer
    for side in frame.sides:
        for k, counts in side.histograms.items():
            assert counts.shape == (len(frame.edges[k]) - 1,)
            assert counts.sum() == pytest.approx(1.0)
            assert not counts.flags.writeable
        x, y = side.curves["loss"]
        assert not x.flags.writeable and not y.flags.writeable
    # sigmoid activations live in (0, 1); ReLU's include exact zeros and reach past 1.
    sig, relu = frame.sides
    edges = frame.edges[0]
    assert edges[-1] > 1.0 and relu.histograms[0][edges[:-1] >= 1.0].sum() > 0
    assert sig.histograms[0][edges[:-1] >= 1.0].sum() == 0
    assert relu.histograms[0][0] > sig.histograms[0][0]


def test_deep_sigmoid_gradients_vanish_against_relu():
    deep = (16, 16, 16, 16, 16)
    c = Comparison([session("sigmoid", hidden=deep, optimizer="sgd"), session("relu", hidden=deep, optimizer="sgd")],
                   ["sigmoid", "relu"], epochs=3)
    while not c.done:
        c.advance(100)
    ratios = []
    for side in c.frame().sides:
        first = side.curves["grad_norm/0"][1].mean()
        last = side.curves[f"grad_norm/{len(side.layer_names) - 1}"][1].mean()
        ratios.append(first / last)
    assert ratios[0] < 0.1 * ratios[1]


@pytest.mark.parametrize("make, message", [
    (lambda: [session(seed=1), session(seed=2)], "shuffle seed"),
    (lambda: [session(n=200), session(n=100)], "same samples"),
    (lambda: [session()], "two or more"),
])
def test_sides_that_cannot_be_compared_are_refused(make, message):
    sessions = make()
    with pytest.raises(ValueError, match=message):
        Comparison(sessions, [str(i) for i in range(len(sessions))], epochs=1)


def test_advancing_copies_no_snapshots(monkeypatch):
    c = Comparison([session(batch=32), session(batch=200)], ["32", "full"], epochs=2)

    def no_snapshot(*args, **kwargs):
        raise AssertionError("advance must not capture (a full batch would be copied every step)")

    monkeypatch.setattr(TrainingSession, "_make_snapshot", no_snapshot)
    while not c.done:
        c.advance(100)
    assert c.frame().done
