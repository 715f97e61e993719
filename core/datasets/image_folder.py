"""A folder of images with one subfolder per class (needs Pillow)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from core.datasets.dataset import Dataset
from core.datasets.errors import DatasetError, FormatError
from core.datasets.limits import check_fits

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}


def load_image_folder(root: str | Path, size: tuple[int, int] | None = None, color: str | None = None,
                      max_bytes: int | None = None) -> Dataset:
    """Load ``root/<class>/<image>`` files.

    Parameters
    ----------
    size : (height, width), optional
        Common size; default the most frequent size among the images.
    color : {"L", "RGB"}, optional
        Default grayscale when every image is grayscale, else RGB.
    """
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:  # pragma: no cover - Pillow is a dependency
        raise DatasetError("loading image folders needs Pillow (pip install Pillow).", root) from None
    root = Path(root)
    classes = sorted(d for d in root.iterdir() if d.is_dir() and not d.name.startswith("."))
    files = [(c.name, f) for c in classes for f in sorted(c.iterdir())
             if f.is_file() and f.suffix.lower() in IMAGE_SUFFIXES]
    used = sorted({name for name, _ in files})
    if not files:
        raise DatasetError("no images found: expected one subfolder per class, each holding image files "
                           f"({', '.join(sorted(IMAGE_SUFFIXES))}).", root)
    if len(used) < 2:
        raise DatasetError(f"only one class folder ({used[0]!r}) has images; a classifier needs at least two.", root)
    headers = []
    for _, f in files:
        try:
            with Image.open(f) as im:
                headers.append((im.size, im.mode))
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise FormatError(f"not a readable image ({exc}).", f) from None
    if size is None:
        w, h = Counter(s for s, _ in headers).most_common(1)[0][0]
        size = (h, w)
    if color is None:
        color = "L" if all(mode in ("1", "L", "LA", "I", "I;16", "F") for _, mode in headers) else "RGB"
    channels = 1 if color == "L" else 3
    check_fits(len(files) * size[0] * size[1] * channels, root, "These images", max_bytes)
    x = np.empty((len(files), size[0], size[1]) + (() if channels == 1 else (3,)), dtype=np.uint8)
    index = {name: i for i, name in enumerate(used)}
    y = np.empty(len(files), dtype=np.int64)
    for k, (cls, f) in enumerate(files):
        try:
            with Image.open(f) as im:
                im = im.convert(color)
                if im.size != (size[1], size[0]):
                    im = im.resize((size[1], size[0]), Image.Resampling.BILINEAR)
                x[k] = np.asarray(im, dtype=np.uint8)
        except (OSError, ValueError) as exc:
            raise FormatError(f"could not decode this image ({exc}).", f) from None
        y[k] = index[cls]
    task = "binary" if len(used) == 2 else "classification"
    return Dataset(x, y, task, tuple(used), (), f"{root.name}/ (images, {len(used)} classes, {size[0]}×{size[1]})",
                   name=root.name)
