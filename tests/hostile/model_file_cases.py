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

from tests.hostile.cases import Case, data_span, edit_json, flip, nested, patch_member, rewrite, setdeep
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


# --- config.json ---------------------------------------------------------------------------------------------
@case("config-not-json", "DamagedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: b"{'class_name': Sequential"))


@case("config-with-nan", "DamagedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: json.dumps(doc).replace('"units": 6', '"units": NaN').encode()))


@case("config-200-deep", "ModelLimitError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.name", json.loads(nested(200)))))


@case("config-17-megabytes", "ModelLimitError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.name", "m" * 17_000_000)))


@case("metadata-not-json", "DamagedModelError")
def _(d, b):
    return keras(d, b, lambda name, data: b"\xff\xfe" if name == "metadata.json" else data)


@case("subclassed-model-class", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: doc.update(class_name="MyNet", registered_name="course>MyNet")))


@case("model-from-foreign-module", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: doc.update(module="evil.models")))


@case("lambda-layer-with-code", "UnsafeModelError")
def _(d, b):
    code = {"class_name": "__lambda__", "config": {"code": "4wEAAAAAAAAAAAAAAAEAAAADAAAA", "defaults": None,
                                                  "closure": None}}
    return keras(d, b, config(lambda doc: doc["config"]["layers"].insert(1, {
        "module": "keras.layers", "class_name": "Lambda", "config": {"name": "lam", "function": code},
        "registered_name": None})))


@case("activation-as-lambda", "UnsafeModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.activation", {
        "class_name": "__lambda__", "config": {"code": "AAAA"}})))


@case("activation-function-with-body", "UnsafeModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.activation", {
        "module": "builtins", "class_name": "function", "config": {"code": "AAAA"}, "registered_name": "function"})))


@case("conv2d-layer", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: layer(doc, 1).update(class_name="Conv2D")))


@case("lstm-layer", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: layer(doc, 1).update(class_name="LSTM")))


@case("unknown-layer-class", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: layer(doc, 1).update(class_name="EvilLayer")))


@case("dense-registered-as-custom", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: layer(doc, 1).update(registered_name="course>Dense")))


@case("initializer-from-os", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.kernel_initializer", {
        "module": "os", "class_name": "system", "config": {"command": "rm -rf /"}, "registered_name": None})))


@case("three-billion-units", "ModelLimitError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.units", 3_000_000_000)))


@case("units-as-text", "InvalidModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.units", "six")))


@case("negative-units", "InvalidModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.units", -6)))


@case("fractional-units", "InvalidModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.units", 6.5)))


@case("hundred-layers", "ModelLimitError")
def _(d, b):
    def grow(doc):
        act = {"module": "keras.layers", "class_name": "Activation", "config": {"activation": "relu"},
               "registered_name": None}
        doc["config"]["layers"][2:2] = [{**act, "config": {"name": f"act_{i}", "activation": "relu"}}
                                        for i in range(100)]
    return keras(d, b, config(grow))


@case("four-billion-parameters", "ModelLimitError")
def _(d, b):
    def huge(doc):
        setdeep(doc, "config.layers.0.config.batch_shape", [None, 1_000_000])
        setdeep(doc, "config.layers.1.config.units", 4096)
    return keras(d, b, config(huge))


@case("input-of-unknown-size", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.0.config.batch_shape", [None, None])))


@case("negative-input-size", "InvalidModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.0.config.batch_shape", [None, -4])))


@case("input-of-six-dimensions", "ModelLimitError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.0.config.batch_shape", [None] + [2] * 6)))


@case("two-million-input-features", "ModelLimitError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.0.config.batch_shape", [None, 2000, 1000])))


@case("unknown-layer-argument", "InvalidModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.run_this", "import os")))


@case("layer-name-with-slash", "InvalidModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.name", "../dense")))


@case("two-layers-one-name", "InvalidModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.2.config.name", "dense")))


@case("unknown-activation", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.activation", "evil_activation")))


@case("mixed-precision-policy", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "config.layers.1.config.dtype.config.name", "mixed_float16")))


@case("sequential-never-built", "InvalidModelError")
def _(d, b):
    def unbuilt(doc):
        doc["config"]["layers"].pop(0)
        doc["config"].pop("build_input_shape", None)
        doc.pop("build_config", None)
        for entry in doc["config"]["layers"]:
            entry.pop("build_config", None)
    return keras(d, b, config(unbuilt))


def functional(doc: dict) -> dict:
    """The good Sequential's config rewritten as a functional model."""
    names = [entry["config"]["name"] for entry in doc["config"]["layers"]]
    layers = []
    for i, entry in enumerate(doc["config"]["layers"]):
        entry = dict(entry, name=names[i])
        entry["inbound_nodes"] = [] if i == 0 else [{"args": [{"class_name": "__keras_tensor__", "config": {
            "shape": [None, 4], "dtype": "float32", "keras_history": [names[i - 1], 0, 0]}}], "kwargs": {}}]
        layers.append(entry)
    return {"module": "keras.src.models.functional", "class_name": "Functional", "registered_name": "Functional",
            "config": {"name": "functional", "trainable": True, "layers": layers,
                       "input_layers": [names[0], 0, 0], "output_layers": [names[-1], 0, 0]},
            "compile_config": doc["compile_config"]}


