"""Hostile Keras model files, continued: ``config.json`` — JSON limits, code, custom classes, refused layer types,
limits, shapes and graphs that are not one chain. Registered like the cases of ``model_file_cases``."""

from __future__ import annotations

import json

from tests.hostile.model_file_cases import case, config, keras, layer
from tests.hostile.cases import nested, setdeep


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
