"""Hostile models inside session files: ``model.json``, ``compile.json``, weights and optimizer state.

Registered into :data:`tests.hostile.session_cases.CASES` with category ``"model"``.
"""

from __future__ import annotations

import io
import zipfile

import numpy as np

from tests.hostile.cases import edit_json, npy_bytes, npy_with_shape, npz_bytes, patch_member, rewrite
from tests.hostile.session_cases import case, drop_array, json_case, npz_case, out, set_array

# --- model.json: the model ------------------------------------------------------------------------
MODEL_FIELDS = [
    ("units-3e9", "layers.0.units", 3_000_000_000, "SessionLimitError"),
    ("units-5000", "layers.0.units", 5000, "SessionLimitError"),
    ("units-0", "layers.0.units", 0, "InvalidSessionError"),
    ("units-negative", "layers.0.units", -6, "InvalidSessionError"),
    ("units-string", "layers.0.units", "6", "InvalidSessionError"),
    ("units-float", "layers.0.units", 6.5, "InvalidSessionError"),
    ("units-bool", "layers.0.units", True, "InvalidSessionError"),
    ("units-null", "layers.0.units", None, "InvalidSessionError"),
    ("activation-unknown", "layers.0.activation", "oftmasx", "InvalidSessionError"),
    ("activation-number", "layers.0.activation", 3, "InvalidSessionError"),
    ("activation-dunder", "layers.0.activation", "__class__", "InvalidSessionError"),
    ("class-unknown", "layers.0.class", "Conv2D", "InvalidSessionError"),
    ("class-number", "layers.0.class", 12, "InvalidSessionError"),
    ("class-import", "layers.0.class", "os.system", "InvalidSessionError"),
    ("use-bias-string", "layers.0.use_bias", "no", "InvalidSessionError"),
    ("name-number", "layers.0.name", 5, "InvalidSessionError"),
    ("name-huge", "layers.0.name", "n" * 10_000, "InvalidSessionError"),
    ("name-duplicate", "layers.1.name", "dense", "InvalidSessionError"),
    ("name-empty", "layers.0.name", "", "InvalidSessionError"),
    ("model-name-list", "name", [1], "InvalidSessionError"),
    ("input-shape-1e9", "input_shape", [1_000_000_000], "SessionLimitError"),
    ("input-shape-product", "input_shape", [100_000, 100_000], "SessionLimitError"),
    ("input-shape-empty", "input_shape", [], "InvalidSessionError"),
    ("input-shape-zero", "input_shape", [0], "InvalidSessionError"),
    ("input-shape-negative", "input_shape", [-3], "InvalidSessionError"),
    ("input-shape-string", "input_shape", "3", "InvalidSessionError"),
    ("input-shape-nested", "input_shape", [[3]], "InvalidSessionError"),
    ("input-shape-too-many-dims", "input_shape", [1, 1, 1, 1, 3], "SessionLimitError"),
    ("input-shape-wrong", "input_shape", [4], "InvalidSessionError"),
    ("layers-not-list", "layers", {"0": 1}, "InvalidSessionError"),
    ("layers-empty", "layers", [], "InvalidSessionError"),
    ("layers-entry-string", "layers.0", "Dense", "InvalidSessionError"),
    ("layers-100", "layers", [{"class": "Dense", "name": f"d{i}", "units": 3, "activation": "relu"}
                              for i in range(100)], "SessionLimitError"),
    ("params-over-limit", "layers", [{"class": "Dense", "name": f"d{i}", "units": 4096, "activation": "relu"}
                                     for i in range(8)], "SessionLimitError"),
]
for _name, _path, _value, _expect in MODEL_FIELDS:
    json_case(f"model.json/{_name}", "model.json", _path, _value, _expect, category="model")


@case("model.json/layer-removed", "InvalidSessionError", category="model")
def _(d, s):
    return rewrite(s, out(d), edit_json("model.json", lambda doc: {**doc, "layers": doc["layers"][:1]}))


@case("model.json/layer-added", "InvalidSessionError", category="model")
def _(d, s):
    extra = {"class": "Dense", "name": "extra", "units": 3, "activation": "softmax"}
    return rewrite(s, out(d), edit_json("model.json", lambda doc: {**doc, "layers": doc["layers"] + [extra]}))


