"""Windows fit the screen: every lesson through every phase and view at 1280×720 and 1366×768 (English
and Korean), in presentation mode at its largest size (fonts ×2, one zoom step more) at 1366×768, and the
start at 1920×1080, each window's frame inside the available geometry with the steps bar and status bar
visible. One process per screen: Qt takes the screen size at start-up."""

import json

import pytest

from isolation import ROOT, run_isolated

PROBE = ROOT / "tests" / "ui" / "probes" / "fit_every_lesson.py"


@pytest.mark.parametrize("width,height,language,mode", [
    (1280, 720, "en", ""), (1280, 720, "ko", ""), (1366, 768, "en", ""), (1366, 768, "ko", ""),
    (1366, 768, "ko", "presentation"), (1920, 1080, "en", "quick")])
def test_every_lesson_phase_and_view_stays_inside_the_screen(tmp_path, width, height, language, mode):
    screens = tmp_path / "screens.json"
    screens.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": width, "height": height,
                                                "logicalDpi": 96}]}))
    args = [str(PROBE), str(tmp_path), language] + ([mode] if mode else [])
    outcome = run_isolated(args, env={"QT_QPA_PLATFORM": f"offscreen:configfile={screens}"})
    assert outcome.returncode == 0, outcome.describe()
    report = json.loads(outcome.stdout.strip().splitlines()[-1])
    assert report["screen"] == [width, height]
    assert report["checks"] >= (10 if mode == "quick" else 400)
    assert report["problems"] == []
