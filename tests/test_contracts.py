"""The layers' import contracts (pyproject.toml, [tool.importlinter]) hold: app → widgets → settings → core,
core and settings without Qt, torch only where core needs it lazily."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    # In a process of its own: import-linter builds the whole import graph and prints with its own console.
    run = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command as c; c()",
                          "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert ", 0 broken" in run.stdout
