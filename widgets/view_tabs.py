"""The central views as tabs, built when first shown, rendered through the one view protocol."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from core.stepper.frame import Frame
from settings.tr_noop import tr_noop
from widgets.decision_view import DecisionView
from widgets.distribution_view import DistributionView
from widgets.fitting import wrap_labels
from widgets.gradient_flow_view import GradientFlowView
from widgets.i18n import Texts
from widgets.matrix_view import MatrixView
from widgets.network_view import NetworkView
from widgets.propagation_view import PropagationView
from widgets.samples_view import SamplesView

#: The central views: key, tab title (English source), class.
VIEWS = [("network", tr_noop("Network"), NetworkView), ("propagation", tr_noop("Layers"), PropagationView),
         ("matrices", tr_noop("Matrices"), MatrixView), ("distributions", tr_noop("Distributions"), DistributionView),
         ("gradient_flow", tr_noop("Gradient flow"), GradientFlowView),
         ("decision", tr_noop("Decision boundary"), DecisionView), ("samples", tr_noop("Samples"), SamplesView)]
#: What a view needs a frame to carry beyond the batch (see TrainingController.set_view_needs).
NEEDS = {"samples": "confusion", "decision": "decision"}


class ViewTabs(QTabWidget):
    """One tab per view; only the view in front renders (the others catch up when shown).

    The Network view is built at once, the others on first show, which keeps
    start-up under a second (each pyqtgraph plot costs tens of milliseconds).
    Emits :attr:`view_changed` with the key of the view brought to the front,
    and :attr:`sample_selected` when a view (Samples) picks the batch's sample
    to follow; :meth:`set_sample` shows that sample in every view that has one.
    """

    view_changed = Signal(str)
    sample_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        texts = Texts(self)
        self._holders: dict[str, QWidget] = {}
        self._built: dict[str, QWidget] = {}
        self.frame: Frame | None = None
        self.sample = 0
        for index, (key, title, cls) in enumerate(VIEWS):
            if key == "network":
                self._built[key] = view = cls(self)
                wrap_labels(view)
                self.addTab(view, "")
            else:
                holder = QWidget(self)
                QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
                self._holders[key] = holder
                self.addTab(holder, "")
            texts.bind(lambda t, i=index: self.setTabText(i, t), title)
        self.currentChanged.connect(self._on_current)

    def view(self, key: str) -> QWidget:
        """The view ``key`` ("network", "matrices"…), built now if it was not yet."""
        view = self._built.get(key)
        if view is None:
            cls = next(c for k, _, c in VIEWS if k == key)
            holder = self._holders[key]
            view = self._built[key] = cls(holder)
            wrap_labels(view)  # a long message line wraps instead of widening the window
            holder.layout().addWidget(view)
            self._adopt(view)
        return view

    def _adopt(self, view: QWidget) -> None:
        """Connect a newly built view's sample choice, and show it the current sample."""
        if hasattr(view, "sample_selected"):
            view.sample_selected.connect(self.set_sample)
            view.sample_selected.connect(self.sample_selected)
        self._give_sample(view)

    def _give_sample(self, view: QWidget) -> None:
        if hasattr(view, "set_sample"):
            view.set_sample(self.sample)
        elif hasattr(view, "select_sample"):
            view.select_sample(self.sample)

    def set_sample(self, sample: int) -> None:
        """Follow sample ``sample`` of the batch in every view built so far."""
        self.sample = max(0, int(sample))
        for view in self._built.values():
            self._give_sample(view)

    def show_view(self, key: str) -> QWidget:
        """Bring view ``key`` to the front and return it."""
        self.setCurrentIndex(self.index_of(key))
        return self.view(key)

    @staticmethod
    def index_of(key: str) -> int:
        return [k for k, _, _ in VIEWS].index(key)

    def current_key(self) -> str:
        return VIEWS[self.currentIndex()][0]

    def current_view(self) -> QWidget:
        return self.view(self.current_key())

    def needs(self) -> set[str]:
        """What the view in front needs frames to carry ("confusion", "decision")."""
        need = NEEDS.get(self.current_key())
        return {need} if need else set()

    def render(self, frame: Frame) -> None:
        """Render ``frame`` in the view in front."""
        self.frame = frame
        self.current_view().render(frame)

    def _on_current(self, _index: int) -> None:
        if self.frame is not None:
            self.current_view().render(self.frame)
        self.view_changed.emit(self.current_key())
