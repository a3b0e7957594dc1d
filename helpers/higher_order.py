"""Higher-order derivatives: f′, f″, f‴ … from nested gradient tapes (TensorFlow) or create_graph
(PyTorch), a picture of f and its derivatives, and the explorer that moves a point along them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from helpers.derivatives import check_order, derivative_curves, tf_derivatives
from helpers.explorer import ExplorerBox, FunctionAndXExplorer, Tour, registered
from helpers.functions import DERIVATIVE_EXAMPLES, padded
from helpers.text import superscript
from helpers.translation import _, n_
from helpers.values import (
    check_axes_list,
    check_range,
    require_function,
    require_function_menu,
    to_point,
)
from helpers.widget_figure import FigureImage

__all__ = ["derivatives_explorer", "plot_derivatives"]


_PRIMES = ["f", "f′", "f″", "f‴"]


def derivative_name(k: int) -> str:
    """'f', 'f′', 'f″', 'f‴', then 'f⁽⁴⁾', 'f⁽⁵⁾' …: how the k-th derivative is written."""
    return _PRIMES[k] if k < len(_PRIMES) else f"f⁽{superscript(k)}⁾"


# TensorFlow


# PyTorch


# Pictures


class DerivativePanels:
    """One panel per derivative on a shared x axis; a point at x in each, tangents on f and f′.

    The tangent to f is drawn in the colour of f′ because its slope is f′'s height at x, and the
    tangent to f′ in the colour of f″, for the same reason.
    """

    def __init__(self, axes: Sequence[Any]) -> None:
        self.axes = list(axes)
        self.colours = [f"C{k}" for k in range(len(self.axes))]
        self.curves, self.points, self.notes, self.tangents = [], [], [], []
        for k, ax in enumerate(self.axes):
            name = derivative_name(k)
            (line,) = ax.plot([], [], color=self.colours[k], label=f"{name}(x)")
            (point,) = ax.plot([], [], "o", color="black", zorder=3)
            self.curves.append(line)
            self.points.append(point)
            box = {"facecolor": "white", "alpha": 0.8, "edgecolor": "none"}
            self.notes.append(ax.text(0.01, 0.95, "", transform=ax.transAxes, va="top", fontsize=9, bbox=box))
            ax.set_ylabel(f"{name}(x)")
            if k + 1 < len(self.axes) and k < 2:
                (tangent,) = ax.plot([], [], "--", color=self.colours[k + 1], lw=1.5)
                self.tangents.append(tangent)
        self.marks = [ax.axvline(0.0, color="grey", lw=0.8, ls=":") for ax in self.axes]
        self.axes[-1].set_xlabel("x")
        self.grid = np.zeros(0)

    def set_curves(self, grid: np.ndarray, curves: np.ndarray) -> None:
        """Draw the curves (row k is the k-th derivative on grid) and fit each panel to its curve."""
        self.grid = grid
        for line, ax, ys in zip(self.curves, self.axes, curves, strict=True):
            line.set_data(grid, ys)
            ax.set_xlim(grid[0], grid[-1])
            low, high = padded(ys)
            ax.set_ylim(low, high + 0.25 * (high - low))  # headroom for the note in the top-left corner

    def set_point(self, x0: float, values: Sequence[float]) -> None:
        """Move the point, the dotted vertical line and the tangents to x0."""
        for k, (point, note, mark) in enumerate(zip(self.points, self.notes, self.marks, strict=True)):
            point.set_data([x0], [values[k]])
            mark.set_xdata([x0, x0])
            text = f"{derivative_name(k)}({x0:.2f}) = {values[k]:.4g}"
            if k < len(self.tangents):
                self.tangents[k].set_data(self.grid, values[k] + values[k + 1] * (self.grid - x0))
                slope = f"{derivative_name(k + 1)}({x0:.2f}) = {values[k + 1]:.4g}"
                text = _("{value}; tangent slope {slope}").format(value=text, slope=slope)
            note.set_text(text)

    def point_artists(self) -> list[Any]:
        """What set_point changes; everything else changes only with set_curves."""
        return [*self.points, *self.marks, *self.notes, *self.tangents]


def plot_derivatives(
    f: Callable,
    x0: Any = None,
    *,
    n: int = 3,
    xlim: tuple[float, float] = (-2.0, 2.0),
    axes: Sequence[Any] | None = None,
    label: str = "f",
) -> list[Any]:
    """Draw f, f′, …, f⁽ⁿ⁾ (all from nested tapes) in n + 1 stacked panels; return their Axes.

    With x0, mark the point in every panel and draw the tangents to f and f′ there.
    """
    import matplotlib.pyplot as plt

    require_function(f)
    n = check_order(n, lowest=1, highest=5)
    point = None if x0 is None else to_point(x0, "x0")
    low, high = check_range(xlim, point=point)
    if axes is None:
        axes = plt.subplots(n + 1, 1, sharex=True, figsize=(6.4, 1.2 * (n + 1)), layout="constrained")[1]
    shown = n_("f and its first {n} derivatives", "f and its first {n} derivatives", n).format(n=n)
    axes = check_axes_list(axes, n + 1, shown)
    grid = np.linspace(low, high, 200)
    panels = DerivativePanels(axes)
    panels.set_curves(grid, derivative_curves(f, grid, n))
    if point is None:
        for mark in panels.marks:
            mark.set_visible(False)
    else:
        panels.set_point(point, tf_derivatives(f, point, n))
    axes[0].set_title(n_("{label} and its first {n} derivatives, from nested gradient tapes",
                         "{label} and its first {n} derivatives, from nested gradient tapes", n).format(
        label=label, n=n))
    return axes


class DerivativesExplorer(FunctionAndXExplorer):
    """f, f′, f″, f‴ in stacked panels; the curves are drawn once per function, the point moves."""

    def __init__(
        self,
        functions: Mapping[str, Callable] | None = None,
        x: float = 1.0,
        xlim: tuple[float, float] = (-2.0, 2.0),
        n: int = 3,
    ) -> None:
        self.functions = require_function_menu(
            DERIVATIVE_EXAMPLES if functions is None else functions, "{'x³': lambda x: x**3}"
        )
        self.n = check_order(n, lowest=2, highest=4)
        low, high = check_range(xlim, point=to_point(x))
        self.grid = np.linspace(low, high, 200)
        self.curves = np.zeros((self.n + 1, self.grid.size))
        self.values: list[float] = []

        self.picture = FigureImage(figsize=(6.4, 1.15 * (self.n + 1)))
        self.image = self.picture.image
        axes = self.picture.figure.subplots(self.n + 1, 1, sharex=True)
        self.panels = DerivativePanels(axes)
        self.picture.moving(*self.panels.point_artists())

        self.build_controls(x, low, high, step=0.05)

    @property
    def slopes(self) -> tuple[float, float]:
        """The slopes of the two tangents now drawn: f′(x) and f″(x)."""
        return self.values[1], self.values[2]

    def _new_function(self, _change: Any = None) -> None:
        self.curves = derivative_curves(self.f, self.grid, self.n)  # once per function, the whole grid
        self.panels.set_curves(self.grid, self.curves)
        self.panels.axes[0].set_title(f"f(x) = {self.function.value}")
        self.picture.invalidate()
        self._new_x()

    def _new_x(self, change: Any = None) -> None:
        if self.redrawn_if_changed(change, self.curves[0]):
            return
        x0 = float(self.x.value)
        self.values = tf_derivatives(self.f, x0, self.n)
        self.panels.set_point(x0, self.values)
        rest = " · ".join(
            f"{derivative_name(k)}({x0:.2f}) = {self.values[k]:.4g}" for k in range(3, self.n + 1)
        )
        words = _(
            "At x = {x:.2f}: f = {f:.4g} · <b>f′ = {first:.4g}</b>, the slope of the tangent to f · "
            "<b>f″ = {second:.4g}</b>, the slope of the tangent to f′{higher} "
            "(all from nested tf.GradientTapes)"
        ).format(x=x0, f=self.values[0], first=self.values[1], second=self.values[2],
                 higher=f" · {rest}" if rest else "")
        if not np.isfinite(self.values[0]):
            words += "<br>" + _(
                "f is not defined at x = {x:.2f}: move the slider to where the curve is drawn."
            ).format(x=x0)
        elif not all(np.isfinite(self.values)):
            words += "<br>" + _(
                "NaN: TensorFlow's rule for x**k gives 0 · 0⁻¹ at x = 0 once the order passes k; "
                "write powers as products (x * x) or with tf.square."
            )
        self.show(words)

@registered(Tour("x", (-1.5, 0.0, 1.9), then="function",
                 says=lambda x: [f"f′ = {3 * x * x:.4g}", f"f″ = {6 * x:.4g}"]))
def derivatives_explorer(
    functions: Mapping[str, Callable] | None = None,
    x: float = 1.0,
    xlim: tuple[float, float] = (-2.0, 2.0),
    n: int = 3,
) -> ExplorerBox:
    """A live view of f and its derivatives with tangents; show it as the last expression of a cell."""
    return DerivativesExplorer(functions, x, xlim, n).widget
