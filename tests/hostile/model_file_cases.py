"""Hostile Keras model files — ``.keras`` archives and legacy ``.h5`` models — opened with ``open_model``.

Each is a good file (a compiled, trained model saved by Propscope as Keras 3
writes it, or a tf.keras 2.x ``.h5`` made by hand) with one thing wrong: the
zip (names climbing out, links, encryption, bombs, truncation, bit flips), the
JSON (depth, size, NaN, types), the architecture (code, custom classes, layer
types, limits, shapes, graphs that are not one chain), the weights file (HDF5
links, external storage, sizes, NaN, shapes, dtypes), the compile settings
and optimizer state. Each must be refused with its specific error, the prior
state unchanged.
"""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from pathlib import Path

import numpy as np

from tests.hostile.cases import Case, data_span, edit_json, flip, patch_member, rewrite
from tests.hostile.model_cases import CASES

CONFIG, WEIGHTS = "config.json", "model.weights.h5"


def case(name: str, expect: str, exact: bool = True):
    def register(build):
        CASES.append(Case(f"model/keras/{name}", "model", build, expect, exact, "model"))
        return build
    return register


def legacy_case(name: str, expect: str, exact: bool = True):
    def register(build):
        CASES.append(Case(f"model/legacy-h5/{name}", "model", build, expect, exact, "model"))
        return build
    return register


def make_model_files(folder: Path):
    """The good files every case mutates: ``(keras_file, h5_file)``."""
    import core
    from tests.core.model_loading.tf_keras_files import sequential_tf24, weights_for

    core.utils.set_random_seed(3)
    model = core.Sequential([core.Input((4,)), core.layers.Dense(6, activation="relu", name="dense"),
                             core.layers.Dense(3, activation="softmax", name="dense_1")], name="sequential")
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"], backend="numpy")
    x = np.random.default_rng(0).normal(size=(32, 4)).astype("float32")
    model.fit(x, np.arange(32) % 3, batch_size=16, epochs=1, verbose=0)
    keras_file = folder / "good.keras"
    model.save(keras_file)
    weights = weights_for([4, 6, 3])
    state = {"m": [np.zeros_like(w) for w in weights], "v": [np.ones_like(w) * 1e-3 for w in weights]}
    h5_file = sequential_tf24(folder / "good.h5", weights, state, iterations=4)
    return keras_file, h5_file


# --- helpers ------------------------------------------------------------------------------------------------
def keras(d: Path, b, change=None, add=(), name: str = "model.keras", compression=zipfile.ZIP_DEFLATED) -> Path:
    return rewrite(b.keras_file, d / name, change, add, compression)


def config(fn):
    """A change of ``config.json``: ``fn(doc)`` edits in place (or returns a new document or bytes)."""
    def edit(doc):
        out = fn(doc)
        return doc if out is None else out
    return edit_json(CONFIG, edit)


def layer(doc: dict, index: int) -> dict:
    return doc["config"]["layers"][index]


def weights(fill):
    """A change of ``model.weights.h5``: ``fill(h5)`` edits the HDF5 file in memory."""
    def change(name: str, data: bytes) -> bytes:
        if name != WEIGHTS:
            return data
        import h5py

        buf = io.BytesIO(data)
        with h5py.File(buf, "r+") as h5:
            fill(h5)
        return buf.getvalue()
    return change


def replace(h5, path: str, value) -> None:
    del h5[path]
    h5[path] = value


def legacy(d: Path, b, fill=None, name: str = "model.h5") -> Path:
    import h5py

    target = d / name
    target.write_bytes(Path(b.h5_file).read_bytes())
    if fill is not None:
        with h5py.File(target, "r+") as h5:
            fill(h5)
    return target


def set_json_attr(key: str, fn):
    def fill(h5):
        doc = json.loads(h5.attrs[key])
        out = fn(doc)
        h5.attrs[key] = json.dumps(doc if out is None else out).encode()
    return fill


# --- the archive ---------------------------------------------------------------------------------------------
@case("member-climbs-out", "UnsafeModelError")
def _(d, b):
    return keras(d, b, add=[("../../evil.py", b"print('owned')")])


@case("absolute-member", "UnsafeModelError")
def _(d, b):
    return keras(d, b, add=[("/etc/cron.d/evil", b"x")])


@case("member-is-a-symlink", "UnsafeModelError")
def _(d, b):
    path = keras(d, b)
    data = patch_member(path.read_bytes(), CONFIG, attr=(stat.S_IFLNK | 0o777) << 16)
    path.write_bytes(data)
    return path


@case("encrypted-member", "UnsafeModelError")
def _(d, b):
    path = keras(d, b)
    path.write_bytes(patch_member(path.read_bytes(), WEIGHTS, flag=0x1))
    return path


@case("bzip2-member", "DamagedModelError")
def _(d, b):
    return keras(d, b, compression=zipfile.ZIP_BZIP2)


@case("zip-bomb-member", "ModelLimitError")
def _(d, b):
    path = keras(d, b)
    path.write_bytes(patch_member(path.read_bytes(), CONFIG, size=4_000_000_000))
    return path


@case("truncated-archive", "DamagedModelError")
def _(d, b):
    path = keras(d, b)
    path.write_bytes(path.read_bytes()[:-300])
    return path


@case("bit-flip-in-config", "DamagedModelError")
def _(d, b):
    path = keras(d, b)
    data = path.read_bytes()
    start, end = data_span(data, CONFIG)
    path.write_bytes(flip(data, (start + end) // 2, 3))
    return path


@case("text-named-keras", "DamagedModelError")
def _(d, b):
    path = d / "model.keras"
    path.write_text("this is not a model")
    return path


@case("no-config-member", "DamagedModelError")
def _(d, b):
    return keras(d, b, change=lambda name, data: None if name == CONFIG else data)


@case("duplicate-config-member", "DamagedModelError")
def _(d, b):
    with zipfile.ZipFile(b.keras_file) as zin:
        doc = zin.read(CONFIG)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return keras(d, b, add=[(CONFIG, doc)])


@case("million-members-declared", "ModelLimitError")
def _(d, b):
    path = keras(d, b)
    data = bytearray(path.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    data[at + 8:at + 12] = (1_000_000 % 65536).to_bytes(2, "little") * 2
    data[at + 12:at + 16] = (60_000_000).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@case("fifo", "UnsafeModelError")
def _(d, b):
    os.mkfifo(d / "model.keras")
    return d / "model.keras"


@case("link-to-dev-zero", "UnsafeModelError")
def _(d, b):
    os.symlink("/dev/zero", d / "model.keras")
    return d / "model.keras"