@case("functional-two-inputs", "UnsupportedModelError")
def _(d, b):
    def two(doc):
        out = functional(doc)
        second = json.loads(json.dumps(out["config"]["layers"][0]))
        second["name"] = second["config"]["name"] = "second_input"
        out["config"]["layers"].append(second)
        out["config"]["input_layers"] = [[out["config"]["layers"][0]["name"], 0, 0], ["second_input", 0, 0]]
        return out
    return keras(d, b, config(two))


@case("functional-cycle", "UnsupportedModelError")
def _(d, b):
    def cycle(doc):
        out = functional(doc)
        out["config"]["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["dense_1", 0, 0]
        return out
    return keras(d, b, config(cycle))


@case("functional-input-from-nowhere", "InvalidModelError")
def _(d, b):
    def dangling(doc):
        out = functional(doc)
        out["config"]["layers"][2]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] = ["ghost", 0, 0]
        return out
    return keras(d, b, config(dangling))


@case("functional-layer-called-twice", "UnsupportedModelError")
def _(d, b):
    def twice(doc):
        out = functional(doc)
        nodes = out["config"]["layers"][1]["inbound_nodes"]
        nodes.append(json.loads(json.dumps(nodes[0])))
        return out
    return keras(d, b, config(twice))


# --- model.weights.h5 -----------------------------------------------------------------------------------------
@case("weights-member-missing", "InvalidModelError")
def _(d, b):
    return keras(d, b, lambda name, data: None if name == WEIGHTS else data)


@case("kernel-of-wrong-shape", "InvalidModelError")
def _(d, b):
    return keras(d, b, weights(lambda h5: replace(h5, "layers/dense/vars/0", np.ones((6, 4), "float32"))))


@case("kernel-with-nan", "InvalidModelError")
def _(d, b):
    bad = np.ones((4, 6), "float32")
    bad[1, 2] = np.nan
    return keras(d, b, weights(lambda h5: replace(h5, "layers/dense/vars/0", bad)))


@case("kernel-beyond-float32", "InvalidModelError")
def _(d, b):
    return keras(d, b, weights(lambda h5: replace(h5, "layers/dense/vars/0", np.full((4, 6), 1e39))))


@case("kernel-of-integers", "InvalidModelError")
def _(d, b):
    return keras(d, b, weights(lambda h5: replace(h5, "layers/dense/vars/0", np.ones((4, 6), "int32"))))


@case("kernel-of-text", "DamagedModelError")
def _(d, b):
    import h5py

    return keras(d, b, weights(lambda h5: replace(h5, "layers/dense/vars/0",
                                                  np.array(["a"] * 4, dtype=h5py.string_dtype()))))


@case("three-vars-for-a-dense", "InvalidModelError")
def _(d, b):
    return keras(d, b, weights(lambda h5: h5.create_dataset("layers/dense/vars/2", data=np.ones(6, "float32"))))


@case("weights-external-link", "UnsafeModelError")
def _(d, b):
    import h5py

    (d / "other.h5").write_bytes(b"")
    return keras(d, b, weights(lambda h5: replace(h5, "layers/dense/vars/0",
                                                  h5py.ExternalLink(str(d / "other.h5"), "/x"))))


@case("weights-external-storage", "UnsafeModelError")
def _(d, b):
    (d / "secret.bin").write_bytes(b"\0" * 96)

    def fill(h5):
        del h5["layers/dense/vars/0"]
        h5.create_dataset("layers/dense/vars/0", shape=(4, 6), dtype="f4", external=[(str(d / "secret.bin"), 0, 96)])
    return keras(d, b, weights(fill))


@case("weights-declare-8-terabytes", "ModelLimitError")
def _(d, b):
    def fill(h5):
        del h5["layers/dense/vars/0"]
        h5.create_dataset("layers/dense/vars/0", shape=(10**6, 10**6), dtype="f8", chunks=(1, 1024))
    return keras(d, b, weights(fill))


@case("weights-not-hdf5", "DamagedModelError")
def _(d, b):
    return keras(d, b, lambda name, data: b"\x89HDF\r\n\x1a\n then nothing" if name == WEIGHTS else data)


@case("weights-truncated", "DamagedModelError")
def _(d, b):
    return keras(d, b, lambda name, data: data[:800] if name == WEIGHTS else data)


@case("optimizer-state-with-nan", "InvalidModelError")
def _(d, b):
    return keras(d, b, weights(lambda h5: replace(h5, "optimizer/vars/2", np.full((4, 6), np.nan, "float32"))))


@case("optimizer-at-iteration-minus-5", "InvalidModelError")
def _(d, b):
    return keras(d, b, weights(lambda h5: replace(h5, "optimizer/vars/0", np.int64(-5))))


