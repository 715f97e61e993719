"""Datasets: built-in generators and loaders for CSV, NPZ/NPY, IDX and image folders.

Everything that can go wrong while loading raises a :class:`DatasetError`
whose message names the file, the place and what was expected. Nothing is
ever downloaded.
"""

from core.datasets.dataset import Dataset, Normalizer
from core.datasets.errors import (
    ArrayChoiceError,
    DatasetError,
    EmptyFileError,
    FormatError,
    NonFiniteError,
    ParseError,
    ShapeMismatchError,
    TooLargeError,
    TruncatedFileError,
    UnsafeFileError,
)
from core.datasets.files import FILE_FILTERS, load_file, sniff_kind
from core.datasets.generators import GENERATORS, generate, logic_gate
from core.datasets.idx_loader import load_idx, load_idx_pair, read_idx
from core.datasets.csv_loader import load_csv
from core.datasets.npz_loader import inspect_npz, load_npy_pair, load_npz
from core.datasets.image_folder import load_image_folder
from core.datasets.targets import DIGIT_CLASSES, FASHION_MNIST_CLASSES

__all__ = [
    "ArrayChoiceError", "DIGIT_CLASSES", "Dataset", "DatasetError", "EmptyFileError", "FASHION_MNIST_CLASSES",
    "FILE_FILTERS", "FormatError", "GENERATORS", "NonFiniteError", "Normalizer", "ParseError",
    "ShapeMismatchError", "TooLargeError", "TruncatedFileError", "UnsafeFileError", "generate", "inspect_npz",
    "load_csv", "load_file", "load_idx", "load_idx_pair", "load_image_folder", "load_npy_pair", "load_npz",
    "logic_gate", "read_idx", "sniff_kind",
]


def __getattr__(name: str):
    """Keras names Propscope refuses raise with the reason (see core.unsupported)."""
    from core.unsupported import missing

    return missing("datasets", name)
