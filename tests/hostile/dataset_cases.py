"""Hostile data files: CSV, NPZ, NPY, IDX, image folders, and things that are not files at all."""

from __future__ import annotations

import gzip
import io
import os
import socket
import struct
import zipfile
from pathlib import Path

import numpy as np

from tests.hostile.cases import Case, central_entries, data_span, flip, npy_bytes, npy_with_shape, npz_bytes, \
    patch_member

CASES: list[Case] = []


def case(name: str, expect: str, exact: bool = True, **options):
    def register(build):
        CASES.append(Case(f"dataset/{name}", "dataset", build, expect, exact, "data", tuple(options.items())))
        return build
    return register


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def good_npz(**extra) -> bytes:
    rng = np.random.default_rng(0)
    arrays = {"x": rng.normal(size=(8, 3)).astype(np.float32), "y": np.array([0, 1] * 4)}
    arrays.update(extra)
    return npz_bytes(**arrays)


# --- not regular files: FIFOs, devices, sockets, links to them, nothing ------------------------
NAMES = ["data.csv", "data.tsv", "data.npz", "x.npy", "train-images-idx3-ubyte", "train-images-idx3-ubyte.gz",
         "session.propscope", "blob"]
for _name in NAMES:
    case(f"fifo/{_name}", "NotAFileError")(lambda d, b, n=_name: (os.mkfifo(d / n), d / n)[1])
    case(f"dev-zero/{_name}", "NotAFileError")(lambda d, b, n=_name: (os.symlink("/dev/zero", d / n), d / n)[1])
    case(f"dev-null/{_name}", "NotAFileError")(lambda d, b, n=_name: (os.symlink("/dev/null", d / n), d / n)[1])
    case(f"missing/{_name}", "NotAFileError")(lambda d, b, n=_name: d / n)
    case(f"dangling-link/{_name}", "NotAFileError")(
        lambda d, b, n=_name: (os.symlink(d / "nowhere", d / n), d / n)[1])


@case("link-to-fifo/data.csv", "NotAFileError")
def _(d, b):
    os.mkfifo(d / "pipe")
    os.symlink(d / "pipe", d / "data.csv")
    return d / "data.csv"


@case("socket/data.csv", "NotAFileError")
def _(d, b):
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(d / "data.csv"))
    sock.close()
    return d / "data.csv"


@case("link-loop/data.csv", "NotAFileError")
def _(d, b):
    os.symlink(d / "b.csv", d / "data.csv")
    os.symlink(d / "data.csv", d / "b.csv")
    return d / "data.csv"


@case("fifo-partner/x.npy", "DatasetError")
def _(d, b):
    (d / "x.npy").write_bytes(npy_bytes(np.ones((4, 2))))
    os.mkfifo(d / "y.npy")  # a FIFO is not taken for the labels file: "no partner", never a hang
    return d / "x.npy"


# --- CSV ---------------------------------------------------------------------------------------
CSV_CASES = {
    "empty": ("", "EmptyFileError"),
    "only-comments": ("# a\n# b\n\n", "EmptyFileError"),
    "header-only": ("a,b,label\n", "EmptyFileError"),
    "one-column": ("1\n2\n3\n", "ParseError"),
    "ragged-row": ("a,b,label\n1,2,0\n3,1\n", "ParseError"),
    "text-cell": ("a,b,label\n1,2,0\n3,oops,1\n", "ParseError"),
    "empty-cell": ("a,b,label\n1,2,0\n3,,1\n", "ParseError"),
    "empty-label": ("a,b,label\n1,2,0\n3,4,\n", "ParseError"),
    "nan-cell": ("a,b,label\n1,2,0\nnan,4,1\n", "NonFiniteError"),
    "inf-cell": ("a,b,label\n1,2,0\ninf,4,1\n", "NonFiniteError"),
    "minus-inf-cell": ("a,b,label\n1,2,0\n-inf,4,1\n", "NonFiniteError"),
    "overflow-1e308": ("a,b,label\n1e308,2,0\n3,4,1\n", "NonFiniteError"),
    "overflow-1e39": ("a,b,label\n1e39,2,0\n3,4,1\n", "NonFiniteError"),
    "overflow-1e400": ("a,b,label\n1e400,2,0\n3,4,1\n", "NonFiniteError"),
    "nan-regression-label": ("a,b,t\n1,2,0.5\n3,4,nan\n5,6,0.25\n", "NonFiniteError"),
    "binary-nul": ("a,b\x00,c\n1,2,3\n", "FormatError"),
    "missing-named-label": ("a,b,c\n1,2,3\n", "ParseError"),
    "quote-unterminated": ("a,b,label\n1,2,0\n\"3,4,1\n", "ParseError"),
    "one-text-column": ("x\ny\nz\n", "ParseError"),
}
for _name, (_text, _expect) in CSV_CASES.items():
    _options = {"label_column": "nope"} if _name == "missing-named-label" else {}
    case(f"csv/{_name}", _expect, **_options)(lambda d, b, t=_text: write(d, "data.csv", t))


