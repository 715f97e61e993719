"""The main window's file, settings, drag-and-drop and export actions (mixed into MainWindow)."""

from __future__ import annotations

from pathlib import Path

from dataclasses import replace

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.config import ModelSpec, optimizer_class_name
from core.datasets import FILE_FILTERS
from core.presets import PRESETS
from widgets.i18n import tr

MAX_RECENT = 8


class CourseActions:
    """The course's model presets and one-click lessons."""

    def apply_preset(self, key: str) -> None:
        preset = PRESETS[key]
        c = self.controller
        if not self._may_discard():
            return
        hyper = {} if preset.optimizer.lower() != c.train_config.optimizer.lower() else c.train_config.hyper
        name = optimizer_class_name(preset.optimizer)
        train = replace(c.train_config, loss=preset.loss, optimizer=name, hyper=hyper)
        spec = ModelSpec.from_preset(key)
        c.train_config = train
        expected = 1
        for d in preset.input_shape:
            expected *= d
        have = 1
        for d in c.dataset.input_shape:
            have *= d
        if expected != have:
            self.statusBar().showMessage(tr("{preset} expects {expected} inputs; this data has {have}. "
                                            "The layers are applied to the current data.").format(
                preset=preset.title, expected=expected, have=have), 10_000)
        c.set_model(spec.fitted_to(c.dataset, train.loss) if expected != have else spec)

    def apply_lesson(self, key: str, fashion_path: str | None = None) -> bool:
        """Set up one of the course's experiments (data, model, training) and show its view."""
        from app.lessons import FASHION_TRAIN, lessons

        path = Path(fashion_path) if fashion_path else FASHION_TRAIN
        lesson = next(item for item in lessons(path) if item.key == key)
        if lesson.needs_file and not path.exists():
            chosen, _ = QFileDialog.getOpenFileName(self, tr("Where is Fashion-MNIST (train-images-idx3-ubyte.gz)?"),
                                                    str(Path.home()), ";;".join(FILE_FILTERS))
            if not chosen:
                return False
            lesson = next(item for item in lessons(Path(chosen)) if item.key == key)
        if not self._may_discard():
            return False
        c = self.controller
        c.train_config = lesson.train
        if not c.load_data(lesson.data):
            return False
        ok = c.set_model(lesson.model.fitted_to(c.dataset, lesson.train.loss)) and c.set_training(lesson.train)
        self.data_panel.set_config(c.data_config)
        self.show_view(lesson.view)
        self.statusBar().showMessage(f"{tr(lesson.title)}: {tr(lesson.note)}", 30_000)
        if ok and lesson.compare:
            compare = self.open_compare()
            ok = compare is not None and compare.apply_preset(lesson.compare)
        return ok


class FileActions:
    """Recent files, drag and drop of data files, and the window's saved layout."""

    # --- files, drag and drop, settings ------------------------------------------------------
    def _remember(self, path: str) -> None:
        recent = [p for p in self.recent_files() if p != path]
        recent.insert(0, path)
        self.settings.setValue("recent_files", recent[:MAX_RECENT])
        self.settings.setValue("last_dir", str(Path(path).parent))
        self._fill_recent()

    def recent_files(self) -> list[str]:
        """The remembered paths; whatever else a damaged settings file holds there is ignored."""
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            return []
        return [v for v in value if isinstance(v, str) and 0 < len(v) <= 4096 and "\0" not in v][:MAX_RECENT]

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            self.recent_menu.addAction(path, lambda p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(self.recent_files()))

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = event.mimeData().urls()
        if urls:
            self.open_path(urls[0].toLocalFile())
            event.acceptProposedAction()

    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window_state")
        if state is not None:
            self.restoreState(state)
        self._fill_recent()


