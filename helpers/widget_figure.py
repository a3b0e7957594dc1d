"""An explorer's picture: a matplotlib figure kept alive and shown as a PNG image widget, repainting
only what moves (helpers/redraw.py)."""

from __future__ import annotations

import ipywidgets as widgets
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.environment import display_scale
from helpers.redraw import Repainter, png_bytes

# The widest picture an explorer draws, in pixels: what a notebook's output area holds at
# 1280 px, in JupyterLab's deck and beside a closed sidebar.
MAX_WIDTH_PX = 1100
# The tallest picture presentation mode draws, in pixels: what a 720-line slide leaves beside the
# explorer's code line, its (enlarged) controls and readout.
MAX_PRESENTED_HEIGHT_PX = 410


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
