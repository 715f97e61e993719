"""The layers' import contracts (pyproject.toml, [tool.importlinter]) hold: app → widgets → settings → core,
core and settings without Qt, torch only where core needs it lazily."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept(capsys):
    from importlinter.cli import lint_imports

    here = os.getcwd()
    os.chdir(ROOT)  # the packages are found from the project root
    try:
        code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    finally:
        os.chdir(here)
    report = capsys.readouterr().out
    assert code == 0, report
    assert ", 0 broken" in report
