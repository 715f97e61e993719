"""Translatable text for widgets, through Qt's translation system.

Every user-visible string goes through :func:`tr` (Qt's
``QCoreApplication.translate`` in one context, ``"Propscope"``), so the
translator the app installs (``app.i18n``: Korean from
``resources/i18n/propscope_ko.qm``) applies to it. Static texts are set through
a :class:`Texts` binder, which remembers each setter and sets the text again
when Qt announces a language change; dynamic texts (status lines, plot
titles built from numbers) are rebuilt on the next redraw, which the window
triggers after a switch.

``tr`` and the binder's methods take the English source text as a literal
first string argument: ``app.i18n.source_strings`` finds them there, and a
test checks that every one of them has a translation.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from settings.tr_noop import tr_noop

CONTEXT = "Propscope"
__all__ = ["CONTEXT", "Texts", "class_names_shown", "divergence_text", "phase_text", "rule_text", "snapshot_phase_text",
           "tr", "tr_noop"]


def tr(text: str) -> str:
    """``text`` in the current language (the English source if untranslated)."""
    return QCoreApplication.translate(CONTEXT, text)


class Texts(QObject):
    """The translatable texts of one widget: set now, set again on a language change.

    Parameters
    ----------
    owner : QObject
        The widget whose ``LanguageChange`` event re-applies the texts (Qt
        sends it to every widget when a translator is installed or removed).

    Examples
    --------
    >>> texts = Texts(self)                                  # doctest: +SKIP
    >>> texts.bind(button.setText, "Step batch")             # doctest: +SKIP
    >>> texts.bind(lambda t: plot.setLabel("left", t), "Loss")  # doctest: +SKIP
    """

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._items: list[tuple[Callable[[str], object], str]] = []
        self._callbacks: list[Callable[[], object]] = []
        owner.installEventFilter(self)

    def on_change(self, callback: Callable[[], object]) -> None:
        """Also call ``callback()`` after each language change (for texts built from data)."""
        self._callbacks.append(callback)

    def bind(self, setter: Callable[[str], object], text: str) -> None:
        """Call ``setter(tr(text))`` now and after every language change."""
        self._items.append((setter, text))
        setter(tr(text))

    def label(self, text: str, parent: QWidget | None = None) -> QLabel:
        """A QLabel showing ``text`` in the current language."""
        label = QLabel(parent)
        self.bind(label.setText, text)
        return label

    def row(self, form: QFormLayout, text: str, field: QWidget) -> QLabel:
        """``form.addRow(text, field)`` with a translated label."""
        label = self.label(text, form.parentWidget())
        form.addRow(label, field)
        return label

    def retranslate(self) -> None:
        # Setters and callbacks whose widgets Qt has deleted (a rebuilt menu, a closed
        # window's plots) are forgotten.
        self._items = [(setter, text) for setter, text in self._items if _alive(setter, tr(text))]
        self._callbacks = [callback for callback in self._callbacks if _alive(callback)]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange and watched is self.parent():
            self.retranslate()
        return False


def _alive(call: Callable, *args) -> bool:
    """Call ``call(*args)``; False when its Qt object was already deleted."""
    try:
        call(*args)
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise
        return False
    return True


PHASES = {"start": tr_noop("start"), "forward": tr_noop("forward"), "loss": tr_noop("loss"),
          "backward": tr_noop("backward"), "update": tr_noop("update")}


def phase_text(phase: str, layer: str | None = None) -> str:
    """A phase for display: ``"forward · dense_1"`` / ``"순전파 · dense_1"``."""
    name = tr(PHASES.get(phase, phase))
    return f"{name} · {layer}" if layer else name


def snapshot_phase_text(snap) -> str:
    """The phase a snapshot shows, as :func:`phase_text`."""
    layer = None if snap.phase_layer is None else snap.layers[snap.phase_layer].name
    return phase_text(snap.phase, layer)


def divergence_text(div) -> str:
    """A :class:`core.stepper.Divergence` explained in the UI language."""
    where = tr("layer {name}").format(name=div.layer) if div.layer else tr("the loss")
    return tr("Training diverged at step {step} (epoch {epoch}, batch {batch}): {count} non-finite value(s) "
              "in {quantity} of {where} during the {phase} phase. Everything before this step is kept; "
              "lower the learning rate or reset.").format(
        step=div.step, epoch=div.epoch + 1, batch=div.batch + 1, count=div.count, quantity=div.quantity,
        where=where, phase=tr(PHASES.get(div.phase, div.phase)))


def class_names_shown(names) -> tuple[str, ...]:
    """A data set's class names in the UI language: known sets (Fashion-MNIST) translated, others as they are."""
    from settings.class_names import is_known

    names = tuple(str(n) for n in names)
    return tuple(tr(n) for n in names) if is_known(names) else names


def rule_text(optimizer) -> str:
    """Which update rule ``optimizer`` follows, for the Training panel: Keras's, or PyTorch's for a model
    imported from PyTorch (the rules differ: see ``core/optimizers/torch_rules.py``)."""
    name = type(optimizer).__name__
    if getattr(optimizer, "update_rule", "keras") == "torch":
        return tr("update rule: PyTorch's {name}").format(name=optimizer.torch_class)
    return tr("update rule: Keras's {name}").format(name=name)
