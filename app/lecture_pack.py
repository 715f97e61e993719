"""One folder with everything a lecture needs.

- ``figures/``: every view as a clean figure — PNG (1600 × 900 at 120 dpi, a 16:9 slide), SVG that
  renders alike everywhere — each with its numbers beside it (``.csv``, ``.npz``);
- ``handout.pdf``: a title page, one figure per page with its caption, the summary, the chain rule;
- ``chain_rule.tex``: the inspected neuron's chain rule with the numbers, as LaTeX;
- ``weights/``, ``summary.txt``, the history as CSV, ``config.json`` (with the lesson fingerprint);
- ``index.md`` and ``index.html`` tying them together (the chain rule as MathML: no CDN, no script).

Every figure is made the way the window makes it: a fresh view renders one frame
(``view.render(frame)``) and its figure composes the view's plot items.
"""

from __future__ import annotations

import csv
import datetime
import json
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QApplication

from app.figure_export import layout_dpi, rasterize, save_svg
from app.handout import Handout
from app.pack_index import write_index
from core.export import export_all
from core.export.weights import written_files
from core.export.atomic import atomic_path, write_text
from core.export.chain_rule import chain_rule, to_html, to_latex
from core.export.figure_data import write_figure_data
from core.export.fingerprint import lesson_fingerprint
from core.stepper.builder import model_config
from core.stepper.frame import DataContext, frame_of
from core.summary import summary_text
from widgets.figures import FigureContext, make_figure
from widgets.figures.canvas import PIXELS_PER_INCH, SIZES
from widgets.i18n import tr

#: Raster figures of the pack: a 16:9 slide at 120 dpi is 1600 × 900 (the SVG and the handout are vector).
PACK_DPI = 120
#: The fingerprint's line of the title page (``index.html`` finds the code in it by the " — ").
FINGERPRINT_LINE = "{fingerprint} — {meaning}."


@dataclass(frozen=True)
class PackFigure:
    stem: str
    title: str
    caption: str
    png: str
    svg: str
    data: tuple[str, ...]


def default_neuron(snapshot) -> tuple[int, int]:
    """(column, unit) of the neuron whose chain rule the pack writes when none was inspected: in the
    first Dense layer, the one with the largest |δ| for the first sample (the most instructive)."""
    dense = snapshot.weighted_layers
    if not dense:
        return 1, 0
    delta = dense[0].delta
    return 1, 0 if delta is None else int(np.argmax(np.abs(delta[0])))


def _figure_list(snapshot, frame, task: str) -> list[tuple[str, str, dict]]:
    """(file stem, view key, choices) of every figure that applies to this session."""
    dense = snapshot.weighted_layers
    specs = [("network", "network", {}), ("layers", "propagation", {})]
    if dense:
        specs.append(("weights_first_layer", "matrices", {"layer": dense[0].name, "quantity": "W"}))
        side = int(np.sqrt(dense[0].W.shape[0]))
        if side >= 8 and side * side == dense[0].W.shape[0]:
            specs.append(("weights_tiles", "matrices", {"quantity": "tiles"}))
    specs += [("distributions", "distributions", {}), ("gradient_flow", "gradient_flow", {}),
              ("metrics", "metrics", {})]
    if snapshot.decision is not None:
        specs.append(("decision_boundary", "decision", {}))
    if frame.data is not None and frame.data.class_names and snapshot.output is not None and task != "regression":
        specs.append(("samples", "samples", {}))
    return specs


def build_lecture_pack(session, out_dir: str | Path, title: str | None = None,
                       data_description: str = "", class_names: tuple[str, ...] = (), task: str | None = None,
                       data_name: str = "", neuron: tuple[int, int] | None = None, dpi: float = PACK_DPI) -> Path:
    """Write the pack into ``out_dir`` (created) and return the path of ``index.html``.

    ``task`` ("classification", "binary", "regression") defaults to classification when there are
    ``class_names``, else regression. ``neuron`` is the (column, unit) whose chain rule is written
    (the window passes the inspected one).
    """
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("build_lecture_pack needs a QApplication (figures are rendered by the views).")
    title = title or tr("Propscope lecture pack")
    from app.fonts import register_fonts

    register_fonts(app)
    out = Path(out_dir)
    figures_dir = out / "figures"
    figures_dir.mkdir(parents=True, exist_ok=True)
    task = task or ("classification" if class_names else "regression")
    fingerprint = lesson_fingerprint(session)
    snapshot = _complete_snapshot(session)
    frame = frame_of(session, snapshot, DataContext.of(session, task, tuple(class_names)))
    context = FigureContext(data_name or data_description.split(":")[0].split("(")[0].strip(), fingerprint.code)
    handout = Handout(title, fingerprint.code)
    text_dpi = layout_dpi()
    facts = _facts(session, fingerprint, data_description)
    handout.title_page(facts)
    written: list[PackFigure] = []
    with ThreadPoolExecutor(max_workers=1) as encoder:  # PNG compression overlaps the next figure's drawing
        pending = []
        for number, (stem, key, choices) in enumerate(_figure_list(snapshot, frame, task), start=1):
            figure = make_figure(key, frame, context, SIZES["slide"], **choices)
            meta = figure.meta()
            texts = (("Title", meta["title"]), ("Description", meta["caption"]),
                     ("Lesson fingerprint", fingerprint.code))
            picture = figure.canvas.recording(dpi / PIXELS_PER_INCH)
            pending.append(encoder.submit(_save_png, picture, figure.canvas.size, dpi, text_dpi, texts,
                                          figures_dir / f"{stem}.png"))
            save_svg(figure, figures_dir / f"{stem}.svg", durable=False)
            data = write_figure_data(figures_dir / stem, figure.tables(), meta, durable=False)
            handout.figure_page(figure, number)
            written.append(PackFigure(stem, meta["title"], meta["caption"], f"{stem}.png", f"{stem}.svg",
                                      tuple(p.name for p in data)))
            figure.close()
        model = session.model
        summary = summary_text(model).rstrip("\n")
        handout.text_page(tr("Model summary"), f"<pre>{_escape(summary)}</pre>", mono=True)
        column, unit = neuron or default_neuron(snapshot)
        rule = chain_rule(snapshot, column, unit)
        if rule is not None:
            write_text(out / "chain_rule.tex", to_latex(rule), durable=False)
            handout.text_page(tr("The chain rule of {title}").format(title=rule.title_in(tr)), to_html(rule, tr),
                              pt=13)
        handout.save(out / "handout.pdf", durable=False)
        weight_files = written_files(export_all(model, out / "weights"))
        write_text(out / "summary.txt", summary + "\n", durable=False)
        _history_csvs(session, out)
        config = {"model": model_config(model), "loss": model.loss.get_config(),
                  "optimizer": {"class": type(model.optimizer).__name__, **model.optimizer.get_config()},
                  "batch_size": session.batch_size, "epochs": session.epochs, "step": session.step,
                  "shuffle_seed": session.shuffle_seed, "backend": session.engine.ops.describe(),
                  "data": data_description, "fingerprint": fingerprint.as_dict()}
        write_text(out / "config.json", json.dumps(config, indent=1, default=str), durable=False)
        for job in pending:
            job.result()
    app.processEvents()
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    return write_index(out, title, when, facts, summary, written, rule, weight_files)


