"""Leaving the app, and memory across lesson loads (the robustness issue's targets, items 9 and 10).

- **close during training** (target < 1 s): the app of ``run_app`` (the
  training process installed) trains the Fashion-MNIST lesson; the window is
  closed and the time from ``close()`` to the process's end is measured (the
  app leaves as ``run_app`` does: :func:`app.leaving.leave`);
- **idle quit** (target < 0.5 s): the same with nothing running;
- **memory across lesson loads** (target ≤ 1.2×): resident memory after the
  Fashion-MNIST lesson was loaded (and trained for half a second) 10 times,
  against after the first load; the training process's beside it.

Each case runs in a fresh process (the window offscreen). Baseline in the
same run: a bare QApplication showing an empty window and quitting.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import FASHION_DIR, load_average, print_table  # noqa: E402

APP = """
import json, os, sys, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "/tmp/propscope-bench-exit")
QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes)
app = QApplication([])
from app.gc_guard import collect_on_gui_thread
collect_on_gui_thread(app)  # as run_app does
from settings.runtime import use_training_threads
use_training_threads()
from app.process_runner import install
runner = install()
from app.window import MainWindow
w = MainWindow(); w.show()
fashion = {fashion!r}
mode = sys.argv[1]

def rss_mb(pid="self"):
    try:
        with open('/proc/%s/status' % pid) as fh:
            for line in fh:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0

def wait(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents(); time.sleep(0.005)

if mode == "lessons":
    # Each load as a lecture would have it: the lesson, half a second of training (the data go to the
    # training process), a pause.
    sizes, child = [], []
    for _ in range(10):
        w.course.apply_lesson("fashion_784_100_10", fashion)
        wait(0.3)
        w.controller.run(None)
        wait(0.5)
        w.controller.pause()
        while runner.busy:
            wait(0.05)
        wait(0.3)
        sizes.append(rss_mb())
        child.append(rss_mb(runner._process.pid) if runner._process is not None else 0.0)
    print("@@" + json.dumps([sizes, child]), flush=True)
    os._exit(0)
if mode == "train":
    w.course.apply_lesson("fashion_784_100_10", fashion)
    wait(1.0)
    w.controller.run(None)
    wait(2.0)
    assert w.controller.running
else:
    wait(1.0)
print("@@" + str(time.time()), flush=True)
w.close()
app.quit()
from app.leaving import leave
leave(w, 0)  # what run_app does after the event loop
"""
BARE = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.show(); app.processEvents()
print("@@" + str(time.time()), flush=True)
w.close(); app.quit()
"""


def _run(code: str, *args: str) -> tuple[str, float]:
    """The ``@@`` line the child printed, and the wall time at which it ended."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=300)
    ended = time.time()
    marks = [line[2:] for line in out.stdout.splitlines() if line.startswith("@@")]
    if not marks:
        raise RuntimeError(out.stderr[-2000:])
    return marks[-1], ended


def _exit_seconds(code: str, *args: str) -> float:
    mark, ended = _run(code, *args)
    return ended - float(mark)


def collect(runs: int = 3) -> tuple[list, list[dict]]:
    import numpy as np

    fashion = str(Path(FASHION_DIR) / "train-images-idx3-ubyte.gz")
    app = APP.format(root=str(ROOT), fashion=fashion)
    bare = float(np.median([_exit_seconds(BARE) for _ in range(runs)]))
    idle = float(np.median([_exit_seconds(app, "idle") for _ in range(runs)]))
    training = float(np.median([_exit_seconds(app, "train") for _ in range(runs)]))
    rows = [["bare Qt window quits (baseline)", f"{bare:.2f} s", "—"],
            ["idle quit (close to process end)", f"{idle:.2f} s", "< 0.5 s"],
            ["close during training (close to process end)", f"{training:.2f} s", "< 1 s"]]
    records = [dict(name="idle quit", value=f"{idle:.2f} s (bare Qt {bare:.2f} s)", ratio=idle, target=0.5,
                    lower_is_better=True),
               dict(name="close during training", value=f"{training:.2f} s", ratio=training, target=1.0,
                    lower_is_better=True)]
    if Path(fashion).exists():
        sizes, child = json.loads(_run(app, "lessons")[0])
        growth = sizes[-1] / sizes[0]
        rows.append(["RSS after 1 / 10 Fashion-MNIST lesson loads (each trained 0.5 s)",
                     f"{sizes[0]:.0f} / {sizes[-1]:.0f} MB", f"{growth:.2f}× (≤ 1.2×); peak {max(sizes):.0f} MB"])
        rows.append(["the training process's RSS after 1 / 10 (shared data counted in both)",
                     f"{child[0]:.0f} / {child[-1]:.0f} MB", f"{child[-1] / max(child[0], 1):.2f}×"])
        records.append(dict(name="RSS after 10 Fashion-MNIST lesson loads vs 1", value=f"{sizes[-1]:.0f} MB",
                            ratio=growth, target=1.2, lower_is_better=True))
    return [f"Leaving the app and memory across lessons (median of {runs}; load average {load_average()})",
            rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["measure", "figure", "target"], rows)


if __name__ == "__main__":
    main()
