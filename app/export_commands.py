"""Exports from the File menu: weights, the Keras model, figures, lecture packs and animations."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

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
    """

    def __init__(self, context: WindowContext, views) -> None:
        self.context = context
        self.views = views

    # --- dialogs -------------------------------------------------------------------------
    def ask_save(self, title: str, default: str, filters: str) -> str:
        store = self.context.store
        start = str(Path(store.value("last_export_dir", str(Path.home()))) / default)
        path, _ = QFileDialog.getSaveFileName(self.context.parent, title, start, filters)  # it confirms overwriting
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

    # --- weights and figures -----------------------------------------------------------------
    def weights_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.context.parent, tr("Export weights into folder"),
                                                  str(Path.home()))
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

    def figure_dialog(self) -> None:
        path = self.ask_save(tr("Export figure"), f"{self.views.current_key()}.png",
                             tr("PNG image, 300 dpi (*.png);;SVG vector (*.svg)"))
        if path:
            self.figure(path)

    def figure(self, path: str, widget: QWidget | None = None) -> bool:
        from app.figures import save_png, save_svg

        widget = widget or self.views.current_view()
        save = save_svg if path.lower().endswith(".svg") else save_png
        return self._export(tr("the figure"), lambda: save(widget, path))

    # --- lecture packs and animations ------------------------------------------------------------
    def pack_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.context.parent, tr("Export lecture pack into folder"),
                                                  str(Path.home()))
        if folder and self._folder_ok(folder, ["index.html", "index.md", "figures", "weights", "summary.txt"]):
            self.pack(folder)

    def pack(self, folder: str) -> bool:
        from app.lecture_pack import build_lecture_pack

        c = self.context.controller
        if c.session is None or c.running:
            return False
        ok = self._export(tr("the lecture pack"), lambda: build_lecture_pack(
            c.session, folder, data_description=c.dataset.describe(), class_names=c.dataset.class_names,
            task=c.dataset.task))
        c.refresh()
        return ok

    def animation_dialog(self) -> None:
        path = self.ask_save(tr("Record animation"), "animation.gif", tr("Animated GIF (*.gif);;MP4 video (*.mp4)"))
        session = self.context.controller.session
        if path and session is not None:
            self.animation(path, range(max(0, session.step - 30), session.step + 1))

    def animation(self, path: str, steps: range) -> bool:
        """The view in front over ``steps``, replayed exactly; the session returns to where it was."""
        from app.animation import record

        c = self.context.controller
        if c.session is None or c.running:
            return False
        data = c.publisher.data
        ok = self._export(tr("the animation"), lambda: record(
            c.session, self.views.current_view(), lambda snap: frame_of(c.session, snap, data), steps, path))
        c.refresh()
        return ok