@case("csv/nul-after-64k", "ParseError")
def _(d, b):
    rows = "".join(f"{i},{i % 3},{i % 2}\n" for i in range(9000))
    return write(d, "data.csv", "a,b,label\n" + rows + "1,\x002,0\n")


@case("csv/too-many-columns", "TooLargeError")
def _(d, b):
    return write(d, "data.csv", ",".join("0" for _ in range(1_048_578)) + "\n")


@case("csv/too-many-text-classes", "TooLargeError")
def _(d, b):
    return write(d, "data.csv", "a,label\n" + "".join(f"{i},c{i}\n" for i in range(1001)))


@case("csv/too-many-forced-classes", "TooLargeError", task="classification")
def _(d, b):
    return write(d, "data.csv", "a,label\n" + "".join(f"{i},{i * 7}\n" for i in range(1500)))


@case("csv/gzip-compressed", "FormatError")
def _(d, b):
    return write(d, "data.csv.gz", gzip.compress(b"a,b,label\n1,2,0\n3,4,1\n"))


# --- NPZ ---------------------------------------------------------------------------------------
@case("npz/not-a-zip", "FormatError")
def _(d, b):
    return write(d, "data.npz", b"this is not a zip file at all")


@case("npz/empty-file", "FormatError")
def _(d, b):
    return write(d, "data.npz", b"")


