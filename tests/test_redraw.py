"""Repainting only what moved shows what a full draw shows: for a plain figure and for every explorer,
after its controls moved, the picture sent to the widget matches the figure drawn from scratch."""

import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

import helpers
from helpers import redraw
from helpers.explorer import EXPLORERS, option_values
from helpers.widget_figure import FigureImage

# Still layers are painted apart and laid over the moving artists: anti-aliased edges may round
# differently from a full draw by a few levels of 255, never more.
ROUNDING = 3


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")).astype(int)


def full_draw(figure: Figure) -> np.ndarray:
    """The figure drawn from scratch where its Axes stand now (saving draws every artist)."""
    engine = figure.get_layout_engine()
    figure.set_layout_engine("none")  # the layout engine is not under test: keep its placement
    try:
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    finally:
        figure.set_layout_engine(engine)
    return decoded(buffer.getvalue())


def assert_same_picture(shown: bytes, figure: Figure) -> None:
    difference = np.abs(decoded(shown) - full_draw(figure))
    assert difference.max() <= ROUNDING, f"{(difference > ROUNDING).any(axis=-1).sum()} pixels differ"


def test_png_bytes_holds_exactly_the_canvas():
    figure = Figure(figsize=(2, 1), dpi=50)
    FigureCanvasAgg(figure)
    figure.subplots().plot([0, 1], [1, 0])
    figure.canvas.draw()
    png = redraw.png_bytes(figure)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert (decoded(png) == np.asarray(figure.canvas.buffer_rgba())).all()


def _picture():
    """A line that moves under a legend, a title that changes, and text above everything."""
    picture = FigureImage(figsize=(4, 3))
    ax = picture.figure.subplots()
    (line,) = ax.plot([0, 1], [0, 1], lw=3, label="moving line")
    ax.plot([0, 1], [1, 0], label="still line")
    ax.text(0.5, 0.5, "still text on top", zorder=10, ha="center")
    ax.legend(loc="center", framealpha=0.5)
    ax.set_xlim(0, 1)
    picture.moving(line, ax.title)
    return picture, ax, line


def test_moving_artists_are_repainted_under_what_lies_over_them():
    picture, ax, line = _picture()
    for y in (0.2, 0.5, 0.9):
        line.set_ydata([y, 1 - y])
        ax.set_title(f"y = {y}")
        picture.show()
        assert_same_picture(picture.image.value, picture.figure)


def test_new_axis_limits_redraw_the_ticks_and_old_limits_reuse_their_layers(monkeypatch):
    picture, ax, line = _picture()
    built = []
    original = redraw.Layers.__init__
    monkeypatch.setattr(redraw.Layers, "__init__", lambda self, *a: built.append(1) or original(self, *a))
    for top in (1.0, 3.0, 1.0, 3.0):  # tick labels 0.0 … 1.0 and 0.0 … 3.0: the layout stays put
        ax.set_ylim(0, top)
        picture.show()
        assert_same_picture(picture.image.value, picture.figure)
    assert len(built) == 2  # each range drawn in full once


def test_invalidate_redraws_a_changed_still_artist():
    picture, ax, line = _picture()
    picture.show()
    ax.lines[1].set_color("red")
    picture.invalidate()
    picture.show()
    assert_same_picture(picture.image.value, picture.figure)


def test_without_moving_artists_every_show_draws_everything():
    picture = FigureImage(figsize=(3, 2))
    ax = picture.figure.subplots()
    ax.plot([0, 1], [0, 1])
    picture.show()
    ax.lines[0].set_color("red")
    picture.show()
    assert_same_picture(picture.image.value, picture.figure)


def test_only_artists_inside_an_axes_can_move():
    picture = FigureImage()
    label = picture.figure.suptitle("a figure title")
    picture.figure.subplots()
    with pytest.raises(ValueError, match="inside an Axes"):
        picture.moving(label)


def _moves(explorer, tour):
    """Move the first control through the tour's values, change the second control, move the first again."""
    first = getattr(explorer, tour.control)
    for value in tour.values:
        first.value = value
    if tour.then is not None:
        control = getattr(explorer, tour.then)
        choices = option_values(control)
        control.value = choices[(choices.index(control.value) + 1) % len(choices)]
        for value in reversed(tour.values):
            first.value = value


@pytest.mark.parametrize("name", [name for name, e in EXPLORERS.items() if e.tour.repaints_in_part])
def test_every_explorer_shows_what_a_full_draw_shows(name):
    registered = EXPLORERS[name]
    explorer = registered.build().explorer
    _moves(explorer, registered.tour)
    assert_same_picture(explorer.image.value, explorer.picture.figure)


def test_new_limits_of_one_panel_show_in_the_picture():
    explorer = helpers.loop_explorer().explorer
    explorer.y.value = 2  # another power of x: new y range
    assert_same_picture(explorer.image.value, explorer.picture.figure)
    explorer = helpers.regression_explorer().explorer
    explorer.w0.value = 0.0  # another start: new loss range
    assert_same_picture(explorer.image.value, explorer.picture.figure)
