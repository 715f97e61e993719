"""A pace a class can watch: lessons start slow and show every phase; "max" is one click away, even mid-run."""

from PySide6.QtCore import Qt

from app.runner import PHASE_BY_PHASE_MAX, SessionRun
from settings.lessons import lessons
from settings.speeds import LESSON_PACE, SPEEDS, speed_key
from tests.widgets.conftest import session_for


def test_a_watchable_pace_runs_phase_by_phase():
    session = session_for(hidden=((4, "tanh"),))
    job = SessionRun(session, max_steps=2, batches_per_second=PHASE_BY_PHASE_MAX, capture_interval_s=0.0)
    labels = [snap.phase_label for snap in job.frames()]
    one_batch = ["forward · dense", "forward · dense_1", "loss", "backward · dense_1", "backward · dense", "update"]
    assert labels == one_batch * 2 and session.step == 2


def test_the_pace_changes_while_running():
    session = session_for(hidden=((4, "tanh"),))
    job = SessionRun(session, max_steps=6, batches_per_second=PHASE_BY_PHASE_MAX, capture_interval_s=0.0)
    frames = job.frames()
    first = [next(frames).phase for _ in range(2)]
    job.set_pace(None)  # "max": the rest of this batch and the others as fast as they go, whole batches
    rest = [snap.phase for snap in frames]
    assert first == ["forward", "forward"] and set(rest) == {"update"} and session.step == 6

    job = SessionRun(session, max_steps=6, batches_per_second=None, capture_interval_s=0.0)
    frames = job.frames()
    assert next(frames).phase == "update"
    job.set_pace(2.0)  # back to a lesson's pace: phase by phase from the next batch on
    rest = [snap.phase for snap in frames]
    assert rest[0] == "forward" and rest.count("loss") == len(rest) // 6 and session.step == 12


def test_lessons_start_at_a_pace_a_class_can_watch_and_max_is_one_click(window, qtbot, tmp_path):
    assert SPEEDS[speed_key(LESSON_PACE)] == LESSON_PACE <= PHASE_BY_PHASE_MAX
    assert all(lesson.pace == LESSON_PACE for lesson in lessons())
    steps = window.steps
    assert steps.batches_per_second() is None  # outside lessons: as fast as it goes
    window.course.apply_lesson("xor_mlp")
    assert steps.batches_per_second() == LESSON_PACE and steps.max_button.isEnabled()
    with qtbot.waitSignal(steps.pace_changed) as blocker:
        qtbot.mouseClick(steps.max_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [None] and steps.batches_per_second() is None and not steps.max_button.isEnabled()