# --- compile.json: loss and optimizer ------------------------------------------------------------------
COMPILE_FIELDS = [
    ("loss-class-unknown", "loss.class", "NoSuchLoss", "InvalidSessionError"),
    ("loss-class-number", "loss.class", 5, "InvalidSessionError"),
    ("loss-class-module", "loss.class", "np", "InvalidSessionError"),
    ("loss-class-base", "loss.class", "Loss", "InvalidSessionError"),
    ("loss-config-list", "loss.config", [1], "InvalidSessionError"),
    ("loss-config-unknown-key", "loss.config.evil", 1, "InvalidSessionError"),
    ("loss-from-logits-string", "loss.config.from_logits", "no", "InvalidSessionError"),
    ("loss-reduction-bad", "loss.config.reduction", "everything", "InvalidSessionError"),
    ("loss-missing", "loss", None, "InvalidSessionError"),
    ("optimizer-unknown", "optimizer.class_name", "Lion", "InvalidSessionError"),
    ("optimizer-number", "optimizer.class_name", 3, "InvalidSessionError"),
    ("optimizer-dict", "optimizer.class_name", {"a": 1}, "InvalidSessionError"),
    ("optimizer-lr-negative", "optimizer.config.learning_rate", -1.0, "InvalidSessionError"),
    ("optimizer-lr-string", "optimizer.config.learning_rate", "fast", "InvalidSessionError"),
    ("optimizer-lr-schedule", "optimizer.config.learning_rate", {"class_name": "ExponentialDecay"},
     "InvalidSessionError"),
    ("optimizer-beta-2", "optimizer.config.beta_1", 2.0, "InvalidSessionError"),
    ("optimizer-amsgrad-number", "optimizer.config.amsgrad", 3, "InvalidSessionError"),
    ("optimizer-unknown-arg", "optimizer.config.momentum_of_doom", 1, "InvalidSessionError"),
    ("optimizer-config-list", "optimizer.config", [], "InvalidSessionError"),
    ("optimizer-name-number", "optimizer.config.name", 5, "InvalidSessionError"),
    ("metrics-string", "metrics", "accuracy", "InvalidSessionError"),
    ("metrics-unknown", "metrics", ["telepathy"], "InvalidSessionError"),
    ("metrics-number", "metrics", [3], "InvalidSessionError"),
    ("dtype-float16", "dtype", "float16", "InvalidSessionError"),
    ("dtype-number", "dtype", 32, "InvalidSessionError"),
]
for _name, _path, _value, _expect in COMPILE_FIELDS:
    json_case(f"compile.json/{_name}", "compile.json", _path, _value, _expect, category="model")

json_case("compile.json/loss-mismatch-mse", "compile.json", "loss", {"class": "MeanSquaredError", "config": {}},
          "InvalidSessionError", category="model")
json_case("compile.json/huber-delta-negative", "compile.json", "loss", {"class": "Huber", "config": {"delta": -1}},
          "InvalidSessionError", category="model")
json_case("compile.json/bce-smoothing-5", "compile.json", "loss",
          {"class": "BinaryCrossentropy", "config": {"label_smoothing": 5}}, "InvalidSessionError",
          category="model", base="binary")
json_case("compile.json/optimizer-switched-to-sgd", "compile.json", "optimizer",
          {"class_name": "SGD", "config": {}}, "InvalidSessionError", category="model")


