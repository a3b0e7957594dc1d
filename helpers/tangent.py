"""Tangent lines: the curve, the point, the tangent and its slope in one picture."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.derivatives import tf_derivative
from helpers.functions import elementwise, padded
from helpers.translation import _
from helpers.values import LearnerValueError, check_axes, check_range, require_function, to_number, to_point

__all__ = ["plot_tangent"]


def curve(f: Callable, xs: np.ndarray) -> np.ndarray:
    """f evaluated element-wise on a grid, for functions written with NumPy, TensorFlow or PyTorch."""
    require_function(f)
    return elementwise(f, xs)


def plot_tangent(
    f: Callable,
    x0: Any,
    *,
    ax: Any = None,
    xlim: tuple[float, float] | None = None,
    slope: float | None = None,
    label: str = "f(x)",
) -> Any:
    """Draw f, the point (x0, f(x0)) and the tangent there; the slope comes from a GradientTape."""
    import matplotlib.pyplot as plt

    point = to_point(x0, "x0")
    low, high = check_range(xlim if xlim is not None else (point - 3.0, point + 3.0), point=point)
    xs = np.linspace(low, high, 200)
    ys = curve(f, xs)
    limits = padded(ys)
    y0 = float(curve(f, np.array([point]))[0])
    if not np.isfinite(y0):
        raise LearnerValueError(
            _("f is not defined at x0 = {x0:g} (it gives {value}); choose a point where it is.").format(
                x0=point, value=y0)
        )
    slope = tf_derivative(f, point) if slope is None else to_number(slope, "slope")
    if check_axes(ax) is None:
        ax = plt.subplots()[1]
    ax.plot(xs, ys, label=label)
    ax.plot(xs, y0 + slope * (xs - point), "--", label=_("tangent at x = {x:g}").format(x=point))
    ax.plot([point], [y0], "o", color="black")
    ax.set_ylim(*limits)
    ax.set_xlabel("x")
    ax.set_title(_("slope of {label} at x = {x:g}: {slope:.4g}").format(label=label, x=point, slope=slope))
    ax.legend(loc="upper left")
    return ax


