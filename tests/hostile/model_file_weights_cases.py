"""Hostile Keras model files, continued: the weights file, the compile settings and optimizer state, and legacy
``.h5`` models. Registered into :data:`tests.hostile.model_cases.CASES` by the helpers of ``model_file_cases``."""

from __future__ import annotations

import numpy as np

from tests.hostile.cases import setdeep
from tests.hostile.model_file_cases import (WEIGHTS, case, config, keras, legacy, legacy_case, replace, set_json_attr,
                                            weights)


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
