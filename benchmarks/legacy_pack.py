"""The lecture pack as it was before issue #20 (widgets grabbed at 3x as PNG, and as Qt's raw SVG):
the same-run baseline of ``bench_exports``. Kept only for measuring; the app no longer has it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QWidget

from core.export import export_all
from core.export.atomic import atomic_path, write_text
from core.stepper.frame import DataContext, frame_of
from core.summary import summary_text

def save_png(widget: QWidget, path: str | Path, scale: float = 3.0, dpi: int = 300) -> Path:
    """Render ``widget`` at ``scale``× its size (crisp, not upscaled pixels) with ``dpi`` in the PNG.

    At the default 3× a 1000-pixel-wide view becomes 3000 pixels: 10 inches at 300 dpi.
    """
    size = widget.size()
    image = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32)
    image.fill(0xFFFFFFFF)
    dots_per_meter = int(round(dpi / 0.0254))
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    QWidget.render(widget, painter, QPoint())  # the QWidget overload, also for graphics views
    painter.end()
    with atomic_path(path) as tmp:
        if not image.save(str(tmp), "PNG"):
            raise OSError(f"could not write {path}")
    return Path(path)


def save_svg(widget: QWidget, path: str | Path, title: str = "") -> Path:
    """Render ``widget`` as SVG: lines, circles and text stay vectors for slides.

    pyqtgraph items are switched to their export mode while rendering, so that
    scatter symbols (the network's neurons) are drawn as vector shapes instead
    of cached bitmaps.
    """
    import pyqtgraph as pg

    items = [item for view in [widget, *widget.findChildren(pg.GraphicsView)] if isinstance(view, pg.GraphicsView)
             for item in view.scene().items() if hasattr(item, "setExportMode")]
    for item in items:
        item.setExportMode(True, {"antialias": True, "resolutionScale": 1.0})
    try:
        return _render_svg(widget, path, title)
    finally:
        for item in items:
            item.setExportMode(False)


def _render_svg(widget: QWidget, path: str | Path, title: str) -> Path:
    size = widget.size()
    with atomic_path(path) as tmp:
        generator = QSvgGenerator()
        generator.setFileName(str(tmp))
        generator.setSize(QSize(size.width(), size.height()))
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle(title or widget.objectName() or type(widget).__name__)
        generator.setDescription("Exported from Propscope")
        painter = QPainter(generator)
        QWidget.render(widget, painter, QPoint())  # the QWidget overload, also for graphics views
        painter.end()
    return Path(path)


FIGURE_SIZE = (1200, 800)


def _figure_views(session, task: str, class_names: tuple[str, ...]):
    """(file stem, caption, widget) for every view that applies to this session, each rendered from one frame."""
    from widgets.decision_view import DecisionView
    from widgets.distribution_view import DistributionView
    from widgets.gradient_flow_view import GradientFlowView
    from widgets.matrix_view import MatrixView
    from widgets.metrics_view import MetricsView
    from widgets.network_view import NetworkView
    from widgets.propagation_view import PropagationView
    from widgets.samples_view import SamplesView
    from widgets.view import render_all

    wanted = session.capture_options.decision_surface
    session.capture_options.decision_surface = True  # the pack shows the decision boundary too
    try:
        snap = session.seek(session.step) if session.step else session.snapshot()  # exact replay: same state
    finally:
        session.capture_options.decision_surface = wanted
    data = DataContext.of(session, task, class_names)
    frame = frame_of(session, snap, data)
    names = [la.name for la in session.model.compute_layers if la.params]
    views = [("network", "The network: neurons coloured by activation, edges by weight (red > 0, blue < 0)",
              NetworkView()),
             ("layers", "Each layer's numbers for the last batch", PropagationView())]
    mat = MatrixView()
    views.append(("weights_first_layer", f"Weights of {names[0]}", mat))
    views += [("distributions", f"Distributions in {names[0]}: now and over time", DistributionView()),
              ("gradient_flow", "Gradient norm per layer over the steps (log scale)", GradientFlowView()),
              ("metrics", "Loss and accuracy, training and validation", MetricsView())]
    if snap.decision is not None:
        views.append(("decision_boundary", "Decision boundary over the input plane", DecisionView()))
    if class_names and snap.output is not None:
        views.append(("samples", "A batch with its predictions, and the confusion matrix", SamplesView()))
    render_all([view for _, _, view in views], frame)
    if mat.tiles_possible():
        tiles = MatrixView()
        tiles.render(frame)
        tiles.select_quantity("neuron tiles (W)")
        views.insert(3, ("weights_tiles", "Each first-layer neuron's incoming weights as an image", tiles))
    return views


def legacy_pack(session, out_dir: str | Path, class_names: tuple[str, ...] = (), scale: float = 3.0) -> Path:
    """Every figure as PNG and SVG, the weights and the summary, as the old pack wrote them."""
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("build_lecture_pack needs a QApplication (figures are rendered by the views).")
    from app.fonts import register_fonts

    register_fonts(app)
    out = Path(out_dir)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    figures = []
    task = "classification" if class_names else "regression"
    for stem, caption, widget in _figure_views(session, task, tuple(class_names)):
        widget.resize(*FIGURE_SIZE)
        widget.show()
        for _ in range(3):
            app.processEvents()
        png = save_png(widget, out / "figures" / f"{stem}.png", scale=scale)
        svg = save_svg(widget, out / "figures" / f"{stem}.svg", title=caption)
        figures.append((stem, caption, png.name, svg.name))
        widget.close()
        widget.deleteLater()
    app.processEvents()
    model = session.model
    export_all(model, out / "weights")
    summary = summary_text(model).rstrip("\n")
    write_text(out / "summary.txt", summary + "\n")
    return out / "index.html"


