"""Bigger networks, 784-512-512-10 and 784-1024-1024-10: every view ≥ 30 fps while training, one fully
captured batch < 20 ms.

The views are painted as in ``bench_views`` (each gets a new fully captured
snapshot per frame). The captured batch is ``TrainingSession.step_batch``:
the batch plus copies of every z, a, δ, ∂L/∂W, W before and after, ΔW and
the optimizer's state, and the numbers derived from them; its baseline in
the same run is the same batch uncaptured (``run`` mode, nothing copied).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from benchmarks.bench_views import views_on  # noqa: E402
from benchmarks.common import interleaved, load_average, print_table  # noqa: E402

NETWORKS = ((512, 512), (1024, 1024))


def captured_batch(session, rounds: int = 15) -> tuple[float, float]:
    """Median seconds of one fully captured batch, and of one uncaptured batch (the baseline), interleaved."""
    def captured() -> float:
        t0 = time.perf_counter()
        session.step_batch()
        return time.perf_counter() - t0

    def plain() -> float:
        t0 = time.perf_counter()
        for _ in session.run(max_steps=1, capture_every_seconds=None, capture_last=False):
            pass
        return time.perf_counter() - t0

    t = interleaved({"captured": captured, "plain": plain}, rounds)
    return float(np.median(t["captured"])), float(np.median(t["plain"]))


def collect() -> tuple[list, list[dict]]:
    rows, records = [], []
    for hidden in NETWORKS:
        name = "784-" + "-".join(map(str, hidden)) + "-10"
        view_rows, source, session = views_on(hidden, samples=6000, frames=12, window=False)
        cap, plain = captured_batch(session)
        params = sum(int(np.prod(p.shape)) for p in session.engine.parameters())
        rows.append([name, f"one fully captured batch ({params:,} parameters)", f"{cap * 1e3:.1f} ms",
                     f"uncaptured {plain * 1e3:.1f} ms"])
        records.append(dict(name=f"{name}: one fully captured batch", value=f"{cap * 1e3:.1f} ms",
                            ratio=cap * 1e3, target=20.0, lower_is_better=True))
        slowest = None
        for row in view_rows[1:]:
            if "off here" in row[0]:
                continue
            rows.append([name, row[0], row[1], f"{row[2]} fps"])
            fps = float(row[2].replace(",", ""))
            if slowest is None or fps < slowest[1]:
                slowest = (row[0], fps)
        records.append(dict(name=f"{name}: slowest view ({slowest[0]})", value=f"{slowest[1]:.0f} fps",
                            ratio=slowest[1], target=30.0))
    return [f"Bigger networks ({source}, batch 32; load average {load_average()})", rows], records


def main() -> None:
    (title, rows), _ = collect()
    print_table(title, ["network", "measure", "median", "fps / baseline"], rows)


if __name__ == "__main__":
    main()
