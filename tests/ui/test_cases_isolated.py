"""Every crash-prone interaction module (tests/ui/cases/case_*.py), each in its own process."""

from pathlib import Path

import pytest

from isolation import run_isolated, run_test_module

HERE = Path(__file__).parent
CASES = sorted((HERE / "cases").glob("case_*.py"))


def test_the_harness_reports_a_segmentation_fault_as_a_failure():
    """The original crash's pattern (a spin box deleted inside its own valueChanged on Enter) dies here,
    and the harness sees it: a crash in a case module fails its test instead of killing the suite."""
    outcome = run_isolated([str(HERE / "probes" / "delete_in_own_signal.py")], timeout=120)
    assert outcome.crashed, outcome.describe()
    assert "SIGSEGV" in outcome.describe() or "SIGABRT" in outcome.describe()
    assert "survived" not in outcome.output


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_interaction_case_passes_without_crashing(case):
    outcome = run_test_module(case)
    assert outcome.returncode == 0, outcome.describe()
    assert " passed" in outcome.output and " failed" not in outcome.output
