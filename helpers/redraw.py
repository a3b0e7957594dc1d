"""Redraw only what moved: an explorer names the artists its controls change, the rest of the figure
is drawn once and reused, so a slider step costs a few artists instead of a whole figure.

The picture is the one a full draw gives, in the same stacking order: everything an Axes paints
from its first moving artist upwards is repainted on every step, the moving artists live and the
still artists between them as ready-made pixel layers. Only anti-aliased edges of those layers can
differ from a full draw, by rounding (a few levels of 255; tests/test_redraw.py checks every explorer).
"""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox


def draw_order(ax: Axes) -> list[Artist]:
    """The children of an Axes in the order Axes.draw paints them, after its background patch."""
    hidden = [] if ax.axison and ax.get_frame_on() else list(ax.spines.values())
    if not ax.axison:
        hidden += [ax.xaxis, ax.yaxis]
    artists = [a for a in ax.get_children() if a is not ax.patch and not any(a is h for h in hidden)]
    return sorted(artists, key=attrgetter("zorder"))  # stable, like Axes.draw


def layout_state(figure: Figure) -> tuple:
    """Where every Axes sits and what it shows: when this changes, the still parts must be redrawn.

    Positions are rounded far below a pixel: the layout engine's own rounding differs from run to run.
    """
    return tuple(
        (tuple(round(float(v), 9) for v in ax.get_position().bounds), ax.get_xlim(), ax.get_ylim())
        for ax in figure.axes
    )


def png_bytes(figure: Figure) -> bytes:
    """What the figure's canvas holds now, as PNG.

    Written directly with zlib at its fastest level and no row filters: Pillow filters every row,
    which takes two to three times as long for a file of about the same size, on every step.
    """
    rgba = np.asarray(figure.canvas.buffer_rgba())
    height, width, _ = rgba.shape
    rows = np.zeros((height, 1 + 4 * width), dtype=np.uint8)  # each row starts with filter type 0
    rows[:, 1:] = rgba.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, not interlaced
    return b"".join(
        [b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header), _chunk(b"IDAT", zlib.compress(rows, 1)),
         _chunk(b"IEND", b"")]
    )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@dataclass
class Layer:
    """One step of repainting: a moving artist drawn live, or still artists as a block of pixels."""

    artist: Artist | None = None
    pixels: np.ndarray | None = None  # RGBA, bottom row first, as Agg's draw_image wants it
    x: int = 0
    y: int = 0


class Layers:
    """The still background of a figure and the layers repainted over it on every step."""

    def __init__(self, figure: Figure, moving: Sequence[Artist]) -> None:
        self.figure = figure
        self.foreground: list[Artist] = []
        for ax in figure.axes:
            order = draw_order(ax)
            first = next((i for i, a in enumerate(order) if any(a is m for m in moving)), None)
            if first is not None:
                self.foreground += order[first:]
        canvas = figure.canvas
        for artist in self.foreground:
            artist.set_animated(True)  # left out of canvas.draw(), which paints the background
        canvas.draw()  # also runs the layout engine, once
        renderer = canvas.get_renderer()
        # The whole canvas: figure.bbox can fall a rounding error short of the last row of pixels.
        self.background = canvas.copy_from_bbox(Bbox.from_bounds(0, 0, renderer.width, renderer.height))
        self.state = layout_state(figure)
        # Axes.draw lifts a title clear of ticks on top; set_title puts it back, so remember where.
        self.titles = [(ax.title, ax.title.get_position()[1]) for ax in figure.axes
                       if any(ax.title is m for m in moving)]
        self.layers: list[Layer] = []
        still: list[Artist] = []
        for artist in [*self.foreground, None]:  # None closes the last run of still artists
            if artist is None or any(artist is m for m in moving):
                if still:
                    layer = self._render(still)
                    if layer.pixels is not None:
                        self.layers.append(layer)
                    still = []
                if artist is not None:
                    self.layers.append(Layer(artist=artist))
            else:
                still.append(artist)

    def _render(self, artists: list[Artist]) -> Layer:
        """Paint still artists on a transparent canvas and keep the smallest block that holds them."""
        renderer = self.figure.canvas.get_renderer()
        renderer.clear()
        for artist in artists:
            artist.draw(renderer)
        rgba = np.asarray(self.figure.canvas.buffer_rgba())
        rows, cols = np.nonzero(rgba[..., 3])
        if rows.size == 0:
            return Layer()
        top, bottom, left, right = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
        pixels = np.ascontiguousarray(rgba[top:bottom, left:right][::-1])
        return Layer(pixels=pixels, x=int(left), y=int(rgba.shape[0] - bottom))

    def draw(self) -> None:
        """Restore the background and repaint the layers over it, in drawing order."""
        canvas = self.figure.canvas
        canvas.restore_region(self.background)
        renderer = canvas.get_renderer()
        for title, y in self.titles:
            title.set_y(y)
        for layer in self.layers:
            if layer.artist is not None:
                layer.artist.draw(renderer)
            elif layer.pixels is not None:
                gc = renderer.new_gc()
                renderer.draw_image(gc, layer.x, layer.y, layer.pixels)
                gc.restore()

    def release(self) -> None:
        """Give the artists back to ordinary drawing."""
        for artist in self.foreground:
            artist.set_animated(False)


class Repainter:
    """Paints a figure for an explorer: in full when its still parts changed, otherwise only the
    moving artists over still layers kept for the last few axis limits (a menu often flips between
    a handful of ranges, and each is drawn in full only once)."""

    def __init__(self, figure: Figure, keep: int = 8) -> None:
        self.figure = figure
        self.keep = keep
        self.moving: list[Artist] = []
        self._cache: OrderedDict[tuple, Layers] = OrderedDict()

    def set_moving(self, artists: Sequence[Artist]) -> None:
        """Name the artists that change on every step; everything else counts as still."""
        for artist in artists:
            if not isinstance(artist.axes, Axes):
                raise ValueError(f"Only artists inside an Axes can move; {artist!r} is not in one.")
        self.moving = list(artists)
        self.clear()

    def clear(self) -> None:
        """Forget every kept layer: the still parts changed."""
        for layers in self._cache.values():
            layers.release()
        self._cache.clear()

    def paint(self) -> None:
        """Bring the canvas up to date with the figure."""
        if not self.moving:
            self.figure.canvas.draw()
            return
        layers = self._cache.pop(layout_state(self.figure), None)
        if layers is None:
            layers = Layers(self.figure, self.moving)  # the layout engine may move the Axes here
        self._cache[layers.state] = layers  # the most recently used goes last
        while len(self._cache) > self.keep:
            self._cache.popitem(last=False)
        layers.draw()
