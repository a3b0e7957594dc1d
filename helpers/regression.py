"""Fitting a line y ≈ w·x + b: the data, the least-squares answer, gradient descent in NumPy, the
pictures of chapter 06 and its explorer (learning rate, steps and starting point)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np

from helpers.explorer import Explorer, ExplorerBox, Tour, registered, slider
from helpers.translation import _
from helpers.values import LearnerValueError, to_array, to_number, to_whole
from helpers.widget_figure import FigureImage

__all__ = ["regression_explorer"]

# Gradient descent stops when the loss passes this: the run has diverged, and going on would only
# overflow to inf and nan.
DIVERGED_ABOVE = 1e6


def make_line_data(
    n: int = 50, slope: float = 2.0, intercept: float = 1.0, noise: float = 0.3, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """n points y = slope·x + intercept + normal noise, x uniform on [0, 2], as float32 arrays."""
    n = to_whole(n, "n", _("the number of points"), "50", lowest=2)
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.0, 2.0, n).astype(np.float32)
    y = (slope * x + intercept + rng.normal(0.0, noise, n)).astype(np.float32)
    return x, y


def check_data(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """x and y as two equally long 1-D float64 arrays of finite numbers, or a sentence saying why not."""
    xs, ys = to_array(x, "x"), to_array(y, "y")
    if xs.ndim > 1 or ys.ndim > 1:
        raise LearnerValueError(_("x and y must each be a flat list of numbers (one value per data point)."))
    xs, ys = xs.reshape(-1), ys.reshape(-1)
    if xs.size != ys.size:
        raise LearnerValueError(_(
            "x has {x_count} values but y has {y_count}; every point needs one x and one y."
        ).format(x_count=xs.size, y_count=ys.size))
    if xs.size < 2:
        raise LearnerValueError(_("A line needs at least two data points; give x and y two or more values."))
    if not (np.all(np.isfinite(xs)) and np.all(np.isfinite(ys))):
        raise LearnerValueError(_("x and y contain NaN or infinity; remove those points first."))
    if np.ptp(xs) == 0:
        raise LearnerValueError(
            _("All x values are equal, so the slope is undetermined; use at least two different x.")
        )
    return xs, ys


def mse(w: Any, b: Any, x: Any, y: Any) -> np.ndarray:
    """Mean squared error of the line w·x + b; w and b may be grids of the same shape."""
    xs, ys = check_data(x, y)
    w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
    residual = ys - (w[..., None] * xs + b[..., None])
    return np.mean(residual**2, axis=-1)


def mse_gradient(w: float, b: float, x: Any, y: Any) -> tuple[float, float]:
    """(∂L/∂w, ∂L/∂b) by the hand formulas −(2/n)·Σ x_i r_i and −(2/n)·Σ r_i, with r = y − (w·x + b)."""
    xs, ys = check_data(x, y)
    residual = ys - (to_number(w, "w") * xs + to_number(b, "b"))
    n = xs.size
    return float(-2.0 / n * np.sum(xs * residual)), float(-2.0 / n * np.sum(residual))


def closed_form_fit(x: Any, y: Any) -> tuple[float, float]:
    """The least-squares line (w, b) from the normal equations, in float64."""
    xs, ys = check_data(x, y)
    design = np.stack([xs, np.ones_like(xs)], axis=1)
    w, b = np.linalg.solve(design.T @ design, design.T @ ys)
    return float(w), float(b)


def mse_hessian(x: Any) -> np.ndarray:
    """The 2 × 2 matrix of second derivatives of the MSE in (w, b); it does not depend on y, w or b."""
    xs = to_array(x, "x").reshape(-1)
    return 2.0 * np.array([[np.mean(xs * xs), np.mean(xs)], [np.mean(xs), 1.0]])


def stable_learning_rate(x: Any) -> float:
    """2 / L with L the largest curvature (eigenvalue of the Hessian): larger steps diverge."""
    return float(2.0 / np.linalg.eigvalsh(mse_hessian(x)).max())


@dataclass(frozen=True)
class DescentPath:
    """Parameters and loss before each step: w[0], b[0], loss[0] are the starting point."""

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    diverged: bool

    @property
    def steps(self) -> int:
        return len(self.loss) - 1


def gradient_descent(
    x: Any, y: Any, lr: float, steps: int, w0: float = 0.0, b0: float = 0.0
) -> DescentPath:
    """Plain gradient descent on the MSE in NumPy; stops early once the loss passes DIVERGED_ABOVE."""
    xs, ys = check_data(x, y)
    lr = _learning_rate(lr)
    steps = to_whole(steps, "steps", _("the number of descent steps"), "100")
    w, b = to_number(w0, "w0"), to_number(b0, "b0")
    ws, bs, losses = [w], [b], [float(np.mean((ys - (w * xs + b)) ** 2))]
    diverged = False
    for _step in range(steps):
        residual = ys - (w * xs + b)
        w += lr * 2.0 * np.mean(xs * residual)
        b += lr * 2.0 * np.mean(residual)
        loss = float(np.mean((ys - (w * xs + b)) ** 2))
        ws.append(w)
        bs.append(b)
        losses.append(loss)
        if not loss <= DIVERGED_ABOVE:
            diverged = True
            break
    return DescentPath(np.array(ws), np.array(bs), np.array(losses), diverged)


def _learning_rate(lr: Any) -> float:
    value = to_number(lr, _("the learning rate"), "0.1")
    if not value > 0:
        raise LearnerValueError(_(
            "The learning rate must be a positive number such as 0.1, not {value:g}: "
            "gradient descent steps against the gradient by lr times its length."
        ).format(value=value))
    return value


# Pictures -----------------------------------------------------------------------------------------


def _axes(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure().gca()
    return ax


def plot_fit(x: Any, y: Any, lines: dict[str, tuple[float, float]], *, ax: Any = None) -> Any:
    """The data as dots and each named line (w, b) over them."""
    xs, ys = check_data(x, y)
    ax = _axes(ax)
    ax.plot(xs, ys, "o", ms=4, alpha=0.6, label=_("data"))
    grid = np.array([xs.min(), xs.max()])
    for i, (name, (w, b)) in enumerate(lines.items()):
        ax.plot(grid, w * grid + b, "-" if i == 0 else "--", lw=2, label=f"{name}: y = {w:.3f}·x + {b:.3f}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="upper left", fontsize=9)
    return ax


def plot_losses(curves: dict[str, Any], *, ax: Any = None, log: bool = True) -> Any:
    """Loss against step for each named run, on a log scale unless log=False."""
    ax = _axes(ax)
    for name, losses in curves.items():
        ax.plot(to_array(losses, _("the losses of {name!r}").format(name=name)).reshape(-1), label=name)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(_("step"))
    ax.set_ylabel(_("loss (MSE)"))
    ax.legend(fontsize=9)
    return ax


def loss_grid(
    x: Any, y: Any, w_range: tuple[float, float], b_range: tuple[float, float], n: int = 121
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(W, B, loss) on an n × n grid: the loss surface for a contour plot."""
    xs, ys = check_data(x, y)
    W, B = np.meshgrid(np.linspace(*w_range, n), np.linspace(*b_range, n))
    return W, B, mse(W, B, xs, ys)


