"""One folder with everything a lecture needs: figures (PNG at 300 dpi and SVG), weights,
the model summary, the training history as CSV, the configuration, and an index page
(Markdown and HTML) tying them together."""

from __future__ import annotations

import csv
import datetime
import html
import json
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app.figures import save_png, save_svg
from core.summary import summary_text
from core.export import export_all
from core.export.weights import written_files
from core.export.atomic import atomic_path, write_text
from core.stepper.builder import model_config
from core.stepper.frame import DataContext, frame_of

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


def build_lecture_pack(session, out_dir: str | Path, title: str = "Propscope lecture pack",
                       data_description: str = "", class_names: tuple[str, ...] = (), scale: float = 3.0,
                       task: str | None = None) -> Path:
    """Write the pack into ``out_dir`` (created) and return the path of ``index.html``.

    ``task`` ("classification", "binary", "regression") defaults to
    classification when there are ``class_names``, else regression.
    """
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("build_lecture_pack needs a QApplication (figures are rendered by the views).")
    from app.fonts import register_fonts

    register_fonts(app)
    out = Path(out_dir)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    figures = []
    task = task or ("classification" if class_names else "regression")
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
    weight_files = written_files(export_all(model, out / "weights"))
    summary = summary_text(model).rstrip("\n")
    write_text(out / "summary.txt", summary + "\n")
    _history_csvs(session, out)
    config = {"model": model_config(model), "loss": model.loss.get_config(),
              "optimizer": {"class": type(model.optimizer).__name__, **model.optimizer.get_config()},
              "batch_size": session.batch_size, "epochs": session.epochs, "step": session.step,
              "shuffle_seed": session.shuffle_seed, "backend": session.engine.ops.describe(),
              "data": data_description}
    write_text(out / "config.json", json.dumps(config, indent=1, default=str))
    _index(out, title, summary, figures, config, session, weight_files)
    return out / "index.html"


#: What each weights file is, for the index.
WEIGHT_NOTES = {"weights.npz": "weights.npz (Keras variable names)", "weights.pt": "weights.pt (PyTorch state_dict)",
                "model.weights.h5": "model.weights.h5 (Keras model.load_weights)",
                "torch_model.py": "torch_model.py (the same network in PyTorch)"}


def _history_csvs(session, out: Path) -> None:
    h = session.history
    steps, loss = h.scalar("loss")
    columns = {"loss": loss}
    for key in sorted(h.scalars):
        if key != "loss" and "/" not in key:
            s, v = h.scalar(key)
            if len(s) == len(steps):
                columns[key] = v
    with atomic_path(out / "history_steps.csv") as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["step", *columns])
        for k, step in enumerate(steps):
            writer.writerow([int(step), *(f"{columns[c][k]:.9g}" for c in columns)])
    with atomic_path(out / "history_epochs.csv") as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        keys = sorted({k for e in h.epochs for k in e})
        writer.writerow(["epoch", *keys])
        for i, logs in enumerate(h.epochs, start=1):
            writer.writerow([i, *(f"{logs.get(k, float('nan')):.9g}" for k in keys)])
    with atomic_path(out / "layer_stats.csv") as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["step", "layer", "statistic", "value"])
        for key in sorted(k for k in h.scalars if "/" in k):
            layer, stat = key.split("/", 1)
            for step, value in zip(*h.scalar(key)):
                writer.writerow([int(step), layer, stat, f"{value:.9g}"])


def _index(out: Path, title: str, summary: str, figures, config, session, weight_files: list[str]) -> None:
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    epochs = session.history.epochs
    last = epochs[-1] if epochs else {}
    facts = (f"{session.step} steps ({session.step / max(session.batches_per_epoch, 1):.2f} epochs) of batch "
             f"{session.batch_size} with {config['optimizer']['class']} on {config['backend']}")
    md = [f"# {title}", "", f"Made with Propscope on {when}. {facts}.", ""]
    if config["data"]:
        md += [f"Data: {config['data']}", ""]
    if last:
        md += ["Last epoch: " + ", ".join(f"{k} {v:.4f}" for k, v in last.items()), ""]
    md += ["## Model", "", "```", summary, "```", ""]
    for _stem, caption, png, svg in figures:
        md += [f"## {caption}", "", f"![{caption}](figures/{png})", "",
               f"Vector version: [figures/{svg}](figures/{svg})", ""]
    md += ["## Files", "", "- `weights/`: " + ", ".join(WEIGHT_NOTES.get(n, n) for n in weight_files),
           "- `history_steps.csv`, `history_epochs.csv`, `layer_stats.csv`: the training history",
           "- `summary.txt`, `config.json`: the model and the settings", ""]
    write_text(out / "index.md", "\n".join(md))
    body = [f"<h1>{html.escape(title)}</h1>", f"<p>Made with Propscope on {when}. {html.escape(facts)}.</p>"]
    if config["data"]:
        body.append(f"<p>Data: {html.escape(str(config['data']))}</p>")
    if last:
        body.append("<p>Last epoch: " + html.escape(", ".join(f"{k} {v:.4f}" for k, v in last.items())) + "</p>")
    body += ["<h2>Model</h2>", f"<pre>{html.escape(summary)}</pre>"]
    for _stem, caption, png, svg in figures:
        body += [f"<h2>{html.escape(caption)}</h2>",
                 f'<figure><img src="figures/{png}" alt="{html.escape(caption)}" style="max-width:100%">'
                 f'<figcaption><a href="figures/{svg}">SVG</a></figcaption></figure>']
    body += ["<h2>Files</h2><ul>",
             '<li><a href="weights/">weights/</a>: ' + ", ".join(
                 f'<a href="weights/{html.escape(n)}">{html.escape(n)}</a>' for n in weight_files) + '</li>',
             '<li><a href="history_steps.csv">history_steps.csv</a>, <a href="history_epochs.csv">history_epochs.csv'
             '</a>, <a href="layer_stats.csv">layer_stats.csv</a></li>',
             '<li><a href="summary.txt">summary.txt</a>, <a href="config.json">config.json</a></li></ul>']
    page = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>" + html.escape(title) +
            "</title><style>body{font-family:'Noto Sans','NanumGothic',sans-serif;max-width:1100px;margin:2em auto;"
            "padding:0 1em;color:#222}pre{background:#f6f6f6;padding:1em;overflow:auto}"
            "figure{margin:0 0 2em}</style></head><body>" + "\n".join(body) + "</body></html>")
    write_text(out / "index.html", page)
