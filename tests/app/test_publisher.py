"""The frame publisher on the one frame clock: snapshots every tick, curves and the confusion matrix on the
slower beat, a complete frame when stepping or when a run ends."""

import pytest

from app.frame_clock import CURVES_EVERY, FrameClock
from app.publisher import FramePublisher
from app.runner import RunJob
from app.threads import PaintGate
from tests.widgets.conftest import session_for


class Ticks(FrameClock):
    """A clock that ticks when told (its timer is stopped)."""

    def __init__(self):
        super().__init__()
        self.stop()
        self.n = 0

    def tick(self):
        self.n += 1
        self.ticked.emit(self.n)


@pytest.fixture
def publishing(qapp):
    clock = Ticks()
    publisher = FramePublisher(clock, PaintGate())
    frames = []
    publisher.frame_ready.connect(frames.append)
    session = session_for(hidden=((6, "relu"),), out=(3, "softmax"), loss="sparse_categorical_crossentropy")
    publisher.set_session(session, "classification", ("a", "b", "c"))
    return clock, publisher, frames, session


def test_stepping_publishes_a_complete_frame_at_once(publishing):
    clock, publisher, frames, session = publishing
    assert len(frames) == 1 and frames[0].snapshot.phase == "start"  # a new session shows at once
    publisher.set_want_confusion(True)
    snap = session.step_batch()
    publisher.show(snap)
    frame = frames[-1]
    assert frame.snapshot is snap and not frame.running
    assert frame.history.last_step == 1 and frame.confusion.sum() == len(session.validation_data[0])
    assert frame.data is frames[0].data  # the data context is made once per session


def test_a_followed_run_is_drawn_every_tick_and_its_curves_on_the_slower_beat(publishing):
    clock, publisher, frames, session = publishing
    publisher.set_want_confusion(True)
    job = RunJob()
    publisher.follow(job)
    before = frames[-1]  # asking for the confusion matrix redrew the shown snapshot with it
    clock.tick()
    assert frames[-1] is before  # the run has produced nothing yet: nothing drawn
    shown = []
    for _ in range(2 * CURVES_EVERY):  # ticks 2 … 13: curves due on 6 and 12
        job.latest = session.step_batch()  # what the worker leaves there
        clock.tick()
        shown.append(frames[-1])
    assert all(f.running for f in shown)
    assert [f.history is before.history for f in shown] == [True] * 4 + [False] * 8
    refreshed = [k for k in range(1, len(shown)) if shown[k].history is not shown[k - 1].history]
    assert refreshed == [4, 10]  # ticks 6 and 12: the curves and the matrix, together, twice in 12 ticks
    assert [k for k in range(1, len(shown)) if shown[k].confusion is not shown[k - 1].confusion] == [4, 10]
    # Every other tick draws the newest snapshot; a curves tick keeps the one drawn (one heavy redraw a frame).
    new = [k for k in range(1, len(shown)) if shown[k].snapshot is not shown[k - 1].snapshot]
    assert new == [k for k in range(1, len(shown)) if k not in (4, 10)]
    clock.tick()  # no new snapshot, curves not due: nothing drawn
    count = len(frames)
    clock.tick()
    assert len(frames) == count
    publisher.unfollow()  # the run ended: its last state completely, curves included
    assert frames[-1].history.last_step == session.step and not frames[-1].running
