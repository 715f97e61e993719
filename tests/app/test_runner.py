"""The runner: one run at a time, stopping that never waits, and a run that does not stop is an error."""

import threading

import pytest

from app.runner import DONE, PAUSED, PREEMPTED, RunJob, SessionRun, ThreadRunner
from tests.widgets.conftest import session_for


class Stubborn(RunJob):
    """A job whose batch ignores stop requests until it is released."""

    def __init__(self):
        super().__init__()
        self.release = threading.Event()
        self.entered = threading.Event()

    def frames(self):
        self.latest = "working"
        self.entered.set()
        self.release.wait(10)
        yield self.latest


class Failing(RunJob):
    def frames(self):
        yield "one"
        raise RuntimeError("the batch broke")


@pytest.fixture
def runner(qapp, qtbot):
    r = ThreadRunner()
    yield r
    r.request_stop()
    qtbot.waitUntil(lambda: not r.busy, timeout=20_000)


def _session_run(epochs=200):
    session = session_for()
    session.epochs = epochs
    return SessionRun(session, None, None, 1 / 30)


def test_a_stopped_run_ends_after_its_batch_and_says_why(runner, qtbot):
    job = _session_run()
    runner.submit(job)
    qtbot.waitUntil(lambda: job.session.step > 5, timeout=20_000)
    with qtbot.waitSignal(runner.finished, timeout=20_000) as ended:
        runner.request_stop(job)  # returns at once …
        assert runner.busy  # … while the worker finishes its batch
    assert ended.args == [job, PAUSED] and not runner.busy
    assert job.session.step < job.session.epochs * job.session.batches_per_epoch
    finished = _session_run(epochs=1)
    with qtbot.waitSignal(runner.finished, timeout=20_000) as ended:
        runner.submit(finished)
    assert ended.args == [finished, DONE] and finished.session.step == finished.session.batches_per_epoch
    assert finished.latest.step == finished.session.step  # the last batch is always captured


def test_one_run_at_a_time_a_second_run_preempts_the_first(runner, qtbot):
    first, second = _session_run(), _session_run()
    runner.submit(first)
    qtbot.waitUntil(lambda: first.session.step > 2, timeout=20_000)
    reasons = []
    runner.finished.connect(lambda job, reason: reasons.append((job, reason)))
    runner.submit(second)
    assert runner.current is first and runner.is_active(second)  # queued until the first has stopped
    qtbot.waitUntil(lambda: runner.current is second, timeout=20_000)
    assert reasons == [(first, PREEMPTED)]
    third = _session_run()
    runner.submit(third)  # second is asked to stop; third waits
    fourth = _session_run()
    runner.submit(fourth)  # replaces third in the queue: third never runs
    assert (third, PREEMPTED) in reasons and third.session.step == 0
    qtbot.waitUntil(lambda: runner.current is fourth, timeout=20_000)


def test_a_run_that_does_not_stop_in_time_is_reported(qapp, qtbot):
    runner = ThreadRunner(stop_deadline_ms=50)
    job = Stubborn()
    runner.submit(job)
    assert job.entered.wait(10)
    with qtbot.waitSignal(runner.stop_overdue, timeout=5_000) as overdue:
        runner.request_stop(job)
    assert overdue.args == [job, 0.05] and runner.busy
    with qtbot.waitSignal(runner.finished, timeout=5_000) as ended:
        job.release.set()
    assert ended.args == [job, PAUSED] and not runner.busy


def test_an_error_in_a_run_is_its_finish_reason(runner, qtbot):
    job = Failing()
    with qtbot.waitSignal(runner.finished, timeout=5_000) as ended:
        runner.submit(job)
    assert ended.args == [job, "error: the batch broke"] and job.latest is None


def test_stopping_a_queued_run_never_starts_it(runner, qtbot):
    blocker, queued = Stubborn(), _session_run()
    runner.submit(blocker)
    assert blocker.entered.wait(10)
    runner.submit(queued)
    with qtbot.waitSignal(runner.finished, timeout=5_000) as ended:
        runner.request_stop(queued)
    assert ended.args == [queued, PAUSED] and runner.current is blocker
    blocker.release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5_000)
    assert queued.session.step == 0


def test_a_stopped_job_and_its_session_are_freed_before_the_stop_deadline(qtbot):
    """The deadline's timer holds no job: a run paused and replaced is memory given back at once, not
    seconds later (a Fashion-MNIST session is hundreds of MB)."""
    import gc
    import weakref

    from PySide6.QtCore import QCoreApplication, QEvent

    runner = ThreadRunner(stop_deadline_ms=60_000)
    session = session_for()
    session.epochs = 100_000
    job = SessionRun(session, None, None, 1 / 30)
    with qtbot.waitSignal(runner.started, timeout=10_000):
        runner.submit(job)
    with qtbot.waitSignal(runner.finished, timeout=10_000):
        runner.request_stop(job)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    gone = weakref.ref(session)
    del job, session
    # The finished worker goes with the event loop's deferred deletions (the app's loop runs them at once).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert gone() is None
    assert runner.shutdown(5_000)
