"""Exports from the File menu: weights, the Keras model, figures, lecture packs and animations."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from app import dialogs
from app.window_context import WindowContext
from core.stepper.frame import frame_of
from widgets.i18n import tr


class ExportCommands:
    """Export what the main window shows.

    Parameters
    ----------
    context : WindowContext
    views : ViewTabs
        The central views (the figure and the animation export the one in front).
    inspector : InspectorView, optional
        Whose neuron the lecture pack writes the chain rule of.
    """

    def __init__(self, context: WindowContext, views, inspector=None) -> None:
        self.context = context
        self.views = views
        self.inspector = inspector

    # --- dialogs -------------------------------------------------------------------------
    def ask_save(self, title: str, default: str, filters: str) -> str:
        store = self.context.store
        start = str(Path(store.value("last_export_dir", str(Path.home()))) / default)
        path = dialogs.save_file_name(self.context.parent, title, start, filters)  # it confirms overwriting
        if path:
            store.setValue("last_export_dir", str(Path(path).parent))
        return path

    def _folder_ok(self, folder: str, names: list[str]) -> bool:
        """Ask before files already in ``folder`` would be replaced (a folder dialog never asks)."""
        clashes = [n for n in names if (Path(folder) / n).exists()]
        if not clashes:
            return True
        return self.context.ask(tr("Replace existing files?"), tr("{folder} already holds {names}. Replace them?")
                                .format(folder=folder, names=", ".join(clashes)))

    def _export(self, what: str, action) -> bool:
        """Run an export; ``what`` is already in the UI language ("the weights"…)."""
        try:
            result = action()
        except (OSError, RuntimeError, ValueError) as exc:
            self.context.show_error(tr("Could not export {what}").format(what=what), str(exc))
            return False
        self.context.notify(tr("Exported {what}: {result}").format(what=what, result=result), 10_000)
        return True

    def context_of_figures(self):
        """The data set's name and the lesson code, for captions."""
        from core.export.fingerprint import lesson_code
        from widgets.figures import FigureContext

        c = self.context.controller
        name = getattr(c.dataset, "name", "") if c.dataset is not None else ""
        return FigureContext(name, lesson_code(c.session) if c.session is not None else "")

    # --- weights and figures -----------------------------------------------------------------
    def weights_dialog(self) -> None:
        folder = dialogs.existing_directory(self.context.parent, tr("Export weights into folder"), str(Path.home()))
        if folder and self._folder_ok(folder, ["weights.npz", "weights.json", "weights.pt", "model.weights.h5",
                                               "csv", "torch_model.py"]):
            self.weights(folder)

    def weights(self, folder: str) -> bool:
        from core.export import export_all

        return self._export(tr("the weights"), lambda: export_all(self.context.controller.model, folder) and folder)

    def keras_model_dialog(self) -> None:
        model = self.context.controller.model
        if model is None:
            return
        path = self.ask_save(tr("Export Keras model"), f"{model.name}.keras", tr("Keras models (*.keras)"))
        if path:
            self.keras_model(path)

    def keras_model(self, path: str) -> bool:
        """The model at the current step as a Keras 3 ``.keras`` file (``keras.models.load_model`` opens it with
        its weights, compile settings and optimizer state)."""
        c = self.context.controller
        if c.running:
            self.context.show_error(tr("Could not export {what}").format(what=tr("the Keras model")),
                                    tr("Pause training first: the model changes while it runs."))
            return False
        target = path if path.lower().endswith(".keras") else path + ".keras"
        return self._export(tr("the Keras model"), lambda: c.model.save(target) or target)

    def figure_options(self):
        from app.export_dialogs import FigureOptions

        from app.i18n import current_language

        store = self.context.store
        korean = current_language() == "ko"  # Hangul in the figure: outlines, which every viewer draws
        return FigureOptions(str(store.value("figure_size", "slide")), int(store.value("figure_dpi", 300)),
                             str(store.value("figure_outlines", "true" if korean else "false")) == "true",
                             str(store.value("figure_data", "true")) == "true")

    def figure_dialog(self) -> None:
        from app.export_dialogs import FigureDialog

        dialog = FigureDialog(self.context.parent, self.figure_options())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        options = dialog.options()
        store = self.context.store
        for key, value in (("figure_size", options.size), ("figure_dpi", options.dpi),
                           ("figure_outlines", "true" if options.text_to_paths else "false"),
                           ("figure_data", "true" if options.data else "false")):
            store.setValue(key, value)
        path = self.ask_save(tr("Export figure"), f"{self.views.current_key()}.png",
                             tr("PNG image (*.png);;SVG vector (*.svg);;PDF vector (*.pdf)"))
        if path:
            self.figure(path, options=options)

    def figure(self, path: str, key: str | None = None, options=None) -> bool:
        """The view ``key`` (default: the one in front) as the figure ``path`` (.png, .svg or .pdf)."""
        from app.figure_export import save
        from widgets.figures import make_figure
        from widgets.figures.canvas import SIZES

        options = options or self.figure_options()
        frame = self.views.frame
        if frame is None or frame.snapshot is None:
            self.context.show_error(tr("Could not export {what}").format(what=tr("the figure")),
                                    tr("There is nothing to draw yet: load data and build a model first."))
            return False
        key = key or self.views.current_key()

        def write():
            figure = make_figure(key, frame, self.context_of_figures(), SIZES[options.size], like=self.views.view(key))
            try:
                written = save(figure, path, options.dpi, options.text_to_paths, options.data)
            finally:
                figure.close()
            return ", ".join(p.name for p in written)

        return self._export(tr("the figure"), write)

    # --- lecture packs and animations ------------------------------------------------------------
    def pack_dialog(self) -> None:
        folder = dialogs.existing_directory(self.context.parent, tr("Export lecture pack into folder"),
                                            str(Path.home()))
        if folder and self._folder_ok(folder, ["index.html", "index.md", "figures", "weights", "summary.txt",
                                               "handout.pdf"]):
            self.pack(folder)

    def pack(self, folder: str) -> bool:
        from app.lecture_pack import build_lecture_pack

        c = self.context.controller
        if c.session is None or c.running:
            return False
        neuron = None
        if self.inspector is not None and self.inspector.column is not None:
            neuron = (self.inspector.column, self.inspector.unit)
        ok = self._export(tr("the lecture pack"), lambda: build_lecture_pack(
            c.session, folder, data_description=c.dataset.describe(), class_names=c.dataset.class_names,
            task=c.dataset.task, data_name=c.dataset.name, neuron=neuron))
        c.refresh()
        return ok

    def animation_dialog(self) -> None:
        from app.animation import ffmpeg_program
        from app.export_dialogs import AnimationDialog
        from widgets.view_tabs import VIEWS

        session = self.context.controller.session
        if session is None:
            return
        dialog = AnimationDialog(self.context.parent, [(k, t) for k, t, _ in VIEWS], self.views.current_key(),
                                 session.max_step, session.step)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        filters = tr("Animated GIF (*.gif)") + (";;" + tr("MP4 video (*.mp4)") if ffmpeg_program() else "")
        path = self.ask_save(tr("Record animation"), f"{dialog.view_box.currentData()}.gif", filters)
        if path:
            from app.animation import AnimationSpec
            from widgets.figures.canvas import SIZES

            self.animation(path, AnimationSpec(dialog.view_box.currentData(), dialog.steps(), dialog.batch_step(),
                                               dialog.fps.value(), SIZES[dialog.size_box.currentData()]))

    def animation(self, path: str, spec) -> bool:
        """Record ``spec`` (an :class:`app.animation.AnimationSpec`, or a ``range`` of steps of the view in
        front); the session is replayed exactly and returns to where it was."""
        from app.animation import AnimationSpec, record

        c = self.context.controller
        if c.session is None or c.running:
            return False
        if isinstance(spec, range):
            spec = AnimationSpec(self.views.current_key(), steps=spec)
        data = c.publisher.data
        ok = self._export(tr("the animation"), lambda: len(record(
            c.session, spec, path, lambda snap: frame_of(c.session, snap, data), self.context_of_figures(),
            like=self.views.view(spec.view))) and path)
        c.refresh()
        return ok

