"""The guarded reader on good files (the hostile ones are in tests/hostile)."""

import io
import os
import threading
import zipfile

import numpy as np
import pytest

import core
from core import safeio
from core.export import export_keras_h5


def test_reading_a_fifo_fails_at_once_instead_of_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    done = threading.Event()
    errors = []

    def read():
        try:
            safeio.read_bytes(tmp_path / "pipe")
        except safeio.NotRegularFileError as exc:
            errors.append(exc)
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(5) and "FIFO" in str(errors[0])


def test_zip_members_and_nested_npz_are_read_exactly(tmp_path):
    arrays = {"w": np.arange(12, dtype=">f4").reshape(3, 4), "f": np.asfortranarray(np.eye(3)),
              "b": np.array([True, False]), "s": np.array(["a", "bc"])}
    inner = io.BytesIO()
    np.savez_compressed(inner, **arrays)
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:
        zf.writestr("config.json", '{"layers": [1, 2]}')
        zf.writestr("inner.npz", inner.getvalue())
    with safeio.SafeZip.open(tmp_path / "a.zip") as archive:
        assert safeio.parse_json(archive.read("config.json"), tmp_path, "config.json") == {"layers": [1, 2]}
        with safeio.SafeZip.from_bytes(archive.read("inner.npz"), tmp_path, "inner.npz", npz=True) as npz:
            got = npz.arrays(kinds="biufU")
    for key, value in arrays.items():
        np.testing.assert_array_equal(got[key], value)
        assert got[key].dtype.isnative and got[key].flags.c_contiguous and got[key].flags.writeable


def test_fields_check_types_ranges_and_limits():
    fields = safeio.Fields({"units": 8, "rate": 1, "name": "x", "flag": True}, "model.json")
    assert fields.get("units", int, minimum=1, limit="MAX_UNITS") == 8
    assert fields.get("rate", float) == 1.0 and fields.get("missing", int, default=3) == 3
    with pytest.raises(safeio.InvalidValueError, match="'flag' should be a whole number"):
        fields.get("flag", int)
    with pytest.raises(safeio.ReadLimitError, match="MAX_UNITS") as info:
        safeio.Fields({"units": 10**6}, "model.json").get("units", int, limit="MAX_UNITS")
    assert info.value.limit == "MAX_UNITS"


def test_keras_weights_h5_are_read_as_plain_arrays(tmp_path):
    core.utils.set_random_seed(0)
    model = core.Sequential([core.Input(shape=(4,)), core.layers.Dense(3, activation="relu"),
                             core.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    path = export_keras_h5(model, tmp_path / "model.weights.h5")
    contents = safeio.read_h5(path)
    got = [contents.arrays[k] for k in sorted(contents.arrays)]
    expected = model.get_weights()
    assert len(got) == len(expected)
    for a, b in zip(sorted(got, key=lambda a: (a.shape, a.sum())), sorted(expected, key=lambda a: (a.shape, a.sum()))):
        np.testing.assert_array_equal(a, b)


def test_progress_is_reported_and_a_cancel_stops_the_read(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(b"\0" * (3 * safeio.files.READ_CHUNK + 5))
    seen = []
    with safeio.reporting(lambda done, total, what: seen.append((done, total))):
        assert len(safeio.read_bytes(path)) == path.stat().st_size
    assert seen[-1] == (path.stat().st_size, path.stat().st_size) and len(seen) == 4

    def cancel(done, total, what):
        raise safeio.LoadCancelled()

    with safeio.reporting(cancel), pytest.raises(safeio.LoadCancelled):
        safeio.read_bytes(path)
