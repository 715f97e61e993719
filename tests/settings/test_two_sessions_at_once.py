"""A main session and a compare-mode comparison train at once, with the same layer names: nothing they
record may leak from one into the other (their statistics once shared a scratch buffer keyed by layer name)."""

import threading

import numpy as np

from core.datasets import Dataset
from settings.build import build_session
from settings.compare_setup import Variant, build_comparison, side_labels
from settings.config import DataConfig, LayerRow, ModelSpec, TrainConfig


def _data() -> Dataset:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3000, 32)).astype("float32")
    return Dataset(x, (x[:, :5].sum(axis=1) > 0).astype(int), name="blobs", class_names=("no", "yes"))


def _build():
    """The main session and a two-sided comparison, every model with layers dense, dense_1, dense_2."""
    data, config = _data(), DataConfig(validation_fraction=0.1)
    spec = ModelSpec((LayerRow(128, "relu"), LayerRow(128, "tanh"), LayerRow(1, "sigmoid")))
    train = TrainConfig(loss="binary_crossentropy", optimizer="sgd", hyper={"learning_rate": 0.05}, batch_size=8,
                        epochs=1)
    main = build_session(data, config, spec, train).session
    variants = (Variant("relu", "adam", 0.001, 8), Variant("tanh", "sgd", 0.05, 8))
    comparison = build_comparison(data, config, spec, train, variants, side_labels(variants), epochs=1)
    for session in (main, *comparison.sessions):
        session.stats_every = 1  # every step records ‖ΔW‖/‖W‖ through the scratch buffers
    return main, comparison


def _records(session) -> dict:
    h = session.history
    out = {key: h.scalar(key) for key in h.scalars}
    out.update({f"dist:{key}": h.distribution(key) for key in h.distributions})
    out["epochs"] = h.epochs
    return out


def test_main_and_compare_sessions_training_at_once_record_exactly_what_they_record_alone():
    main, comparison = _build()
    names = {tuple(la.name for la in s.model.compute_layers) for s in (main, *comparison.sessions)}
    assert names == {("dense", "dense_1", "dense_2")}
    start = threading.Barrier(2)
    errors = []

    def run(work):
        try:
            start.wait()
            work()
        except Exception as exc:  # noqa: BLE001 — reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(lambda: list(main.run(capture_every_seconds=None)),)),
               threading.Thread(target=run, args=(lambda: comparison.advance(comparison.epochs * comparison.n),))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    together = [_records(s) for s in (main, *comparison.sessions)]

    alone_main, alone_comparison = _build()
    list(alone_main.run(capture_every_seconds=None))
    alone_comparison.advance(alone_comparison.epochs * alone_comparison.n)
    alone = [_records(s) for s in (alone_main, *alone_comparison.sessions)]

    checked = 0
    for mine, reference in zip(together, alone):
        assert mine.keys() == reference.keys()
        assert mine["epochs"] == reference["epochs"]
        for key in reference:
            if key == "epochs":
                continue
            for got, expected in zip(mine[key], reference[key]):
                np.testing.assert_array_equal(got, expected, err_msg=key)
            checked += len(reference[key][0])
    ratios = sum(len(r[f"{name}/update_ratio"][0]) for r in alone for name in ("dense", "dense_1", "dense_2"))
    assert ratios == 3 * 3 * main.batches_per_epoch  # every step of every side, every layer
    assert checked > 5_000
