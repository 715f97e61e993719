"""The training doctor on hand-made histories and on real runs that stop learning (and ones that do not)."""

import gzip
import math
import struct

import numpy as np
import pytest

from core.stepper.doctor import LayerInfo, diagnose, diagnose_session
from core.stepper.history import TrainingHistory

HIDDEN = [LayerInfo("dense", "relu", 100, True), LayerInfo("dense_1", "softmax", 10, False)]


def history(steps=400, loss=lambda s: 2.0 / (1 + s / 50), accuracy=lambda s: min(0.9, 0.1 + s / 300),
            layer_stats=None, every=10):
    h = TrainingHistory()
    for s in range(1, steps + 1):
        h.record_step(s, {"loss": loss(s), "accuracy": accuracy(s)})
        if s % every == 0 or s == 1:
            h.record_step(s, {key: f(s) for key, f in (layer_stats or {}).items()})
    return h


HEALTHY_STATS = {"dense/dead_relu": lambda s: 0.1, "dense/grad_norm": lambda s: 1.5, "dense_1/grad_norm": lambda s: 1.2}


def kinds(findings):
    return sorted((f.kind, f.layer) for f in findings)


def test_a_healthy_history_has_no_findings():
    assert diagnose(history(layer_stats=HEALTHY_STATS), HIDDEN, "sparse_categorical_crossentropy", 10) == []


def test_nothing_is_said_before_30_steps():
    h = history(steps=20, loss=lambda s: 14.5, accuracy=lambda s: 0.1, layer_stats=HEALTHY_STATS, every=1)
    assert diagnose(h, HIDDEN, "sparse_categorical_crossentropy", 10) == []


def test_flat_at_chance_names_the_numbers():
    h = history(loss=lambda s: 14.5 + 0.01 * math.sin(s), accuracy=lambda s: 0.1 + 0.02 * math.cos(s),
                layer_stats=HEALTHY_STATS)
    (finding,) = diagnose(h, HIDDEN, "sparse_categorical_crossentropy", 10)
    assert finding.kind == "stuck_at_chance" and finding.layer is None
    assert finding.numbers["loss"] == pytest.approx(14.5, abs=0.02)
    assert finding.numbers["chance_loss"] == pytest.approx(math.log(10))
    assert finding.numbers["accuracy"] == pytest.approx(0.1, abs=0.01) and finding.numbers["classes"] == 10
    assert finding.remedies[0] == "lower_learning_rate"


def test_flat_but_learned_is_not_stuck():
    h = history(loss=lambda s: 0.3, accuracy=lambda s: 0.9, layer_stats=HEALTHY_STATS)
    assert diagnose(h, HIDDEN, "sparse_categorical_crossentropy", 10) == []


@pytest.mark.parametrize("share,expected", [(0.92, True), (0.5, True), (0.45, False)])
def test_dead_relus(share, expected):
    stats = {**HEALTHY_STATS, "dense/dead_relu": lambda s: share}
    findings = diagnose(history(layer_stats=stats), HIDDEN, "sparse_categorical_crossentropy", 10)
    assert kinds(findings) == ([("dead_relu", "dense")] if expected else [])
    if expected:
        assert findings[0].numbers == {"share": pytest.approx(share), "units": 100, "dead": round(share * 100)}
        assert "he_initialization" in findings[0].remedies


def test_a_layer_dead_only_for_a_while_is_not_reported():
    stats = {**HEALTHY_STATS, "dense/dead_relu": lambda s: 0.9 if s < 300 else 0.1}
    assert diagnose(history(layer_stats=stats), HIDDEN, "sparse_categorical_crossentropy", 10) == []


def test_saturated_hidden_layers_but_not_the_output_layer():
    layers = [LayerInfo("dense", "sigmoid", 8, True), LayerInfo("dense_1", "sigmoid", 1, False)]
    stats = {"dense/saturation": lambda s: 0.8, "dense_1/saturation": lambda s: 1.0,
             "dense/grad_norm": lambda s: 0.3, "dense_1/grad_norm": lambda s: 0.2}
    findings = diagnose(history(layer_stats=stats), layers, "binary_crossentropy", 2)
    assert kinds(findings) == [("saturated", "dense")]
    assert findings[0].numbers["activation"] == "sigmoid" and findings[0].remedies[0] == "relu"


