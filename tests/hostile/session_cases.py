"""Hostile session files (``.propscope``) and the model inside them (``model.json``, ``compile.json``, weights).

Every case starts from a good file the child process saves (``base``) and
changes one thing. Cases about the model a session carries have category
``"model"``; the rest ``"session"``.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

from tests.hostile.cases import (Case, central_entries, data_span, edit_json, edit_npz, flip, nested, npz_bytes,
                                 patch_member, rewrite, setdeep)

CASES: list[Case] = []
MEMBERS = ("manifest.json", "model.json", "compile.json", "session.json", "weights.npz", "initial.npz",
           "optimizer.npz", "history.npz", "data.npz")


def case(name: str, expect: str, exact: bool = True, category: str = "session", opener: str = "session",
         base: str = "session"):
    def register(build):
        def run(d: Path, b, build=build) -> Path:
            return build(d, getattr(b, base))
        CASES.append(Case(f"{category}/{name}", category, run, expect, exact, opener))
        return build
    return register


def out(d: Path) -> Path:
    return d / "hostile.propscope"


def json_case(name: str, member: str, path: str, value, expect: str, category: str = "session",
              base: str = "session", exact: bool = True):
    case(name, expect, exact, category, base=base)(
        lambda d, s, m=member, p=path, v=value: rewrite(s, out(d), edit_json(m, lambda doc: setdeep(doc, p, v))))


def npz_case(name: str, member: str, fn, expect: str, category: str = "session", base: str = "session"):
    case(name, expect, category=category, base=base)(lambda d, s, m=member, f=fn: rewrite(s, out(d), edit_npz(m, f)))


def set_array(key, value):
    def fn(arrays):
        arrays[key] = value(arrays) if callable(value) else value
    return fn


def drop_array(key):
    def fn(arrays):
        arrays.pop(key)
    return fn


# --- the container -------------------------------------------------------------------------------
@case("container/not-a-zip", "DamagedSessionError")
def _(d, s):
    out(d).write_bytes(b"definitely not a zip")
    return out(d)


@case("container/empty", "DamagedSessionError")
def _(d, s):
    out(d).write_bytes(b"")
    return out(d)


for _cut in (0.05, 0.25, 0.5, 0.75, 0.95, 0.999):
    case(f"container/truncated-{_cut}", "DamagedSessionError")(
        lambda d, s, c=_cut: (out(d).write_bytes(s.read_bytes()[: int(s.stat().st_size * c)]), out(d))[1])


@case("container/fifo", "UnsafeSessionError")
def _(d, s):
    os.mkfifo(out(d))
    return out(d)


@case("container/link-to-dev-zero", "UnsafeSessionError")
def _(d, s):
    os.symlink("/dev/zero", out(d))
    return out(d)


@case("container/folder", "UnsafeSessionError")
def _(d, s):
    out(d).mkdir()
    return out(d)


@case("container/missing", "SessionFileError")
def _(d, s):
    return out(d)


@case("container/encrypted-flag", "UnsafeSessionError")
def _(d, s):
    out(d).write_bytes(patch_member(s.read_bytes(), "session.json", flag=0x1))
    return out(d)


for _method, _label in ((99, "aes"), (12, "bzip2"), (14, "lzma"), (6, "implode")):
    case(f"container/method-{_label}", "DamagedSessionError")(
        lambda d, s, m=_method: (out(d).write_bytes(patch_member(s.read_bytes(), "model.json", method=m)), out(d))[1])


@case("container/declared-size-bomb", "SessionLimitError")
def _(d, s):
    out(d).write_bytes(patch_member(s.read_bytes(), "history.npz", size=2**32 - 1))
    return out(d)


@case("container/unpacks-past-budget", "SessionLimitError")
def _(d, s):
    return rewrite(s, out(d), add=[("padding.bin", b"\0" * 60_000_000)])


@case("container/too-many-members", "SessionLimitError")
def _(d, s):
    return rewrite(s, out(d), add=[(f"p{i}", b"") for i in range(20_001)], compression=zipfile.ZIP_STORED)


for _bad in ("../escape.txt", "/abs.txt", "a/../../b", "c:\\x", "x\x7f"):
    case(f"container/unsafe-name-{_bad.encode().hex()[:12]}", "UnsafeSessionError")(
        lambda d, s, n=_bad: rewrite(s, out(d), add=[(n, b"x")]))


@case("container/duplicate-member", "DamagedSessionError")
def _(d, s):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return rewrite(s, out(d), add=[("model.json", b"{}")])


@case("container/symlink-member", "UnsafeSessionError")
def _(d, s):
    out(d).write_bytes(patch_member(s.read_bytes(), "model.json", attr=(0o120777 << 16)))
    return out(d)


# Single-bit flips inside each member's compressed data: the CRC (or zlib) must catch every one.
for _member in MEMBERS:
    for _k in range(4):
        case(f"container/bit-flip-{_member}-{_k}", "DamagedSessionError")(
            lambda d, s, m=_member, k=_k: _flip_member(d, s, m, k))


def _flip_member(d: Path, s: Path, member: str, k: int) -> Path:
    data = s.read_bytes()
    start, end = data_span(data, member)
    rng = np.random.default_rng(zlib.crc32(member.encode()) + k)
    out(d).write_bytes(flip(data, int(rng.integers(start, end)), int(rng.integers(0, 8))))
    return out(d)


@case("container/bit-flip-central-name", "SessionFileError", exact=False)
def _(d, s):
    data = s.read_bytes()
    at, _ = central_entries(data)[3]
    out(d).write_bytes(flip(data, at + 47))
    return out(d)


@case("container/eocd-offset-garbage", "DamagedSessionError")
def _(d, s):
    data = bytearray(s.read_bytes())
    at = data.rfind(b"PK\x05\x06")
    struct.pack_into("<I", data, at + 16, 0xFFFFFFF0)
    out(d).write_bytes(bytes(data))
    return out(d)


# --- the manifest ------------------------------------------------------------------------------
for _m in MEMBERS[:-1]:
    case(f"members/missing-{_m}", "DamagedSessionError")(
        lambda d, s, m=_m: rewrite(s, out(d), lambda n, data, m=m: None if n == m else data))

json_case("manifest/format-foreign", "manifest.json", "format", "zip-of-cats", "InvalidSessionError")
json_case("manifest/format-number", "manifest.json", "format", 7, "InvalidSessionError")
for _v in (99, 0, -1, "1", True, 1.5, None):
    json_case(f"manifest/version-{_v!r}", "manifest.json", "version", _v, "UnsupportedSessionError")


# --- JSON members in general -----------------------------------------------------------------------
for _member in ("manifest.json", "model.json", "compile.json", "session.json"):
    for _label, _payload, _expect in (
            ("invalid", b"{not json", "DamagedSessionError"),
            ("deep-10000", nested(10_000).encode(), "SessionLimitError"),
            ("deep-40", nested(40).encode(), "SessionLimitError"),
            ("nan-literal", b'{"a": NaN}', "DamagedSessionError"),
            ("infinity-number", b'{"a": 1e999}', "DamagedSessionError"),
            ("duplicate-keys", b'{"a": 1, "a": 2}', "DamagedSessionError"),
            ("bad-utf8", b'{"a": "\xff\xfe"}', "DamagedSessionError"),
            ("huge-17mb", b'{"a": "' + b"x" * 17_000_000 + b'"}', "SessionLimitError"),
            ("a-list", b"[1, 2, 3]", "InvalidSessionError"),
            ("null", b"null", "InvalidSessionError")):
        if _member == "manifest.json" and _label in ("a-list", "null"):
            _expect = "InvalidSessionError"
        case(f"json/{_member}-{_label}", _expect)(
            lambda d, s, m=_member, p=_payload: rewrite(s, out(d), lambda n, data, m=m, p=p: p if n == m else data))


# --- session.json: the training state --------------------------------------------------------------
SESSION_FIELDS = [
    ("step-negative", "step", -1, "InvalidSessionError"),
    ("step-1e12", "step", 10**12, "SessionLimitError"),
    ("step-string", "step", "3", "InvalidSessionError"),
    ("step-float", "step", 3.5, "InvalidSessionError"),
    ("step-past-history", "step", 500, "InvalidSessionError"),
    ("epochs-1e16", "epochs", 10**16, "SessionLimitError"),
    ("epochs-0", "epochs", 0, "InvalidSessionError"),
    ("batch-size-1e12", "batch_size", 10**12, "SessionLimitError"),
    ("batch-size-0", "batch_size", 0, "InvalidSessionError"),
    ("batch-size-null", "batch_size", None, "InvalidSessionError"),
    ("shuffle-string", "shuffle", "yes", "InvalidSessionError"),
    ("seed-negative", "shuffle_seed", -1, "InvalidSessionError"),
    ("seed-2-40", "shuffle_seed", 2**40, "SessionLimitError"),
    ("stats-every-0", "stats_every", 0, "InvalidSessionError"),
    ("distributions-every-1e9", "distributions_every", 10**9, "SessionLimitError"),
    ("loss-sum-string-nan", "epoch_loss_sum", "NaN", "InvalidSessionError"),
    ("loss-sum-list", "epoch_loss_sum", [1], "InvalidSessionError"),
    ("metric-sums-wrong-length", "epoch_metric_sums", [1.0, 2.0, 3.0], "InvalidSessionError"),
    ("metric-sums-not-list", "epoch_metric_sums", 3.0, "InvalidSessionError"),
    ("metric-sums-strings", "epoch_metric_sums", ["a"], "InvalidSessionError"),
    ("optimizer-built-false", "optimizer_built", False, "InvalidSessionError"),
    ("optimizer-built-string", "optimizer_built", "true", "InvalidSessionError"),
    ("data-included-string", "data_included", "yes", "InvalidSessionError"),
    ("data-ref-list", "data_ref", [1, 2], "InvalidSessionError"),
    ("data-ref-deep", "data_ref", json.loads(nested(60)), "SessionLimitError"),
    ("settings-list", "settings", [], "InvalidSessionError"),
    ("class-names-not-list", "settings.class_names", "abc", "InvalidSessionError"),
    ("class-names-2000", "settings.class_names", [f"c{i}" for i in range(2000)], "SessionLimitError"),
    ("class-names-numbers", "settings.class_names", [1, 2], "InvalidSessionError"),
    ("fingerprint-string", "data_fingerprint", "abc", "InvalidSessionError"),
]
for _name, _path, _value, _expect in SESSION_FIELDS:
    json_case(f"session.json/{_name}", "session.json", _path, _value, _expect)


@case("session.json/nan-loss-sum-literal", "DamagedSessionError")
def _(d, s):
    return rewrite(s, out(d), edit_json("session.json", lambda doc: json.dumps(
        {**doc, "epoch_loss_sum": float("nan")}).encode()))


@case("session.json/step-missing", "InvalidSessionError")
def _(d, s):
    return rewrite(s, out(d), edit_json("session.json", lambda doc: {k: v for k, v in doc.items() if k != "step"}))


# --- history ----------------------------------------------------------------------------------------
def _meta(key, index, value):
    def fn(arrays):
        meta = arrays[key].copy()
        meta[index] = value
        arrays[key] = meta
    return fn


_LOSS = "scalars|loss|"
HISTORY_CASES = [
    ("meta-missing", drop_array("meta"), "InvalidSessionError"),
    ("meta-shape", set_array("meta", np.zeros(5, np.int64)), "InvalidSessionError"),
    ("meta-float", set_array("meta", np.zeros(2)), "InvalidSessionError"),
    ("last-step-negative", _meta("meta", 0, -5), "InvalidSessionError"),
    ("capacity-2e9", _meta(_LOSS + "meta", 0, 2_000_000_000), "SessionLimitError"),
    ("capacity-odd", _meta(_LOSS + "meta", 0, 4097), "InvalidSessionError"),
    ("capacity-2", _meta(_LOSS + "meta", 0, 2), "InvalidSessionError"),
    ("width-mismatch", _meta(_LOSS + "meta", 1, 3), "InvalidSessionError"),
    ("stride-0", _meta(_LOSS + "meta", 2, 0), "InvalidSessionError"),
    ("stride-3", _meta(_LOSS + "meta", 2, 3), "InvalidSessionError"),
    ("seen-below-points", _meta(_LOSS + "meta", 3, 1), "InvalidSessionError"),
    ("steps-backwards", set_array(_LOSS + "steps", lambda a: a[_LOSS + "steps"][::-1].copy()), "InvalidSessionError"),
    ("steps-float", set_array(_LOSS + "steps", lambda a: a[_LOSS + "steps"].astype(float)), "InvalidSessionError"),
    ("steps-past-last", set_array(_LOSS + "steps", lambda a: a[_LOSS + "steps"] + 1000), "InvalidSessionError"),
    ("values-complex", set_array(_LOSS + "values", lambda a: a[_LOSS + "values"].astype(complex)),
     "InvalidSessionError"),
    ("values-wrong-length", set_array(_LOSS + "values", np.zeros((2, 1))), "InvalidSessionError"),
    ("part-missing", drop_array(_LOSS + "values"), "InvalidSessionError"),
    ("unknown-store", set_array("secrets|x|steps", np.zeros(1, np.int64)), "InvalidSessionError"),
    ("two-part-key", set_array("scalars|steps", np.zeros(1, np.int64)), "InvalidSessionError"),
    ("distribution-width", lambda a: {**a, **{k: np.zeros((len(a[k]), 5)) for k in a
                                             if k.startswith("distributions|") and k.endswith("|values")}},
     "InvalidSessionError"),
    ("series-3000", lambda a: {**a, **{f"scalars|s{i}|{p}": v for i in range(3000) for p, v in
                                       (("steps", np.zeros(0, np.int64)), ("values", np.zeros((0, 1))),
                                        ("meta", np.array([4, 1, 1, 0])))}}, "SessionLimitError"),
]
for _name, _fn, _expect in HISTORY_CASES:
    npz_case(f"history/{_name}", "history.npz", _fn, _expect)


# --- data inside the file ---------------------------------------------------------------------------------
DATA_CASES = [
    ("x-feature-count", set_array("x", lambda a: np.ones((len(a["x"]), 5), np.float32)), "InvalidSessionError"),
    ("x-nan", set_array("x", lambda a: np.where(a["x"] > 1, np.nan, a["x"])), "InvalidSessionError"),
    ("x-inf", set_array("x", lambda a: a["x"] * np.inf), "InvalidSessionError"),
    ("x-strings", set_array("x", lambda a: a["x"].astype(str)), "InvalidSessionError"),
    ("x-complex", set_array("x", lambda a: a["x"].astype(complex)), "InvalidSessionError"),
    ("x-empty", set_array("x", np.zeros((0, 3), np.float32)), "InvalidSessionError"),
    ("x-beyond-float32", set_array("x", lambda a: a["x"].astype(np.float64) * 1e300), "InvalidSessionError"),
    ("y-class-7-of-3", set_array("y", lambda a: np.full(len(a["y"]), 7.0)), "InvalidSessionError"),
    ("y-fractional-classes", set_array("y", lambda a: a["y"] + 0.5), "InvalidSessionError"),
    ("y-negative", set_array("y", lambda a: a["y"] - 5), "InvalidSessionError"),
    ("y-length", set_array("y", lambda a: a["y"][:-3]), "InvalidSessionError"),
    ("y-matrix", set_array("y", lambda a: np.zeros((len(a["y"]), 3))), "InvalidSessionError"),
    ("y-scalar", set_array("y", np.float64(1)), "InvalidSessionError"),
    ("y-nan", set_array("y", lambda a: a["y"] * np.nan), "InvalidSessionError"),
    ("x-val-features", set_array("x_val", lambda a: np.ones((len(a["x_val"]), 2), np.float32)), "InvalidSessionError"),
    ("x-val-without-y", drop_array("y_val"), "InvalidSessionError"),
    ("extra-array", set_array("z", np.ones(3)), "InvalidSessionError"),
    ("x-missing", drop_array("x"), "InvalidSessionError"),
]
for _name, _fn, _expect in DATA_CASES:
    npz_case(f"data/{_name}", "data.npz", _fn, _expect)

npz_case("data/binary-label-7", "data.npz", set_array("y", lambda a: np.where(a["y"] > 0, 7.0, 0.0)),
         "InvalidSessionError", base="binary")
npz_case("data/binary-width-2", "data.npz", set_array("y", lambda a: np.zeros((len(a["y"]), 2))),
         "InvalidSessionError", base="binary")


@case("data/said-included-but-missing", "DamagedSessionError")
def _(d, s):
    return rewrite(s, out(d), lambda n, data: None if n == "data.npz" else data)


@case("data/referenced-without-loader", "SessionDataError", base="referenced")
def _(d, s):
    return rewrite(s, out(d))


# --- data references, regenerated by the app's loader ----------------------------------------------------
REF_CASES = [
    ("n-samples-1e6", {"n_samples": 1_000_000}),
    ("n-samples-1e8", {"n_samples": 100_000_000}),
    ("n-samples-string", {"n_samples": "abc"}),
    ("n-samples-bool", {"n_samples": True}),
    ("n-samples-float", {"n_samples": 100.5}),
    ("builtin-unknown", {"builtin": "../../etc/passwd"}),
    ("builtin-number", {"builtin": 3}),
    ("source-unknown", {"source": "http"}),
    ("noise-huge", {"noise": 1e30}),
    ("seed-negative", {"seed": -1}),
    ("validation-1", {"validation_fraction": 1.0}),
    ("normalization-evil", {"normalization": "__import__"}),
    ("file-empty-path", {"source": "file", "path": ""}),
    ("file-missing", {"source": "file", "path": "/nonexistent/data.csv"}),
    ("file-dev-zero", {"source": "file", "path": "/dev/zero"}),
    ("different-data", {"seed": 7}),
]
for _name, _change in REF_CASES:
    case(f"data-ref/{_name}", "SessionDataError", opener="session+data", base="referenced")(
        lambda d, s, c=_change: rewrite(s, out(d), edit_json("session.json", lambda doc, c=c: {
            **doc, "data_ref": {**doc["data_ref"], **c}})))


@case("data-ref/file-fifo", "SessionDataError", opener="session+data", base="referenced")
def _(d, s):
    os.mkfifo(d / "pipe.csv")
    return rewrite(s, out(d), edit_json("session.json", lambda doc: {
        **doc, "data_ref": {**doc["data_ref"], "source": "file", "path": str(d / "pipe.csv")}}))


@case("data-ref/file-is-hostile-npz", "SessionDataError", opener="session+data", base="referenced")
def _(d, s):
    (d / "data.npz").write_bytes(patch_member(npz_bytes(x=np.ones((4, 2)), y=np.arange(4)), None, flag=1))
    return rewrite(s, out(d), edit_json("session.json", lambda doc: {
        **doc, "data_ref": {**doc["data_ref"], "source": "file", "path": str(d / "data.npz")}}))
