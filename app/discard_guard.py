"""The one place that decides whether an action throws training away, and asks before it does.

Every action that can discard trained steps — in the main window Reset, new data
or data options, a lesson, a preset, a model from the panel or a file, a session
file, a training setting that needs a new model; in the compare window Reset, a
preset or an edited side — goes through
:meth:`DiscardGuard.allow` with its name. Nothing trained yet: no question.
What counts as discarding for training settings is
:mod:`settings.training_changes`'s rule (epochs, hyper-parameters and batch size
keep the training and do not ask).
"""

from __future__ import annotations

from typing import Callable

from settings.tr_noop import tr_noop
from widgets.i18n import tr

#: What each action does to the training, said in the question (English sources).
WHAT_IT_DOES = {
    "reset": tr_noop("Reset goes back to step 0 with the initial weights."),
    "data": tr_noop("New data builds a new model from step 0."),
    "data_options": tr_noop("A new split or normalization builds a new model from step 0."),
    "lesson": tr_noop("The lesson sets up new data, a new model and new training settings from step 0."),
    "preset": tr_noop("The preset builds a new model from step 0."),
    "model": tr_noop("The new layers build a new model from step 0."),
    "open_model": tr_noop("The opened model replaces the one trained now."),
    "open_session": tr_noop("The opened session replaces the one trained now."),
    "training": tr_noop("A new loss, optimizer type or seed builds a new model from step 0."),
    "compare": tr_noop("The comparison starts again: every side is built anew from step 0."),
}
#: Every action the guard knows.
ACTIONS = tuple(WHAT_IT_DOES)


class DiscardGuard:
    """Asks before an action throws training away.

    Parameters
    ----------
    controller : TrainingController or CompareController
        Tells whether anything was trained (``has_progress``, ``trained_steps``) and, for the main
        window, what training settings would discard (``discards_progress``).
    ask : callable(title, question) -> bool
        Shows the question; True for Yes.
    """

    def __init__(self, controller, ask: Callable[[str, str], bool]) -> None:
        self.controller = controller
        self.ask = ask

    def discards(self, action: str, config=None) -> bool:
        """Whether ``action`` (one of :data:`ACTIONS`) would throw trained steps away now.

        ``config`` is the new :class:`~settings.config.TrainConfig` of a ``"training"`` action.
        """
        if action not in WHAT_IT_DOES:
            raise ValueError(f"unknown action {action!r}; expected one of {', '.join(ACTIONS)}")
        c = self.controller
        if not c.has_progress:
            return False
        if action == "training":
            return c.discards_progress(config)
        return True

    def allow(self, action: str, config=None) -> bool:
        """True when ``action`` may go ahead: it discards nothing, or the user said Yes."""
        if not self.discards(action, config):
            return True
        steps = self.controller.trained_steps
        return self.ask(tr("Discard training progress?"),
                        tr(WHAT_IT_DOES[action]) + " "
                        + tr("The {steps} trained steps are discarded. Continue?").format(steps=f"{steps:,}"))