class ExportActions:
    """Weights, figures, lecture packs, animations and session files, from the File menu."""

    # --- export ---------------------------------------------------------------------------
    def _ask_save(self, title: str, default: str, filters: str) -> str:
        start = str(Path(self.settings.value("last_export_dir", str(Path.home()))) / default)
        path, _ = QFileDialog.getSaveFileName(self, title, start, filters)  # the dialog confirms overwriting
        if path:
            self.settings.setValue("last_export_dir", str(Path(path).parent))
        return path

    def _export(self, what: str, action) -> bool:
        """Run an export; ``what`` is already in the UI language ("the weights"…)."""
        try:
            result = action()
        except (OSError, RuntimeError, ValueError) as exc:
            self.show_error(tr("Could not export {what}").format(what=what), str(exc))
            return False
        self.statusBar().showMessage(tr("Exported {what}: {result}").format(what=what, result=result), 10_000)
        return True

    def save_session_dialog(self) -> None:
        path = self._ask_save(tr("Save session"), "session.propscope", tr("Propscope sessions (*.propscope)"))
        if path:
            self.save_session(path)

    def save_session(self, path: str) -> bool:
        from core.export.session_file import save_session

        c = self.controller
        if c.session is None or c.running:
            return False
        ref = {k: getattr(c.data_config, k) for k in c.data_config.__dataclass_fields__}
        settings = {"data": c.dataset.describe(), "class_names": list(c.dataset.class_names)}
        return self._export(tr("the session"), lambda: save_session(c.session, path, data_ref=ref, settings=settings))

    def open_session_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open session"), str(Path.home()),
                                              tr("Propscope sessions (*.propscope)"))
        if path:
            self.open_session(path)

    def open_session(self, path: str) -> bool:
        """Start reopening a saved session off the GUI thread (progress, Cancel); returns whether it started.

        When the session and its data are loaded and checked, they are swapped in
        at once; on any problem the error is shown and what is open now stays.
        """
        from app.opening import open_session

        if not self._may_discard():
            return False

        def done(result) -> None:
            if result.error:
                self.show_error(tr("Could not open the session"), result.error)
            elif not result.cancelled:
                opened = result.value
                self.controller.adopt_session(opened.session, opened.extras, opened.dataset, opened.data_config)
                self.data_panel.set_config(self.controller.data_config)

        return self.loader.start(tr("Opening {name}…").format(name=Path(path).name), lambda: open_session(path), done)

    def _folder_ok(self, folder: str, names: list[str]) -> bool:
        """Ask before files already in ``folder`` would be replaced (a folder dialog never asks)."""
        clashes = [n for n in names if (Path(folder) / n).exists()]
        if not clashes:
            return True
        answer = QMessageBox.question(self, tr("Replace existing files?"),
                                      tr("{folder} already holds {names}. Replace them?").format(
                                          folder=folder, names=", ".join(clashes)),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def export_weights_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Export weights into folder"), str(Path.home()))
        if folder and self._folder_ok(folder, ["weights.npz", "weights.json", "weights.pt", "model.weights.h5",
                                               "csv", "torch_model.py"]):
            self.export_weights(folder)

    def export_weights(self, folder: str) -> bool:
        from core.export import export_all

        return self._export(tr("the weights"), lambda: export_all(self.controller.model, folder) and folder)

    def export_figure_dialog(self) -> None:
        path = self._ask_save(tr("Export figure"), f"{self.current_view_key()}.png",
                              tr("PNG image, 300 dpi (*.png);;SVG vector (*.svg)"))
        if path:
            self.export_figure(path)

    def export_figure(self, path: str, widget: QWidget | None = None) -> bool:
        from app.figures import save_png, save_svg

        widget = widget or self._current_view()
        save = save_svg if path.lower().endswith(".svg") else save_png
        return self._export(tr("the figure"), lambda: save(widget, path))

    def export_pack_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Export lecture pack into folder"), str(Path.home()))
        if folder and self._folder_ok(folder, ["index.html", "index.md", "figures", "weights", "summary.txt"]):
            self.export_pack(folder)

    def export_pack(self, folder: str) -> bool:
        from app.lecture_pack import build_lecture_pack

        c = self.controller
        if c.session is None or c.running:
            return False
        return self._export(tr("the lecture pack"), lambda: build_lecture_pack(
            c.session, folder, data_description=c.dataset.describe(), class_names=c.dataset.class_names))

    def record_dialog(self) -> None:
        path = self._ask_save(tr("Record animation"), "animation.gif", tr("Animated GIF (*.gif);;MP4 video (*.mp4)"))
        if path:
            session = self.controller.session
            self.record_animation(path, range(max(0, session.step - 30), session.step + 1))

    def record_animation(self, path: str, steps: range) -> bool:
        from app.animation import record

        c = self.controller
        if c.session is None or c.running:
            return False
        view = self._current_view()

        def feed(widget, snap):
            c._publish(snap, now=True)

        return self._export(tr("the animation"), lambda: record(c.session, view, feed, steps, path))
