"""The main window: composed of small parts with explicit dependencies.

- :class:`~app.controller.TrainingController` does the work and publishes frames;
- :class:`~widgets.view_tabs.ViewTabs` renders them (the inspector dock too);
- the panels (data, model, training) emit intents, applied through :class:`~app.settings_requests.SettingsRequests`;
- :class:`~app.menus.WindowActions` holds actions and menus, which call
  :class:`~app.file_commands.FileCommands`, :class:`~app.export_commands.ExportCommands` and
  :class:`~app.course_commands.CourseCommands`.

The window itself only lays these out and wires them; it never writes controller state.
"""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (QApplication, QDockWidget, QLabel, QMainWindow, QMessageBox, QProgressBar, QSizePolicy,
                               QVBoxLayout, QWidget)

from app.backend_probe import BackendProbe, quick_backend_entries
from app.controller import TrainingController
from app.course_commands import CourseCommands
from app.export_commands import ExportCommands
from app.file_commands import FileCommands
from app.first_frame import AfterFirstFrame
from app.help_texts import HELP
from app.loading import Loader
from app.menus import WindowActions
from app.presentation import PresentationMode
from app.screen_fit import ScreenFit
from app.settings_requests import SettingsRequests
from app.staleness import ShownAgain, StaleTabBarGuard, ZoomMemory
from app.window_context import WindowContext
from core.summary import summary_text
from core.limits import qt_int
from settings.config import DataConfig
from settings.validation import data_code, split_sizes
from widgets.code_view import CodeView
from widgets.data_panel import DataPanel, split_short
from widgets.doctor_banner import DoctorBanner
from widgets.fingerprint_label import FingerprintLabel
from widgets.display import title_font_follows_app
from widgets.fitting import scrollable, wrap_labels
from widgets.gradcheck_view import GradCheckView
from widgets.i18n import Texts, rule_text, tr, tr_noop
from widgets.inspector_view import InspectorView
from widgets.metrics_view import MetricsView
from widgets.model_panel import ModelPanel
from widgets.step_controls import StepControls
from widgets.training_panel import TrainingPanel
from widgets.view_tabs import VIEWS, ViewTabs

#: The data sets' task names, as the model panel shows them.
TASKS = (tr_noop("classification"), tr_noop("binary"), tr_noop("regression"))
#: Dock key → title (English source); the key names the dock in the saved layout.
DOCKS = {"Data": tr_noop("Data"), "Model": tr_noop("Model"), "Training": tr_noop("Training"),
         "Metrics": tr_noop("Metrics"), "Inspector": tr_noop("Inspector"), "Code": tr_noop("Code"),
         "Gradient check": tr_noop("Gradient check"), "Steps": tr_noop("Steps")}
#: Docks whose content scrolls when the screen is small (plots and the code editor shrink by themselves).
SCROLLING_DOCKS = ("Data", "Model", "Training", "Inspector", "Gradient check")
#: After the first frame: the backend probe (imports superqt, then torch on a worker), then the training
#: process (it competes for the CPU while the window paints its first frames).
PROBE_AFTER_MS, PREWARM_AFTER_MS = 100, 500


