"""The tangent explorer: a slider for x and a choice of function, redrawing the tangent live."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from helpers.derivatives import tf_derivative
from helpers.explorer import ExplorerBox, FunctionAndXExplorer, Tour, registered
from helpers.functions import EXAMPLES, padded
from helpers.tangent import curve
from helpers.translation import _
from helpers.values import check_range, require_function_menu, to_point
from helpers.widget_figure import FigureImage

__all__ = ["tangent_explorer"]


class TangentExplorer(FunctionAndXExplorer):
    """Keeps one figure and updates its lines in place, so moving the slider redraws quickly."""

    def __init__(
        self,
        functions: Mapping[str, Callable] | None = None,
        x: float = 1.0,
        xlim: tuple[float, float] = (-4.0, 4.0),
    ) -> None:
        self.functions = require_function_menu(
            EXAMPLES if functions is None else functions, "{'x²': lambda x: x**2}"
        )
        low, high = check_range(xlim, point=to_point(x))
        self.grid = np.linspace(low, high, 200)
        self.slope = float("nan")

        self.picture = FigureImage()
        self.image = self.picture.image
        self.ax = self.picture.figure.subplots()
        (self.curve,) = self.ax.plot([], [], label="f(x)")
        (self.tangent,) = self.ax.plot([], [], "--", label=_("tangent"))
        (self.point,) = self.ax.plot([], [], "o", color="black")
        self.ax.set_xlim(low, high)
        self.ax.set_xlabel("x")
        self.ax.grid(alpha=0.3)
        self.picture.moving(self.tangent, self.point, self.ax.title)  # what a step of x changes

        self.build_controls(x, low, high)

    def _new_function(self, _change: Any = None) -> None:
        ys = curve(self.f, self.grid)
        self.curve.set_data(self.grid, ys)
        self.curve.set_label(f"f(x) = {self.function.value}")
        self.ax.legend(loc="upper left")
        self.ax.set_ylim(*padded(ys))
        self.picture.invalidate()
        self._new_x()

    def _new_x(self, change: Any = None) -> None:
        if self.redrawn_if_changed(change, self.curve.get_ydata()):
            return
        x0 = float(self.x.value)
        y0 = float(curve(self.f, np.array([x0]))[0])
        if not np.isfinite(y0):
            self.tangent.set_data([], [])
            self.point.set_data([], [])
            self.slope = float("nan")
            self.ax.set_title(_("f(x) = {function} is not defined at x = {x:.2f}").format(
                function=self.function.value, x=x0))
            self.show(_("<b>f is not defined at x = {x:.2f}</b> (it gives {value} there), "
                        "so there is no tangent: move the slider to where the curve is drawn.").format(
                x=x0, value=y0))
            return
        self.slope = tf_derivative(self.f, x0)
        self.tangent.set_data(self.grid, y0 + self.slope * (self.grid - x0))
        self.point.set_data([x0], [y0])
        self.ax.set_title(_("f(x) = {function}: slope at x = {x:.2f} is {slope:.4g}").format(
            function=self.function.value, x=x0, slope=self.slope))
        self.show(
            _("<b>f′({x:.2f}) = {slope:.4g}</b> (from tf.GradientTape); "
              "tangent: y = {y:.4g} + {slope:.4g}·(x − {x:.2f})").format(x=x0, y=y0, slope=self.slope),
        )

@registered(Tour("x", (-2.0, 0.5, 3.9), then="function", says=lambda x: [f"f′({x:.2f}) = {2 * x:.4g}"]))
def tangent_explorer(
    functions: Mapping[str, Callable] | None = None,
    x: float = 1.0,
    xlim: tuple[float, float] = (-4.0, 4.0),
) -> ExplorerBox:
    """A live tangent-line explorer; show it by making it the last expression of a cell."""
    return TangentExplorer(functions, x, xlim).widget