@case("optimizer-iteration-as-float", "InvalidModelError")
def _(d, b):
    return keras(d, b, weights(lambda h5: replace(h5, "optimizer/vars/0", np.float32(2.5))))


@case("negative-learning-rate-variable", "InvalidModelError")
def _(d, b):
    return keras(d, b, weights(lambda h5: replace(h5, "optimizer/vars/1", np.float32(-1.0))))


# --- compile settings -------------------------------------------------------------------------------------------
@case("optimizer-propscope-lacks", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "compile_config.optimizer.class_name", "Ftrl")))


@case("optimizer-from-foreign-module", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "compile_config.optimizer.module", "evil.optim")))


@case("loss-custom-function", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "compile_config.loss", {
        "module": "course.losses", "class_name": "function", "config": "my_loss", "registered_name": "function"})))


@case("loss-as-lambda", "UnsafeModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "compile_config.loss", {
        "class_name": "__lambda__", "config": {"code": "AAAA"}})))


@case("learning-rate-as-text", "InvalidModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "compile_config.optimizer.config.learning_rate", "high")))


@case("negative-learning-rate", "InvalidModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "compile_config.optimizer.config.learning_rate", -0.1)))


@case("hundred-metrics", "InvalidModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "compile_config.metrics", ["accuracy"] * 100)))


@case("loss-for-two-outputs", "UnsupportedModelError")
def _(d, b):
    return keras(d, b, config(lambda doc: setdeep(doc, "compile_config.loss", {"a": "mse", "b": "mse"})))


# --- legacy .h5 -------------------------------------------------------------------------------------------------
@legacy_case("no-model-config", "DamagedModelError")
def _(d, b):
    return legacy(d, b, lambda h5: (h5.attrs.__delitem__("model_config"), h5.__delitem__("model_weights")))


@legacy_case("model-config-not-json", "DamagedModelError")
def _(d, b):
    return legacy(d, b, lambda h5: h5.attrs.__setitem__("model_config", b"{class_name: Sequential"))


@legacy_case("model-config-is-a-number", "InvalidModelError")
def _(d, b):
    return legacy(d, b, lambda h5: h5.attrs.__setitem__("model_config", 42))


@legacy_case("lambda-with-marshalled-code", "UnsafeModelError")
def _(d, b):
    def add(doc):
        doc["config"]["layers"].insert(2, {"class_name": "Lambda", "config": {
            "name": "lam", "function": ["4wEAAAAAAAAAAAAAAAEAAAAC", None, None], "function_type": "lambda"}})
    return legacy(d, b, set_json_attr("model_config", add))


@legacy_case("layer-names-point-nowhere", "InvalidModelError")
def _(d, b):
    return legacy(d, b, lambda h5: h5["model_weights"].attrs.__setitem__(
        "layer_names", np.array([b"dense_input", b"ghost", b"dense_1"])))


@legacy_case("weight-names-point-nowhere", "InvalidModelError")
def _(d, b):
    return legacy(d, b, lambda h5: h5["model_weights/dense"].attrs.__setitem__(
        "weight_names", np.array([b"dense/kernel:0", b"dense/ghost:0"])))


@legacy_case("weight-names-are-references", "DamagedModelError")
def _(d, b):
    import h5py

    def fill(h5):
        refs = np.array([h5["model_weights"].ref], dtype=h5py.ref_dtype)
        h5["model_weights/dense"].attrs["weight_names"] = refs
    return legacy(d, b, fill)


@legacy_case("soft-link-to-weights", "UnsafeModelError")
def _(d, b):
    import h5py

    return legacy(d, b, lambda h5: h5.__setitem__("alias", h5py.SoftLink("/model_weights")))


@legacy_case("kernel-of-wrong-shape", "InvalidModelError")
def _(d, b):
    return legacy(d, b, lambda h5: replace(h5, "model_weights/dense/dense/kernel:0", np.ones((3, 6), "float32")))


@legacy_case("training-config-not-json", "DamagedModelError")
def _(d, b):
    return legacy(d, b, lambda h5: h5.attrs.__setitem__("training_config", b"{loss: mse"))


@legacy_case("optimizer-state-with-inf", "InvalidModelError")
def _(d, b):
    return legacy(d, b, lambda h5: replace(h5, "optimizer_weights/Adam/dense/kernel/m:0",
                                           np.full((4, 6), np.inf, "float32")))


@legacy_case("model-config-of-20-million-characters", "ModelLimitError")
def _(d, b):
    import h5py

    path = d / "model.h5"
    with h5py.File(path, "w", libver="latest") as h5:  # dense attribute storage: attributes over 64 KiB
        h5.attrs["model_config"] = "x" * 20_000_000
    return path


@legacy_case("attribute-storing-80-megabytes", "ModelLimitError")
def _(d, b):
    import h5py

    path = d / "model.h5"
    with h5py.File(path, "w", libver="latest") as h5:
        h5.attrs["model_config"] = np.zeros(10_000_000, "f8")
    return path


@legacy_case("text-named-h5", "DamagedModelError")
def _(d, b):
    path = d / "model.h5"
    path.write_text("not HDF5 at all")
    return path