class MainWindow(QMainWindow):
    """Propscope's main window. Widgets emit intents; the controller does the work; views render frames."""

    def __init__(self, controller: TrainingController | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Propscope")
        self.setAcceptDrops(True)
        self.store = QSettings("Propscope", "Propscope")
        self.texts = Texts(self)
        self.controller = c = controller or TrainingController(self)
        self.context = WindowContext(self, c, self.store, lambda text, ms: self.statusBar().showMessage(text, ms))
        self.views = ViewTabs(self)
        self.doctor = DoctorBanner(self)  # "this run has stopped learning", above the views
        central = QWidget(self)
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.doctor)
        box.addWidget(self.views, 1)
        self.setCentralWidget(central)
        self.model_panel, self.data_panel = ModelPanel(self), DataPanel(self)
        self.training_panel, self.steps = TrainingPanel(self), StepControls(self)
        self.metrics, self.inspector = MetricsView(self), InspectorView(self)
        self.code, self.gradcheck = CodeView(self), GradCheckView(self)
        self.docks = self._make_docks()
        self.compare_window = None
        self.loader = Loader(self)  # opening files happens off the GUI thread (progress, Cancel)
        self.files = FileCommands(self.context, self.loader, self.data_panel.set_config)
        self.exports = ExportCommands(self.context, self.views, self.inspector)
        self.course = CourseCommands(self.context, self.views, self.data_panel.set_config, self.open_compare,
                                     self.steps.set_pace)
        self.requests = SettingsRequests(self.context, self.model_panel, self.data_panel, self.training_panel)
        self.actions = WindowActions(self, self.texts, SimpleNamespace(
            open_data=self.files.open_data_dialog, open_model=self.files.open_model_dialog, quit=self.close,
            save_session=lambda: self.files.save_session_dialog(self.exports.ask_save),
            open_session=self.files.open_session_dialog, export_weights=self.exports.weights_dialog,
            export_keras=self.exports.keras_model_dialog,
            export_figure=self.exports.figure_dialog, export_pack=self.exports.pack_dialog,
            record=self.exports.animation_dialog, step_phase=c.step_phase, step_batch=c.step_batch,
            step_back=c.step_back, step_epoch=c.step_epoch, toggle_run=self.toggle_run, reset=self.reset,
            evaluate_test=c.evaluate_test, compare=self.open_compare, lesson=self.course.apply_lesson,
            shortcuts=self.show_shortcuts, fingerprint=self.show_fingerprint), self.docks,
            self.store)
        self.files.attach_recent_menu(self.actions.recent_menu)
        self.presentation = PresentationMode(self, self.actions.view_menu, self.texts, self.docks, DOCKS, self.store)
        self._make_status_bar()
        self._add_help()
        self._shown_session = None  # the session whose results the docks show (a new one clears them)
        self.zoom = ZoomMemory(self)
        ShownAgain(lambda: self.views.frame).watch(self.docks["Inspector"], self.inspector.render)
        self._wire()
        self.texts.on_change(self._retranslate)
        self.training_panel.set_backends(quick_backend_entries())
        self.screen_fit = ScreenFit(self, (1400, 860))  # or less: the steps and status bars stay on screen
        self.resizeDocks([self.docks["Data"], self.docks["Metrics"]], [380, 440], Qt.Orientation.Horizontal)
        self._restore_layout()
        self.presentation.start()  # presentation mode and zoom as they were left
        self.tab_bar_guard = StaleTabBarGuard(self)  # Qt's half-made group's tabs would stay over the views
        self.screen_fit.fit()  # a layout saved on a larger monitor comes back inside this screen
        c.load_data(DataConfig())
        self.backend_probe = BackendProbe(self)
        self.backend_probe.found.connect(self.training_panel.set_backends)
        # Off the start path: the probe imports superqt, the training process takes a fork and an exec.
        self.first_frame = AfterFirstFrame(self)
        self.first_frame.then(self.backend_probe.start, PROBE_AFTER_MS)
        self.first_frame.then(c.runner.prewarm, PREWARM_AFTER_MS)

    # --- construction --------------------------------------------------------------------
    def _make_docks(self) -> dict[str, QDockWidget]:
        docks: dict[str, QDockWidget] = {}
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        for key, widget, area in (("Data", self.data_panel, left), ("Model", self.model_panel, left),
                                  ("Training", self.training_panel, left), ("Metrics", self.metrics, right),
                                  ("Inspector", self.inspector, right), ("Code", self.code, right),
                                  ("Gradient check", self.gradcheck, right),
                                  ("Steps", self.steps, Qt.DockWidgetArea.BottomDockWidgetArea)):
            dock = QDockWidget(self)
            self.texts.bind(dock.setWindowTitle, DOCKS[key])
            dock.setObjectName(f"dock_{key}")  # its name in the saved layout
            dock.setFont(title_font_follows_app())
            wrap_labels(widget)  # a long line wraps instead of widening the window
            dock.setWidget(scrollable(widget) if key in SCROLLING_DOCKS else widget)
            self.addDockWidget(area, dock)
            docks[key] = dock
        # A saved layout brings its own tabs: tabifying first as well leaves Qt's earlier
        # tab bars on screen (a second, stale row of dock tabs).
        if self.store.value("window_state") is None:
            for group in (("Data", "Model", "Training"), ("Metrics", "Inspector", "Code", "Gradient check")):
                for a, b in zip(group, group[1:]):
                    self.tabifyDockWidget(docks[a], docks[b])
                docks[group[0]].raise_()
        return docks

    def _add_help(self) -> None:
        """Every view explains itself, with its formula: on its tab, and in the View menu for docks.

        (A tooltip on a whole dock would pop up over every plot inside it.)"""
        for index, (key, _, _) in enumerate(VIEWS):
            self.texts.bind(lambda t, i=index: self.views.setTabToolTip(i, t), HELP[key])
        for key, dock in self.docks.items():
            if key in HELP:
                action = dock.toggleViewAction()
                self.texts.bind(lambda t, a=action: (a.setToolTip(t), a.setStatusTip(t)), HELP[key])

    def _make_status_bar(self) -> None:
        self.status_label, self.device_label = QLabel(self), QLabel(self)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.split_label = QLabel(self)  # "train 48,000 · val 12,000 · test 10,000"
        self.split_label.setMinimumWidth(1)  # shown whole when there is room, cut rather than widen the window
        self.fingerprint_label = FingerprintLabel(self)
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(240)
        self.texts.bind(self.progress.setFormat, "%v / %m steps")
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().messageChanged.connect(lambda text: self.status_label.setVisible(not text))
        self.statusBar().addPermanentWidget(self.split_label)
        self.statusBar().addPermanentWidget(self.fingerprint_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self.statusBar().addPermanentWidget(self.progress)
        self.presentation.hide_when_presenting(self.split_label, self.device_label)

    def _wire(self) -> None:
        c, r = self.controller, self.requests
        c.frame_ready.connect(self._render)
        c.status_changed.connect(self._on_status)
        c.running_changed.connect(self.actions.show_running)
        c.dataset_changed.connect(lambda ds: self.data_panel.set_dataset(ds, c.data_config))
        c.model_changed.connect(self._on_model)
        c.session_changed.connect(self._on_session)
        c.test_evaluated.connect(self.data_panel.set_test_result)
        self.data_panel.evaluate_requested.connect(c.evaluate_test)
        c.error.connect(self.context.show_error)
        c.info.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        self.views.view_changed.connect(lambda _: (self._update_view_needs(), self.zoom.watch()))
        self.views.view("network").neuron_selected.connect(self._inspect)
        self.views.sample_selected.connect(self.inspector.set_sample)
        self.inspector.sample_changed.connect(self.views.set_sample)
        self.steps.pace_changed.connect(c.set_pace)
        self.gradcheck.check_requested.connect(self.run_gradcheck)
        self.model_panel.model_requested.connect(r.model)
        self.model_panel.preset_requested.connect(self.course.apply_preset)
        self.data_panel.data_requested.connect(r.data)
        self.data_panel.options_requested.connect(r.data_options)
        self.data_panel.open_requested.connect(self.files.open_data_dialog)
        self.training_panel.training_requested.connect(r.training)
        self.steps.seek_requested.connect(c.seek)

    # --- frames and status ------------------------------------------------------------------
    def _render(self, frame) -> None:
        """The one render loop: the view in front, the metrics and, when visible, the inspector."""
        self.views.render(frame)
        self.metrics.render(frame)
        if self.controller.session is not None:
            # The frame's curves: during a run in the training process the session here has not got them yet.
            history = frame.history if frame.running else None
            self.doctor.check([("", self.controller.session, history)], force=not frame.running)
        if not self.docks["Inspector"].visibleRegion().isEmpty():
            self.inspector.render(frame)

    def _update_view_needs(self) -> None:
        needs = self.views.needs()
        self.controller.set_view_needs(confusion="confusion" in needs, decision="decision" in needs)

    def _inspect(self, column: int, unit: int) -> None:
        self.docks["Inspector"].raise_()
        self.inspector.select(column, unit)
        if self.views.frame is not None:
            self.inspector.render(self.views.frame)

    def _on_status(self, status: dict) -> None:
        self.steps.set_status(status)
        self.fingerprint_label.show_session(self.controller.session)
        if not status.get("ready"):
            return
        loss = "" if status["loss"] is None else " · " + tr("loss {value}").format(value=f"{status['loss']:.4f}")
        self.status_label.setText(tr("Epoch {epoch}/{epochs} · batch {batch}/{batches} · {phase}").format(
            epoch=status["epoch"], epochs=status["epochs"], batch=status["batch"], batches=status["batches"],
            phase=status["phase"]) + loss)
        self.device_label.setText(status["device"])
        # A label that grows (large presentation fonts) is laid out again over a temporary message: keep it hidden
        # while a message shows, as the status bar does for a label that keeps its size.
        self.status_label.setVisible(not self.statusBar().currentMessage())
        total = qt_int(status["epochs"] * status["batches"])  # a Qt int: never overflows
        self.progress.setRange(0, total)
        self.progress.setValue(min(qt_int(status["step"]), total))

    def _on_model(self, model) -> None:
        c = self.controller
        self.model_panel.set_spec(c.spec)
        self.model_panel.set_summary(summary_text(model).rstrip("\n"))
        ds, source = c.dataset, c.source
        if source is not None:
            self.model_panel.set_input_note(tr("Model from {source}; input {shape}").format(
                source=source.label, shape=tuple(model.input_shape[1:])))
        elif ds is not None:
            self.model_panel.set_input_note(
                tr("Input: {shape} from {name}").format(shape=ds.input_shape, name=ds.name)
                + (" " + tr("(flattened)") if len(ds.input_shape) > 1 else "")
                + " · " + tr("output layer sized for {task}").format(task=tr(ds.task)))
        self.training_panel.set_config(c.train_config)
        note = model.backend_message or tr("Computing with {device}").format(device=model.ops.describe())
        if model.optimizer is not None:
            note += " · " + rule_text(model.optimizer)
        self.training_panel.set_backend_note(note)
        prepared = c.prepared
        self.code.set_model(model, c.train_config.batch_size, c.train_config.epochs,
                            c.data_config.validation_fraction,
                            model_path=source.path if source is not None else None,
                            data_path=source.data_path if source is not None else None,
                            data=None if prepared is None or ds is None or source is not None else
                            data_code(prepared, c.data_config, c.train_config, ds.num_classes))

    def _on_session(self, session) -> None:
        if session is not self._shown_session:  # other data, model or lesson (not a Reset): its results go
            self._shown_session = session
            self.gradcheck.set_results([])
            self.zoom.watch()
            self.zoom.forget()
            self.statusBar().clearMessage()  # an earlier lesson's hint
        self.doctor.reset()
        self.data_panel.set_test_result(None)  # a result of an earlier model or step
        self._show_split()

    def _show_split(self) -> None:
        """Training, validation and test sizes in the data panel and the status bar."""
        c = self.controller
        if c.prepared is not None:
            sizes = split_sizes(c.prepared, c.data_config.validation_fraction, c.data_config.seed, c.dataset)
            self.data_panel.set_split(sizes)
            self.split_label.setText(split_short(sizes))

    def _retranslate(self) -> None:
        """Texts built from data: the status line, the run action and the model's notes."""
        self._on_status(self.controller.status())
        self._show_split()
        self.actions.show_running(self.controller.running)
        if self.controller.model is not None:
            self._on_model(self.controller.model)

    # --- intents ------------------------------------------------------------------------------
    def toggle_run(self) -> None:
        self.controller.toggle_run(self.steps.batches_per_second())

    def reset(self) -> None:
        """Train → Reset (Ctrl+Shift+R): back to step 0, after asking when steps were trained."""
        if self.context.may_discard("reset"):
            self.controller.reset()

    def run_gradcheck(self) -> None:
        """Central differences against backprop on the latest batch (float64, on a copy of the model)."""
        from core.gradcheck import gradcheck

        c = self.controller
        snap = c.latest
        if c.running or snap is None or snap.x is None:
            self.context.show_error(tr("Gradient check"),
                                    tr("Step at least one phase of a batch first (and pause a run)."))
            return
        try:
            entries = gradcheck(c.model, snap.x, snap.y, max_checks=60)
        except (ValueError, RuntimeError) as exc:
            self.context.show_error(tr("Gradient check failed"), str(exc))
            return
        self.gradcheck.set_results(entries)
        self.docks["Gradient check"].raise_()

    def open_compare(self):
        """Open (or bring forward) the compare-mode window on the current data and settings."""
        from app.compare_controller import CompareController
        from app.compare_window import CompareWindow

        c = self.controller
        if c.dataset is None:
            self.context.show_error(tr("Cannot compare"), tr("Load data in the main window first."))
            return None
        if self.compare_window is None:
            self.compare_window = CompareWindow(CompareController(c, c.runner, c.clock), self)
        else:
            self.compare_window.rebuild()
        self.compare_window.show()
        self.compare_window.raise_()
        return self.compare_window

    def set_language(self, code: str) -> str:
        """Switch the UI language ("system", "en" or "ko"); returns the language used."""
        return self.actions.language.set_language(code)

    def show_fingerprint(self) -> None:
        """Help → Lesson fingerprint: the code, what it means, copied to the clipboard."""
        text = self.fingerprint_label.show_session(self.controller.session, force=True)
        if text:
            QApplication.clipboard().setText(text)
        QMessageBox.information(self, tr("Lesson fingerprint"), (text or tr("No training session yet.")) + "\n\n" + tr(
            "The code comes from the data, the model, the training settings, the seed and the initial weights. "
            "A student whose window shows the same code has built the same run; the same loss at the same step "
            "says it trained the same way. The code is in every export and session file (copied to the "
            "clipboard)."))

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, tr("Keyboard shortcuts"), "\n".join(self.actions.shown_shortcuts()))

    # --- Qt events and the saved layout ---------------------------------------------------------
    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.files.open_dropped(event.mimeData().urls()):
            event.acceptProposedAction()

    def show_model(self, opened) -> bool:
        """Show a model handed over from Python (:func:`propscope.show`); returns whether it is shown."""
        return self.controller.adopt_model(opened)

    def _restore_layout(self) -> None:
        geometry = self.store.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.store.value("window_state")
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Close at once: a run is told to stop (its last batch ends on the worker; the app waits at exit)."""
        self.loader.shutdown()
        if self.compare_window is not None:
            self.compare_window.close()
        self.controller.pause()
        self.store.setValue("geometry", self.saveGeometry())
        self.store.setValue("window_state", self.saveState())
        super().closeEvent(event)

