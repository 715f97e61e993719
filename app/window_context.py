"""What the main window's command objects share: a parent for dialogs, the controller, the stored settings,
and how to tell the user something. Passed explicitly to each of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QWidget

from app.discard_guard import DiscardGuard


@dataclass
class WindowContext:
    """The main window's shared dependencies.

    Attributes
    ----------
    parent : QWidget
        Dialogs open over it.
    controller : TrainingController
    store : QSettings
        Recent files, last folders, layout, language.
    notify : callable(text, milliseconds)
        A message in the status bar.
    """

    parent: QWidget
    controller: object
    store: QSettings
    notify: Callable[[str, int], None]
    last_error: tuple[str, str] | None = None

    def show_error(self, title: str, message: str) -> None:
        self.last_error = (title, message)
        QMessageBox.warning(self.parent, title, message)

    def ask(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self.parent, title, question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def may_discard(self, action: str, config=None) -> bool:
        """Whether ``action`` may throw training away: decided (and asked) in one place, :mod:`app.discard_guard`."""
        return DiscardGuard(self.controller, self.ask).allow(action, config)
