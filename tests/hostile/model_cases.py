"""Hostile HDF5 model files (Keras ``.h5`` / ``.weights.h5``), read by the guarded reader's ``read_h5``.

Loading Keras models comes later (it will build on ``core.safeio.read_h5``);
these cases hold the reader to its promise now: numeric datasets only, no
links or storage outside the file, sizes within the limits.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from tests.hostile.cases import Case

CASES: list[Case] = []


def case(name: str, expect: str, exact: bool = True):
    def register(build):
        CASES.append(Case(f"model/h5/{name}", "model", build, expect, exact, "h5"))
        return build
    return register


def h5(d: Path, fill) -> Path:
    import h5py

    path = d / "model.weights.h5"
    with h5py.File(path, "w") as f:
        fill(f, d)
    return path


def _good(f, d):
    f.create_dataset("layers/dense/vars/0", data=np.ones((3, 4), np.float32))


@case("external-link", "UnsafeContentError")
def _(d, b):
    import h5py

    other = h5(d, _good).rename(d / "other.h5")
    return h5(d, lambda f, d: f.__setitem__("layers", h5py.ExternalLink(str(other), "/layers")))


@case("soft-link", "UnsafeContentError")
def _(d, b):
    import h5py

    def fill(f, d):
        _good(f, d)
        f["alias"] = h5py.SoftLink("/layers")
    return h5(d, fill)


@case("external-storage", "UnsafeContentError")
def _(d, b):
    (d / "secret.bin").write_bytes(b"\0" * 48)
    return h5(d, lambda f, d: f.create_dataset("w", shape=(3, 4), dtype="f4", external=[(str(d / "secret.bin"), 0,
                                                                                         48)]))


@case("virtual-dataset", "UnsafeContentError")
def _(d, b):
    import h5py

    src = h5(d, _good).rename(d / "src.h5")

    def fill(f, d):
        layout = h5py.VirtualLayout(shape=(3, 4), dtype="f4")
        layout[:] = h5py.VirtualSource(str(src), "layers/dense/vars/0", shape=(3, 4))
        f.create_virtual_dataset("w", layout)
    return h5(d, fill)


@case("object-references", "CorruptFileError")
def _(d, b):
    import h5py

    def fill(f, d):
        _good(f, d)
        ds = f.create_dataset("refs", (1,), dtype=h5py.ref_dtype)
        ds[0] = f["layers"].ref
    return h5(d, fill)


@case("vlen-strings", "CorruptFileError")
def _(d, b):
    import h5py

    return h5(d, lambda f, d: f.create_dataset("s", data=["a", "bb"], dtype=h5py.string_dtype()))


@case("compound-dtype", "CorruptFileError")
def _(d, b):
    return h5(d, lambda f, d: f.create_dataset("c", data=np.zeros(3, dtype=[("a", "f4"), ("b", "i4")])))


@case("complex-dataset", "CorruptFileError")
def _(d, b):
    return h5(d, lambda f, d: f.create_dataset("c", data=np.ones(3, complex)))


@case("declared-8-terabytes", "ReadLimitError")
def _(d, b):
    return h5(d, lambda f, d: f.create_dataset("huge", shape=(10**6, 10**6), dtype="f8", chunks=(1, 1024)))


@case("nine-dims", "ReadLimitError")
def _(d, b):
    return h5(d, lambda f, d: f.create_dataset("n", shape=(1,) * 9, dtype="f4"))


@case("groups-20-deep", "ReadLimitError")
def _(d, b):
    return h5(d, lambda f, d: f.create_group("/".join(f"g{i}" for i in range(20))))


@case("10001-objects", "ReadLimitError")
def _(d, b):
    def fill(f, d):
        for i in range(10_001):
            f.create_group(f"g{i}")
    return h5(d, fill)


@case("not-hdf5", "CorruptFileError")
def _(d, b):
    path = d / "model.weights.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n but nothing else")
    return path


@case("truncated", "CorruptFileError")
def _(d, b):
    path = h5(d, _good)
    path.write_bytes(path.read_bytes()[:600])
    return path


@case("fifo", "NotRegularFileError")
def _(d, b):
    os.mkfifo(d / "model.h5")
    return d / "model.h5"


@case("link-to-dev-zero", "NotRegularFileError")
def _(d, b):
    os.symlink("/dev/zero", d / "model.h5")
    return d / "model.h5"
