"""Process start to first frame of the main window (target < 1 s), measured in a fresh process.

Baseline in the same run: a bare QApplication showing an empty QMainWindow.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table  # noqa: E402

PROPSCOPE = """
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication
app = QApplication([])
from app.gc_guard import collect_on_gui_thread
collect_on_gui_thread(app)
from app.process_runner import install
install()  # as run_app does (the training process starts half a second after the first frame)
from app.window import MainWindow
w = MainWindow(); w.show(); app.processEvents()
w.grab()  # the first frame is painted
print(time.time() - t0)
w.close(); w.deleteLater(); app.processEvents()
"""
BARE = """
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.show(); app.processEvents(); w.grab()
print(time.time() - t0)
"""


def measure(code: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    out = subprocess.run([sys.executable, "-c", code, str(time.time())], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def collect() -> tuple[list, list[dict]]:
    rows, medians = [], []
    for name, code in (("bare QMainWindow", BARE), ("Propscope main window", PROPSCOPE)):
        times = sorted(measure(code) for _ in range(5))
        rows.append([name, f"{times[0]:.2f} s", f"{times[len(times) // 2]:.2f} s"])
        medians.append(times[len(times) // 2])
    records = [dict(name="process start to first frame", value=f"{medians[1]:.2f} s (bare Qt {medians[0]:.2f} s)",
                    ratio=medians[1], target=1.0, lower_is_better=True)]
    return ["Process start to first frame (target < 1 s)", rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["window", "best", "median"], rows)


if __name__ == "__main__":
    main()
