"""The lesson fingerprint: the same code in two fresh processes, another with another seed, kept in session files."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from core.export.fingerprint import CODE_PATTERN, check_fingerprint, lesson_code, lesson_fingerprint

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = """
import sys
from settings.build import build_session
from settings.config import DataConfig, ModelSpec, TrainConfig
from core.export.fingerprint import lesson_fingerprint
config = DataConfig(builtin="circle", n_samples=200)
data = config.load()
train = TrainConfig(seed=int(sys.argv[1]))
session = build_session(data, config, ModelSpec().fitted_to(data, train.loss), train).session
for _ in range(7):
    session.step_batch()
print(lesson_fingerprint(session).text())
"""


def _fresh_process(seed: int) -> str:
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(seed)], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_the_same_run_in_two_fresh_processes_has_the_same_fingerprint_another_seed_another():
    first, second, other = _fresh_process(3), _fresh_process(3), _fresh_process(4)
    assert first == second
    assert first.startswith("Lesson ") and " · step 7 · loss " in first
    assert CODE_PATTERN.match(first.split()[1])
    assert other.split()[1] != first.split()[1]


def _session(seed=0, lr=0.01):
    from settings.build import build_session
    from settings.config import DataConfig, ModelSpec, TrainConfig

    config = DataConfig(builtin="circle", n_samples=200)
    data = config.load()
    train = TrainConfig(seed=seed, hyper={"learning_rate": lr})
    return build_session(data, config, ModelSpec().fitted_to(data, train.loss), train).session


def test_the_code_follows_what_decides_the_run_and_the_loss_its_step():
    a = _session()
    assert lesson_code(a) == lesson_code(_session())
    assert lesson_code(a) != lesson_code(_session(lr=0.02))  # the optimizer's settings are part of it
    assert lesson_fingerprint(a).loss is None
    a.step_batch()
    a.step_batch()
    fp = lesson_fingerprint(a)
    steps, loss = a.history.scalar("loss")
    assert fp.step == 2 and fp.loss == pytest.approx(float(loss[list(steps).index(2)]))
    assert lesson_fingerprint(a, step=1).loss == pytest.approx(float(loss[list(steps).index(1)]))
    code = lesson_code(a)
    a.reset(seed=99)  # new initial weights: another run
    assert lesson_code(a) != code


def test_session_files_keep_the_fingerprint_and_refuse_a_forged_one(tmp_path):
    from core.export.session_file import InvalidSessionError, load_session, save_session

    session = _session()
    for _ in range(3):
        session.step_batch()
    path = save_session(session, tmp_path / "s.propscope")
    with zipfile.ZipFile(path) as zf:
        stored = json.loads(zf.read("session.json"))["fingerprint"]
    assert stored == lesson_fingerprint(session).as_dict()
    loaded, extras = load_session(path)
    assert extras["fingerprint"] == stored and lesson_code(loaded) == stored["code"]
    forged = tmp_path / "forged.propscope"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(forged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "session.json":
                doc = json.loads(data)
                doc["fingerprint"] = {"code": "<script>", "step": -1}
                data = json.dumps(doc).encode()
            dst.writestr(item, data)
    with pytest.raises(InvalidSessionError, match="not a lesson fingerprint"):
        load_session(forged)


@pytest.mark.parametrize("doc", [None, [], {"code": "ABCD-EFGH"}, {"code": "abcd-efgh", "step": 1, "loss": 1.0},
                                 {"code": "ABCD-EFGH", "step": True, "loss": 1.0},
                                 {"code": "ABCD-EFGH", "step": 1, "loss": float("nan")},
                                 {"code": "ABCD-EFGH", "step": 1, "loss": 1.0, "extra": 1}])
def test_what_is_not_a_fingerprint(doc):
    assert check_fingerprint(doc) is None


def test_a_fingerprint():
    assert check_fingerprint({"code": "ABCD-EFGH", "step": 3, "loss": 0.5}) == {"code": "ABCD-EFGH", "step": 3,
                                                                                "loss": 0.5}
