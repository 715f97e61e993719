"""A folder of class subfolders with images (Pillow)."""

import numpy as np
import pytest
from PIL import Image

from core.datasets import DatasetError, FormatError, load_file


def make(root, classes, size=(8, 6), mode="L", n=2):
    for c in classes:
        (root / c).mkdir(parents=True)
        for k in range(n):
            arr = np.full((size[1], size[0]) + ((3,) if mode == "RGB" else ()), 40 * k + 10, np.uint8)
            Image.fromarray(arr, mode).save(root / c / f"{k}.png")


def test_grayscale_classes(tmp_path):
    make(tmp_path, ["cat", "dog"])
    ds = load_file(tmp_path)
    assert ds.class_names == ("cat", "dog") and ds.x.shape == (4, 6, 8)
    np.testing.assert_array_equal(ds.y, [0, 0, 1, 1])
    assert ds.x[1, 0, 0] == 50


def test_rgb_and_resizing_to_the_common_size(tmp_path):
    make(tmp_path, ["a", "b"], mode="RGB")
    Image.fromarray(np.zeros((20, 20, 3), np.uint8)).save(tmp_path / "a" / "big.png")
    ds = load_file(tmp_path)
    assert ds.x.shape == (5, 6, 8, 3)


def test_errors(tmp_path):
    with pytest.raises(DatasetError, match="no images found"):
        load_file(tmp_path)
    make(tmp_path, ["only"])
    with pytest.raises(DatasetError, match="only one class folder"):
        load_file(tmp_path)
    make(tmp_path, ["other"])
    (tmp_path / "other" / "broken.png").write_bytes(b"not a png")
    with pytest.raises(FormatError, match="broken.png: not a readable image"):
        load_file(tmp_path)
