"""core/ never imports Qt, and imports torch only when the torch backend is used."""

import ast
import pathlib
import subprocess
import sys

CORE = pathlib.Path(__file__).resolve().parents[2] / "core"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "superqt", "shiboken6", "qtpy")


def test_no_qt_import_statement_anywhere_in_core():
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert not offenders


def test_importing_and_training_with_core_loads_neither_qt_nor_torch():
    code = (
        "import sys, pkgutil, importlib, core, numpy as np\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    if m.name != 'core.backend.torch_ops': importlib.import_module(m.name)\n"
        "m = core.Sequential([core.Input(shape=(2,)), core.layers.Dense(1)])\n"
        "m.compile(loss='mse'); m.fit(np.ones((4, 2)), np.ones(4), verbose=0)\n"
        f"bad = [k for k in sys.modules if k.split('.')[0] in {FORBIDDEN + ('torch',)!r}]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=CORE.parent)
