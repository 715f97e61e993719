"""The stepper: phase order, bit-identity with fit, snapshots, rewind, divergence, history bounds."""

import numpy as np
import pytest

import core
from core.stepper import HISTORY_BOUND_BYTES, TrainingDiverged, TrainingSession


def data(n=100, d=4, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)).astype("float32"), rng.integers(0, classes, n)


def build(hidden=(5,), d=4, classes=3, optimizer="adam", act="tanh"):
    layers = [core.Input(shape=(d,))] + [core.layers.Dense(u, activation=act) for u in hidden]
    model = core.Sequential(layers + [core.layers.Dense(classes, activation="softmax")])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.parametrize("hidden", [(), (5,), (5, 4), (5, 4, 6)])
def test_phase_order_and_count_for_1_to_4_layers(hidden):
    x, y = data()
    session = TrainingSession(build(hidden), x, y, batch_size=32, seed=0)
    n = len(hidden) + 1
    labels = [session.step_phase().phase_label for _ in range(2 * n + 2)]
    names = [la.name for la in session.model.compute_layers]
    expected = ([f"forward · {m}" for m in names] + ["loss"] + [f"backward · {m}" for m in reversed(names)]
                + ["update"])
    assert labels == expected
    assert session.step == 1 and not session.mid_batch
    assert session.step_phase().phase_label == expected[0]  # the next batch starts


