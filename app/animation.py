"""Recording a view as an animation: a range of steps, or the phases of one batch, as GIF or MP4.

Each frame is the view's clean figure (:mod:`widgets.figures`), titled with
the step and the phase it shows; the session replays exactly (rewinding)
and is put back where it was — mid-batch too. Beside the animation,
``<name>.frames.csv`` lists every frame's step, phase and label. MP4 needs
the ``ffmpeg`` program (or the ``imageio-ffmpeg`` package, which carries one).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from app.figure_export import render_image
from core.export.atomic import atomic_path, write_text
from widgets.figures import FigureContext, make_figure
from widgets.figures.base import where_text
from widgets.figures.canvas import SIZES, FigureSize

#: Frames are drawn at this many dots per inch of the figure: a 16:9 slide becomes 960 × 540 pixels.
ANIMATION_DPI = 72
MAX_FRAMES = 1000


@dataclass(frozen=True)
class AnimationSpec:
    """What to record: view ``view`` over ``steps`` (each after its update), or every phase of the batch
    that makes step ``batch_step``; ``fps`` frames a second."""

    view: str = "network"
    steps: range | None = None
    batch_step: int | None = None
    fps: float = 4.0
    size: FigureSize = SIZES["slide"]
    dpi: int = ANIMATION_DPI

    def check(self, session) -> None:
        if (self.steps is None) == (self.batch_step is None):
            raise ValueError("choose either a range of steps or one batch's phases")
        if not 0.5 <= self.fps <= 60:
            raise ValueError(f"the frame rate must lie between 0.5 and 60 frames a second, not {self.fps:g}")
        if self.steps is not None:
            if not len(self.steps):
                raise ValueError("the range of steps is empty")
            if len(self.steps) > MAX_FRAMES:
                raise ValueError(f"{len(self.steps)} frames are too many (at most {MAX_FRAMES}); record every "
                                 "k-th step instead")
            if self.steps[0] < 0 or max(self.steps) > session.max_step:
                raise ValueError(f"step {max(self.steps)} has not been reached yet (furthest: {session.max_step}).")
        elif not 1 <= self.batch_step <= session.max_step + 1:
            raise ValueError(f"batch {self.batch_step} is not one of steps 1 to {session.max_step + 1}")


def ffmpeg_program() -> str | None:
    """The ffmpeg to encode MP4 with: on the PATH, or the one the imageio-ffmpeg package carries."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        return None


def _snapshots(session, spec: AnimationSpec) -> Iterator:
    if spec.steps is not None:
        for step in spec.steps:
            yield session.seek(step)
        return
    session.seek(spec.batch_step - 1)
    while True:
        snap = session.step_phase()
        yield snap
        if snap.phase == "update" or snap.divergence is not None:
            return


def _home(session) -> Callable[[], None]:
    """A function that puts ``session`` back at its step (and phase, mid-batch)."""
    step = session.step
    phases = session.snapshot().phase_index + 1 if session.mid_batch else 0

    def back() -> None:
        session.seek(step)
        for _ in range(phases):
            session.step_phase()
    return back


def _pil(image: QImage):
    from PIL import Image

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    rows = np.frombuffer(rgb.constBits(), np.uint8, stride * height).reshape(height, stride)
    return Image.fromarray(rows[:, :width * 3].reshape(height, width, 3).copy(), "RGB")


def record(session, spec: AnimationSpec, path: str | Path, frame_for: Callable, context: FigureContext | None = None,
           like: QWidget | None = None) -> list[str]:
    """Record ``spec`` of ``session`` into ``path`` (``.gif`` or ``.mp4``); returns each frame's label.

    ``frame_for(snapshot)`` makes the frame the view renders (as the window makes its own);
    ``like`` is the window's view, whose choices (layer, quantity…) the frames keep.
    """
    path = Path(path)
    kind = path.suffix.lower()
    if kind not in (".gif", ".mp4"):
        raise ValueError(f"{path.name}: animations are written as .gif or .mp4")
    ffmpeg = ffmpeg_program() if kind == ".mp4" else None
    if kind == ".mp4" and ffmpeg is None:
        raise RuntimeError("MP4 needs the ffmpeg program, which is not installed here; save as .gif instead.")
    spec.check(session)
    context = context or FigureContext()
    home = _home(session)
    figure, images, labels, rows = None, [], [], []
    try:
        for snap in _snapshots(session, spec):
            frame = frame_for(snap)
            if figure is None:
                figure = make_figure(spec.view, frame, context, spec.size, like=like, label_frames=True)
            else:
                figure.show(frame)
            label = where_text(snap)
            images.append(_pil(render_image(figure, spec.dpi)))
            labels.append(label)
            rows.append((len(rows), snap.step, snap.phase_label, label))
    finally:
        home()
        if figure is not None:
            figure.close()
    comment = f"Propscope · {spec.view} · lesson {context.fingerprint}" if context.fingerprint else "Propscope"
    with atomic_path(path) as tmp:
        if kind == ".mp4":
            _mp4(ffmpeg, images, tmp, spec.fps, comment)
        else:
            images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:],
                           duration=int(round(1000 / spec.fps)), loop=0, optimize=False, comment=comment)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["frame", "step", "phase", "label"])
    writer.writerows(rows)
    write_text(path.with_name(path.stem + ".frames.csv"), out.getvalue())
    return labels


def _mp4(ffmpeg: str, frames, target: Path, fps: float, comment: str) -> None:
    w, h = frames[0].size
    w, h = w - w % 2, h - h % 2  # yuv420p needs even sizes
    cmd = [ffmpeg, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r",
           f"{fps:g}", "-i", "-", "-pix_fmt", "yuv420p", "-metadata", f"comment={comment}", "-f", "mp4", str(target)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for frame in frames:
            proc.stdin.write(frame.crop((0, 0, w, h)).tobytes())
        proc.stdin.close()
    except BrokenPipeError:
        pass
    error = proc.stderr.read().decode("utf-8", "replace").strip()
    if proc.wait() != 0:
        raise RuntimeError(f"ffmpeg could not encode the video: {error[:300]}")
