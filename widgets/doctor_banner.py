"""The training doctor's warning: a non-modal banner above the views, naming the layer, the symptom
with its numbers and the course's remedies (the findings come from :mod:`core.stepper.doctor`)."""

from __future__ import annotations

import time
from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from core.stepper.doctor import Finding, diagnose_session
from widgets.i18n import Texts, tr, tr_noop

CHECK_INTERVAL_S = 1.0  # the history changes slowly; reading it once a second is plenty
SYMPTOMS = {
    "stuck_at_chance": tr_noop("Training has stopped learning: over the last {steps} steps the loss stayed at {loss} "
                               "(guessing gives {chance}) and the accuracy at {accuracy}, about 1/{classes}."),
    "dead_relu": tr_noop("Layer {layer}: {dead} of its {units} ReLU units ({share}) output 0 for every sample. "
                         "Dead units pass no gradient back and stop learning."),
    "saturated": tr_noop("Layer {layer}: {share} of its {activation} outputs sit in the flat ends of the curve, "
                         "where the derivative is almost 0: the layer barely learns."),
    "vanishing": tr_noop("Vanishing gradient: ‖∂L/∂W‖ of {layer} is {first}, {ratio} of {last_layer}'s ({last}): "
                         "the first layers hardly change."),
    "vanished": tr_noop("The gradients have vanished: the largest ‖∂L/∂W‖ of any layer is {largest}, "
                        "so no weight changes any more."),
    "exploding": tr_noop("Exploding gradient: ‖∂L/∂W‖ of {layer} grew from {start} to {now} ({growth} times)."),
}
REMEDIES = {
    "lower_learning_rate": tr_noop("a lower learning rate (now {lr})"),
    "relu": tr_noop("ReLU in the hidden layers"),
    "he_initialization": tr_noop("He initialization (kernel_initializer=\"he_normal\")"),
    "other_optimizer": tr_noop("another optimizer (Adam adapts the step of every weight)"),
}


def _share(x: float) -> str:
    return f"{100 * x:.0f}%"


def finding_text(finding: Finding, learning_rate: float | None = None) -> str:
    """One finding in the UI language, with its numbers and remedies."""
    n = finding.numbers
    values = {"layer": finding.layer or "", "steps": n.get("steps", ""), "loss": f"{n.get('loss', 0):.3f}",
              "chance": f"{n.get('chance_loss', 0):.3f}", "accuracy": _share(n.get("accuracy", 0)),
              "classes": n.get("classes", ""), "dead": n.get("dead", ""), "units": n.get("units", ""),
              "share": _share(n.get("share", 0)), "activation": n.get("activation", ""),
              "first": f"{n.get('first', 0):.2e}", "last": f"{n.get('last', 0):.2e}",
              "last_layer": n.get("last_layer", ""), "ratio": f"{n.get('ratio', 0):.1e}",
              "largest": f"{n.get('largest', 0):.1e}", "start": f"{n.get('start', 0):.3g}",
              "now": f"{n.get('now', 0):.3g}", "growth": f"{n.get('growth', 0):.0f}"}
    text = tr(SYMPTOMS[finding.kind]).format(**values)
    lr = "—" if learning_rate is None else f"{learning_rate:g}"
    remedies = ", ".join(tr(REMEDIES[key]).format(lr=lr) for key in finding.remedies)
    return text + " " + tr("Try: {remedies}.").format(remedies=remedies)


class DoctorBanner(QFrame):
    """Shows what :func:`core.stepper.doctor.diagnose_session` finds; hidden while a run is healthy.

    Entry points: :meth:`check` (cheap to call on every frame: it reads the history at most once a
    second), :meth:`reset` (a new session). *Dismiss* hides the current warnings until another appears.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("doctor")
        self.setStyleSheet("#doctor { background: #FFF4D6; border: 1px solid #E0A800; border-radius: 4px }")
        layout = QHBoxLayout(self)
        self.icon = QLabel("⚠", self)
        self.icon.setStyleSheet("font-size: 18pt; color: #B26B00")
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss = QPushButton(self)
        texts = Texts(self)
        texts.bind(self.dismiss.setText, "Dismiss")
        texts.on_change(self._show)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.dismiss.clicked.connect(self._on_dismiss)
        self.findings: list[tuple[str, Finding, float | None]] = []
        self._dismissed: set = set()
        self._last_check = 0.0
        self.hide()

    def reset(self) -> None:
        """Forget findings and dismissals (a new session or comparison)."""
        self.findings, self._dismissed, self._last_check = [], set(), 0.0
        self.hide()

    def check(self, sides: Sequence[tuple], force: bool = False) -> list[Finding]:
        """Diagnose each ``(label, session)`` ("" for the main window's one session) and show the result.

        A side may be ``(label, session, history)``: the curves to read (the frame's, for a run in the
        training process, whose session here is only brought up to date when the run ends)."""
        now = time.monotonic()
        if not force and now - self._last_check < CHECK_INTERVAL_S:
            return [f for _, f, _ in self.findings]
        self._last_check = now
        found = []
        for label, session, *history in sides:
            lr = getattr(session.model.optimizer, "learning_rate", None)
            found += [(label, f, lr) for f in diagnose_session(session, *history)]
        self.findings = found
        self._show()
        return [f for _, f, _ in found]

    def _show(self) -> None:
        shown = [(label, f, lr) for label, f, lr in self.findings if (label, f.key) not in self._dismissed]
        if not shown:
            self.hide()
            return
        lines = [(f"{label}: " if label else "") + finding_text(f, lr) for label, f, lr in shown[:4]]
        if len(shown) > 4:
            lines.append(tr("…and {n} more.").format(n=len(shown) - 4))
        self.text.setText("\n".join(lines))
        self.show()

    def _on_dismiss(self) -> None:
        self._dismissed |= {(label, f.key) for label, f, _ in self.findings}
        self.hide()
