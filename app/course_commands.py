"""The course's model presets and one-click lessons."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from app import dialogs
from app.window_context import WindowContext
from core.datasets import FILE_FILTERS
from settings.lessons import FASHION_TRAIN, lessons
from widgets.i18n import tr


class CourseCommands:
    """Presets and lessons: each changes data, model and training settings through the controller at once.

    Parameters
    ----------
    context : WindowContext
    views : ViewTabs
        The lesson's view is brought to the front.
    show_data_config : callable(DataConfig)
        Shows what holds in the data panel.
    open_compare : callable() -> CompareWindow or None
        For lessons that compare settings side by side.
    set_pace : callable(float or None), optional
        Sets the run speed: a lesson starts at a pace a class can watch.
    """

    def __init__(self, context: WindowContext, views, show_data_config: Callable, open_compare: Callable,
                 set_pace: Callable | None = None) -> None:
        self.context = context
        self.views = views
        self.show_data_config = show_data_config
        self.open_compare = open_compare
        self.set_pace = set_pace

    def apply_preset(self, key: str) -> bool:
        """A course model (its layers, loss and optimizer), asking first if it discards progress."""
        if not self.context.may_discard("preset"):
            return False
        return self.context.controller.apply_preset(key)

    def apply_lesson(self, key: str, fashion_path: str | None = None) -> bool:
        """Set up one of the course's experiments (data, model, training) and show its view."""
        path = Path(fashion_path) if fashion_path else FASHION_TRAIN
        lesson = next(item for item in lessons(path) if item.key == key)
        if lesson.needs_file and not path.exists():
            chosen = dialogs.open_file_name(self.context.parent,
                                            tr("Where is Fashion-MNIST (train-images-idx3-ubyte.gz)?"),
                                            str(Path.home()), FILE_FILTERS)
            if not chosen:
                return False
            lesson = next(item for item in lessons(Path(chosen)) if item.key == key)
        if not self.context.may_discard("lesson"):
            return False
        c = self.context.controller
        ok = c.load_data(lesson.data, spec=lesson.model, train=lesson.train)
        self.show_data_config(c.data_config)
        self.views.show_view(lesson.view)
        if ok and self.set_pace is not None:
            self.set_pace(lesson.pace)
        self.context.notify(f"{tr(lesson.title)}: {tr(lesson.note)}", 30_000)
        if ok and lesson.compare:
            compare = self.open_compare()
            ok = compare is not None and compare.apply_preset(lesson.compare)
        return ok
