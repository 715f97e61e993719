"""IDX files as MNIST ships them: values, partners, recognition and every failure."""

import gzip

import numpy as np
import pytest

from core.datasets import (DatasetError, FormatError, ShapeMismatchError, TooLargeError, TruncatedFileError,
                           load_file, load_idx, read_idx)
from core.datasets.targets import DIGIT_CLASSES, FASHION_MNIST_CLASSES
from tests.core.datasets.idx_files import idx_bytes, write_idx, write_pair


@pytest.mark.parametrize("gz", [True, False])
def test_images_file_finds_its_labels_and_values_match(tmp_path, gz):
    ip, _, images, labels = write_pair(tmp_path, gz=gz)
    ds = load_file(ip)
    np.testing.assert_array_equal(ds.x, images)
    np.testing.assert_array_equal(ds.y, labels)
    assert ds.input_shape == (4, 4) and len(ds) == 6


def test_labels_file_finds_its_images(tmp_path):
    _, lp, images, labels = write_pair(tmp_path)
    ds = load_file(lp)
    np.testing.assert_array_equal(ds.x, images)


def test_test_pair_is_loaded_as_the_test_set(tmp_path):
    ip, *_ = write_pair(tmp_path, "train", n=6)
    _, _, t_images, t_labels = write_pair(tmp_path, "t10k", n=3, seed=1)
    ds = load_idx(ip)
    np.testing.assert_array_equal(ds.x_test, t_images)
    np.testing.assert_array_equal(ds.y_test, t_labels)
    assert "train" in ds.source


def test_pixels_are_not_copied_after_decompression(tmp_path):
    ip, *_ = write_pair(tmp_path)
    x = load_idx(ip).x
    assert not x.flags.owndata  # a view on the decompressed buffer (np.frombuffer)


def test_fashion_recognized_by_path_and_digits_by_path(tmp_path):
    fashion = tmp_path / "fashion-mnist"
    fashion.mkdir()
    ip, *_ = write_pair(fashion, side=28)
    ds = load_idx(ip)
    assert ds.name == "Fashion-MNIST" and ds.class_names == FASHION_MNIST_CLASSES
    assert ds.class_names[9] == "Ankle boot"
    digits = tmp_path / "mnist"
    digits.mkdir()
    ip, *_ = write_pair(digits, side=28)
    assert load_idx(ip).class_names == DIGIT_CLASSES


def test_fashion_recognized_by_pixels_when_the_path_says_nothing(tmp_path):
    plain = tmp_path / "data"
    plain.mkdir()
    ip, *_ = write_pair(plain, side=28, bright=True)  # clothes fill the frame: bright mean
    ds = load_idx(ip)
    assert ds.name == "Fashion-MNIST" and ds.meta["recognized"] == "by its pixels"
    dim = tmp_path / "dim"
    dim.mkdir()
    ip, *_ = write_pair(dim, side=28, bright=False)
    assert load_idx(ip).name == "MNIST"


@pytest.mark.parametrize("dtype", ["uint8", "int8", ">i2", ">i4", ">f4", ">f8"])
def test_every_idx_data_type(tmp_path, dtype):
    arr = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    if dtype == "uint8":
        arr = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    got = read_idx(write_idx(tmp_path / "a.idx", arr, compress=False))
    np.testing.assert_array_equal(got, arr)
    assert got.dtype.isnative


def test_wrong_magic(tmp_path):
    p = tmp_path / "train-images-idx3-ubyte"
    p.write_bytes(b"\x01\x02\x08\x03" + b"\0" * 20)
    with pytest.raises(FormatError, match=r"train-images-idx3-ubyte, byte 0: not an IDX file: magic number "
                                          r"starts 0x01 0x02, expected 0x00 0x00"):
        read_idx(p)


def test_unknown_type_and_bad_dimension_count(tmp_path):
    p = tmp_path / "x-ubyte"
    p.write_bytes(b"\x00\x00\x07\x01" + b"\0\0\0\1" + b"\5")
    with pytest.raises(FormatError, match="byte 2: unknown IDX data type 0x07"):
        read_idx(p)
    p.write_bytes(b"\x00\x00\x08\x00")
    with pytest.raises(FormatError, match="byte 3: IDX header declares 0 dimensions"):
        read_idx(p)


def test_truncated_data_names_the_sizes(tmp_path):
    data = idx_bytes(np.zeros((3, 2, 2), np.uint8))[:-5]
    p = tmp_path / "short-ubyte"
    p.write_bytes(data)
    with pytest.raises(TruncatedFileError, match=r"announces 3×2×2 values \(12 bytes\) but only 7 bytes"):
        read_idx(p)


def test_extra_bytes_are_reported_at_their_offset(tmp_path):
    p = tmp_path / "long-ubyte"
    p.write_bytes(idx_bytes(np.zeros((2, 2), np.uint8)) + b"junk")
    with pytest.raises(FormatError, match="byte 16: 4 unexpected byte"):
        read_idx(p)


def test_truncated_gzip(tmp_path):
    raw = gzip.compress(idx_bytes(np.arange(2000, dtype=np.uint8).reshape(20, 10, 10)))
    p = tmp_path / "train-images-idx3-ubyte.gz"
    p.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(TruncatedFileError, match="ends early"):
        read_idx(p)


def test_corrupt_gzip(tmp_path):
    p = tmp_path / "train-images-idx3-ubyte.gz"
    p.write_bytes(b"\x1f\x8b\x08\x00" + b"\xff" * 40)
    with pytest.raises(FormatError):
        read_idx(p)


def test_label_count_mismatch(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((5, 2, 2), np.uint8))
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(4, np.uint8))
    with pytest.raises(ShapeMismatchError, match="5 images in train-images-idx3-ubyte.gz but 4 labels"):
        load_file(tmp_path / "train-images-idx3-ubyte.gz")


def test_missing_partner_files(tmp_path):
    ip = write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((5, 2, 2), np.uint8))
    with pytest.raises(DatasetError, match="no matching labels file"):
        load_file(ip)
    lp = write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", np.zeros(5, np.uint8))
    with pytest.raises(DatasetError, match="no matching images file"):
        load_file(lp)


def test_gzip_bomb_is_stopped_by_the_memory_budget(tmp_path):
    p = tmp_path / "train-images-idx3-ubyte.gz"
    p.write_bytes(gzip.compress(idx_bytes(np.zeros((1000, 28, 28), np.uint8))))
    with pytest.raises(TooLargeError, match="needs about"):
        read_idx(p, max_bytes=100_000)


def test_broken_test_pair_is_a_warning_not_a_failure(tmp_path):
    ip, *_ = write_pair(tmp_path, "train")
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", np.zeros((3, 4, 4), np.uint8))
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(b"garbage")
    ds = load_idx(ip)
    assert ds.x_test is None and "test set not loaded" in ds.meta["warnings"][0]
