"""The lesson fingerprint in the status bar: ``Lesson 4F7Q-K2M9 · step 120 · loss 0.4321``."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from core.export.fingerprint import lesson_fingerprint
from widgets.i18n import Texts, tr


class FingerprintLabel(QLabel):
    """Shows a session's lesson fingerprint; updated when the step changes (the code itself is kept)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        Texts(self).bind(self.setToolTip, "Lesson fingerprint: the same code on two machines means the same run "
                                          "(data, model, settings, seed, initial weights); compare the loss at "
                                          "the same step. Help → Lesson fingerprint explains it.")
        self.shown: tuple | None = None

    def show_session(self, session, force: bool = False) -> str:
        """Show ``session``'s fingerprint (nothing without one); returns the text shown."""
        if session is None:
            self.shown = None
            self.setText("")
            return ""
        key = (id(session), session.step, id(session.initial_weights), tr("Lesson {code} · step {step}"))
        if force or key != self.shown:
            self.shown = key
            fp = lesson_fingerprint(session)
            text = (tr("Lesson {code} · step {step}") if fp.loss is None else
                    tr("Lesson {code} · step {step} · loss {loss}")).format(code=fp.code, step=fp.step,
                                                                             loss=fp.loss_text())
            self.setText(text)
        return self.text()
