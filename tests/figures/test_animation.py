"""Animations: frame count, each frame's label and picture, the phases of one batch, MP4, the session put back."""

import numpy as np
import pytest
from figure_sessions import data_of, image_array, image_session
from PIL import Image

from app.animation import AnimationSpec, ffmpeg_program, record
from app.figure_export import render_image
from core.stepper.frame import frame_of
from widgets.figures import FigureContext, make_figure
from widgets.figures.canvas import SIZES


@pytest.fixture
def session():
    s = image_session(hidden=12)
    for _ in range(6):
        s.step_batch()
    return s


def test_gif_of_a_range_of_steps_every_frame_labelled_and_drawn_as_that_step(session, tmp_path):
    data = data_of(session)
    make = lambda snap: frame_of(session, snap, data)  # noqa: E731
    spec = AnimationSpec("network", steps=range(1, 6, 2), fps=5, size=SIZES["half"], dpi=48)
    labels = record(session, spec, tmp_path / "a.gif", make, FigureContext("", "ABCD-EFGH"))
    assert [label.split(" (")[0] for label in labels] == ["step 1", "step 3", "step 5"]
    with Image.open(tmp_path / "a.gif") as gif:
        assert gif.n_frames == 3 and gif.info["duration"] == 200 and b"ABCD-EFGH" in gif.info["comment"]
        gif.seek(1)
        second = np.asarray(gif.convert("RGB")).astype(int)
    with make_figure("network", make(session.seek(3)), FigureContext("", "ABCD-EFGH"), SIZES["half"],
                     label_frames=True) as figure:
        assert figure.title().startswith("step 3 (epoch")
        expected = image_array(render_image(figure, 48)).astype(int)
    session.seek(6)
    assert np.abs(second - expected).mean() < 4  # the frame is that step's figure (GIF colours aside)
    rows = (tmp_path / "a.frames.csv").read_text().splitlines()
    assert rows[0] == "frame,step,phase,label" and rows[2].startswith("1,3,update,")


def test_the_phases_of_one_batch_and_the_session_put_back_mid_batch(session, tmp_path):
    before = [w.copy() for w in session.model.get_weights()]
    session.step_phase()
    session.step_phase()  # mid-batch: forward through two layers
    where = (session.step, session.snapshot().phase_index)
    data = data_of(session)
    labels = record(session, AnimationSpec("matrices", batch_step=4, fps=2, dpi=30), tmp_path / "b.gif",
                    lambda snap: frame_of(session, snap, data))
    phases = session.phases
    assert len(labels) == len(phases)
    loss = [kind for kind, _ in phases].index("loss")
    assert labels[0].endswith("forward · dense") and labels[loss].endswith("loss")  # the Flatten is no phase
    assert all(label.startswith("step 3 (") for label in labels[:-1])  # the batch after step 3's update…
    assert labels[-1].startswith("step 4 (") and labels[-1].endswith("update")  # …is step 4 once applied
    assert (session.step, session.snapshot().phase_index) == where
    session.step_batch()
    session.seek(6)
    for a, b in zip(before, session.model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_mp4_with_ffmpeg(session, tmp_path):
    if ffmpeg_program() is None:
        pytest.skip("no ffmpeg here (pip install imageio-ffmpeg, or the system's ffmpeg)")
    import imageio_ffmpeg

    data = data_of(session)
    record(session, AnimationSpec("gradient_flow", steps=range(1, 7), fps=3, dpi=40), tmp_path / "c.mp4",
           lambda snap: frame_of(session, snap, data))
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(tmp_path / "c.mp4"))
    assert frames == 6 and seconds == pytest.approx(2.0, abs=0.1)


def test_impossible_animations_are_refused_with_a_reason(session, tmp_path):
    data = data_of(session)
    make = lambda snap: frame_of(session, snap, data)  # noqa: E731
    with pytest.raises(ValueError, match="not been reached"):
        record(session, AnimationSpec(steps=range(4, 40)), tmp_path / "x.gif", make)
    with pytest.raises(ValueError, match="frame rate"):
        record(session, AnimationSpec(steps=range(1, 3), fps=0), tmp_path / "x.gif", make)
    with pytest.raises(ValueError, match=".gif or .mp4"):
        record(session, AnimationSpec(steps=range(1, 3)), tmp_path / "x.avi", make)
    assert not (tmp_path / "x.gif").exists() and session.step == 6
