"""Run a test module or a script in its own Python process and report how it ended.

A segmentation fault in Qt kills the process that has it. Run inside the
pytest process, it would end the whole suite with no report; run here, it ends
one child, and the parent test fails with the signal's name and the child's
output. ``MALLOC_PERTURB_`` makes glibc fill freed memory with garbage, so a
use-after-free (a widget deleted inside its own signal) crashes at once
instead of sometimes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Outcome:
    returncode: int
    output: str
    stdout: str = ""

    @property
    def crashed(self) -> bool:
        return self.returncode < 0

    def describe(self) -> str:
        if self.crashed:
            how = f"crashed with {signal.Signals(-self.returncode).name}"
        else:
            how = f"exited with status {self.returncode}"
        return f"{how}; last output:\n{self.output[-6000:]}"


def run_isolated(args: list[str], timeout: float = 900, env: dict[str, str] | None = None) -> Outcome:
    """``python *args`` from the repository root, offscreen, with freed memory poisoned."""
    # The repository first on the path: scripts run from tests/ui/probes import the packages being tested.
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    child_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MALLOC_PERTURB_": "165",
                 "PYTHONFAULTHANDLER": "1", "PYTHONPATH": path, **(env or {})}
    proc = subprocess.run([sys.executable, *args], cwd=ROOT, env=child_env, capture_output=True, text=True,
                          timeout=timeout)
    return Outcome(proc.returncode, proc.stdout + proc.stderr, proc.stdout)


def run_test_module(path: Path, timeout: float = 900, env: dict[str, str] | None = None) -> Outcome:
    """``pytest path`` in a child process (the module need not be named ``test_*``)."""
    return run_isolated(["-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)], timeout, env)