# --- weights and optimizer state (the model's arrays) -------------------------------------------------
for _member in ("weights.npz", "initial.npz"):
    _m = _member.split(".")[0]
    for _name, _fn, _expect in (
            ("kernel-shape-1", set_array("p0", np.ones(1, np.float32)), "InvalidSessionError"),
            ("kernel-transposed", set_array("p0", lambda a: a["p0"].T.copy()), "InvalidSessionError"),
            ("kernel-extra-dim", set_array("p0", lambda a: a["p0"][None]), "InvalidSessionError"),
            ("bias-scalar", set_array("p1", np.float32(1.0)), "InvalidSessionError"),
            ("nan-weight", set_array("p0", lambda a: np.where(np.eye(*a["p0"].shape) > 0, np.nan, a["p0"])),
             "InvalidSessionError"),
            ("inf-weight", set_array("p2", lambda a: a["p2"] * np.inf), "InvalidSessionError"),
            ("complex-weights", set_array("p0", lambda a: a["p0"].astype(complex)), "InvalidSessionError"),
            ("string-weights", set_array("p0", lambda a: a["p0"].astype(str)), "InvalidSessionError"),
            ("int-weights", set_array("p0", lambda a: a["p0"].astype(np.int32)), "InvalidSessionError"),
            ("bool-weights", set_array("p1", lambda a: a["p1"] > 0), "InvalidSessionError"),
            ("beyond-float32", set_array("p0", lambda a: a["p0"].astype(np.float64) * 1e300), "InvalidSessionError"),
            ("missing-p1", drop_array("p1"), "InvalidSessionError"),
            ("extra-p9", set_array("p9", np.ones(3, np.float32)), "InvalidSessionError"),
            ("renamed", lambda a: {f"w{k}": v for k, v in a.items()}, "InvalidSessionError"),
            ("empty", lambda a: {}, "InvalidSessionError")):
        npz_case(f"{_m}/{_name}", _member, _fn, _expect, category="model")
    case(f"{_m}/pickled-object", "UnsafeSessionError", category="model")(
        lambda d, s, m=_member: rewrite(s, out(d), lambda n, data, m=m: npz_bytes(
            p0=np.array([{"run": "code"}], dtype=object)) if n == m else data))
    case(f"{_m}/not-a-zip", "DamagedSessionError", category="model")(
        lambda d, s, m=_member: rewrite(s, out(d), lambda n, data, m=m: b"garbage" if n == m else data))
    case(f"{_m}/truncated", "DamagedSessionError", category="model")(
        lambda d, s, m=_member: rewrite(s, out(d), lambda n, data, m=m: data[: len(data) // 2] if n == m else data))
    case(f"{_m}/npy-header-lie", "DamagedSessionError", category="model")(
        lambda d, s, m=_member: rewrite(s, out(d), lambda n, data, m=m: _lying_npz() if n == m else data))
    case(f"{_m}/unsafe-inner-name", "UnsafeSessionError", category="model")(
        lambda d, s, m=_member: rewrite(s, out(d), lambda n, data, m=m: _inner_zip(
            [("../p0.npy", npy_bytes(np.ones(3, np.float32)))]) if n == m else data))
    case(f"{_m}/encrypted-inner", "UnsafeSessionError", category="model")(
        lambda d, s, m=_member: rewrite(s, out(d), lambda n, data, m=m: patch_member(data, None, flag=1)
                                        if n == m else data))


def _lying_npz() -> bytes:
    return _inner_zip([("p0.npy", npy_with_shape(np.ones((3, 6), np.float32), "(3000000, 6)"))])


def _inner_zip(members) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buf.getvalue()


OPTIMIZER_CASES = [
    ("slot-renamed", lambda a: {k.replace("momentum", "mass"): v for k, v in a.items()}, "InvalidSessionError"),
    ("slot-index-gap", drop_array("momentum|1"), "InvalidSessionError"),
    ("slot-shape", set_array("velocity|0", np.ones(1, np.float32)), "InvalidSessionError"),
    ("slot-nan", set_array("velocity|2", lambda a: a["velocity|2"] * np.nan), "InvalidSessionError"),
    ("slot-no-bar", set_array("momentum", np.ones(3, np.float32)), "InvalidSessionError"),
    ("slot-bad-index", set_array("momentum|x", np.ones(3, np.float32)), "InvalidSessionError"),
    ("slot-empty", lambda a: {}, "InvalidSessionError"),
    ("slot-strings", set_array("momentum|0", lambda a: a["momentum|0"].astype(str)), "InvalidSessionError"),
]
for _name, _fn, _expect in OPTIMIZER_CASES:
    npz_case(f"optimizer/{_name}", "optimizer.npz", _fn, _expect, category="model")

npz_case("optimizer/slots-for-plain-sgd", "optimizer.npz", set_array("momentum|0", np.ones((3, 1), np.float32)),
         "InvalidSessionError", category="model", base="plain_sgd")




# --- model.json described by a Keras config (models opened from Keras files) ---------------------------------
def keras_description(change):
    """The good session's model as a Keras config (as a model opened from a .keras file is saved), changed.
    Written as plain JSON: building a model here would change the state the cases check."""
    def edit(doc):
        def dense(la):
            return {"module": "keras.layers", "class_name": "Dense", "registered_name": None, "config": {
                "name": la["name"], "trainable": True, "units": la["units"], "activation": la["activation"],
                "use_bias": True}}

        keras = {"module": "keras", "class_name": "Sequential", "registered_name": None, "config": {
            "name": doc["name"], "trainable": True, "layers": [
                {"module": "keras.layers", "class_name": "InputLayer", "registered_name": None,
                 "config": {"batch_shape": [None, *doc["input_shape"]], "dtype": "float32", "name": "input"}},
                *(dense(la) for la in doc["layers"])]}}
        change(keras)
        return {"name": doc["name"], "input_shape": doc["input_shape"], "keras": keras}
    return edit


KERAS_MODEL_CASES = [
    ("lambda-layer", lambda k: k["config"]["layers"][1].update(class_name="Lambda"), "UnsafeSessionError"),
    ("activation-with-code", lambda k: k["config"]["layers"][1]["config"].update(
        activation={"class_name": "__lambda__", "config": {"code": "AAAA"}}), "UnsafeSessionError"),
    ("custom-layer-class", lambda k: k["config"]["layers"][1].update(registered_name="course>Dense"),
     "InvalidSessionError"),
    ("units-3e9", lambda k: k["config"]["layers"][1]["config"].update(units=3_000_000_000), "SessionLimitError"),
    ("not-an-object", lambda k: k.clear(), "InvalidSessionError"),
]
for _name, _change, _expect in KERAS_MODEL_CASES:
    case(f"model.json/keras-{_name}", _expect, category="model")(
        lambda d, s, c=_change: rewrite(s, out(d), edit_json("model.json", keras_description(c))))
