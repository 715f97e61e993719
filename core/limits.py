"""Named limits that keep Propscope's promises: nothing a file or a field asks for can exhaust memory,
hang the app or overflow a Qt range.

Every limit has a name; a value over it raises :class:`LimitError`, whose
message names the limit and its value, so a user (or a test) can tell which
promise a file broke. The UI's spin boxes use the same numbers, so anything a
file may hold can also be shown and edited.

The limits are plain module constants on purpose: the app, the CLI, the
session files and the data loaders all import them from here, and a test can
read them.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

#: Qt's ``int`` (sliders, progress bars, spin boxes) is a signed 32-bit integer.
QT_INT_MAX = 2**31 - 1

# --- data ------------------------------------------------------------------------
#: Samples in one data set (training + test).
MAX_SAMPLES = 10_000_000
#: Points of a built-in 2-D set (the data panel's spin box allows the same).
MAX_BUILTIN_SAMPLES = 100_000
#: Values per sample (a 512×512 RGB image is 786,432).
MAX_FEATURES = 1 << 20
#: Dimensions of one sample (28×28×3 is 3).
MAX_SAMPLE_DIMS = 4
#: Classes of a classification data set (ImageNet has 1,000).
MAX_CLASSES = 1000
#: Width or height of one image in an image folder, and its pixel count.
MAX_IMAGE_SIDE = 8192
MAX_IMAGE_PIXELS = 16_777_216

# --- models and training -------------------------------------------------------------
#: Units of one Dense layer (the model table allows the same).
MAX_UNITS = 4096
#: Layers of one model.
MAX_LAYERS = 64
#: Trainable parameters of one model (400 MB in float32).
MAX_PARAMS = 100_000_000
#: Epochs of one run, and samples in one batch (the training panel allows the same).
MAX_EPOCHS = 100_000
MAX_BATCH_SIZE = 100_000
#: Updates of one session: the step slider and the progress bar are Qt ints.
MAX_STEPS = QT_INT_MAX
#: Seeds (the seed spin boxes are Qt ints).
MAX_SEED = QT_INT_MAX
#: Record statistics at least every this many steps.
MAX_RECORD_EVERY = 1_000_000

# --- history ---------------------------------------------------------------------------
#: Points kept per history series, and values per point (2 + 32 histogram bins).
MAX_HISTORY_CAPACITY = 1 << 16
MAX_HISTORY_WIDTH = 64
#: Series of one history (per layer about a dozen; 64 layers), and the memory they may reserve.
MAX_HISTORY_SERIES = 2048
MAX_HISTORY_BYTES = 64 * 1024**2

# --- files -----------------------------------------------------------------------------
#: Bytes of one file on disk (a session, a data file, a model).
MAX_FILE_BYTES = 16 * 1024**3
#: Bytes one archive (zip, npz, session) may unpack to, in total.
MAX_UNPACKED_BYTES = 8 * 1024**3
#: Members of one archive.
MAX_ARCHIVE_MEMBERS = 20_000
#: Unpacked size over packed size of one compressed member or stream. DEFLATE
#: cannot exceed 1032:1, so anything above that is not a real DEFLATE stream.
MAX_COMPRESSION_RATIO = 1100
#: Bytes of one JSON document, and how deeply it may nest.
MAX_JSON_BYTES = 16 * 1024**2
MAX_JSON_DEPTH = 32
#: Dimensions of one stored array.
MAX_ARRAY_DIMS = 8


class LimitError(ValueError):
    """A value is over (or under) one of the named limits above.

    Attributes
    ----------
    limit : str
        The limit's name, e.g. ``"MAX_UNITS"``.
    value, maximum
        What was asked for, and what is allowed.
    """

    def __init__(self, message: str, limit: str = "", value: Any = None, maximum: Any = None) -> None:
        super().__init__(message)
        self.limit = limit
        self.value = value
        self.maximum = maximum


def check_limit(what: str, value: Any, limit_name: str, minimum: int | float = 0) -> int | float:
    """Return ``value`` when ``minimum ≤ value ≤`` the limit named ``limit_name``, else raise.

    ``value`` must be a real number (bools are refused: ``True`` is not a count).
    """
    maximum = globals()[limit_name]
    if isinstance(value, bool) or type(value).__name__ == "bool_" or not isinstance(value, numbers.Real) or (
            not math.isfinite(float(value))):
        raise LimitError(f"{what} must be a number, got {_show(value)}.", limit_name, value, maximum)
    if value < minimum:
        raise LimitError(f"{what} must be at least {minimum:,}, got {value:,}.", limit_name, value, maximum)
    if value > maximum:
        raise LimitError(f"{what} is {value:,}, over the limit of {maximum:,} ({limit_name}).",
                         limit_name, value, maximum)
    return value


def qt_int(value: Any) -> int:
    """``value`` as an int that a Qt range accepts (clamped to ``[-QT_INT_MAX, QT_INT_MAX]``)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 0
    return max(-QT_INT_MAX, min(QT_INT_MAX, number))


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
