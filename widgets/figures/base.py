"""What every view's figure shares: the caption line, copying a view's choices, and the figure object.

A :class:`Figure` is a throwaway instance of a view (rendered through the one
view protocol, ``view.render(frame)``), its :class:`ViewFigure` (which moves
the view's plot items onto a :class:`~widgets.figures.canvas.FigureCanvas`
and labels them) and the canvas. For an animation the same figure shows one
frame after another: the view updates its items, the figure its title,
caption and legend.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QWidget

from core.export.figure_data import Table
from core.stepper.frame import Frame
from widgets.figures.canvas import FigureCanvas, FigureSize
from widgets.i18n import snapshot_phase_text, tr


@dataclass(frozen=True)
class FigureContext:
    """What a caption says beyond the frame: the data set's name and the lesson fingerprint's code."""

    data_name: str = ""
    fingerprint: str = ""


def model_text(snapshot) -> str:
    """``784-100(relu)-10(softmax)``: inputs, then each Dense layer's units and activation."""
    dense = snapshot.weighted_layers if snapshot is not None else ()
    if not dense:
        return ""
    parts = [str(dense[0].W.shape[0])] + [f"{la.W.shape[1]}({la.activation})" for la in dense]
    return "-".join(parts)


def where_text(snapshot) -> str:
    """``step 120 (epoch 1, batch 120/1500) · forward · dense``: the moment a figure shows."""
    if snapshot is None:
        return ""
    where = tr("step {step} (epoch {epoch}, batch {batch}/{batches})").format(
        step=snapshot.step, epoch=snapshot.epoch + 1, batch=snapshot.batch + 1, batches=snapshot.batches_per_epoch)
    phase = tr("before the first batch") if snapshot.phase == "start" else snapshot_phase_text(snapshot)
    return f"{where} · {phase}"


def caption_text(frame: Frame, context: FigureContext, layer: str = "", quantity: str = "") -> str:
    """The caption line: data set, model, step, phase, layer, quantity, lesson code."""
    snap = frame.snapshot
    parts = [context.data_name, tr("model {model}").format(model=model_text(snap)) if model_text(snap) else "",
             where_text(snap)]
    if layer:
        parts.append(tr("layer {layer}").format(layer=layer))
    if quantity:
        parts.append(quantity)
    if context.fingerprint:
        parts.append(tr("lesson {code}").format(code=context.fingerprint))
    return " · ".join(p for p in parts if p)


def copy_choices(source: QWidget, target: QWidget) -> None:
    """Make ``target`` (a fresh view of ``source``'s class) show what ``source`` shows: the same
    entries chosen in its combo boxes, its boxes ticked, its numbers; each change as a user's."""
    pairs = [(QComboBox, lambda s, t: _copy_combo(s, t)),
             (QCheckBox, lambda s, t: t.setChecked(s.isChecked())),
             (QSpinBox, lambda s, t: t.setValue(s.value()))]
    for kind, copy in pairs:
        for s, t in zip(source.findChildren(kind), target.findChildren(kind)):
            copy(s, t)


def _copy_combo(source: QComboBox, target: QComboBox) -> None:
    index = target.findData(source.currentData()) if source.currentData() is not None else -1
    if index < 0:
        index = target.findText(source.currentText())
    if index >= 0 and index != target.currentIndex():
        target.setCurrentIndex(index)
        target.activated.emit(index)  # views redraw on the user's signal, not on setCurrentIndex


