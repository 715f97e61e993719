"""Runs hostile cases in a child process under a memory cap and a per-case time limit.

Usage: ``python -m tests.hostile.child SECONDS_PER_CASE NAME...``. For each
case it prints ``START name`` before and ``RESULT {json}`` after, so the
parent can tell which case hung or crashed the process. A case passes when
opening raises exactly the expected error (a message, never another type),
within the time limit, and the prior state is unchanged: a reference
training session (weights, step, optimizer iterations), the global name
counters and random generator, and the files in the case's folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import SimpleNamespace

import numpy as np

#: Memory the child may use beyond what it holds after start-up.
HEADROOM_BYTES = 1536 * 1024**2
#: Largest file the child may write (case builders write at most ~60 MB).
MAX_WRITE_BYTES = 256 * 1024**2


class CaseTimeout(BaseException):
    """The case ran past its time limit (a BaseException: no loader may swallow it)."""


def all_cases() -> dict:
    # The second modules of each kind register into the first's list.
    from tests.hostile import (dataset_cases, dataset_idx_image_cases, model_cases, model_file_cases,  # noqa: F401
                               model_file_config_cases, model_file_weights_cases, session_cases,
                               session_layer_cases, session_model_cases)

    cases = dataset_cases.CASES + session_cases.CASES + model_cases.CASES
    return {c.name: c for c in cases}


def make_base(folder: Path) -> SimpleNamespace:
    """Good session files to mutate: sparse crossentropy with Adam (data inside), binary with SGD+momentum,
    plain SGD, one with BatchNormalization, Dropout and regularizers, and one whose data is only referenced
    (a built-in set the app regenerates)."""
    import dataclasses

    import core
    from settings.build import build_session
    from settings.config import DataConfig, LayerRow, ModelSpec, TrainConfig
    from core.export.session_file import save_session
    from core.stepper import TrainingSession

    def small(units_out, activation, loss, optimizer, y, middle=()):
        core.backend.clear_session()
        core.utils.set_random_seed(2)
        x = np.random.default_rng(0).normal(size=(120, 3)).astype("float32")
        first = core.layers.Dense(6, activation="tanh", **({"kernel_regularizer": core.regularizers.L2(0.01),
                                                            "activity_regularizer": core.regularizers.L1(0.001)}
                                                           if middle else {}))
        model = core.Sequential([core.Input(shape=(3,)), first, *middle,
                                 core.layers.Dense(units_out, activation=activation)])
        model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
        session = TrainingSession(model, x, y, batch_size=16, epochs=4, validation_split=0.25, seed=3)
        list(session.run(max_steps=9, capture_every_seconds=None))
        return session

    labels = np.random.default_rng(1).integers(0, 3, 120)
    base = SimpleNamespace()
    base.session = save_session(small(3, "softmax", "sparse_categorical_crossentropy", "adam", labels),
                                folder / "good.propscope", data_ref={"kind": "test"})
    base.binary = save_session(small(1, "sigmoid", "binary_crossentropy", core.optimizers.SGD(momentum=0.9),
                                     labels % 2), folder / "binary.propscope")
    base.plain_sgd = save_session(small(3, "softmax", "sparse_categorical_crossentropy", "sgd", labels),
                                  folder / "sgd.propscope")
    base.layers = save_session(small(3, "softmax", "sparse_categorical_crossentropy", "adam", labels,
                                     middle=(core.layers.BatchNormalization(), core.layers.Dropout(0.25))),
                               folder / "layers.propscope")
    config = DataConfig(source="builtin", builtin="circle", n_samples=100, noise=0.1, seed=0)
    data = config.load()
    train = TrainConfig(loss="binary_crossentropy", epochs=3, batch_size=16)
    session = build_session(data, config, ModelSpec((LayerRow(4, "tanh"), LayerRow(1, "sigmoid"))), train).session
    list(session.run(max_steps=5, capture_every_seconds=None))
    base.referenced = save_session(session, folder / "referenced.propscope", data_ref=dataclasses.asdict(config),
                                   include_data=False)
    from tests.hostile.model_file_cases import make_model_files

    base.keras_file, base.h5_file = make_model_files(folder)
    return base


class PriorState:
    """What opening a hostile file must not change."""

    def __init__(self) -> None:
        import core
        from core.stepper import TrainingSession

        core.utils.set_random_seed(5)
        model = core.Sequential([core.Input(shape=(2,)), core.layers.Dense(4, activation="relu"),
                                 core.layers.Dense(2, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        x = np.random.default_rng(4).normal(size=(40, 2)).astype("float32")
        self.session = TrainingSession(model, x, (x[:, 0] > 0).astype(int), batch_size=8, seed=1)
        for _ in range(3):
            self.session.step_batch()
        state = self.session.get_state()
        self.session.step_batch()
        self.expected_next = [w.copy() for w in self.session.model.get_weights()]
        self.session.set_state(state)
        self.before = self.capture()

    def capture(self) -> tuple:
        from core import random as prandom
        from core.backend import config as backend_config

        s = self.session
        digest = hashlib.sha256(b"".join(w.tobytes() for w in s.model.get_weights())).hexdigest()
        rng = json.dumps(prandom.generator_states(), sort_keys=True, default=str)  # initializers' and dropout's
        return (digest, s.step, s.engine.optimizer.iterations, s.history.last_step,
                tuple(sorted(backend_config.name_counts().items())), rng)

    def unchanged(self) -> str:
        now = self.capture()
        labels = ("weights", "step", "optimizer iterations", "history", "layer names", "random generator")
        changed = [label for label, a, b in zip(labels, self.before, now) if a != b]
        return ", ".join(changed)

    def still_continues_exactly(self) -> bool:
        self.session.step_batch()
        ok = all(np.array_equal(a, b) for a, b in zip(self.expected_next, self.session.model.get_weights()))
        return ok and self.session.step == self.session.engine.optimizer.iterations


def listing(folder: Path) -> dict:
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            st = os.lstat(p)
            out[str(p.relative_to(folder))] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def open_case(case, path: Path) -> None:
    options = dict(case.options)
    if case.opener == "data":
        from core.datasets import load_file

        load_file(path, **options)
    elif case.opener in ("session", "session+data"):
        from core.export.session_file import load_session

        loader = None
        if case.opener == "session+data":
            from app.cli import load_prepared

            loader = load_prepared
        load_session(path, data_loader=loader, max_bytes=50_000_000)
    elif case.opener == "h5":
        from core.safeio import read_h5

        read_h5(path)
    elif case.opener == "model":
        from core.model_loading import open_model

        open_model(path)
    else:
        raise ValueError(case.opener)


def error_classes(case) -> tuple[type, ...]:
    import core.datasets.errors as data_errors
    import core.export.session_file as session_errors
    import core.model_loading.errors as model_errors
    import core.safeio.errors as read_errors

    for module in (data_errors, session_errors, model_errors, read_errors):
        cls = getattr(module, case.expect, None)
        if isinstance(cls, type):
            return (cls,)
    raise KeyError(case.expect)


def run_case(case, base, prior: PriorState, seconds: float) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    result = {"name": case.name, "ok": False}
    try:
        path = case.build(folder, base)
        before = listing(folder)
        expected = error_classes(case)[0]
        start = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            open_case(case, path)
            raised = None
        except CaseTimeout:
            raise
        except BaseException as exc:  # noqa: B036 - every escape is what this test is about
            raised = exc
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        result["seconds"] = round(time.perf_counter() - start, 3)
        if raised is None:
            result["why"] = f"accepted; expected {case.expect}"
            prior.before = prior.capture()  # an accepted file may change what a successful open changes
        elif not (type(raised) is expected if case.exact else isinstance(raised, expected)):
            result["why"] = f"raised {type(raised).__name__}: {str(raised)[:300]}; expected {case.expect}"
        elif not str(raised).strip():
            result["why"] = "the error has no message"
        else:
            changed = prior.unchanged()
            after = listing(folder)
            if changed:
                result["why"] = f"opening changed the prior state: {changed}"
            elif after != before:
                result["why"] = "opening changed files in the folder"
            else:
                result.update(ok=True, message=str(raised)[:200])
    except CaseTimeout:
        result["why"] = f"timed out after {seconds} s"
    except BaseException as exc:  # noqa: B036 - a broken builder is reported, not fatal to the batch
        result["why"] = f"the case itself failed: {type(exc).__name__}: {exc}\n{traceback.format_exc()[-800:]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        shutil.rmtree(folder, ignore_errors=True)
    return result


def cap_memory() -> int:
    with open("/proc/self/status") as fh:
        vm = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    limit = vm + HEADROOM_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_WRITE_BYTES, MAX_WRITE_BYTES))
    return limit



def peak_rss() -> int:
    """This process's peak resident memory in bytes, since its exec.

    Linux keeps ``ru_maxrss`` across exec, so it counts the parent's memory at fork:
    a test suite that had grown to 2 GB before starting this child read as the child
    reaching its cap. ``VmHWM`` belongs to this program's own address space.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

def main(argv: list[str]) -> int:
    seconds = float(argv[0])
    names = argv[1:]
    os.environ["PROPSCOPE_BACKEND"] = "numpy"
    cases = all_cases()
    import h5py  # noqa: F401 - imported before the cap, like numpy and PIL
    import PIL.Image  # noqa: F401

    import app.cli  # noqa: F401
    import core  # noqa: F401

    def on_alarm(signum, frame):
        raise CaseTimeout()

    signal.signal(signal.SIGALRM, on_alarm)
    base_folder = Path(tempfile.mkdtemp(prefix="hostile-base-"))
    try:
        base = make_base(base_folder)
        prior = PriorState()
        limit = cap_memory()
        print(f"CAP {limit}", flush=True)
        for name in names:
            print(f"START {name}", flush=True)
            print("RESULT " + json.dumps(run_case(cases[name], base, prior, seconds)), flush=True)
        print(f"CONTINUES {json.dumps(prior.still_continues_exactly())}", flush=True)
        print(f"MAXRSS {peak_rss()}", flush=True)
    finally:
        shutil.rmtree(base_folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