def plot_contours(
    x: Any,
    y: Any,
    paths: dict[str, DescentPath] | None = None,
    *,
    ax: Any = None,
    w_range: tuple[float, float] = (-1.0, 5.0),
    b_range: tuple[float, float] = (-2.0, 4.0),
) -> Any:
    """Contours of the loss over (w, b), the least-squares minimum, and the path of each run."""
    ax = _axes(ax)
    W, B, L = loss_grid(x, y, w_range, b_range)
    ax.contour(W, B, L, levels=np.geomspace(L.min() + 1e-3, L.max(), 15), cmap="viridis", linewidths=0.8)
    w_best, b_best = closed_form_fit(x, y)
    ax.plot([w_best], [b_best], "*", color="black", ms=12, label=_("least squares"))
    for name, path in (paths or {}).items():
        ax.plot(path.w, path.b, ".-", ms=3, lw=1, label=name)
    ax.set_xlim(*w_range)
    ax.set_ylim(*b_range)
    ax.set_xlabel("w")
    ax.set_ylabel("b")
    ax.legend(loc="upper right", fontsize=9)
    return ax


# The explorer -------------------------------------------------------------------------------------


class RegressionExplorer(Explorer):
    """Sliders for the learning rate, the number of steps and the start; contours drawn once."""

    W_RANGE = (-1.0, 5.0)
    B_RANGE = (-2.0, 4.0)

    def __init__(
        self,
        x: Any = None,
        y: Any = None,
        lr: float = 0.1,
        steps: int = 50,
        w0: float = 4.5,
        b0: float = -1.5,
    ) -> None:
        if (x is None) != (y is None):
            raise LearnerValueError(
                _("Give both x and y, or neither (then the chapter's 50 points are used).")
            )
        if x is None:
            x, y = make_line_data()
        self.x, self.y = check_data(x, y)
        self.best = closed_form_fit(self.x, self.y)
        self.best_loss = float(mse(*self.best, self.x, self.y))
        self.bound = stable_learning_rate(self.x)
        lr = _learning_rate(lr)
        steps = to_whole(steps, "steps", _("the number of descent steps"), "100", lowest=1)
        w0, b0 = to_number(w0, "w0"), to_number(b0, "b0")
        for name, value, (low, high) in (("w0", w0, self.W_RANGE), ("b0", b0, self.B_RANGE)):
            if not low <= value <= high:
                raise LearnerValueError(_(
                    "{name} = {value:g} lies outside the plotted range {low:g} … {high:g}."
                ).format(name=name, value=value, low=low, high=high))
        if not 0.01 <= lr <= 0.6:
            raise LearnerValueError(
                _("Pick a learning rate between 0.01 and 0.6 for the slider, not {lr:g}.").format(lr=lr)
            )
        if steps > 300:
            raise LearnerValueError(
                _("Pick at most 300 steps for the slider, not {steps}.").format(steps=steps)
            )
        self.path: DescentPath | None = None

        self.picture = FigureImage(figsize=(12.0, 3.8))
        self.image = self.picture.image
        self.ax_loss, self.ax_fit, self.ax_path = self.picture.figure.subplots(1, 3)
        self._draw_static()
        # What _update changes; new loss-axis limits redraw everything.
        self.picture.moving(self.descent, self.start_point, self.loss_curve, self.fit_line,
                            self.ax_loss.title, self.ax_fit.title)

        self.lr = slider(_("learning rate"), lr, 0.01, 0.6, 0.01)
        self.steps = widgets.IntSlider(value=steps, min=1, max=300, description=_("steps"))
        self.w0, self.b0 = slider(_("start w"), w0, *self.W_RANGE), slider(_("start b"), b0, *self.B_RANGE)
        self.assemble([widgets.HBox([self.lr, self.steps]), widgets.HBox([self.w0, self.b0])], [self.image],
                      {self._update: [self.lr, self.steps, self.w0, self.b0]})

    def _draw_static(self) -> None:
        W, B, L = loss_grid(self.x, self.y, self.W_RANGE, self.B_RANGE)
        levels = np.geomspace(L.min() + 1e-3, L.max(), 15)
        self.ax_path.contour(W, B, L, levels=levels, cmap="viridis", linewidths=0.8)
        self.ax_path.plot([self.best[0]], [self.best[1]], "*", color="black", ms=12)
        (self.descent,) = self.ax_path.plot([], [], ".-", color="tab:red", ms=3, lw=1)
        (self.start_point,) = self.ax_path.plot([], [], "o", color="tab:red")
        self.ax_path.set_xlim(*self.W_RANGE)
        self.ax_path.set_ylim(*self.B_RANGE)
        self.ax_path.set_xlabel("w")
        self.ax_path.set_ylabel("b")
        self.ax_path.set_title(_("path of (w, b)"), fontsize=10)

        # A log axis cannot show 0, which data on an exact line reach: losses are drawn down to a floor.
        self.loss_floor = 1e-12 * max(float(np.mean(self.y**2)), 1.0)
        (self.loss_curve,) = self.ax_loss.plot([], [], color="tab:red")
        self.ax_loss.axhline(max(self.best_loss, self.loss_floor), color="black", ls=":", lw=1)
        self.ax_loss.set_yscale("log")
        self.ax_loss.set_xlabel(_("step"))
        self.ax_loss.set_ylabel(_("loss (MSE)"))

        self.ax_fit.plot(self.x, self.y, "o", ms=4, alpha=0.6)
        self.fit_grid = np.array([self.x.min(), self.x.max()])
        self.ax_fit.plot(self.fit_grid, self.best[0] * self.fit_grid + self.best[1], ":", color="black", lw=1)
        (self.fit_line,) = self.ax_fit.plot([], [], color="tab:red", lw=2)
        pad = 0.5 * np.ptp(self.y)
        self.ax_fit.set_ylim(self.y.min() - pad, self.y.max() + pad)
        self.ax_fit.set_xlabel("x")
        self.ax_fit.set_ylabel("y")

    @property
    def final(self) -> tuple[float, float, float]:
        """(w, b, loss) after the last step taken."""
        assert self.path is not None
        return float(self.path.w[-1]), float(self.path.b[-1]), float(self.path.loss[-1])

    def _update(self, _change: Any = None) -> None:
        start = float(self.w0.value), float(self.b0.value)
        self.path = gradient_descent(self.x, self.y, float(self.lr.value), int(self.steps.value), *start)
        w, b, loss = self.final
        self.descent.set_data(self.path.w, self.path.b)
        self.start_point.set_data([self.path.w[0]], [self.path.b[0]])
        shown = np.maximum(self.path.loss, self.loss_floor)
        self.loss_curve.set_data(np.arange(len(shown)), shown)
        self.ax_loss.set_xlim(0, max(int(self.steps.value), 1))
        low = max(min(shown.min(), self.best_loss), self.loss_floor)
        self.ax_loss.set_ylim(low / 2, max(shown.max(), self.best_loss) * 2)
        self.fit_line.set_data(self.fit_grid, w * self.fit_grid + b)
        self.ax_loss.set_title(
            _("loss after {steps} steps: {loss:.4g}").format(steps=self.path.steps, loss=loss), fontsize=10
        )
        self.ax_fit.set_title(f"y = {w:.3f}·x + {b:.3f}", fontsize=10)
        lr = float(self.lr.value)
        if self.path.diverged:
            verdict = _("<b style='color:#c00'>diverged</b> after {steps} steps (loss above 10⁶)")
        elif lr >= self.bound:
            verdict = _("<b style='color:#c00'>growing</b>: the steps overshoot further each time")
        else:
            verdict = _("least squares: w = {w_best:.3f}, b = {b_best:.3f}, loss {best_loss:.4g}")
        verdict = verdict.format(
            steps=self.path.steps, w_best=self.best[0], b_best=self.best[1], best_loss=self.best_loss
        )
        self.show(_(
            "lr = {lr:.2f} (stable below 2/λ_max = {bound:.3f}); after {steps} steps "
            "w = {w}, b = {b}, loss = {loss}; {verdict}"
        ).format(lr=lr, bound=self.bound, steps=self.path.steps, w=_fmt(w), b=_fmt(b), loss=_fmt(loss),
                 verdict=verdict))


def _fmt(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else str(value)


@registered(Tour("lr", (0.05, 0.3, 0.55),
                 says=lambda lr, steps, w, b: [f"lr = {lr:.2f}", f"after {steps:g} steps"]))
def regression_explorer(
    x: Any = None, y: Any = None, lr: float = 0.1, steps: int = 50, w0: float = 4.5, b0: float = -1.5
) -> ExplorerBox:
    """A live gradient-descent explorer for a line fit; show it as the last expression of a cell."""
    return RegressionExplorer(x, y, lr, steps, w0, b0).widget
