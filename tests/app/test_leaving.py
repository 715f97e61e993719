"""Leaving the app: the settings are written, the training process ends with the app, the exit status is kept,
and freed memory is given back when a session is replaced."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

APP = """
import sys, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
    QSettings.setPath(fmt, QSettings.Scope.UserScope, {settings!r})
app = QApplication([])
from app.process_runner import install
runner = install()
from app.window import MainWindow
w = MainWindow(); w.show()
runner.prewarm()
end = time.monotonic() + 60
while not runner.child_ready and time.monotonic() < end:
    app.processEvents(); time.sleep(0.01)
w.controller.run(None)  # training in the child when the window closes
while not w.controller.running and time.monotonic() < end:
    app.processEvents(); time.sleep(0.01)
w.store.setValue("left_with", "unsaved until synced")
print("child", runner._process.pid, flush=True)
w.close()
app.quit()
from app.leaving import leave
print("partial line without a newline", end="")
leave(w, 3)
"""


def test_leaving_keeps_the_settings_and_the_exit_status_and_ends_the_training_process(tmp_path):
    settings = tmp_path / "settings"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", APP.format(root=str(ROOT), settings=str(settings))],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert out.returncode == 3, out.stderr[-2000:]
    assert out.stdout.endswith("partial line without a newline")  # the output was flushed before the end
    child = int(next(line.split()[1] for line in out.stdout.splitlines() if line.startswith("child ")))
    written = "".join(p.read_text() for p in settings.rglob("*.conf")) + "".join(
        p.read_text() for p in settings.rglob("*.ini"))
    assert "left_with=unsaved until synced" in written and "geometry=" in written
    end = time.monotonic() + 10
    while Path(f"/proc/{child}").exists() and time.monotonic() < end:  # reaped by init once the app is gone
        status = Path(f"/proc/{child}/status").read_text() if Path(f"/proc/{child}/status").exists() else ""
        if "State:\tZ" in status:
            break
        time.sleep(0.05)
    alive = Path(f"/proc/{child}/status")
    assert not alive.exists() or "State:\tZ" in alive.read_text()


def test_a_replaced_session_gives_its_memory_back(qtbot, monkeypatch):
    from app import memory
    from app.controller import TrainingController
    from settings.config import DataConfig

    calls = []
    monkeypatch.setattr(memory, "release_freed_memory", lambda: calls.append(1) or True)
    c = TrainingController()
    assert c.load_data(DataConfig())
    first = c.session
    qtbot.wait(50)
    assert calls == []  # the first session replaced none: no collection before the window's first frame
    assert c.load_data(DataConfig(source="builtin", builtin="plane"))
    assert c.load_data(DataConfig())  # two replacements before the event loop runs: one release after both
    assert c.session is not first
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=5_000)
    qtbot.wait(50)
    assert len(calls) == 1


def test_freed_memory_goes_back_where_the_c_library_allows():
    from app.memory import release_freed_memory

    assert release_freed_memory() is (sys.platform.startswith("linux") and _glibc())


def _glibc() -> bool:
    import platform

    return platform.libc_ver()[0] == "glibc"
