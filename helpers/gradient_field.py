"""Gradients of two-variable functions: the partial derivatives by tape, by autograd and by numbers,
and the gradient drawn as an arrow on a contour map (a static picture and a live explorer)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np

from helpers.derivatives import call_function, require_scalar_output
from helpers.functions import cos, elementwise, sin
from helpers.optional import require
from helpers.values import (
    LearnerInputError,
    LearnerValueError,
    check_axes,
    check_range,
    check_step,
    describe,
    require_function,
    require_function_menu,
    to_array,
    to_point,
)
from helpers.widget_figure import ExplorerBox, FigureImage, explorer_box, on_change

Limits = tuple[float, float]



# name shown to the learner -> f(x, y); each works on NumPy, TensorFlow and PyTorch values alike.
EXAMPLES: dict[str, Callable[[Any, Any], Any]] = {
    "x² + 3y²": lambda x, y: x**2 + 3 * y**2,
    "x·y": lambda x, y: x * y,
    "sin(x)·cos(y)": lambda x, y: sin(x) * cos(y),
    "3x² + 2y": lambda x, y: 3 * x**2 + 2 * y,
}


# ---------------------------------------------------------------- checking what the learner passes


def require_function2(f: Any, name: str = "f") -> None:
    """Refuse anything that cannot be called as f(x, y)."""
    require_function(f, name, of="two variables", example="`lambda x, y: x**2 + 3 * y**2`", arguments=2)


def to_pair(point: Any, name: str = "point") -> tuple[float, float]:
    """A point (x, y) as two floats, with a sentence for every misuse."""
    if isinstance(point, (str, bytes)) or callable(point) or point is None or point is Ellipsis:
        raise LearnerInputError(
            f"{name} must be a pair (x, y) such as (1.0, 2.0), but it is {describe(point)}."
        )
    try:
        items = list(point)
    except TypeError as err:
        raise LearnerInputError(
            f"{name} must be a pair (x, y) such as (1.0, 2.0), but it is {describe(point)}."
        ) from err
    if len(items) != 2:
        raise LearnerValueError(
            f"{name} must be a pair (x, y) such as (1.0, 2.0), but it has {len(items)} entries."
        )
    if any(isinstance(item, (list, tuple)) or getattr(item, "ndim", 0) > 0 for item in items):
        shape = to_array(point, name).shape
        raise LearnerValueError(
            f"{name} must be a pair of two numbers such as (1.0, 2.0), not an array of shape {shape}."
        )
    return to_point(items[0], f"the x of {name}"), to_point(items[1], f"the y of {name}")


def _no_path(name: str, library: str) -> LearnerValueError:
    return LearnerValueError(
        f"{library} found no path from {name} to f(x, y), so it has no gradient for {name}. Either f "
        f"ignores {name} (then ∂f/∂{name} = 0; write `+ 0 * {name}` in f to say so) or the chain is broken: "
        f"build f from {library} operations only (no .numpy(), math.* or NumPy calls inside)."
    )


# ---------------------------------------------------------------- the two partial derivatives


def tf_partials(f: Callable, point: Any) -> tuple[float, float]:
    """(∂f/∂x, ∂f/∂y) at point from ONE tape.gradient call with the two sources [x, y]."""
    import tensorflow as tf

    require_function2(f)
    x0, y0 = to_pair(point)
    x, y = tf.Variable(x0, dtype=tf.float32), tf.Variable(y0, dtype=tf.float32)
    with tf.GradientTape() as tape:
        out = call_function(f, x, y)
    require_scalar_output(out, "tensorflow", "f(x, y)")
    dx, dy = tape.gradient(out, [x, y])  # one call, two sources, two gradients in the same order
    for grad, name in ((dx, "x"), (dy, "y")):
        if grad is None:
            raise _no_path(name, "TensorFlow")
    return float(dx.numpy()), float(dy.numpy())


def torch_partials(f: Callable, point: Any) -> tuple[float, float]:
    """(∂f/∂x, ∂f/∂y) at point from one torch.autograd.grad call with the inputs [x, y]."""
    torch = require("torch")

    require_function2(f)
    x0, y0 = to_pair(point)
    x = torch.tensor(x0, dtype=torch.float32, requires_grad=True)
    y = torch.tensor(y0, dtype=torch.float32, requires_grad=True)
    out = call_function(f, x, y)
    require_scalar_output(out, "torch", "f(x, y)")
    if not out.requires_grad:
        raise _no_path("x or y", "torch")
    dx, dy = torch.autograd.grad(out.reshape(()), [x, y], allow_unused=True)
    for grad, name in ((dx, "x"), (dy, "y")):
        if grad is None:
            raise _no_path(name, "torch")
    return float(dx), float(dy)


def finite_difference_partials(f: Callable, point: Any, h: float = 1e-5) -> tuple[float, float]:
    """Central differences in float64, moving one variable while the other stays fixed."""
    require_function2(f)
    x0, y0 = to_pair(point)
    h = check_step(h)

    def value(x: float, y: float) -> float:
        out = to_array(call_function(f, np.float64(x), np.float64(y)), "f(x, y)")
        if out.size != 1:
            raise LearnerInputError(f"f must return one number, but it returned shape {out.shape}.")
        return float(out.reshape(()))

    dx = (value(x0 + h, y0) - value(x0 - h, y0)) / (2 * h)
    dy = (value(x0, y0 + h) - value(x0, y0 - h)) / (2 * h)
    return dx, dy


def surface(f: Callable, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """f on a grid (element by element), for functions written with NumPy, TensorFlow or PyTorch."""
    require_function2(f)
    return elementwise(f, xs, ys, call="f(x, y)")


def tf_partials_on_grid(f: Callable, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """∂f/∂x and ∂f/∂y at every grid point from one tape: the sources are the whole grids."""
    import tensorflow as tf

    require_function2(f)
    x, y = tf.constant(xs, dtype=tf.float32), tf.constant(ys, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        out = call_function(f, x, y)
        # Each output depends only on its own grid point, so the gradient of the sum holds every
        # point's partial derivatives, in the shape of the grid (the shape of the source).
        total = tf.reduce_sum(out)
    dx, dy = tape.gradient(total, [x, y])
    for grad, name in ((dx, "x"), (dy, "y")):
        if grad is None:
            raise _no_path(name, "TensorFlow")
    return dx.numpy().astype(np.float64), dy.numpy().astype(np.float64)


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
        self._contours: Any = None
        self._field: Any = None
        span = min(xlim[1] - xlim[0], ylim[1] - ylim[0])
        self._along_half_length = 0.18 * span
        (self._along,) = ax.plot(
            [], [], "--", color="0.25", lw=1.2, label="along the contour (f stays level)"
        )
        self._arrow = ax.annotate(
            "", xy=(0.0, 0.0), xytext=(0.0, 0.0), annotation_clip=False, zorder=5,
            arrowprops={"arrowstyle": "-|>", "color": "crimson", "lw": 2.5, "mutation_scale": 20},
        )
        self._arrow.arrow_patch.set_clip_box(ax.bbox)
        self._arrow.arrow_patch.set_clip_on(True)
        (self._arrow_key,) = ax.plot([], [], color="crimson", lw=2.5, label="gradient (uphill)")
        (self._point,) = ax.plot([], [], "o", color="black", zorder=6)
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
        if self._contours is not None:
            self._contours.remove()
        if self._field is not None:
            self._field.remove()
            self._field = None
        self._contours = self.ax.contour(self.xs, self.ys, zs, levels=12, cmap="viridis", linewidths=1.0)
        self.ax.clabel(self._contours, fontsize=7, fmt="%.3g")
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
        self._point.set_data([x0], [y0])
        self._arrow.xyann = (x0, y0)
        self._arrow.xy = (x0 + self.arrow_scale * gx, y0 + self.arrow_scale * gy)
        self._arrow.set_visible(norm > 0)
        if norm > 0:
            ux, uy = -gy / norm, gx / norm  # a quarter turn from the gradient: along the contour
            r = self._along_half_length
            self._along.set_data([x0 - r * ux, x0 + r * ux], [y0 - r * uy, y0 + r * uy])
        else:
            self._along.set_data([], [])
        self.ax.set_title(
            f"f(x, y) = {self.label} at ({x0:.2f}, {y0:.2f}):  ∇f = ({gx:.3g}, {gy:.3g})", fontsize=10
        )

    def point_artists(self) -> list[Any]:
        """What set_point changes; everything else changes only with set_function."""
        return [self._along, self._arrow, self._point, self.ax.title]


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
    ax.plot([], [], color="black", lw=1.5, label=f"contour f = {picture.value:.3g} through the point")
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    return ax


# ---------------------------------------------------------------- the explorer


class GradientExplorer:
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
            EXAMPLES if functions is None else functions, "{'x·y': lambda x, y: x * y}", require_function2
        )
        x0, y0 = to_point(x, "x"), to_point(y, "y")
        xlim, ylim = check_range(xlim, name="x", point=x0), check_range(ylim, name="y", point=y0)

        self.picture_widget = FigureImage(figsize=(5.4, 5.4))
        self.image = self.picture_widget.image
        self.picture = GradientPicture(self.picture_widget.figure.subplots(), xlim, ylim)
        self.picture_widget.moving(*self.picture.point_artists())

        self.function = widgets.Dropdown(options=list(self.functions), description="f(x, y) =")
        self.x = widgets.FloatSlider(value=x0, min=xlim[0], max=xlim[1], step=0.1, description="x")
        self.y = widgets.FloatSlider(value=y0, min=ylim[0], max=ylim[1], step=0.1, description="y")
        self.readout = widgets.HTML()
        self.widget = explorer_box(
            self, self.function, widgets.HBox([self.x, self.y]), self.readout, self.image
        )
        on_change(self._new_function, self.readout, self.function)
        on_change(self._new_point, self.readout, self.x, self.y)
        self._new_function()

    @property
    def gradient(self) -> tuple[float, float]:
        """(∂f/∂x, ∂f/∂y) at the current point."""
        return self.picture.gradient

    def _new_function(self, _change: Any = None) -> None:
        name = self.function.value
        self.picture.set_function(self.functions[name], name)
        self.picture_widget.invalidate()
        self._new_point()

    def _new_point(self, _change: Any = None) -> None:
        x0, y0 = float(self.x.value), float(self.y.value)
        self.picture.set_point(x0, y0)
        gx, gy = self.gradient
        norm = math.hypot(gx, gy)
        if norm > 0:
            direction = f"steepness |∇f| = {norm:.4g}; the arrow points uphill, across the contour line"
        else:
            direction = "the gradient is zero: a flat point (a peak, a pit or a saddle), no uphill direction"
        self.readout.value = (
            f"<b>∂f/∂x = {gx:.4g}, ∂f/∂y = {gy:.4g}</b> at (x, y) = ({x0:.2f}, {y0:.2f}), "
            f"from one <code>tape.gradient(f, [x, y])</code>; f = {self.picture.value:.4g}<br>{direction}"
        )
        self.picture_widget.show()


def gradient_explorer(
    functions: Mapping[str, Callable] | None = None,
    x: float = 1.0,
    y: float = 1.0,
    xlim: Limits = (-3.0, 3.0),
    ylim: Limits = (-3.0, 3.0),
) -> ExplorerBox:
    """A live gradient explorer; show it by making it the last expression of a cell."""
    return GradientExplorer(functions, x, y, xlim, ylim).widget
