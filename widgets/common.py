"""Small pieces the views share: a white plot area, keeping a combo box's items in sync."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QLabel, QLayout, QVBoxLayout, QWidget

from widgets.i18n import tr

# Near-black titles, axes and tick labels: pyqtgraph's default grey washes out on a
# projector. Every view imports this module before it makes a plot.
INK = (30, 30, 30)
pg.setConfigOption("foreground", INK)


def plot_area(parent: QWidget, layout: QLayout, stretch: int = 1) -> pg.GraphicsLayoutWidget:
    """A white pyqtgraph canvas added to ``layout`` (projector- and print-friendly)."""
    plots = pg.GraphicsLayoutWidget(parent)
    plots.setBackground("w")
    layout.addWidget(plots, stretch)
    return plots


def message_and_plots(widget: QWidget) -> tuple[QVBoxLayout, QLabel, pg.GraphicsLayoutWidget]:
    """A margin-less layout with a one-line message above a white plot canvas."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    message = QLabel(widget)
    layout.addWidget(message)
    return layout, message, plot_area(widget, layout)


#: How the views name weights that are no kernel or bias.
WEIGHT_LABELS = {"gamma": "γ", "beta": "β", "kernel": "W", "bias": "b"}


def weight_label(name: str) -> str:
    """``γ`` for ``gamma``, ``β`` for ``beta``, ``moving mean`` for ``moving_mean`` (in the UI language)."""
    if name in WEIGHT_LABELS:
        return WEIGHT_LABELS[name]
    return {"moving_mean": tr("moving mean"), "moving_variance": tr("moving variance")}.get(name, name)


def sync_items(combo: QComboBox, items: list[str], labels: list[str] | None = None) -> None:
    """Make ``combo`` offer ``items`` (its item data; shown as ``labels``, by default the
    items themselves), keeping the current choice when it is still offered."""
    labels = list(items) if labels is None else list(labels)
    n = combo.count()
    if [combo.itemData(i) for i in range(n)] == list(items) and [combo.itemText(i) for i in range(n)] == labels:
        return
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for item, label in zip(items, labels):
        combo.addItem(label, item)
    if current in items:
        combo.setCurrentIndex(list(items).index(current))
    combo.blockSignals(False)
