"""The main window: docks for model, data and training, step actions, status and progress."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox,
                               QProgressBar, QSizePolicy, QTabWidget, QVBoxLayout, QWidget)

from app.config import DataConfig, ModelSpec, TrainConfig
from app.backend_probe import BackendProbe, quick_backend_entries
from app.controller import TrainingController
from app.screen_fit import ScreenFit
from app.validation import data_code_of, split_of
from app.i18n import install_language, resolve_language
from app.window_actions import CourseActions, ExportActions, FileActions
from app.window_menus import MenuActions
from core.datasets import FILE_FILTERS
from widgets.code_view import CodeView
from widgets.data_panel import DataPanel, split_short
from widgets.gradcheck_view import GradCheckView
from widgets.decision_view import DecisionView
from widgets.distribution_view import DistributionView
from widgets.doctor_banner import DoctorBanner
from widgets.fitting import scrollable, wrap_labels
from widgets.gradient_flow_view import GradientFlowView
from widgets.inspector_view import InspectorView
from widgets.matrix_view import MatrixView
from widgets.metrics_view import MetricsView
from widgets.network_view import NetworkView
from widgets.model_panel import ModelPanel
from widgets.propagation_view import PropagationView
from widgets.samples_view import SamplesView
from widgets.step_controls import StepControls
from widgets.training_panel import TrainingPanel
from widgets.i18n import Texts, tr, tr_noop

HISTORY_REDRAW_S = 0.2
#: The central views: key, tab title (English source), class (None: built at start).
VIEWS = [("network", tr_noop("Network"), None), ("propagation", tr_noop("Layers"), PropagationView),
         ("matrices", tr_noop("Matrices"), MatrixView), ("distributions", tr_noop("Distributions"), DistributionView),
         ("gradient_flow", tr_noop("Gradient flow"), GradientFlowView),
         ("decision", tr_noop("Decision boundary"), DecisionView), ("samples", tr_noop("Samples"), SamplesView)]
#: The data sets' task names, as the model panel shows them.
TASKS = (tr_noop("classification"), tr_noop("binary"), tr_noop("regression"))
#: Dock key → title (English source); the key names the dock in the saved layout.
DOCKS = {"Data": tr_noop("Data"), "Model": tr_noop("Model"), "Training": tr_noop("Training"),
         "Metrics": tr_noop("Metrics"), "Inspector": tr_noop("Inspector"), "Code": tr_noop("Code"),
         "Gradient check": tr_noop("Gradient check"), "Steps": tr_noop("Steps")}
#: Docks whose content scrolls when the screen is small (plots and the code editor shrink by themselves).
SCROLLING_DOCKS = ("Data", "Model", "Training", "Inspector", "Gradient check")


class MainWindow(MenuActions, CourseActions, ExportActions, FileActions, QMainWindow):
    """Propscope's main window. Widgets emit intents; the controller does the work."""

    def __init__(self, controller: TrainingController | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Propscope")
        self.setAcceptDrops(True)
        self.settings = QSettings("Propscope", "Propscope")
        self.texts = Texts(self)
        self.controller = controller or TrainingController(self)
        # The Network view is built now; the other tabs on first show, which keeps start-up
        # under a second (each pyqtgraph plot costs a few tens of milliseconds to build).
        self.network = NetworkView(self)
        self.inspector = InspectorView(self)
        self.tabs = QTabWidget(self)
        self._lazy: dict[str, tuple[QWidget, type]] = {}
        self._built: dict[str, QWidget] = {}
        self._session_data: tuple | None = None
        for index, (name, title, cls) in enumerate(VIEWS):
            if cls is None:
                self.tabs.addTab(self.network, "")
            else:
                holder = QWidget(self)
                QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
                self.tabs.addTab(holder, "")
                self._lazy[name] = (holder, cls)
            self.texts.bind(lambda t, i=index: self.tabs.setTabText(i, t), title)
        self.doctor = DoctorBanner(self)  # "this run has stopped learning", above the views
        central = QWidget(self)
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.doctor)
        box.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.model_panel = ModelPanel(self)
        self.data_panel = DataPanel(self)
        self.training_panel = TrainingPanel(self)
        self.metrics = MetricsView(self)
        self.steps = StepControls(self)
        self.docks: dict[str, QDockWidget] = {}
        self._last_history_draw = 0.0
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self._dock("Data", self.data_panel, left)
        self._dock("Model", self.model_panel, left)
        self._dock("Training", self.training_panel, left)
        self._dock("Metrics", self.metrics, right)
        self._dock("Inspector", self.inspector, right)
        self.code = CodeView(self)
        self.gradcheck = GradCheckView(self)
        self._dock("Code", self.code, right)
        self._dock("Gradient check", self.gradcheck, right)
        # A saved layout brings its own tabs: tabifying first as well leaves Qt's earlier
        # tab bars on screen (a second, stale row of dock tabs).
        if self.settings.value("window_state") is None:
            for group in (("Data", "Model", "Training"), ("Metrics", "Inspector", "Code", "Gradient check")):
                for a, b in zip(group, group[1:]):
                    self.tabifyDockWidget(self.docks[a], self.docks[b])
                self.docks[group[0]].raise_()
        self._dock("Steps", self.steps, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._make_actions()
        self._make_status_bar()
        self._add_help()
        self._wire()
        self.texts.on_change(self._retranslate)
        self.training_panel.set_backends(quick_backend_entries())
        self.screen_fit = ScreenFit(self, (1400, 860))  # or less: the steps and status bars stay on screen
        self.resizeDocks([self.docks["Data"], self.docks["Metrics"]], [380, 440], Qt.Orientation.Horizontal)
        self._restore_settings()
        self.screen_fit.fit()  # a layout saved on a larger monitor comes back inside this screen
        self.controller.load_data(DataConfig())
        self.backend_probe = BackendProbe(self)
        self.backend_probe.found.connect(self.training_panel.set_backends)
        QTimer.singleShot(0, self.backend_probe.start)

    # --- lazily built views ------------------------------------------------------------
    def _view(self, name: str) -> QWidget:
        view = self._built.get(name)
        if view is None:
            holder, cls = self._lazy[name]
            view = self._built[name] = cls(holder)
            wrap_labels(view)  # a long message line wraps instead of widening the window
            holder.layout().addWidget(view)
            if name in ("decision", "samples") and self._session_data is not None:
                self._apply_session_data(name, view)
        return view

    propagation = property(lambda self: self._view("propagation"))
    matrices = property(lambda self: self._view("matrices"))
    distributions = property(lambda self: self._view("distributions"))
    gradient_flow = property(lambda self: self._view("gradient_flow"))
    decision = property(lambda self: self._view("decision"))
    samples = property(lambda self: self._view("samples"))

    def show_view(self, name: str) -> QWidget:
        """Bring the tab of view ``name`` ("network", "matrices"…) to the front and return the view."""
        if name == "network":
            self.tabs.setCurrentWidget(self.network)
            return self.network
        self.tabs.setCurrentWidget(self._lazy[name][0])
        return self._view(name)

    def current_view_key(self) -> str:
        """The key ("network", "matrices"…) of the view in front."""
        return VIEWS[self.tabs.currentIndex()][0]

    def _current_view(self) -> QWidget:
        widget = self.tabs.currentWidget()
        for name, (holder, _) in self._lazy.items():
            if widget is holder:
                return self._view(name)
        return widget

    # --- construction --------------------------------------------------------------
    def _add_help(self) -> None:
        """Every view explains itself, with its formula: on its tab, and in the View menu for docks.

        (A tooltip on a whole dock would pop up over every plot inside it.)"""
        from app.help_texts import HELP

        for index, (key, _, _) in enumerate(VIEWS):
            self.texts.bind(lambda t, i=index: self.tabs.setTabToolTip(i, t), HELP[key])
        for key, dock in self.docks.items():
            if key in HELP:
                action = dock.toggleViewAction()
                self.texts.bind(lambda t, a=action: (a.setToolTip(t), a.setStatusTip(t)), HELP[key])

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> None:
        """A dock keyed ``title`` (its English name, also its name in the saved layout)."""
        dock = QDockWidget(self)
        self.texts.bind(dock.setWindowTitle, DOCKS[title])
        dock.setObjectName(f"dock_{title}")
        wrap_labels(widget)
        dock.setWidget(scrollable(widget) if title in SCROLLING_DOCKS else widget)
        self.addDockWidget(area, dock)
        self.docks[title] = dock

    def _retranslate(self) -> None:
        """Texts built from data: the status line and the current view's titles."""
        self._on_status(self.controller.status())
        self._on_running(self.controller.running)
        self._show_split()
        if self.controller.model is not None:
            self._on_model(self.controller.model)

    def _make_status_bar(self) -> None:
        self.status_label = QLabel(self)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.device_label = QLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(240)
        self.texts.bind(self.progress.setFormat, "%v / %m steps")
        self.statusBar().addWidget(self.status_label, 1)
        self.split_label = QLabel(self)  # "train 48,000 · val 12,000 · test 10,000"
        self.split_label.setMinimumWidth(1)  # shown whole when there is room, cut rather than widen the window
        self.statusBar().addPermanentWidget(self.split_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self.statusBar().addPermanentWidget(self.progress)

    def _wire(self) -> None:
        c = self.controller
        c.snapshot_ready.connect(self._on_snapshot)
        c.session_changed.connect(self._on_session)
        self.tabs.currentChanged.connect(lambda _: self._draw_current_tab(True))
        self.network.neuron_selected.connect(self._inspect)
        self.gradcheck.check_requested.connect(self.run_gradcheck)
        c.status_changed.connect(self._on_status)
        c.running_changed.connect(self._on_running)
        c.dataset_changed.connect(lambda ds: self.data_panel.set_dataset(ds, c.data_config))
        c.model_changed.connect(self._on_model)
        c.session_changed.connect(lambda s: self.metrics.set_history(s.history, s.batches_per_epoch))
        c.error.connect(self.show_error)
        c.info.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.model_panel.model_requested.connect(self.request_model)
        self.model_panel.preset_requested.connect(self.apply_preset)
        self.data_panel.data_requested.connect(self.request_data)
        self.data_panel.options_requested.connect(self.request_data_options)
        self.data_panel.open_requested.connect(self.open_data_dialog)
        self.data_panel.evaluate_requested.connect(c.evaluate_test)
        c.test_evaluated.connect(self.data_panel.set_test_result)
        self.training_panel.training_requested.connect(self.request_training)
        self.steps.seek_requested.connect(c.seek)

    # --- reactions to the controller -------------------------------------------------
    def _on_snapshot(self, snap) -> None:
        session = self.controller.session
        if session is not None:
            self.doctor.check([("", session)], force=not self.controller.running)
        # Curves over thousands of steps change little from frame to frame: 5 Hz is plenty
        # while running, and it leaves the 30 Hz budget to the views of the current batch.
        now = time.monotonic()
        history_due = not self.controller.running or now - self._last_history_draw >= HISTORY_REDRAW_S
        if session is not None and history_due:
            self.metrics.set_history(session.history, session.batches_per_epoch)
            self._last_history_draw = now
            if self.controller.running:
                # Two heavy repaints in one frame would stall the event loop: the views of the
                # batch catch up on the next frame, 33 ms later.
                view = self._current_view()
                if view is self._built.get("gradient_flow") or view is self._built.get("distributions"):
                    self._draw_current_tab(True)
                return
        self._draw_current_tab(history_due)

    def _draw_current_tab(self, history_due: bool = True) -> None:
        """Only the visible view redraws: hidden tabs catch up when they are shown."""
        snap, session = self.controller.latest, self.controller.session
        if snap is None or session is None:
            return
        view = self._current_view()
        built = self._built.get
        if view is self.network:
            self.network.set_snapshot(snap)
        elif view is built("propagation"):
            view.set_snapshot(snap)
        elif view is built("matrices"):
            view.set_snapshot(snap)
        elif view is built("distributions"):
            view.set_snapshot(snap)
            if history_due:
                view.set_history(session.history)
        elif view is built("gradient_flow") and history_due:
            names = [la.name for la in snap.layers if la.W is not None]
            view.set_history(session.history, names)
        elif view is built("decision"):
            view.set_snapshot(snap)
        elif view is built("samples"):
            view.set_snapshot(snap)
        if not self.docks["Inspector"].visibleRegion().isEmpty():
            self.inspector.set_snapshot(snap)

    def run_gradcheck(self) -> None:
        """Central differences against backprop on the latest batch (float64, on a copy of the model)."""
        from core.gradcheck import gradcheck

        c = self.controller
        snap = c.latest
        if c.running or snap is None or snap.x is None:
            self.show_error(tr("Gradient check"), tr("Step at least one phase of a batch first (and pause a run)."))
            return
        try:
            entries = gradcheck(c.model, snap.x, snap.y, max_checks=60)
        except (ValueError, RuntimeError) as exc:
            self.show_error(tr("Gradient check failed"), str(exc))
            return
        self.gradcheck.set_results(entries)
        self.docks["Gradient check"].raise_()

    def _inspect(self, column: int, unit: int) -> None:
        self.docks["Inspector"].raise_()
        self.inspector.select(column, unit)
        if self.controller.latest is not None:
            self.inspector.set_snapshot(self.controller.latest)

    def _on_session(self, session) -> None:
        self.doctor.reset()
        ops = session.engine.ops
        val = session.validation_data
        dataset = self.controller.dataset
        self._session_data = (ops.to_numpy(session.xs), ops.to_numpy(session.y_metric),
                              None if val is None else val[0], None if val is None else val[1],
                              dataset.task if dataset else "binary", dataset.class_names if dataset else ())
        for name in ("decision", "samples"):
            if name in self._built:
                self._apply_session_data(name, self._built[name])
        self.data_panel.set_test_result(None)  # a result of an earlier model or step
        self._show_split()

    def _show_split(self) -> None:
        """Training, validation and test sizes in the data panel and the status bar."""
        sizes = split_of(self.controller)
        if sizes is not None:
            self.data_panel.set_split(sizes)
            self.split_label.setText(split_short(sizes))

    def _apply_session_data(self, name: str, view) -> None:
        x, y, x_val, y_val, task, class_names = self._session_data
        if name == "decision":
            view.set_data(x, y, x_val, y_val, task)
        else:
            view.set_validation(x_val, y_val, class_names)

    def _on_status(self, status: dict) -> None:
        self.steps.set_status(status)
        if not status.get("ready"):
            return
        loss = "" if status["loss"] is None else " · " + tr("loss {value}").format(value=f"{status['loss']:.4f}")
        self.status_label.setText(tr("Epoch {epoch}/{epochs} · batch {batch}/{batches} · {phase}").format(
            epoch=status["epoch"], epochs=status["epochs"], batch=status["batch"], batches=status["batches"],
            phase=status["phase"]) + loss)
        self.device_label.setText(status["device"])
        total = status["epochs"] * status["batches"]
        self.progress.setRange(0, total)
        self.progress.setValue(min(status["step"], total))

    def _on_running(self, running: bool) -> None:
        self.act_run.setText(tr("&Pause") if running else tr("&Run"))
        for a in (self.act_phase, self.act_batch, self.act_back, self.act_epoch):
            a.setEnabled(not running)

    def _on_model(self, model) -> None:
        c = self.controller
        self.model_panel.set_spec(c.spec)
        self.model_panel.set_summary(model.summary(print_fn=lambda s: None))
        ds = c.dataset
        self.model_panel.set_input_note(
            tr("Input: {shape} from {name}").format(shape=ds.input_shape, name=ds.name)
            + (" " + tr("(flattened)") if len(ds.input_shape) > 1 else "")
            + " · " + tr("output layer sized for {task}").format(task=tr(ds.task)))
        self.training_panel.set_config(c.train_config)
        self.training_panel.set_backend_note(model.backend_message
                                             or tr("Computing with {device}").format(device=model.ops.describe()))
        self.code.set_model(model, c.train_config.batch_size, c.train_config.epochs,
                            c.data_config.validation_fraction, data_code_of(c))

    # --- intents -----------------------------------------------------------------------
    def _may_discard(self) -> bool:
        if not self.controller.has_progress:
            return True
        answer = QMessageBox.question(self, tr("Discard training progress?"),
                                      tr("This change starts training again from step 0. Continue?"),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _change(self, apply, value, show, discards: bool = True) -> None:
        """Apply a settings change (asking first if it discards progress), then show what holds."""
        if not discards or self._may_discard():
            apply(value)
        show()

    def request_model(self, spec: ModelSpec) -> None:
        c = self.controller
        self._change(c.set_model, spec, lambda: self.model_panel.set_spec(c.spec))

    def request_training(self, config: TrainConfig) -> None:
        c = self.controller
        self._change(c.set_training, config, lambda: self.training_panel.set_config(c.train_config),
                     c.discards_progress(config))

    def request_data(self, config: DataConfig) -> None:
        c = self.controller
        self._change(c.load_data, config, lambda: self.data_panel.set_config(c.data_config))

    def request_data_options(self, config: DataConfig) -> None:
        c = self.controller
        self._change(c.set_data_options, config, lambda: self.data_panel.set_config(c.data_config))

    def open_data_dialog(self) -> None:
        start = self.settings.value("last_dir", str(Path.home()))
        path, _ = QFileDialog.getOpenFileName(self, tr("Open data"), start, ";;".join(FILE_FILTERS))
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """Load a file; on error the previous data stays and the error is shown."""
        if not self._may_discard():
            return False
        config = replace(self.controller.data_config, source="file", path=str(path))
        ok = self.controller.load_data(config)
        if ok:
            self._remember(path)
        self.data_panel.set_config(self.controller.data_config)
        return ok

    def toggle_run(self) -> None:
        c = self.controller
        if c.running:
            c.pause()
        else:
            c.run(self.steps.batches_per_second())

    def open_compare(self):
        """Open (or bring forward) the compare-mode window on the current data and settings."""
        from app.compare_window import CompareWindow

        if self.controller.dataset is None:
            self.show_error(tr("Cannot compare"), tr("Load data in the main window first."))
            return None
        if getattr(self, "compare_window", None) is None:
            self.compare_window = CompareWindow(self.controller, self)
        else:
            self.compare_window.rebuild()
        self.compare_window.show()
        self.compare_window.raise_()
        return self.compare_window

    def confirm_reset(self) -> None:
        self.controller.reset()

    # --- messages -------------------------------------------------------------------------
    def show_error(self, title: str, message: str) -> None:
        self.last_error = (title, message)
        QMessageBox.warning(self, title, message)

    def show_shortcuts(self) -> None:
        rows = [f"{a.text().replace('&', '')}: {a.shortcut().toString()}" for a in
                (self.act_open, self.act_phase, self.act_batch, self.act_back, self.act_epoch, self.act_run,
                 self.act_reset, self.act_quit)]
        QMessageBox.information(self, tr("Keyboard shortcuts"), "\n".join(rows))

    def closeEvent(self, event) -> None:
        if getattr(self, "compare_window", None) is not None:
            self.compare_window.close()
        self.controller.shutdown()
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        super().closeEvent(event)


def run_app() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Propscope")
    app.setOrganizationName("Propscope")
    from app.fonts import register_fonts
    from core.backend import set_num_threads

    register_fonts(app)  # Hangul everywhere, even without a system CJK font
    install_language(resolve_language(QSettings("Propscope", "Propscope").value("language", "system")))
    # One BLAS thread for training: at these sizes two are slower, and the GUI needs the other core.
    set_num_threads(1)
    window = MainWindow()
    window.show()
    code = app.exec()
    # Delete the window while the application still exists: left to interpreter
    # shutdown, Qt objects die in random order and the process can crash on exit.
    window.deleteLater()
    app.processEvents()
    return code
