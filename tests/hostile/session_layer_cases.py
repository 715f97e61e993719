"""Hostile Dropout, BatchNormalization and regularizers inside session files, and their random streams.

Registered into :data:`tests.hostile.session_cases.CASES` (category ``"model"``), each mutating the base
session with Dense(L2, activity L1) → BatchNormalization → Dropout → Dense.
"""

from __future__ import annotations

import numpy as np

from tests.hostile.cases import edit_json, rewrite
from tests.hostile.session_cases import case, json_case, npz_case, out, set_array

BAD = "InvalidSessionError"
LAYER_FIELDS = [
    # Dropout (layers.2)
    ("dropout-rate-1.5", "layers.2.rate", 1.5, BAD),
    ("dropout-rate-negative", "layers.2.rate", -0.1, BAD),
    ("dropout-rate-string", "layers.2.rate", "high", BAD),
    ("dropout-rate-null", "layers.2.rate", None, BAD),
    ("dropout-seed-negative", "layers.2.seed", -1, BAD),
    ("dropout-seed-float", "layers.2.seed", 1.5, BAD),
    ("dropout-seed-string", "layers.2.seed", "os.urandom", BAD),
    ("dropout-noise-shape-string", "layers.2.noise_shape", "x", BAD),
    ("dropout-noise-shape-zero", "layers.2.noise_shape", [None, 0], BAD),
    ("dropout-noise-shape-rank", "layers.2.noise_shape", [None, 6, 1], BAD),
    ("dropout-noise-shape-huge", "layers.2.noise_shape", [None, 10**12], BAD),
    ("dropout-unknown-field", "layers.2.evil", 1, BAD),
    # BatchNormalization (layers.1)
    ("batchnorm-momentum-string", "layers.1.momentum", "high", BAD),
    ("batchnorm-momentum-2", "layers.1.momentum", 2.0, BAD),
    ("batchnorm-epsilon-negative", "layers.1.epsilon", -1.0, BAD),
    ("batchnorm-epsilon-zero", "layers.1.epsilon", 0, BAD),
    ("batchnorm-axis-7", "layers.1.axis", 7, BAD),
    ("batchnorm-axis-batch", "layers.1.axis", 0, BAD),
    ("batchnorm-center-string", "layers.1.center", "yes", BAD),
    ("batchnorm-scale-number", "layers.1.scale", 1, BAD),
    ("batchnorm-without-beta", "layers.1.center", False, BAD),  # the weights no longer fit
    ("batchnorm-becomes-dropout", "layers.1.class", "Dropout", BAD),
    ("dropout-becomes-batchnorm", "layers.2.class", "BatchNormalization", BAD),
    # regularizers (layers.0)
    ("regularizer-string", "layers.0.kernel_regularizer", "l2", BAD),
    ("regularizer-list", "layers.0.kernel_regularizer", [1], BAD),
    ("regularizer-orthogonal", "layers.0.kernel_regularizer", {"class_name": "OrthogonalRegularizer",
                                                              "config": {}}, BAD),
    ("regularizer-import", "layers.0.kernel_regularizer", {"class_name": "os.system", "config": {}}, BAD),
    ("regularizer-negative", "layers.0.kernel_regularizer", {"class_name": "L2", "config": {"l2": -1}}, BAD),
    ("regularizer-huge", "layers.0.kernel_regularizer", {"class_name": "L2", "config": {"l2": 1e300}}, BAD),
    ("regularizer-foreign-argument", "layers.0.kernel_regularizer", {"class_name": "L2", "config": {"l1": 0.1}},
     BAD),
    ("regularizer-string-factor", "layers.0.kernel_regularizer", {"class_name": "L2", "config": {"l2": "0.01"}},
     BAD),
    ("regularizer-bool-factor", "layers.0.activity_regularizer", {"class_name": "L1", "config": {"l1": True}}, BAD),
    ("regularizer-extra-key", "layers.0.bias_regularizer", {"class_name": "L1", "config": {}, "code": "x"}, BAD),
    ("regularizer-on-dropout", "layers.2.kernel_regularizer", {"class_name": "L2", "config": {}}, BAD),
]
for _name, _path, _value, _expect in LAYER_FIELDS:
    json_case(f"model.json/{_name}", "model.json", _path, _value, _expect, category="model", base="layers")


@case("model.json/dropout-removed", BAD, category="model", base="layers")
def _(d, s):  # no dropout layer for the session's dropout random state
    return rewrite(s, out(d), edit_json("model.json", lambda doc: {
        **doc, "layers": [la for la in doc["layers"] if la["class"] != "Dropout"]}))


NOISE_FIELDS = [
    ("noise-state-empty", "noise_state", [], BAD),
    ("noise-state-two", "noise_state", [[1, 2], [3, 4]], BAD),
    ("noise-state-negative", "noise_state", [[-1, 0]], BAD),
    ("noise-state-string", "noise_state", [["a", 0]], BAD),
    ("noise-state-float", "noise_state", [[1.5, 0]], BAD),
    ("noise-state-triple", "noise_state", [[1, 2, 3]], BAD),
    ("noise-state-huge-number", "noise_state", [[1, 2**70]], BAD),
    ("noise-state-text", "noise_state", "x", BAD),
    ("noise-state-10000", "noise_state", [[1, 2]] * 10_000, "SessionLimitError"),
    ("initial-noise-state-empty", "initial_noise_state", [], BAD),
]
for _name, _path, _value, _expect in NOISE_FIELDS:
    json_case(f"session.json/{_name}", "session.json", _path, _value, _expect, category="model", base="layers")


@case("session.json/noise-state-missing", BAD, category="model", base="layers")
def _(d, s):  # a model with dropout but no stream state: replays could not draw the same masks
    return rewrite(s, out(d), edit_json("session.json", lambda doc: {
        k: v for k, v in doc.items() if k not in ("noise_state", "initial_noise_state")}))


for _member in ("weights.npz", "initial.npz"):  # p5: batch_normalization/moving_variance
    npz_case(f"{_member.split('.')[0]}/moving-variance-negative", _member,
             set_array("p5", -np.ones(6, np.float32)), BAD, category="model", base="layers")
    npz_case(f"{_member.split('.')[0]}/moving-variance-nan", _member,
             set_array("p5", np.full(6, np.nan, np.float32)), BAD, category="model", base="layers")
