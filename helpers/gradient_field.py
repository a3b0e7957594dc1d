"""Gradients of two-variable functions: the partial derivatives by tape, by autograd and by numbers,
and the gradient drawn as an arrow on a contour map (a static picture and a live explorer)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np

from helpers.derivatives import tf_partials, tf_partials_on_grid
from helpers.explorer import Explorer, ExplorerBox, Tour, function_menu, registered, slider
from helpers.functions import GRADIENT_EXAMPLES, elementwise
from helpers.translation import _
from helpers.values import (
    check_axes,
    check_range,
    require_function2,
    require_function_menu,
    to_pair,
    to_point,
)
from helpers.widget_figure import FigureImage

__all__ = ["gradient_explorer", "plot_gradient_field"]

Limits = tuple[float, float]


# ---------------------------------------------------------------- checking what the learner passes


# ---------------------------------------------------------------- the two partial derivatives


def surface(f: Callable, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """f on a grid (element by element), for functions written with NumPy, TensorFlow or PyTorch."""
    require_function2(f)
    return elementwise(f, xs, ys, call="f(x, y)")


# ---------------------------------------------------------------- the picture


class GradientPicture:
    """Contours of f, the faint gradient field, and the gradient arrow at one point, on one Axes.

    `set_function` draws the contours once; `set_point` only moves the arrow, so an explorer that
    calls it on every slider step stays quick.
    """

    def __init__(self, ax: Any, xlim: Limits, ylim: Limits, field: bool = True) -> None:
        self.ax = ax
        self.xlim, self.ylim = xlim, ylim
        self.field = field
        self.xs, self.ys = np.meshgrid(np.linspace(*xlim, 121), np.linspace(*ylim, 121))
        self.f: Callable | None = None
        self.label = "f(x, y)"
        self.arrow_scale = 1.0
        self.gradient = (float("nan"), float("nan"))
        self.value = float("nan")
        self.contours: Any = None
        self._field: Any = None
        span = min(xlim[1] - xlim[0], ylim[1] - ylim[0])
        self._along_half_length = 0.18 * span
        (self.along,) = ax.plot(
            [], [], "--", color="0.25", lw=1.2, label=_("along the contour (f stays level)")
        )
        self.arrow = ax.annotate(
            "", xy=(0.0, 0.0), xytext=(0.0, 0.0), annotation_clip=False, zorder=5,
            arrowprops={"arrowstyle": "-|>", "color": "crimson", "lw": 2.5, "mutation_scale": 20},
        )
        self.arrow.arrow_patch.set_clip_box(ax.bbox)
        self.arrow.arrow_patch.set_clip_on(True)
        (self._arrow_key,) = ax.plot([], [], color="crimson", lw=2.5, label=_("gradient (uphill)"))
        (self.point,) = ax.plot([], [], "o", color="black", zorder=6)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_aspect("equal")  # so that "perpendicular" looks perpendicular
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(loc="lower left", fontsize=8, framealpha=0.9)

    def set_function(self, f: Callable, label: str = "f(x, y)") -> None:
        """Draw the contours (and the faint field) of a new function, once."""
        zs = surface(f, self.xs, self.ys)
        self.f, self.label = f, label
        if self.contours is not None:
            self.contours.remove()
        if self._field is not None:
            self._field.remove()
            self._field = None
        self.contours = self.ax.contour(self.xs, self.ys, zs, levels=12, cmap="viridis", linewidths=1.0)
        self.ax.clabel(self.contours, fontsize=7, fmt="%.3g")
        coarse = np.meshgrid(np.linspace(*self.xlim, 11), np.linspace(*self.ylim, 11))
        dx, dy = tf_partials_on_grid(f, *coarse)
        norms = np.hypot(*tf_partials_on_grid(f, self.xs, self.ys))
        steep = float(np.percentile(norms, 95))
        span = min(self.xlim[1] - self.xlim[0], self.ylim[1] - self.ylim[0])
        # One length factor per function, so a longer arrow always means a steeper slope: all but
        # the steepest 5 % of the picture get arrows shorter than half its width.
        self.arrow_scale = 0.5 * span / steep if steep > 0 else 1.0
        if self.field:
            spacing = (self.xlim[1] - self.xlim[0]) / 10
            largest = float(np.max(norms))
            field_scale = 0.8 * spacing / largest if largest > 0 else 1.0
            self._field = self.ax.quiver(
                *coarse, dx, dy, angles="xy", scale_units="xy", scale=1 / field_scale,
                color="0.6", width=0.003, zorder=2,
            )

    def set_point(self, x0: float, y0: float) -> None:
        """Move the point; the arrow's components come from a tape with the two sources [x, y]."""
        if self.f is None:
            raise RuntimeError("Call set_function before set_point.")
        self.gradient = tf_partials(self.f, (x0, y0))
        self.value = float(surface(self.f, np.array([[x0]]), np.array([[y0]]))[0, 0])
        gx, gy = self.gradient
        norm = math.hypot(gx, gy)
        self.point.set_data([x0], [y0])
        self.arrow.xyann = (x0, y0)
        self.arrow.xy = (x0 + self.arrow_scale * gx, y0 + self.arrow_scale * gy)
        self.arrow.set_visible(norm > 0)
        if norm > 0:
            ux, uy = -gy / norm, gx / norm  # a quarter turn from the gradient: along the contour
            r = self._along_half_length
            self.along.set_data([x0 - r * ux, x0 + r * ux], [y0 - r * uy, y0 + r * uy])
        else:
            self.along.set_data([], [])
        self.ax.set_title(
            _("f(x, y) = {label} at ({x:.2f}, {y:.2f}):  ∇f = ({df_dx:.3g}, {df_dy:.3g})").format(
                label=self.label, x=x0, y=y0, df_dx=gx, df_dy=gy
            ),
            fontsize=10,
        )

    def point_artists(self) -> list[Any]:
        """What set_point changes; everything else changes only with set_function."""
        return [self.along, self.arrow, self.point, self.ax.title]


