"""The same decimal point everywhere: under a German or Korean system locale every number field shows ".",
and no number carries a group separator."""

import json

import pytest

from isolation import ROOT, run_isolated

PROBE = ROOT / "tests" / "ui" / "probes" / "numbers_in_locale.py"


@pytest.mark.parametrize("locale,system_point", [("de_DE.UTF-8", ","), ("ko_KR.UTF-8", "."), ("en_US.UTF-8", ".")])
def test_number_fields_use_the_decimal_point_in_every_locale(locale, system_point):
    outcome = run_isolated([str(PROBE)], env={"LC_ALL": locale, "LANG": locale, "LC_NUMERIC": locale}, timeout=300)
    assert outcome.returncode == 0, outcome.describe()
    report = json.loads(outcome.stdout.strip().splitlines()[-1])
    assert report["system_decimal_point"] == system_point  # the locale really is in force
    assert report["locales"] == ["C"]
    assert {"0.01", "0.9", "0.999", "1e-7", "0.2", "0.1", "1000"} <= set(report["fields"])
    assert not [text for text in report["fields"] if "," in text]
    assert all("," not in bar and "." not in bar for bar in report["progress"])
    assert "," not in report["status"]
