"""What every explorer widget shares: a figure kept alive and shown as a PNG image widget, and a
box whose plain-text form explains itself on pages that cannot run widgets."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.environment import display_scale
from helpers.errors import in_words
from helpers.functions import function_changed
from helpers.redraw import Repainter, png_bytes

# The widest picture an explorer draws, in pixels: what a notebook's output area holds at
# 1280 px, in JupyterLab's deck and beside a closed sidebar.
MAX_WIDTH_PX = 1100
# The tallest picture presentation mode draws, in pixels: what a 720-line slide leaves beside the
# explorer's code line, its (enlarged) controls and readout.
MAX_PRESENTED_HEIGHT_PX = 410


class ExplorerBox(widgets.VBox):
    """A VBox whose plain-text form says what it is; `.explorer` holds the object behind it."""

    explorer: Any = None

    def __repr__(self) -> str:
        # Shown where the widget cannot be: GitHub, nbviewer, a JupyterLab without the widgets front end.
        # Under 110 characters, or ipywidgets cuts the text short with an ellipsis.
        # Also what JupyterLab shows for an explorer whose cell has not been run in this session.
        return (
            "Interactive explorer: run this cell in JupyterLab to move its controls "
            "(needs jupyterlab_widgets)."
        )


class FigureImage:
    """A matplotlib figure drawn off-screen into an Image widget.

    Explorers build their artists once and change their data on every move, then call `show()`:
    much faster than rebuilding the figure from scratch. Naming the artists a move changes with
    `moving(...)` makes it faster still: the rest is drawn once and reused until `invalidate()`
    or until an Axes changes its limits (helpers/redraw.py).
    """

    def __init__(self, figsize: tuple[float, float] = (6.0, 3.6), dpi: int = 100) -> None:
        # Scaling the dpi keeps the layout and enlarges lines and text together (presentation mode).
        dpi = dpi * display_scale()
        # A figure wider than a slide's output area would be shown shrunk, its text no larger than
        # before; narrower inches at the same dpi keep the text large and the picture on the slide.
        width, height = min(figsize[0], MAX_WIDTH_PX / dpi), figsize[1]
        if display_scale() > 1:
            # Too tall for the slide: fewer inches high, the same width for the enlarged text.
            height = min(height, MAX_PRESENTED_HEIGHT_PX / dpi)
        figsize = (width, height)
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        # Shown at its own pixel size: stretched to the page width it would look blurred.
        width = round(figsize[0] * self.figure.dpi)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px", max_width="100%"))
        self._painter = Repainter(self.figure)

    def moving(self, *artists: Artist) -> None:
        """Name the artists a control changes; show() then repaints only them and what lies over them."""
        self._painter.set_moving(artists)

    def invalidate(self) -> None:
        """Something besides the moving artists changed: the next show() draws the whole figure."""
        self._painter.clear()

    def png(self) -> bytes:
        """The figure as it is now, as PNG bytes."""
        self._painter.paint()
        return png_bytes(self.figure)

    def show(self, readout: widgets.HTML | None = None, words: str = "") -> None:
        """Send the current drawing to the widget; then, if given, the words of `readout`.

        The picture is drawn before either is sent, so words and picture arrive together: set
        first, the words would run ahead of a picture that takes the kernel 100 ms to draw.
        """
        png = self.png()
        self.image.value = png
        if readout is not None:
            readout.value = words


def explorer_box(explorer: Any, *rows: widgets.Widget) -> ExplorerBox:
    """Stack control rows and readouts above (or below) the picture, remembering the explorer."""
    for row in rows:
        _show_whole_labels(row)
    box = ExplorerBox(list(rows))
    box.explorer = explorer
    return box


def _show_whole_labels(widget: widgets.Widget) -> None:
    """Labels as wide as their words and menus as wide as their longest entry: ipywidgets' fixed
    widths cut "learning rate" to "learning r…", worse still in presentation mode's larger font."""
    for child in getattr(widget, "children", ()):
        _show_whole_labels(child)
    style = getattr(widget, "style", None)
    if getattr(widget, "description", "") and style is not None and style.has_trait("description_width"):
        style.description_width = "initial"
    if isinstance(widget, widgets.Dropdown):
        widget.layout.width = "max-content"


def on_change(handler: Callable[[Any], None], readout: widgets.HTML, *controls: widgets.Widget) -> None:
    """Call `handler(change)` whenever one of the controls changes value.

    An error raised there is said in `readout`, in one sentence naming the value that caused it.
    Left alone, ipywidgets would send it to the kernel's log, where no learner looks, and the
    explorer would go on showing the last picture as if it belonged to the new value.
    """

    def guarded(change: Any) -> None:
        try:
            handler(change)
        except Exception as err:  # noqa: BLE001 - any error of a learner's function, said in words
            readout.value = _failure(change, err)

    for control in controls:
        control.observe(guarded, names="value")


def _failure(change: Any, err: Exception) -> str:
    control, new = change["owner"], change["new"]
    value = f"{new:.4g}" if isinstance(new, float) else str(new)
    name = getattr(control, "description", "").rstrip(" =") or "the control"
    # The helpers' own sentences (raised from the learner's error) already name what failed.
    reason = str(err) if err.__cause__ else in_words(err)
    return (
        f"<b style='color:#b00000'>⚠ Nothing could be drawn for {html.escape(name)} = {html.escape(value)}: "
        f"{html.escape(reason.rstrip('.'))}.</b> The picture still shows the last value that worked; "
        "choose another value, or fix the function and run its cell again."
    )


def function_and_x(
    functions: dict, x: float, low: float, high: float, step: float = 0.1
) -> tuple[widgets.Dropdown, widgets.FloatSlider]:
    """The usual explorer controls: a menu of functions and a slider for x."""
    menu = widgets.Dropdown(options=list(functions), description="f(x) =")
    slider = widgets.FloatSlider(value=x, min=low, max=high, step=step, description="x")
    return menu, slider


class FunctionAndXExplorer:
    """Shared by explorers with a menu of functions and an x slider: the controls, the readout,
    the box and the wiring to `_new_function` and `_new_x`, which each explorer defines."""

    functions: dict
    grid: np.ndarray  # the x values of the curves drawn

    def build_controls(
        self, x: float, low: float, high: float, *shown: widgets.Widget, step: float = 0.1
    ) -> None:
        """The menu and slider above the readout and `shown`; draws the first picture."""
        self.function, self.x = function_and_x(self.functions, x, low, high, step)
        self.readout = widgets.HTML()
        self.widget = explorer_box(self, widgets.HBox([self.function, self.x]), self.readout, *shown)
        on_change(self._new_function, self.readout, self.function)
        on_change(self._new_x, self.readout, self.x)
        self._new_function()

    @property
    def f(self) -> Any:
        """The function chosen in the menu."""
        return self.functions[self.function.value]

    def redrawn_if_changed(self, change: Any, drawn: np.ndarray) -> bool:
        """When the slider moved but f no longer gives the curve drawn (it reads a variable the
        learner has changed since), draw everything anew from f, say so, and return True."""
        if change is None or not function_changed(self.f, self.grid, drawn):
            return False
        self._new_function()
        self.readout.value += "<br>f has changed since it was drawn; the curve is drawn anew from it."
        return True
