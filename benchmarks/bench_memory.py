"""Memory: peak RSS after 100,000 recorded steps of a small net, and for a large 784-1024-1024-10 net.

Each case runs in a fresh process; the baseline is a process that only
imports Propscope's core and NumPy. Target: 100k steps < 300 MB.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import print_table  # noqa: E402

PRELUDE = """
import json, os, resource, sys
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, %r)
import numpy as np, core
from core.stepper import TrainingSession
def rss_mb():
    # VmHWM is this process's own peak; ru_maxrss would include the parent's before exec.
    with open('/proc/self/status') as fh:
        for line in fh:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
""" % str(ROOT)

BASELINE = PRELUDE + "print(json.dumps({'rss': rss_mb()}))"

SMALL = PRELUDE + """
rng = np.random.default_rng(0)
x = rng.normal(size=(8, 2)).astype('float32'); y = (x[:, 0] > 0).astype('float32')
m = core.Sequential([core.Input(shape=(2,)), core.layers.Dense(3, activation='relu'),
                     core.layers.Dense(1, activation='sigmoid')])
m.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
s = TrainingSession(m, x, y, batch_size=8, epochs=100_000, seed=0)
for _ in s.run(capture_every_seconds=1/30):
    pass
print(json.dumps({'rss': rss_mb(), 'steps': s.step, 'history': s.history.nbytes / 2**20,
                  'checkpoints': s.checkpoints.nbytes / 2**20}))
"""

LARGE = PRELUDE + """
rng = np.random.default_rng(0)
x = rng.random((4096, 784), dtype=np.float32); y = rng.integers(0, 10, 4096)
m = core.Sequential([core.Input(shape=(784,)), core.layers.Dense(1024, activation='relu'),
                     core.layers.Dense(1024, activation='relu'), core.layers.Dense(10, activation='softmax')])
m.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
s = TrainingSession(m, x, y, batch_size=32, epochs=10, seed=0)
for _ in range(300):
    s.step_batch()
print(json.dumps({'rss': rss_mb(), 'steps': s.step, 'params': m.count_params(),
                  'history': s.history.nbytes / 2**20, 'checkpoints': s.checkpoints.nbytes / 2**20}))
"""


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def collect() -> tuple[list, list[dict]]:
    base = run(BASELINE)["rss"]
    small = run(SMALL)
    large = run(LARGE)
    rows = [["process importing core + NumPy (baseline)", f"{base:.0f} MB", "—", "—"],
            [f"small net, {small['steps']:,} steps run with history", f"{small['rss']:.0f} MB",
             f"{small['history']:.1f} MB", f"{small['checkpoints']:.2f} MB"],
            [f"784-1024-1024-10 ({large['params']:,} params), {large['steps']} captured steps",
             f"{large['rss']:.0f} MB", f"{large['history']:.1f} MB", f"{large['checkpoints']:.0f} MB"]]
    records = [dict(name="peak RSS after 100k recorded steps (small net)", value=f"{small['rss']:.0f} MB",
                    ratio=small["rss"], target=300.0, lower_is_better=True),
               dict(name="peak RSS, 784-1024-1024-10, 300 captured steps", value=f"{large['rss']:.0f} MB",
                    ratio=large["rss"] / base, target=None)]
    return ["Memory (peak resident set size)", rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["case", "peak RSS", "history", "checkpoints"], rows)


if __name__ == "__main__":
    main()
