"""Opening files off the GUI thread: progress, Cancel, and nothing changed until the new state is complete."""

import json
import os
import threading
import time
import zipfile

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from app.loading import Loader
from core import safeio
from core.export.session_file import save_session


def state(c):
    return (c.data_config, c.dataset, c.session, c.model, c.spec, c.train_config, c.session.step)


def test_a_load_reports_progress_keeps_the_gui_responsive_and_can_be_cancelled(qtbot):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    loader = Loader(parent)
    release = threading.Event()

    def slow():  # reads "forever" in small chunks until cancelled
        i = 0
        while not release.wait(0.005):
            safeio.advance(i % 100, 100, "reading")
            i += 1
        return "done"

    seen, ticks, results = [], [], []
    loader.progress.connect(lambda percent, what: seen.append(percent))
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    assert loader.start("Loading", slow, results.append)
    assert not loader.start("Loading", slow, results.append)  # one load at a time
    # The event loop keeps running (the timer ticks, progress arrives) while the worker reads.
    qtbot.waitUntil(lambda: len(seen) >= 3 and len(ticks) >= 5, timeout=10_000)
    assert loader.busy
    loader.cancel()
    assert loader.wait(10)
    timer.stop()
    release.set()
    assert results[0].cancelled and results[0].value is None and not loader.busy
    assert all(0 <= p <= 100 for p in seen)
    assert loader.start("Loading", lambda: 42, results.append) and loader.wait(10)
    assert results[1].value == 42 and not results[1].error


def test_a_failing_load_delivers_its_message(qtbot):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    loader, results = Loader(parent), []

    def fail():
        raise ValueError("a clear reason")

    assert loader.start("Loading", fail, results.append) and loader.wait(10)
    assert results[0].error == "a clear reason" and not results[0].cancelled


def test_opening_a_fifo_neither_blocks_nor_changes_anything(window, dialogs, tmp_path):
    c = window.controller
    before = state(c)
    os.mkfifo(tmp_path / "data.csv")
    assert window.files.open_path(str(tmp_path / "data.csv")) and window.loader.wait(10)
    assert state(c) == before
    title, text = dialogs["warning"][-1]
    assert title == "Could not load the data" and "FIFO" in text


def _saved(window, tmp_path, **kwargs):
    c = window.controller
    for _ in range(3):
        c.step_batch()
    ref = {k: getattr(c.data_config, k) for k in c.data_config.__dataclass_fields__}
    return save_session(c.session, tmp_path / "s.propscope", data_ref=ref, **kwargs)


def _edit(path, member, change):
    out = path.with_name("edited.propscope")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, change(data) if item.filename == member else data)
    return out


def _bigger(data: bytes, n: int) -> bytes:
    doc = json.loads(data)
    doc["data_ref"]["n_samples"] = n
    return json.dumps(doc).encode()


def test_a_reference_to_a_huge_builtin_set_is_refused_without_regenerating(window, dialogs, tmp_path):
    saved = _saved(window, tmp_path, include_data=False)
    hostile = _edit(saved, "session.json", lambda d: _bigger(d, 100_000_000))
    c = window.controller
    before = state(c)
    started = time.perf_counter()
    assert window.files.open_session(str(hostile)) and window.loader.wait(20)
    assert time.perf_counter() - started < 10  # 1e8 points took 5 minutes and 20 GB before
    assert state(c) == before
    title, text = dialogs["warning"][-1]
    assert title == "Could not open the session" and "MAX_BUILTIN_SAMPLES" in text


def test_data_inside_the_file_is_used_when_its_reference_is_hostile(window, dialogs, tmp_path):
    saved = _saved(window, tmp_path, include_data=True)
    hostile = _edit(saved, "session.json", lambda d: _bigger(d, 100_000_000))
    c = window.controller
    x_before = np.asarray(c.session.xs).copy()
    assert window.files.open_session(str(hostile)) and window.loader.wait(20)
    assert c.session.step == 3 and "arrays stored in the session file" in c.dataset.source
    np.testing.assert_array_equal(np.asarray(c.session.xs), x_before)
    assert len(c.dataset) == c.session.n and c.data_config.normalization == "none"
    assert not [w for w in dialogs["warning"] if w[0] == "Could not open the session"]


@pytest.mark.parametrize("member, change", [
    ("weights.npz", "nan"), ("session.json", "step"), ("model.json", "units"),
])
def test_a_corrupt_session_changes_nothing_in_the_window(window, dialogs, tmp_path, member, change):
    import io

    saved = _saved(window, tmp_path)

    def corrupt(data):
        if change == "nan":
            with np.load(io.BytesIO(data)) as npz:
                arrays = {k: npz[k] for k in npz.files}
            arrays["p0"] = arrays["p0"] * np.nan
            buf = io.BytesIO()
            np.savez(buf, **arrays)
            return buf.getvalue()
        doc = json.loads(data)
        if change == "step":
            doc["step"] = 10**12
        else:
            doc["layers"][0]["units"] = 3_000_000_000
        return json.dumps(doc).encode()

    hostile = _edit(saved, member, corrupt)
    c = window.controller
    before = state(c)
    assert window.files.open_session(str(hostile)) and window.loader.wait(20)
    assert state(c) == before
    assert dialogs["warning"][-1][0] == "Could not open the session"
    c.step_batch()  # still trains
    assert c.session.step == 4


def test_qt_ranges_never_overflow(window):
    status = dict(window.controller.status(), max_step=10**12, step=10**12, epochs=10**7, batches=10**7)
    window.controller.status_changed.emit(status)  # what the controller sends after every step
    assert window.steps.slider.maximum() == 2**31 - 1 and window.progress.maximum() == 2**31 - 1


@pytest.mark.parametrize("stored", [12, ["a.csv", 3, None, "x" * 5000], {"a": 1}, "one.csv"])
def test_a_damaged_recent_files_setting_is_ignored(window, stored):
    window.store.setValue("recent_files", stored)
    recent = window.files.recent_files()
    assert all(isinstance(p, str) and len(p) < 5000 for p in recent)
    assert recent == (["one.csv"] if stored == "one.csv" else ["a.csv"] if isinstance(stored, list) else [])