def test_vanishing_and_vanished_gradients():
    layers = [LayerInfo(f"d{i}", "sigmoid", 32, True) for i in range(4)] + [LayerInfo("out", "sigmoid", 1, False)]
    stats = {f"d{i}/grad_norm": (lambda s, i=i: 0.2 * 10.0 ** (i - 4)) for i in range(4)}
    stats["out/grad_norm"] = lambda s: 0.2
    (finding,) = diagnose(history(layer_stats=stats), layers, "binary_crossentropy", 2)
    assert finding.kind == "vanishing" and finding.layer == "d0" and finding.numbers["last_layer"] == "out"
    assert finding.numbers["ratio"] == pytest.approx(1e-4)
    dead = {f"{la.name}/grad_norm": (lambda s: 0.0) for la in layers}
    findings = diagnose(history(layer_stats=dead, loss=lambda s: 8.0, accuracy=lambda s: 0.5), layers,
                        "binary_crossentropy", 2)
    assert kinds(findings) == [("stuck_at_chance", None), ("vanished", None)]


def test_exploding_gradients():
    stats = {**HEALTHY_STATS, "dense/grad_norm": lambda s: 0.5 * 1.03 ** s}
    findings = diagnose(history(layer_stats=stats), HIDDEN, "sparse_categorical_crossentropy", 10)
    assert ("exploding", "dense") in kinds(findings)
    exploding = next(f for f in findings if f.kind == "exploding")
    assert exploding.numbers["growth"] > 100 and exploding.remedies[0] == "lower_learning_rate"


def test_regression_is_never_at_chance():
    h = history(loss=lambda s: 3.0, accuracy=lambda s: 0.1, layer_stats=HEALTHY_STATS)
    assert diagnose(h, HIDDEN, "mean_squared_error", 0) == []


# --- real runs ------------------------------------------------------------------------------------
def spiral_run(rows, optimizer, lr, steps=500):
    from settings.build import build_session
    from settings.config import DataConfig, LayerRow, ModelSpec, TrainConfig

    data_config = DataConfig()
    data = data_config.load()
    train = TrainConfig("binary_crossentropy", optimizer, {"learning_rate": lr}, 32, 100)
    session = build_session(data, data_config, ModelSpec(tuple(LayerRow(u, a) for u, a in rows)), train).session
    for _ in session.run(max_steps=steps, capture_every_seconds=None):
        pass
    return session


def test_a_real_dead_relu_run():
    session = spiral_run([(32, "relu")] * 3 + [(1, "sigmoid")], "SGD", 3.0)
    dead = [f for f in diagnose_session(session) if f.kind == "dead_relu"]
    assert dead and all(f.numbers["share"] >= 0.5 for f in dead)
    assert {f.layer for f in dead} <= {"dense", "dense_1", "dense_2"}


def test_a_real_saturated_run():
    session = spiral_run([(8, "sigmoid"), (8, "sigmoid"), (1, "sigmoid")], "Adam", 10.0)
    assert {("saturated", "dense"), ("saturated", "dense_1")} <= set(kinds(diagnose_session(session)))


def test_a_real_vanishing_gradient_run():
    session = spiral_run([(32, "sigmoid")] * 5 + [(1, "sigmoid")], "SGD", 0.1)
    assert ("vanishing", "dense") in kinds(diagnose_session(session))


@pytest.mark.parametrize("rows,optimizer,lr", [([(8, "tanh"), (8, "tanh"), (1, "sigmoid")], "Adam", 0.01),
                                               ([(32, "relu")] * 3 + [(1, "sigmoid")], "Adam", 0.01),
                                               ([(32, "relu")] * 3 + [(1, "sigmoid")], "SGD", 0.1)])
def test_healthy_real_runs_are_not_flagged(rows, optimizer, lr):
    assert diagnose_session(spiral_run(rows, optimizer, lr)) == []


def write_idx(path, arr):
    header = bytes([0, 0, 0x08, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    path.write_bytes(gzip.compress(header + arr.astype(np.uint8).tobytes()))


def test_a_real_flat_run_fashion_like_images_with_sgd_at_learning_rate_100(tmp_path):
    from settings.build import build_session
    from settings.config import DataConfig, LayerRow, ModelSpec, TrainConfig

    rng = np.random.default_rng(0)
    labels = rng.integers(0, 10, 3000)
    images = np.clip(rng.normal(60 + 15 * labels[:, None, None], 40, (3000, 28, 28)), 0, 255)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", labels)
    data_config = DataConfig(source="file", path=str(tmp_path / "train-images-idx3-ubyte.gz"), seed=42)
    data = data_config.load()
    train = TrainConfig("sparse_categorical_crossentropy", "SGD", {"learning_rate": 100.0}, 32, 5)
    session = build_session(data, data_config, ModelSpec((LayerRow(100, "relu"), LayerRow(10, "softmax"))),
                            train).session
    for _ in session.run(max_steps=300, capture_every_seconds=None):
        pass
    found = {f.kind: f for f in diagnose_session(session)}
    assert "stuck_at_chance" in found
    assert found["stuck_at_chance"].numbers["loss"] > 10 and found["stuck_at_chance"].numbers["classes"] == 10
    assert abs(found["stuck_at_chance"].numbers["accuracy"] - 0.1) < 0.05
