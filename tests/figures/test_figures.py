"""Figures hold only the figure: sizes, no widget pixels, square tiles, readable edges, the numbers beside."""

import numpy as np
import pytest
from figure_sessions import frame_now, image_array, image_session, plane_session
from PIL import Image

from app.figure_export import render_image, save, save_png
from widgets.figures import FIGURES, FigureContext, make_figure
from widgets.figures.canvas import SIZES


def test_a_slide_png_is_4000_by_2250_at_300_dpi_with_its_caption_inside(trained_image_session, tmp_path):
    figure = make_figure("network", frame_now(trained_image_session), FigureContext("Fashion-MNIST", "ABCD-EFGH"))
    save_png(figure, tmp_path / "net.png", dpi=300)
    with Image.open(tmp_path / "net.png") as image:
        assert image.size == (4000, 2250)
        assert round(image.info["dpi"][0]) == 300
        assert image.info["Lesson fingerprint"] == "ABCD-EFGH"
        assert "784-100(relu)-10(softmax)" in image.info["Description"]
        assert "step 8" in image.info["Description"] and "Fashion-MNIST" in image.info["Description"]
    half = make_figure("network", frame_now(trained_image_session), size=SIZES["half"])
    assert render_image(half, 150).size().toTuple() == (1000, 1125)


@pytest.mark.parametrize("key", ["matrices", "distributions", "metrics", "network"])
def test_the_figure_is_its_plot_items_and_nothing_of_the_view_widgets(trained_image_session, key):
    """Every pixel of the figure is white, or drawn by an item the figure placed: the view's combo boxes,
    hints and frames are widgets, which are never drawn; the plot's region equals the plot item's own render."""
    figure = make_figure(key, frame_now(trained_image_session))
    canvas = figure.canvas
    picture = image_array(render_image(figure, 120))  # 120 dpi: one image pixel per figure pixel
    assert picture.shape == (900, 1600, 3)
    covered = np.zeros(picture.shape[:2], bool)
    parts = canvas.adopted + [canvas.title, canvas.caption] + list(canvas.legend.items)
    for item in parts:
        r = canvas.item_rect(item).toAlignedRect()
        covered[max(0, r.top()): r.bottom() + 2, max(0, r.left()): r.right() + 2] = True
    assert (picture[~covered] == 255).all()
    plot = canvas.adopted[0]
    r = canvas.item_rect(plot).toAlignedRect()
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter

    alone = QImage(r.width(), r.height(), QImage.Format.Format_RGB32)
    alone.fill(0xFFFFFFFF)
    painter = QPainter(alone)
    with canvas.exporting(1.0):
        canvas.scene.render(painter, QRectF(0, 0, r.width(), r.height()), QRectF(r))
    painter.end()
    region = picture[r.top(): r.top() + r.height(), r.left(): r.left() + r.width()]
    assert np.abs(region.astype(int) - image_array(alone).astype(int)).mean() < 1.0


def test_weight_tiles_are_square_numbered_and_without_pixel_axes(trained_image_session, tmp_path):
    figure = make_figure("matrices", frame_now(trained_image_session), quantity="tiles")
    plot = figure.view.plot
    assert not plot.getAxis("left").isVisible() and not plot.getAxis("bottom").isVisible()
    px_w, px_h = plot.vb.viewPixelSize()
    assert px_w == pytest.approx(px_h, rel=0.01)  # one weight is a square
    assert figure.figure.tile_numbers.texts()[:3] == ["0", "1", "2"]
    assert "28×28" in figure.title()
    written = save(figure, tmp_path / "tiles.png", dpi=120, data=True)
    with np.load(tmp_path / "tiles.npz") as npz:
        np.testing.assert_array_equal(npz["weights"], trained_image_session.model.get_weights()[0])
    assert [p.name for p in written] == ["tiles.png", "tiles.csv", "tiles.npz"]


def test_network_edges_are_drawn_at_a_readable_width_and_scale_with_the_resolution(trained_image_session):
    figure = make_figure("network", frame_now(trained_image_session))
    widths = [item.opts["pen"].widthF() for item in figure.view.edge_items.values()]
    assert min(widths) >= 2.0
    reds = []
    for dpi in (120, 300):
        rgb = image_array(render_image(figure, dpi)).astype(int)
        reds.append(((rgb[..., 0] > 150) & (rgb[..., 2] < 110) & (rgb[..., 1] < 110)).mean())
    assert reds[1] == pytest.approx(reds[0], rel=0.25)  # lines keep their share of the picture at 300 dpi
    assert [item.opts["pen"].widthF() for item in figure.view.edge_items.values()] == widths  # pens put back


def test_every_view_has_a_figure_with_numbers_behind_it(tmp_path):
    session = plane_session()
    for _ in range(6):
        session.step_batch()
    frame = frame_now(session)
    for key in FIGURES:
        with make_figure(key, frame, FigureContext("circle", "ABCD-EFGH")) as figure:
            tables = figure.tables()
            written = save(figure, tmp_path / f"{key}.png", dpi=60, data=True)
        assert tables, key
        with np.load(tmp_path / f"{key}.npz", allow_pickle=False) as npz:
            assert str(npz["meta/fingerprint"]) == "ABCD-EFGH"
        first = (tmp_path / f"{key}.csv").read_text().splitlines()
        assert len(first) > 1, key
        assert all(p.exists() for p in written)


def test_the_numbers_beside_the_network_are_the_snapshot_s(trained_image_session):
    frame = frame_now(trained_image_session)
    tables = make_figure("network", frame).tables()
    nodes, edges = tables["nodes"].columns, tables["edges"].columns
    hidden = frame.snapshot.weighted_layers[0]
    rows = np.asarray(nodes["layer"]) == hidden.name
    np.testing.assert_allclose(np.asarray(nodes["value"])[rows], hidden.a[0])
    W = hidden.W_after
    for i, j, w in zip(edges["i"][:20], edges["j"][:20], edges["w"][:20]):
        assert W[i, j] == pytest.approx(w)


def test_figures_follow_the_window_view_s_choices(trained_image_session):
    from widgets.matrix_view import MatrixView

    frame = frame_now(trained_image_session)
    shown = MatrixView()
    shown.render(frame)
    index = shown.layer_box.findData("dense_1")
    shown.layer_box.setCurrentIndex(index)
    shown.layer_box.activated.emit(index)
    shown.select_quantity("∂L/∂W")
    figure = make_figure("matrices", frame, like=shown)
    assert figure.figure.layer_and_quantity(frame) == ("dense_1", "∂L/∂W")
    np.testing.assert_array_equal(figure.tables()["matrix"].matrix, frame.snapshot.layer("dense_1").dW)


def test_a_figure_draws_the_layers_table_and_bars_from_the_snapshot():
    session = image_session()
    session.step_batch()
    frame = frame_now(session)
    figure = make_figure("propagation", frame)
    html = figure.figure.table.item.toHtml()
    stats = frame.snapshot.layer("dense").stats
    assert f"{stats.grad_norm:.3g}" in html
    table = figure.tables()["layers"].columns
    assert table["grad_norm"][1] == pytest.approx(stats.grad_norm)