def _save_png(picture, size, dpi: float, text_dpi: float, texts, path: Path) -> None:
    """Rasterize a figure's recording and write it (on the encoder thread, beside the next figure's drawing)."""
    image = rasterize(picture, size, dpi, text_dpi)
    for key, value in texts:
        image.setText(key, value)
    with atomic_path(path, durable=False) as tmp:
        if not image.save(str(tmp), "PNG", 80):
            raise OSError(f"could not write {path}")


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def _complete_snapshot(session):
    """The last completed step with everything captured: the session's own snapshot when it is complete,
    else that step replayed exactly (mid-batch, after opening a file, or to add the decision surface
    for 2-D data, which the window computes only while that view is in front)."""
    snap = session.snapshot()
    two_d = snap.x is not None and snap.x.ndim == 2 and snap.x.shape[1] == 2
    if snap.phase == "update" and snap.x is not None and not session.mid_batch and (snap.decision is not None
                                                                                     or not two_d):
        return snap
    wanted = session.capture_options.decision_surface
    session.capture_options.decision_surface = True
    try:
        return session.seek(session.step) if session.step else session.snapshot()
    finally:
        session.capture_options.decision_surface = wanted


def _facts(session, fingerprint, data_description: str) -> list[str]:
    epochs = session.history.epochs
    last = epochs[-1] if epochs else {}
    lines = [tr("{steps} steps ({epochs} epochs) of batch {batch} with {optimizer} on {backend}").format(
        steps=session.step, epochs=f"{session.step / max(session.batches_per_epoch, 1):.2f}", batch=session.batch_size,
        optimizer=type(session.model.optimizer).__name__, backend=session.engine.ops.describe())]
    if data_description:
        lines.append(tr("Data: {data}").format(data=data_description))
    if last:
        lines.append(tr("Last epoch: {values}").format(values=", ".join(f"{k} {v:.4f}" for k, v in last.items())))
    shown = (tr("Lesson {code} · step {step}") if fingerprint.loss is None else
             tr("Lesson {code} · step {step} · loss {loss}")).format(code=fingerprint.code, step=fingerprint.step,
                                                                      loss=fingerprint.loss_text())
    lines.append(FINGERPRINT_LINE.format(fingerprint=shown, meaning=tr(
        "the same code on a student's machine means the same run (same data, model, settings, seed and initial "
        "weights)")))
    return lines


@contextmanager
def _csv(path: Path):
    with atomic_path(path, durable=False) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        yield fh


def _history_csvs(session, out: Path) -> None:
    h = session.history
    steps, loss = h.scalar("loss")
    columns = {"loss": loss}
    for key in sorted(h.scalars):
        if key != "loss" and "/" not in key:
            s, v = h.scalar(key)
            if len(s) == len(steps):
                columns[key] = v
    with _csv(out / "history_steps.csv") as fh:
        writer = csv.writer(fh)
        writer.writerow(["step", *columns])
        for k, step in enumerate(steps):
            writer.writerow([int(step), *(f"{columns[c][k]:.9g}" for c in columns)])
    with _csv(out / "history_epochs.csv") as fh:
        writer = csv.writer(fh)
        keys = sorted({k for e in h.epochs for k in e})
        writer.writerow(["epoch", *keys])
        for i, logs in enumerate(h.epochs, start=1):
            writer.writerow([i, *(f"{logs.get(k, float('nan')):.9g}" for k in keys)])
    with _csv(out / "layer_stats.csv") as fh:
        writer = csv.writer(fh)
        writer.writerow(["step", "layer", "statistic", "value"])
        for key in sorted(k for k in h.scalars if "/" in k):
            layer, stat = key.split("/", 1)
            for step, value in zip(*h.scalar(key)):
                writer.writerow([int(step), layer, stat, f"{value:.9g}"])
