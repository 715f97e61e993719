"""A folder of images with one subfolder per class (needs Pillow)."""

from __future__ import annotations

import itertools
import warnings
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np

from core import limits
from core.datasets.dataset import Dataset
from core.datasets.errors import DatasetError, FormatError, TooLargeError
from core.datasets.guard import dataset_loader
from core.datasets.limits import check_fits
from core.safeio import open_regular

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
#: Bytes of one image file on disk.
MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024


@dataset_loader
def load_image_folder(root: str | Path, size: tuple[int, int] | None = None, color: str | None = None,
                      max_bytes: int | None = None) -> Dataset:
    """Load ``root/<class>/<image>`` files.

    Every image's header is read first (size, mode) and checked against
    ``MAX_IMAGE_SIDE`` and ``MAX_IMAGE_PIXELS`` before any pixels are decoded,
    so a small file declaring 20000×20000 pixels is refused, not unpacked.

    Parameters
    ----------
    size : (height, width), optional
        Common size; default the most frequent size among the images.
    color : {"L", "RGB"}, optional
        Default grayscale when every image is grayscale, else RGB.
    """
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a dependency
        raise DatasetError("loading image folders needs Pillow (pip install Pillow).", root) from None
    root = Path(root)
    folders = itertools.islice((d for d in root.iterdir() if d.is_dir() and not d.name.startswith(".")),
                               limits.MAX_CLASSES + 1)
    classes = sorted(folders)
    if len(classes) > limits.MAX_CLASSES:
        raise TooLargeError(f"more than {limits.MAX_CLASSES:,} class folders (MAX_CLASSES).", root)
    files = []
    for c in classes:
        for f in sorted(c.iterdir()):
            if f.suffix.lower() in IMAGE_SUFFIXES and f.is_file():
                files.append((c.name, f))
                if len(files) > limits.MAX_SAMPLES:
                    raise TooLargeError(f"more than {limits.MAX_SAMPLES:,} images (MAX_SAMPLES).", root)
    used = sorted({name for name, _ in files})
    if not files:
        raise DatasetError("no images found: expected one subfolder per class, each holding image files "
                           f"({', '.join(sorted(IMAGE_SUFFIXES))}).", root)
    if len(used) < 2:
        raise DatasetError(f"only one class folder ({used[0]!r}) has images; a classifier needs at least two.", root)
    headers = [_header(Image, f) for _, f in files]
    if size is None:
        w, h = Counter(s for s, _ in headers).most_common(1)[0][0]
        size = (h, w)
    if color is None:
        color = "L" if all(mode in ("1", "L", "LA", "I", "I;16", "F") for _, mode in headers) else "RGB"
    channels = 1 if color == "L" else 3
    if size[0] * size[1] * channels > limits.MAX_FEATURES:
        raise TooLargeError(f"images of {size[0]}×{size[1]}×{channels} values, over the limit of "
                            f"{limits.MAX_FEATURES:,} features (MAX_FEATURES).", root)
    check_fits(len(files) * size[0] * size[1] * channels, root, "These images", max_bytes)
    x = np.empty((len(files), size[0], size[1]) + (() if channels == 1 else (3,)), dtype=np.uint8)
    index = {name: i for i, name in enumerate(used)}
    y = np.empty(len(files), dtype=np.int64)
    for k, (cls, f) in enumerate(files):
        x[k] = _pixels(Image, f, color, size)
        y[k] = index[cls]
    task = "binary" if len(used) == 2 else "classification"
    return Dataset(x, y, task, tuple(used), (), f"{root.name}/ (images, {len(used)} classes, {size[0]}×{size[1]})",
                   name=root.name)


def _header(Image, f: Path) -> tuple[tuple[int, int], str]:
    """(width, height) and mode from the image's header only, checked against the limits."""
    with _opened(Image, f) as im:
        (w, h), mode = im.size, im.mode
    if w > limits.MAX_IMAGE_SIDE or h > limits.MAX_IMAGE_SIDE or w * h > limits.MAX_IMAGE_PIXELS:
        raise TooLargeError(f"the image declares {w:,}×{h:,} pixels, over the limits of {limits.MAX_IMAGE_SIDE:,} "
                            f"per side and {limits.MAX_IMAGE_PIXELS:,} in all (MAX_IMAGE_SIDE, MAX_IMAGE_PIXELS).", f)
    return (w, h), mode


def _pixels(Image, f: Path, color: str, size: tuple[int, int]) -> np.ndarray:
    with _opened(Image, f) as im:
        try:
            im = im.convert(color)
            if im.size != (size[1], size[0]):
                im = im.resize((size[1], size[0]), Image.Resampling.BILINEAR)
            return np.asarray(im, dtype=np.uint8)
        except Exception as exc:  # Pillow raises OSError, ValueError, SyntaxError, struct.error...
            raise FormatError(f"could not decode this image ({type(exc).__name__}: {exc}).", f) from None


@contextmanager
def _opened(Image, f: Path) -> Iterator:
    """``Image.open`` on a guarded regular file (a FIFO would block Pillow), failures as :class:`DatasetError`."""
    with open_regular(f, MAX_IMAGE_FILE_BYTES, "image") as fh:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(fh)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise TooLargeError(f"the image is too large to decode safely ({exc}).", f) from None
        except Exception as exc:  # Pillow raises OSError, ValueError, SyntaxError, struct.error...
            raise FormatError(f"not a readable image ({type(exc).__name__}: {exc}).", f) from None
        with image:
            yield image