def plot_gradient_field(
    f: Callable,
    point: Any,
    ax: Any = None,
    *,
    xlim: Limits = (-3.0, 3.0),
    ylim: Limits = (-3.0, 3.0),
    label: str = "f(x, y)",
    field: bool = True,
) -> Any:
    """Contours of f(x, y) with the gradient arrow at `point` (components from a GradientTape)."""
    import matplotlib.pyplot as plt

    require_function2(f)
    x0, y0 = to_pair(point)
    xlim, ylim = check_range(xlim, name="x", point=x0), check_range(ylim, name="y", point=y0)
    if check_axes(ax) is None:
        ax = plt.subplots(figsize=(5.5, 5.5))[1]
    picture = GradientPicture(ax, xlim, ylim, field=field)
    picture.set_function(f, label)
    picture.set_point(x0, y0)
    # A still picture can afford one more contour: the level line through the point itself.
    ax.contour(picture.xs, picture.ys, surface(f, picture.xs, picture.ys), levels=[picture.value],
               colors="black", linewidths=1.5)
    ax.plot([], [], color="black", lw=1.5,
            label=_("contour f = {value:.3g} through the point").format(value=picture.value))
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    return ax


# ---------------------------------------------------------------- the explorer


class GradientExplorer(Explorer):
    """Two sliders move a point over a contour map; the arrow and the readout follow."""

    def __init__(
        self,
        functions: Mapping[str, Callable] | None = None,
        x: float = 1.0,
        y: float = 1.0,
        xlim: Limits = (-3.0, 3.0),
        ylim: Limits = (-3.0, 3.0),
    ) -> None:
        self.functions = require_function_menu(
            GRADIENT_EXAMPLES if functions is None else functions, "{'x·y': lambda x, y: x * y}",
            require_function2,
        )
        x0, y0 = to_point(x, "x"), to_point(y, "y")
        xlim, ylim = check_range(xlim, name="x", point=x0), check_range(ylim, name="y", point=y0)

        self.picture = FigureImage(figsize=(5.4, 5.4))
        self.image = self.picture.image
        self.drawing = GradientPicture(self.picture.figure.subplots(), xlim, ylim)
        self.picture.moving(*self.drawing.point_artists())

        self.function = function_menu(self.functions, "f(x, y) =")
        self.x, self.y = slider("x", x0, *xlim), slider("y", y0, *ylim)
        self.assemble([self.function, widgets.HBox([self.x, self.y])], [self.image],
                      {self._new_function: [self.function], self._new_point: [self.x, self.y]})

    @property
    def gradient(self) -> tuple[float, float]:
        """(∂f/∂x, ∂f/∂y) at the current point."""
        return self.drawing.gradient

    def _new_function(self, _change: Any = None) -> None:
        name = self.function.value
        self.drawing.set_function(self.functions[name], name)
        self.picture.invalidate()
        self._new_point()

    def _new_point(self, _change: Any = None) -> None:
        x0, y0 = float(self.x.value), float(self.y.value)
        self.drawing.set_point(x0, y0)
        gx, gy = self.gradient
        norm = math.hypot(gx, gy)
        if norm > 0:
            direction = _(
                "steepness |∇f| = {steepness:.4g}; the arrow points uphill, across the contour line"
            ).format(steepness=norm)
        else:
            direction = _(
                "the gradient is zero: a flat point (a peak, a pit or a saddle), no uphill direction"
            )
        gradient = _(
            "<b>∂f/∂x = {df_dx:.4g}, ∂f/∂y = {df_dy:.4g}</b> at (x, y) = ({x:.2f}, {y:.2f}), "
            "from one <code>tape.gradient(f, [x, y])</code>; f = {value:.4g}"
        ).format(df_dx=gx, df_dy=gy, x=x0, y=y0, value=self.drawing.value)
        self.show(f"{gradient}<br>{direction}")


@registered(Tour("x", (-2.0, 0.0, 2.5), then="function",
                 says=lambda x, y: [f"∂f/∂x = {2 * x:g}, ∂f/∂y = {6 * y:g}"]))
def gradient_explorer(
    functions: Mapping[str, Callable] | None = None,
    x: float = 1.0,
    y: float = 1.0,
    xlim: Limits = (-3.0, 3.0),
    ylim: Limits = (-3.0, 3.0),
) -> ExplorerBox:
    """A live gradient explorer; show it by making it the last expression of a cell."""
    return GradientExplorer(functions, x, y, xlim, ylim).widget