def test_stepping_phase_by_phase_is_bit_identical_to_fit():
    x, y = data()
    core.utils.set_random_seed(7)
    reference = build((6, 5))
    reference.fit(x, y, batch_size=16, epochs=3, verbose=0)
    core.utils.set_random_seed(7)
    model = build((6, 5))
    session = TrainingSession(model, x, y, batch_size=16, epochs=3)
    while session.step < 3 * session.batches_per_epoch:
        session.step_phase()
    for a, b in zip(reference.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert [e["loss"] for e in session.history.epochs] == reference.history.history["loss"]
    assert [e["accuracy"] for e in session.history.epochs] == reference.history.history["accuracy"]


def test_batches_epochs_and_run_give_the_same_weights_as_phases():
    x, y = data()
    results = []
    for mode in ("phase", "batch", "epoch", "run"):
        core.utils.set_random_seed(3)
        session = TrainingSession(build(), x, y, batch_size=32, epochs=2, validation_split=0.2)
        if mode == "phase":
            while session.step < 6:
                session.step_phase()
        elif mode == "batch":
            while session.step < 6:
                session.step_batch()
        elif mode == "epoch":
            session.step_epoch()
            session.step_epoch()
        else:
            list(session.run())
        assert session.step == 6
        results.append((session.model.get_weights(), session.history.epochs))
    for weights, epochs in results[1:]:
        for a, b in zip(results[0][0], weights):
            np.testing.assert_array_equal(a, b)
        assert epochs == results[0][1]
    assert set(results[0][1][0]) == {"loss", "accuracy", "val_loss", "val_accuracy"}


def test_validation_metrics_match_fit():
    x, y = data(120)
    core.utils.set_random_seed(5)
    ref = build()
    h = ref.fit(x, y, batch_size=20, epochs=2, validation_split=0.25, verbose=0)
    core.utils.set_random_seed(5)
    session = TrainingSession(build(), x, y, batch_size=20, epochs=2, validation_split=0.25)
    list(session.run())
    for key in ("loss", "accuracy", "val_loss", "val_accuracy"):
        assert [e[key] for e in session.history.epochs] == h.history[key]


def test_snapshot_contents_follow_the_phases():
    x, y = data()
    session = TrainingSession(build((5,), optimizer=core.optimizers.SGD(learning_rate=0.1)), x, y, seed=1)
    s = session.step_phase()  # forward of layer 0
    assert s.phase == "forward" and s.phase_layer == 0
    assert s.layers[0].z.shape == (32, 5) and s.layers[1].z is None and s.loss is None
    assert s.x.shape == (32, 4) and len(s.sample_indices) == 32
    session.step_phase()
    s = session.step_phase()  # loss
    assert s.phase == "loss" and s.loss > 0 and s.output.shape == (32, 3) and s.grad_output.shape == (32, 3)
    assert s.layers[1].delta is None and "accuracy" in s.metrics
    s = session.step_phase()  # backward of the last layer
    assert s.layers[1].delta.shape == (32, 3) and s.layers[1].dW.shape == (5, 3) and s.layers[0].delta is None
    # δ of a softmax + crossentropy output is (ŷ − y)/N, worked out by hand
    onehot = np.eye(3)[s.y.astype(int)]
    np.testing.assert_allclose(s.layers[1].delta, (s.output - onehot) / 32, atol=1e-6)
    np.testing.assert_allclose(s.layers[1].dW, s.layers[1].x.T @ s.layers[1].delta, rtol=1e-5, atol=1e-7)
    session.step_phase()
    s = session.step_phase()  # update
    assert s.phase == "update" and s.step == 1
    layer = s.layers[0]
    # SGD: ΔW = −η·∂L/∂W, up to float32 rounding of W itself (ulp of |W| ≈ 0.5 is 6e-8)
    np.testing.assert_allclose(layer.dW_applied, -0.1 * layer.dW, rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(layer.W_after - layer.W, layer.dW_applied)


def test_snapshots_are_immutable_copies():
    x, y = data()
    session = TrainingSession(build(), x, y, seed=1)
    s = session.step_batch()
    w = s.layers[0].W_after.copy()
    with pytest.raises(ValueError):
        s.layers[0].W_after[0, 0] = 1.0
    session.step_batch()  # training goes on; the old snapshot does not change
    np.testing.assert_array_equal(s.layers[0].W_after, w)
    assert not np.shares_memory(s.layers[0].W_after, session.model.compute_layers[0].params[0])


def test_every_snapshot_array_is_read_only_private_and_shared_inputs_copied_once():
    x, y = data()
    session = TrainingSession(build((6, 5)), x, y, seed=1)
    snaps = [session.step_batch()]
    snaps += list(session.run(max_steps=3, capture_every_steps=1))
    live = [p for layer in session.model.compute_layers for p in layer.params] + list(
        session.engine.flat.grad_views[0]) + [a for v in session.engine.optimizer.slots.values() for a in v]
    for s in snaps:
        assert s.x is s.layers[0].x  # the batch is layer 0's input: one copy
        assert s.layers[1].x is s.layers[0].a
        arrays = [s.x, s.y, s.output, s.per_sample_loss, s.grad_output]
        for layer in s.layers:
            arrays += [layer.x, layer.z, layer.a, layer.delta, layer.dW, layer.db, layer.W, layer.b,
                       layer.W_after, layer.b_after, layer.dW_applied, layer.db_applied]
            arrays += [a for v in layer.optimizer_state.values() for a in v]
        for a in arrays:
            assert not a.flags.writeable
            assert not any(np.shares_memory(a, p) for p in live)
    # Gradients live in one reused buffer; each snapshot kept its own batch's values.
    assert not np.array_equal(snaps[0].layers[0].dW, snaps[1].layers[0].dW)


def test_statistics_cadence_follows_the_epoch_length():
    x, y = data(100)
    assert TrainingSession(build(), x, y, batch_size=10).stats_every == 1  # 10 batches an epoch: every step
    big_x, big_y = data(6000)
    long = TrainingSession(build(), big_x, big_y, batch_size=32)  # 188 batches an epoch
    assert (long.stats_every, long.distributions_every) == (10, 100)
    list(long.run(max_steps=40, capture_every_seconds=None))
    first = long.model.compute_layers[0].name
    steps = long.history.scalars[f"{first}/w_norm"].steps
    assert list(steps) == [1, 10, 20, 30, 40]
    assert list(long.history.scalars["loss"].steps) == list(range(1, 41))


def test_optimizer_state_is_captured():
    x, y = data()
    session = TrainingSession(build(), x, y, seed=1)
    s = session.step_batch()
    m, v = s.layers[0].optimizer_state["momentum"], s.layers[0].optimizer_state["velocity"]
    assert m[0].shape == (4, 5) and m[1].shape == (5,)
    # After one Adam step m = 0.1·g and v = 0.001·g²
    np.testing.assert_allclose(m[0], 0.1 * s.layers[0].dW, rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(v[0], 0.001 * s.layers[0].dW ** 2, rtol=1e-4, atol=1e-12)


def test_rewind_to_step_k_and_replay_reproduce_the_weights():
    x, y = data(200)
    session = TrainingSession(build((6,)), x, y, batch_size=16, epochs=5, seed=2, checkpoint_every=7)
    captured = {}
    for snap in session.run(capture_every_steps=1):
        captured[snap.step] = snap
    final = session.model.get_weights()
    assert session.step == 65
    for k in (37, 1, 14, 64):
        again = session.seek(k)
        assert again.step == k
        np.testing.assert_array_equal(again.layers[0].W_after, captured[k].layers[0].W_after)
        np.testing.assert_array_equal(again.layers[1].dW, captured[k].layers[1].dW)
        assert again.loss == captured[k].loss
    session.seek(0)
    assert session.step == 0
    list(session.run())  # replay everything from the start
    for a, b in zip(final, session.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert session.history.last_step == 65 and session.history.epochs_done == 5


def test_too_high_learning_rate_is_divergence_naming_the_layer():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32") * 100
    y = rng.normal(size=(64, 1)).astype("float32") * 100
    model = core.Sequential([core.Input(shape=(3,)), core.layers.Dense(8, activation="relu", name="hidden"),
                             core.layers.Dense(1, name="out")])
    model.compile(optimizer=core.optimizers.SGD(learning_rate=10.0), loss="mse")
    session = TrainingSession(model, x, y, batch_size=16, epochs=50, seed=0)
    snaps = list(session.run(capture_every_seconds=None))
    bad = snaps[-1].divergence
    assert bad is not None and session.divergence == bad
    assert bad.layer in ("hidden", "out") or bad.quantity == "loss"
    assert f"step {bad.step}" in bad.message() and bad.phase in ("forward", "loss", "backward", "update")
    # nothing before it is lost: the weights are those after step bad.step − 1, all finite
    assert session.step == bad.step - 1
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert session.history.last_step == bad.step - 1
    with pytest.raises(TrainingDiverged, match="diverged at step"):
        session.step_batch()
    session.reset()
    assert session.divergence is None and session.step == 0


def test_divergence_found_by_phase_stepping_names_phase_and_layer():
    x = np.array([[1e20, 1e20]], dtype="float32")
    model = core.Sequential([core.Input(shape=(2,)), core.layers.Dense(2, activation="linear", name="big"),
                             core.layers.Dense(1, name="out")])
    model.compile(optimizer="sgd", loss="mse")
    model.set_weights([np.full((2, 2), 1e19, "float32"), np.zeros(2, "float32"),
                       np.ones((2, 1), "float32"), np.zeros(1, "float32")])
    session = TrainingSession(model, x, np.zeros((1, 1)), batch_size=1, seed=0)
    snap = session.step_phase()
    assert snap.divergence is not None
    assert (snap.divergence.phase, snap.divergence.layer, snap.divergence.quantity) == ("forward", "big", "z")


def test_run_yields_at_the_chosen_cadence_and_stops_between_batches():
    x, y = data(320)
    session = TrainingSession(build(), x, y, batch_size=32, epochs=3, seed=0)
    steps = [s.step for s in session.run(capture_every_steps=10, capture_every_seconds=None)]
    assert steps == [10, 20, 30]
    session.reset()
    gen = session.run(capture_every_steps=1, capture_every_seconds=None)
    next(gen)
    session.request_stop()
    rest = list(gen)
    assert session.step == 1 and rest == []  # stopped before starting another batch
    assert list(session.run(max_steps=2, capture_every_seconds=None))[-1].step == 3  # and it resumes


def test_reset_with_a_seed_draws_new_weights_and_without_restores_them():
    x, y = data()
    session = TrainingSession(build(), x, y, seed=0)
    start = session.model.get_weights()
    session.step_batch()
    session.reset()
    for a, b in zip(start, session.model.get_weights()):
        np.testing.assert_array_equal(a, b)
    session.reset(seed=123)
    assert not np.array_equal(start[0], session.model.get_weights()[0])
    assert session.history.last_step == 0


def test_history_records_per_step_scalars_and_distributions():
    x, y = data()
    session = TrainingSession(build((5,), act="sigmoid"), x, y, batch_size=10, epochs=2, seed=0,
                              stats_every=1, distributions_every=5)
    list(session.run())
    name = session.model.compute_layers[0].name
    steps, loss = session.history.scalar("loss")
    assert list(steps) == list(range(1, 21)) and np.isfinite(loss).all()
    for stat in ("w_norm", "grad_norm", "update_ratio", "act_mean", "act_std", "saturation"):
        assert len(session.history.scalar(f"{name}/{stat}")[0]) == 20, stat
    d_steps, ranges, counts = session.history.distribution(f"{name}/weights")
    assert list(d_steps) == [1, 5, 10, 15, 20] and counts.shape == (5, 32)
    assert counts[0].sum() == 4 * 5
    arrays = session.history.to_arrays()
    assert "scalar/loss/values" in arrays and "epoch/val_loss/values" not in arrays


def test_history_memory_stays_bounded_over_100k_steps():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 2)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    model = core.Sequential([core.Input(shape=(2,)), core.layers.Dense(3, activation="relu"),
                             core.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
    session = TrainingSession(model, x, y, batch_size=8, epochs=100_000, seed=0, stats_every=10,
                              distributions_every=100)
    for _ in session.run(capture_every_seconds=None):
        pass
    assert session.step == 100_000
    assert session.history.nbytes < HISTORY_BOUND_BYTES
    steps, _ = session.history.scalar("loss")
    assert steps[0] == 1 and steps[-1] > 99_000 and len(steps) <= 4096
    assert session.checkpoints.nbytes <= 256 * 1024 * 1024


def test_numpy_and_torch_sessions_agree(torch_module):
    x, y = data()
    runs = []
    for backend in ("numpy", "torch"):
        core.utils.set_random_seed(4)
        model = build()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", backend=backend, device="cpu")
        session = TrainingSession(model, x, y, batch_size=16, epochs=2)
        list(session.run())
        runs.append(model.get_weights())
    for a, b in zip(*runs):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_flatten_first_layer_steps_through_every_phase():
    rng = np.random.default_rng(0)
    x = rng.random((40, 4, 4)).astype("float32")
    y = rng.integers(0, 3, 40)
    model = core.Sequential([core.layers.Flatten(input_shape=(4, 4)), core.layers.Dense(5, activation="relu"),
                             core.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    session = TrainingSession(model, x, y, batch_size=8, seed=0)
    snaps = [session.step_phase() for _ in range(len(session.phases))]
    assert [s.phase for s in snaps][-1] == "update" and session.step == 1
    assert snaps[-1].layers[0].delta is None and snaps[-1].layers[1].dW.shape == (16, 5)


def test_histogram_matches_numpy():
    from core.stepper.stats import histogram

    x = np.random.default_rng(0).normal(size=(784, 100)).astype("float32")
    counts, lo, hi = histogram(x)
    expected, _ = np.histogram(x, bins=32, range=(lo, hi))
    assert abs(counts - expected).sum() <= 4  # float rounding at bin edges only
    assert counts.sum() == x.size


def test_history_reads_are_consistent_while_another_thread_trains():
    import threading

    x, y = data(400)
    session = TrainingSession(build(), x, y, batch_size=4, epochs=200, seed=0, stats_every=1)
    done = threading.Event()

    def train():
        for _ in session.run(capture_every_seconds=None, max_steps=6000):
            pass
        done.set()

    worker = threading.Thread(target=train)
    worker.start()
    reads = 0
    while not done.is_set():  # every read: steps and values of the same length, epochs consistent
        steps, loss = session.history.scalar("loss")
        assert len(steps) == len(loss)
        steps, ranges, counts = session.history.distribution(f"{session.model.compute_layers[0].name}/weights")
        assert len(steps) == len(ranges) == len(counts)
        assert isinstance(session.history.last_epoch_logs, dict)
        session.history.to_arrays()
        reads += 1
    worker.join()
    assert reads > 10 and session.step == 6000


def test_run_calls_between_batches_after_every_batch():
    x, y = data()
    session = TrainingSession(build(), x, y, batch_size=10, seed=0)
    calls = []
    list(session.run(max_steps=7, capture_every_seconds=None, between_batches=lambda: calls.append(session.step)))
    assert calls == [1, 2, 3, 4, 5, 6, 7]