class ViewFigure:
    """A view's figure: which of its items to show, how to label them, and the numbers behind them.

    Subclasses set :attr:`key` (the view's key in ``widgets.view_tabs.VIEWS``) and implement
    :meth:`compose` (once), :meth:`title`, and optionally :meth:`update` (after each frame),
    :meth:`layer_and_quantity` and :meth:`tables`.
    """

    key = ""

    def __init__(self, view: QWidget) -> None:
        self.view = view

    def adopt_choices(self, source: QWidget) -> None:
        """Show what the window's view ``source`` shows (its combo boxes and check boxes)."""
        copy_choices(source, self.view)

    def choose(self, **choices) -> None:
        """Pick what the figure shows where the view offers a choice (``quantity``, ``layer``…)."""
        if choices:
            raise ValueError(f"the {self.key} figure has no choices {sorted(choices)}")

    def compose(self, canvas: FigureCanvas, frame: Frame) -> None:
        raise NotImplementedError

    def update(self, canvas: FigureCanvas, frame: Frame) -> None:
        """After the view rendered ``frame``: restyle what it may have reset (titles, fonts)."""
        for item in canvas.adopted:
            if hasattr(item, "getAxis"):
                canvas.style_plot(item)

    def after_layout(self, canvas: FigureCanvas) -> None:
        """Once sizes are final: adjust what depends on pixels (keep an image square)."""

    def title(self, frame: Frame) -> str:
        raise NotImplementedError

    def layer_and_quantity(self, frame: Frame) -> tuple[str, str]:
        return "", ""

    def tables(self, frame: Frame) -> dict[str, Table]:
        """The numbers behind the picture, as named tables (the first is ``<stem>.csv``)."""
        return {}


class Figure:
    """A view's figure at one frame; :meth:`show` moves it to another frame (animations)."""

    def __init__(self, view: QWidget, figure: ViewFigure, canvas: FigureCanvas, context: FigureContext,
                 label_frames: bool = False) -> None:
        self.view, self.figure, self.canvas, self.context = view, figure, canvas, context
        self.frame: Frame | None = None
        self.composed = False
        #: Begin the title with the step and phase (the frames of an animation).
        self.label_frames = label_frames

    @property
    def key(self) -> str:
        return self.figure.key

    def close(self) -> None:
        """Let the canvas and the throwaway view go (at the next turn of the event loop)."""
        if self.view is not None:
            self.canvas.close()
            self.view.deleteLater()
            self.view = None

    def __del__(self) -> None:
        # A figure dropped without close() still lets Qt delete its parts in order (at the next turn of
        # the event loop), rather than Python's collector freeing them in any order.
        try:
            self.close()
        except RuntimeError:  # Qt already deleted them (the application is ending)
            pass

    def __enter__(self) -> "Figure":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def show(self, frame: Frame) -> "Figure":
        self.frame = frame
        self.view.render(frame)
        if not self.composed:
            self.figure.compose(self.canvas, frame)
            self.composed = True
        self.figure.update(self.canvas, frame)
        self.canvas.set_title(self.title())
        self.canvas.set_caption(self.caption())
        self.canvas.lay_out()
        self.figure.after_layout(self.canvas)
        return self

    def title(self) -> str:
        title = self.figure.title(self.frame)
        return f"{where_text(self.frame.snapshot)} — {title}" if self.label_frames else title

    def caption(self) -> str:
        layer, quantity = self.figure.layer_and_quantity(self.frame)
        return caption_text(self.frame, self.context, layer, quantity)

    def tables(self) -> dict[str, Table]:
        return self.figure.tables(self.frame)

    def meta(self) -> dict[str, str]:
        """Text for the files' metadata: title, caption, lesson code."""
        return {"title": self.title(), "caption": self.caption(), "fingerprint": self.context.fingerprint}


def make_figure(key: str, frame: Frame, context: FigureContext = FigureContext(), size: FigureSize | None = None,
                like: QWidget | None = None, label_frames: bool = False, **choices) -> Figure:
    """The figure of view ``key`` at ``frame``; with ``like`` (the window's view), with its choices;
    ``choices`` pick what the view offers (:meth:`ViewFigure.choose`)."""
    from widgets.figures import figure_class, view_class
    from widgets.figures.canvas import SIZES

    view = view_class(key)()
    view.render(frame)
    figure = figure_class(key)(view)
    if like is not None:
        figure.adopt_choices(like)
    figure.choose(**choices)
    return Figure(view, figure, FigureCanvas(size or SIZES["slide"]), context, label_frames).show(frame)