for _cut in (0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
    case(f"npz/truncated-{int(_cut * 100)}pct", "FormatError", exact=False)(
        lambda d, b, c=_cut: write(d, "data.npz", (lambda z: z[: int(len(z) * c)])(good_npz())))


@case("npz/encrypted-flag", "UnsafeFileError")
def _(d, b):
    return write(d, "data.npz", patch_member(good_npz(), None, flag=0x1))


for _method, _label in ((99, "aes"), (12, "bzip2"), (14, "lzma"), (9, "deflate64"), (1, "shrink")):
    case(f"npz/method-{_label}", "FormatError")(
        lambda d, b, m=_method: write(d, "data.npz", patch_member(good_npz(), "x.npy", method=m)))


@case("npz/symlink-member", "UnsafeFileError")
def _(d, b):
    return write(d, "data.npz", patch_member(good_npz(), "x.npy", attr=(0o120777 << 16)))


def _zip_with(names_and_data, compression=zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in names_and_data:
            zf.writestr(name, data)
    return buf.getvalue()


_X, _Y = npy_bytes(np.ones((4, 2), np.float32)), npy_bytes(np.array([0, 1, 0, 1]))
for _bad_name in ("../x.npy", "/x.npy", "a/../../x.npy", "x\\..\\y.npy", "C:x.npy", "x\x01.npy"):
    case(f"npz/unsafe-name-{_bad_name.encode().hex()[:16]}", "UnsafeFileError")(
        lambda d, b, n=_bad_name: write(d, "data.npz", _zip_with([(n, _X), ("y.npy", _Y)])))


@case("npz/duplicate-member", "FormatError")
def _(d, b):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return write(d, "data.npz", _zip_with([("x.npy", _X), ("x.npy", _X), ("y.npy", _Y)]))


@case("npz/member-not-npy", "FormatError")
def _(d, b):
    return write(d, "data.npz", _zip_with([("x.npy", _X), ("notes.txt", b"hello")]))


@case("npz/no-arrays", "DatasetError")
def _(d, b):
    return write(d, "data.npz", _zip_with([]))


@case("npz/unknown-keys", "ArrayChoiceError")
def _(d, b):
    return write(d, "data.npz", npz_bytes(inputs_a=np.ones((4, 3)), answers=np.zeros(4)))


@case("npz/missing-y-key", "DatasetError", x_key="x", y_key="zzz")
def _(d, b):
    return write(d, "data.npz", good_npz())


@case("npz/too-many-members", "TooLargeError")
def _(d, b):
    return write(d, "data.npz", _zip_with([(f"a{i}.npy", b"") for i in range(20_001)]))


@case("npz/end-record-claims-70000-members", "TooLargeError")
def _(d, b):
    data = bytearray(good_npz())
    at = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, at + 8, 65535, 65535)
    struct.pack_into("<I", data, at + 12, 30_000_000)
    return write(d, "data.npz", bytes(data))


@case("npz/declared-size-bomb", "TooLargeError")
def _(d, b):
    return write(d, "data.npz", patch_member(npz_bytes_compressed(), "x.npy", size=2**31))


@case("npz/declared-size-past-ratio-stored", "FormatError")
def _(d, b):
    return write(d, "data.npz", patch_member(good_npz(), "x.npy", size=1000))


NPZ_ARRAY_CASES = {
    "object-x": (dict(x=np.array([{"a": 1}, None, 1, 2], dtype=object), y=np.arange(4)), "UnsafeFileError"),
    "object-y": (dict(x=np.ones((4, 2)), y=np.array([None, 1, 2, 3], dtype=object)), "UnsafeFileError"),
    "structured-x": (dict(x=np.zeros(4, dtype=[("a", "f4"), ("b", "i4")]), y=np.arange(4)), "FormatError"),
    "complex-x": (dict(x=np.ones((4, 2), complex), y=np.array([0, 1, 0, 1])), "FormatError"),
    "string-x": (dict(x=np.array([["a", "b"]] * 4), y=np.array([0, 1, 0, 1])), "FormatError"),
    "datetime-x": (dict(x=np.zeros((4, 2), "datetime64[s]"), y=np.array([0, 1, 0, 1])), "FormatError"),
    "void-x": (dict(x=np.zeros((4, 2), "V4"), y=np.array([0, 1, 0, 1])), "FormatError"),
    "complex-y": (dict(x=np.ones((4, 2)), y=np.ones(4, complex)), "FormatError"),
    "zero-d-y": (dict(x=np.ones((4, 2)), y=np.array(3)), "ShapeMismatchError"),
    "three-d-y": (dict(x=np.ones((4, 2)), y=np.zeros((4, 2, 2))), "ShapeMismatchError"),
    "one-d-x": (dict(x=np.ones(4), y=np.zeros(4)), "ShapeMismatchError"),
    "x-no-features": (dict(x=np.zeros((10, 0)), y=np.zeros(10)), "ShapeMismatchError"),
    "x-zero-size-image": (dict(x=np.zeros((10, 28, 0)), y=np.zeros(10)), "ShapeMismatchError"),
    "x-no-samples": (dict(x=np.zeros((0, 3)), y=np.zeros(0)), "DatasetError"),
    "length-mismatch": (dict(x=np.ones((5, 2)), y=np.zeros(4)), "ShapeMismatchError"),
    "nan-x": (dict(x=np.array([[np.nan, 1], [1, 2]]), y=np.array([0, 1])), "NonFiniteError"),
    "inf-x": (dict(x=np.array([[np.inf, 1], [1, 2]]), y=np.array([0, 1])), "NonFiniteError"),
    "float64-beyond-float32": (dict(x=np.array([[1e300, 1], [1, 2]]), y=np.array([0, 1])), "NonFiniteError"),
    "nan-float-y": (dict(x=np.ones((3, 2)), y=np.array([0.5, np.nan, 0.25])), "NonFiniteError"),
    "too-many-sample-dims": (dict(x=np.zeros((2, 2, 2, 2, 2, 2)), y=np.zeros(2)), "TooLargeError"),
    "test-shape-mismatch": (dict(x_train=np.ones((4, 3)), y_train=np.array([0, 1, 0, 1]),
                                 x_test=np.ones((2, 5)), y_test=np.array([0, 1])), "ShapeMismatchError"),
    "test-length-mismatch": (dict(x_train=np.ones((4, 3)), y_train=np.array([0, 1, 0, 1]),
                                  x_test=np.ones((2, 3)), y_test=np.array([0, 1, 1])), "ShapeMismatchError"),
    "many-text-classes": (dict(x=np.ones((1001, 1)), y=np.array([f"c{i}" for i in range(1001)])), "TooLargeError"),
}
for _name, (_arrays, _expect) in NPZ_ARRAY_CASES.items():
    case(f"npz/{_name}", _expect)(lambda d, b, a=_arrays: write(d, "data.npz", npz_bytes(**a)))


def _npz_members(x_npy: bytes, y_npy: bytes = _Y, compression=zipfile.ZIP_STORED) -> bytes:
    return _zip_with([("x.npy", x_npy), ("y.npy", y_npy)], compression)


NPY_HEADER_LIES = {
    "shape-larger": ("(40, 2)", "TruncatedFileError"),
    "shape-smaller": ("(2, 2)", "FormatError"),
    "shape-huge": ("(1000000000000, 2)", "TooLargeError"),  # the header's sample count, before any size
    "shape-negative": ("(-4, 2)", "FormatError"),
    "shape-text": ("('a', 2)", "FormatError"),
    "shape-nine-dims": ("(1, 1, 1, 1, 1, 1, 1, 1, 8)", "TooLargeError"),
}
for _name, (_shape, _expect) in NPY_HEADER_LIES.items():
    for _comp in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        case(f"npz/header-{_name}-{'deflate' if _comp else 'stored'}", _expect)(
            lambda d, b, s=_shape, c=_comp: write(d, "data.npz", _npz_members(
                npy_with_shape(np.ones((4, 2), np.float32), s), compression=c)))


@case("npz/npy-garbage-header", "FormatError")
def _(d, b):
    return write(d, "data.npz", _npz_members(b"\x93NUMPY\x01\x00\x10\x00{'descr': <f4 garbage", b"garbage"))


@case("npz/npy-version-9", "FormatError")
def _(d, b):
    raw = bytearray(npy_bytes(np.ones((4, 2), np.float32)))
    raw[6] = 9
    return write(d, "data.npz", _npz_members(bytes(raw)))


def _flip_in_data(seed: int) -> bytes:
    data = npz_bytes_compressed()
    start, end = data_span(data, "x.npy")
    rng = np.random.default_rng(seed)
    return flip(data, int(rng.integers(start, end)), int(rng.integers(0, 8)))


def npz_bytes_compressed() -> bytes:
    buf = io.BytesIO()
    rng = np.random.default_rng(1)
    np.savez_compressed(buf, x=rng.normal(size=(64, 8)).astype(np.float32), y=rng.integers(0, 3, 64))
    return buf.getvalue()


for _seed in range(16):
    case(f"npz/bit-flip-in-deflate-{_seed}", "FormatError", exact=False)(
        lambda d, b, s=_seed: write(d, "data.npz", _flip_in_data(s)))


@case("npz/bit-flip-in-central-name", "FormatError", exact=False)
def _(d, b):
    data = npz_bytes_compressed()
    at, _ = central_entries(data)[0]
    return write(d, "data.npz", flip(data, at + 46))
