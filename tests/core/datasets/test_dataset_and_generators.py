"""Dataset splits and preprocessing; the built-in generators' geometry."""

import numpy as np
import pytest

from core.datasets import Dataset, GENERATORS, NonFiniteError, Normalizer, generate, logic_gate


def toy(n=100, classes=4, seed=0):
    rng = np.random.default_rng(seed)
    return Dataset(rng.normal(size=(n, 3)), np.arange(n) % classes, "classification",
                   tuple(str(i) for i in range(classes)), name="toy")


def test_train_test_split_like_the_course():
    train, val = toy().train_test_split(test_size=0.2, random_state=42)
    assert (len(train), len(val)) == (80, 20)
    again, _ = toy().train_test_split(test_size=0.2, random_state=42)
    np.testing.assert_array_equal(train.x, again.x)
    all_rows = np.vstack([train.x, val.x])
    assert len(np.unique(all_rows, axis=0)) == 100  # a partition: nothing lost, nothing duplicated


def test_stratified_split_keeps_class_shares():
    ds = Dataset(np.zeros((100, 2)), np.array([0] * 90 + [1] * 10), "binary", ("a", "b"))
    train, val = ds.train_test_split(test_size=0.2, random_state=0, stratify=True)
    assert np.bincount(val.y).tolist() == [18, 2]
    assert np.bincount(train.y).tolist() == [72, 8]


def test_keras_validation_split_is_the_last_fraction():
    ds = toy(10)
    train, val = ds.validation_split(0.2)
    np.testing.assert_array_equal(val.x, ds.x[8:])
    np.testing.assert_array_equal(train.x, ds.x[:8])


def test_normalizers():
    x = np.array([[0, 10], [255, 30]], dtype=np.uint8)
    np.testing.assert_array_equal(Normalizer.fit("divide255", x).transform(x),
                                  (x / 255.0).astype(np.float32))
    std = Normalizer.fit("standardize", x)
    out = std.transform(x)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-6)
    np.testing.assert_allclose(out.std(axis=0), 1, atol=1e-6)
    np.testing.assert_allclose(std.transform(np.array([[127.5, 20]])), [[0, 0]], atol=1e-6)  # train stats
    np.testing.assert_allclose(Normalizer.fit("minmax", x).transform(x), [[0, 0], [1, 1]])
    const = Normalizer.fit("standardize", np.ones((3, 2)))
    assert np.isfinite(const.transform(np.ones((3, 2)))).all()
    with pytest.raises(ValueError, match="Unknown normalization"):
        Normalizer.fit("zscore", x)


def test_flatten_one_hot_class_counts_and_nonfinite():
    ds = Dataset(np.zeros((4, 2, 2)), np.array([0, 2, 2, 1]), "classification", ("a", "b", "c"))
    assert ds.flattened().x.shape == (4, 4)
    np.testing.assert_array_equal(ds.one_hot_labels()[1], [0, 0, 1])
    assert ds.class_counts().tolist() == [1, 1, 2]
    bad = Dataset(np.array([[1.0], [np.nan], [np.inf]]), np.array([0, 1, 0]), "binary", ("a", "b"))
    with pytest.raises(NonFiniteError, match="2 sample"):
        bad.check_finite()
    assert len(bad.drop_nonfinite()) == 1


def test_every_generator_is_seeded_and_shaped():
    for name in GENERATORS:
        a, b = generate(name, 200, 0.1, seed=5), generate(name, 200, 0.1, seed=5)
        np.testing.assert_array_equal(a.x, b.x)
        assert a.x.shape == (200, 2) and a.x.dtype == np.float32
        assert not np.array_equal(a.x, generate(name, 200, 0.1, seed=6).x)


def test_circle_geometry_without_noise():
    ds = generate("circle", 400, 0.0)
    r = np.hypot(ds.x[:, 0], ds.x[:, 1])
    assert (r[ds.y == 1] <= 2.5).all() and (r[ds.y == 0] >= 3.5).all()
    assert ds.class_counts().tolist() == [200, 200]


def test_xor_quadrants_without_noise():
    ds = generate("xor", 400, 0.0)
    np.testing.assert_array_equal(ds.y, (ds.x[:, 0] * ds.x[:, 1] >= 0).astype(int))
    assert (np.abs(ds.x) >= 0.3).all()


def test_spiral_radius_and_plane_targets():
    sp = generate("spiral", 300, 0.0)
    assert np.hypot(sp.x[:, 0], sp.x[:, 1]).max() <= 5.0
    pl = generate("plane", 300, 0.0)
    np.testing.assert_allclose(pl.y, (pl.x[:, 0] + pl.x[:, 1]) / 10, rtol=1e-5)
    mg = generate("multi_gaussian", 300, 0.0)
    assert mg.task == "regression" and np.abs(mg.y).max() <= 1.0


def test_noise_flips_some_circle_labels():
    clean = generate("circle", 1000, 0.0, seed=1)
    noisy = generate("circle", 1000, 0.5, seed=1)
    r = np.hypot(noisy.x[:, 0], noisy.x[:, 1])
    assert ((r > 2.5) & (noisy.y == 1)).any() or ((r < 2.5) & (noisy.y == 0)).any()
    assert clean.meta["noise"] == 0.0


@pytest.mark.parametrize("gate,truth", [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0]),
                                        ("xor", [0, 1, 1, 0])])
def test_logic_gates(gate, truth):
    ds = logic_gate(gate)
    np.testing.assert_array_equal(ds.x, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(ds.y, truth)


def test_bad_generator_arguments():
    with pytest.raises(ValueError, match="Unknown dataset"):
        generate("swirl")
    with pytest.raises(ValueError, match="noise"):
        generate("circle", noise=2)
    with pytest.raises(ValueError, match="Unknown gate"):
        logic_gate("NOR3")
