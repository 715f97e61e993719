"""NPZ archives and NPY pairs: layouts, choices, and refusal of anything pickled."""

import zipfile

import numpy as np
import pytest

from core.datasets import (ArrayChoiceError, DatasetError, FormatError, ShapeMismatchError, TooLargeError,
                           TruncatedFileError, UnsafeFileError, inspect_npz, load_file, load_npz)
from core.datasets.targets import DIGIT_CLASSES


def test_keras_mnist_npz_layout_with_test_set(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.integers(0, 255, (8, 28, 28), dtype=np.uint8), rng.integers(0, 10, 8).astype(np.uint8)
    xt, yt = x[:3], y[:3]
    p = tmp_path / "mnist.npz"
    np.savez_compressed(p, x_train=x, y_train=y, x_test=xt, y_test=yt)
    ds = load_file(p)
    np.testing.assert_array_equal(ds.x, x)
    np.testing.assert_array_equal(ds.y, y)
    np.testing.assert_array_equal(ds.x_test, xt)
    assert ds.class_names == DIGIT_CLASSES and ds.name == "MNIST"


@pytest.mark.parametrize("xk,yk", [("x", "y"), ("X", "Y"), ("X", "y"), ("features", "labels")])
def test_known_pairs(tmp_path, xk, yk):
    p = tmp_path / "d.npz"
    np.savez(p, **{xk: np.ones((4, 3)), yk: np.array([0, 1, 0, 1])})
    ds = load_file(p)
    assert ds.x.shape == (4, 3) and ds.task == "binary"


def test_unknown_names_ask_the_caller_to_choose(tmp_path):
    p = tmp_path / "d.npz"
    np.savez(p, inputs_a=np.ones((4, 3)), answers=np.arange(4))
    with pytest.raises(ArrayChoiceError, match=r"inputs_a \(4, 3\), answers \(4,\)") as info:
        load_file(p)
    assert info.value.arrays["answers"][0] == (4,)
    ds = load_file(p, x_key="inputs_a", y_key="answers")
    assert len(ds) == 4
    with pytest.raises(DatasetError, match="no array named 'zzz'"):
        load_npz(p, x_key="zzz", y_key="answers")


def test_object_arrays_are_refused_without_unpickling(tmp_path):
    p = tmp_path / "evil.npz"
    np.savez(p, x=np.array([{"a": 1}, None], dtype=object), y=np.array([0, 1]))
    with pytest.raises(UnsafeFileError, match="key 'x'.*pickle"):
        load_file(p)


def test_not_a_zip_and_truncated_zip(tmp_path):
    p = tmp_path / "d.npz"
    p.write_bytes(b"this is not a zip file at all")
    with pytest.raises(FormatError, match="not a zip archive"):
        load_file(p)
    good = tmp_path / "g.npz"
    np.savez(good, x=np.ones((100, 10)), y=np.zeros(100))
    data = good.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(DatasetError):
        load_file(p)


def test_member_that_is_not_an_array(tmp_path):
    p = tmp_path / "d.npz"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("x.npy", b"\x93NUMPY garbage")
        zf.writestr("y.npy", b"garbage")
    with pytest.raises(FormatError, match="not a valid .npy array"):
        load_file(p)


def test_sample_label_mismatch(tmp_path):
    p = tmp_path / "d.npz"
    np.savez(p, x=np.ones((5, 2)), y=np.zeros(4))
    with pytest.raises(ShapeMismatchError, match="5 samples but 4 labels"):
        load_file(p)


def test_sizes_are_checked_before_reading(tmp_path):
    p = tmp_path / "d.npz"
    np.savez_compressed(p, x=np.zeros((1000, 1000)), y=np.zeros(1000))  # tiny on disk, 8 MB unpacked
    assert inspect_npz(p)["x"] == ((1000, 1000), "float64")
    with pytest.raises(TooLargeError, match="needs about 7.6 MB"):
        load_file(p, max_bytes=1_000_000)


@pytest.mark.parametrize("xname,yname,open_", [("x_train", "y_train", "x"), ("X", "y", "y"),
                                               ("train_images", "train_labels", "y"),
                                               ("features", "targets", "x")])
def test_npy_pairs_from_either_file(tmp_path, xname, yname, open_):
    x, y = np.arange(12.0).reshape(4, 3), np.array([0, 1, 2, 1])
    np.save(tmp_path / f"{xname}.npy", x)
    np.save(tmp_path / f"{yname}.npy", y)
    ds = load_file(tmp_path / f"{xname if open_ == 'x' else yname}.npy")
    np.testing.assert_array_equal(ds.x, x)
    np.testing.assert_array_equal(ds.y, y)


def test_lonely_npy_and_object_npy(tmp_path):
    np.save(tmp_path / "weights.npy", np.ones(3))
    with pytest.raises(DatasetError, match="single .npy array has no labels"):
        load_file(tmp_path / "weights.npy")
    np.save(tmp_path / "x.npy", np.array([None, 1], dtype=object), allow_pickle=True)
    np.save(tmp_path / "y.npy", np.array([0, 1]))
    with pytest.raises(UnsafeFileError, match="pickle"):
        load_file(tmp_path / "x.npy")


def test_truncated_npy(tmp_path):
    np.save(tmp_path / "x.npy", np.ones((50, 4)))
    np.save(tmp_path / "y.npy", np.zeros(50))
    data = (tmp_path / "x.npy").read_bytes()
    (tmp_path / "x.npy").write_bytes(data[:-100])
    with pytest.raises(TruncatedFileError):
        load_file(tmp_path / "x.npy")
