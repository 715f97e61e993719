"""Recording a range of steps of a view to an animated GIF (Pillow), or MP4 when ffmpeg exists."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtWidgets import QApplication, QWidget

from core.export.atomic import atomic_path


def _frame(widget: QWidget):
    from PIL import Image

    image = widget.grab().toImage()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    import io

    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGB")


def record(session, view: QWidget, frame_for: Callable, steps: range, path: str | Path, fps: int = 8) -> Path:
    """Replay ``steps`` of ``session`` (exactly, by rewinding), render each in ``view`` and save.

    ``frame_for(snapshot)`` makes the :class:`~core.stepper.frame.Frame` the
    view renders (the window's own frames are made the same way). The session
    is returned to the step it was at. ``.gif`` uses Pillow; ``.mp4`` needs the
    ``ffmpeg`` program and says so when it is missing.
    """
    path = Path(path)
    if path.suffix.lower() == ".mp4" and shutil.which("ffmpeg") is None:
        raise RuntimeError("MP4 needs the ffmpeg program, which is not installed here; save as .gif instead.")
    if not len(steps):
        raise ValueError("the range of steps is empty")
    if steps[-1] > session.max_step:
        raise ValueError(f"step {steps[-1]} has not been reached yet (furthest: {session.max_step}).")
    app = QApplication.instance()
    home = session.step
    frames = []
    try:
        for step in steps:
            view.render(frame_for(session.seek(step)))
            app.processEvents()
            frames.append(_frame(view))
    finally:
        session.seek(home)
    with atomic_path(path) as tmp:
        if path.suffix.lower() == ".mp4":
            _mp4(frames, tmp, fps)
        else:
            frames[0].save(tmp, format="GIF", save_all=True, append_images=frames[1:],
                           duration=int(1000 / fps), loop=0, optimize=False)
    return path


def _mp4(frames, target: Path, fps: int) -> None:
    w, h = frames[0].size
    w, h = w - w % 2, h - h % 2  # yuv420p needs even sizes
    cmd = ["ffmpeg", "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}", "-r",
           str(fps), "-i", "-", "-pix_fmt", "yuv420p", "-f", "mp4", str(target)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    for frame in frames:
        proc.stdin.write(frame.crop((0, 0, w, h)).tobytes())
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("ffmpeg could not encode the video")
