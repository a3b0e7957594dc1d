"""Control flow under a tape: loops and `if`s decide which operations are recorded.

Plots of a function next to the derivative the tape returns across x, the derivative of the loop
example as the loop count changes, and `loop_explorer`, which lists the recorded operations.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from helpers.derivatives import tape_curve
from helpers.explorer import Explorer, ExplorerBox, Tour, registered, slider
from helpers.functions import padded
from helpers.text import superscript
from helpers.translation import _, n_
from helpers.values import (
    LearnerInputError,
    LearnerValueError,
    check_axes,
    check_axes_list,
    check_range,
    describe,
    is_text,
    require_function,
    require_function_menu,
    to_point,
    to_whole,
)
from helpers.widget_figure import FigureImage

__all__ = ["loop_explorer", "plot_loop_derivatives", "plot_loop_slopes", "plot_tape_derivative"]

SEED_RULE = "1 < i < 5"
MAX_STEPS = 20


def seed_condition(i: int) -> bool:
    """The loop example's rule: multiply by x on the steps i = 2, 3 and 4 only."""
    return 1 < i < 5


def to_count(y: Any, name: str = "y", most: int = MAX_STEPS) -> int:
    """A loop count: a whole number from 0 to `most` (6.0 is taken as 6)."""
    return to_whole(y, name, _("the number of loop steps"), "6", highest=most, unit=_(" loop steps"),
                    strict=False)


def recorded_steps(y: Any, when: Callable[[int], Any] | None = None) -> list[int]:
    """The loop steps i in range(y) on which the loop multiplies by x (and so the tape records)."""
    when = seed_condition if when is None else when
    require_rule(when)
    steps = []
    for i in range(to_count(y)):
        try:
            hit = when(i)
        except Exception as err:  # the learner's rule failed: say where
            raise LearnerValueError(_("Calling when({step}) failed with {error_type}: {error}").format(
                step=i, error_type=type(err).__name__, error=err)) from err
        try:
            hit = bool(hit)
        except Exception as err:  # e.g. a tensor of several truth values
            raise LearnerValueError(
                _("when(i) must answer True or False for one step i, but when({step}) returned {value}.")
                .format(step=i, value=describe(hit))
            ) from err
        if hit:
            steps.append(i)
    return steps


def require_rule(when: Any) -> None:
    """Refuse a loop rule that cannot be called as when(i)."""
    require_function(when, "when", of=_("the step i"), example="`lambda i: i % 2 == 0`")


def to_counts(counts: Any) -> list[int]:
    """Loop counts to compare: a non-empty list of whole numbers such as range(9) or (3, 4, 5)."""
    if is_text(counts) or not isinstance(counts, Iterable):
        raise LearnerInputError(
            _("counts must be a list of loop counts such as range(9) or (3, 4, 5), not {value}.")
            .format(value=describe(counts))
        )
    values = [to_count(y) for y in counts]
    if not values:
        raise LearnerValueError(_("counts is empty; give at least one loop count, for example range(9)."))
    return values


def loop_product(x: Any, y: Any, when: Callable[[int], Any] | None = None) -> Any:
    """The loop example: start at 1.0 and multiply by x on every step where when(i) holds.

    Works on Python numbers, NumPy arrays, TensorFlow and PyTorch tensors (it only uses `*`).
    """
    output = 1.0
    for _step in recorded_steps(y, when):
        output = output * x
    return output


def tape_loop_derivative(x: Any, y: Any, when: Callable[[int], Any] | None = None) -> float:
    """d/dx of the loop example from a tf.GradientTape; 0.0 when the loop recorded nothing."""
    import tensorflow as tf

    steps = recorded_steps(y, when)
    source = tf.convert_to_tensor(to_point(x), dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(source)
        output = tf.constant(1.0)  # a tensor, so the tape can answer even when nothing is multiplied
        for _step in steps:
            output = tf.multiply(output, source)
    grad = tape.gradient(output, source, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    return float(grad.numpy())


def power_rule(x: float, k: int) -> float:
    """The hand derivative of x^k: k·x^(k−1), and 0 for the constant x^0 = 1."""
    return 0.0 if k == 0 else k * x ** (k - 1)


def plot_tape_derivative(
    functions: Mapping[str, Callable],
    xlim: tuple[float, float] = (-2.0, 2.0),
    kinks: Sequence[float] = (0.0,),
    axes: Sequence[Any] | None = None,
) -> Sequence[Any]:
    """Two panels: the functions, and the derivative the tape returns, with its value at each kink."""
    import matplotlib.pyplot as plt

    functions = require_function_menu(functions, "{'|x|': tf.abs}")
    low, high = check_range(xlim)
    if is_text(kinks) or not isinstance(kinks, Iterable):
        raise LearnerInputError(
            _("kinks must be a list of the x values where f has a corner, such as (0.0,), not {value}.")
            .format(value=describe(kinks))
        )
    points = sorted(to_point(k, _("a kink")) for k in kinks)
    if any(not low < k < high for k in points):
        raise LearnerValueError(
            _("Every kink must lie inside xlim {low:g} … {high:g}; got {kinks}.").format(
                low=low, high=high, kinks=points)
        )
    if axes is None:
        axes = plt.subplots(1, 2, figsize=(10.0, 3.8), layout="constrained")[1]
    left, right = check_axes_list(axes, 2, _("the functions and their derivatives"))
    edges = [low, *points, high]
    styles = ["-", "--", ":", "-."]
    for n, (name, f) in enumerate(functions.items()):
        color, style = f"C{n}", styles[n % len(styles)]
        xs = np.linspace(low, high, 401)
        ys = tape_curve(f, xs)[0]
        left.plot(xs, ys, style, color=color, label=name)
        at_kinks = tape_curve(f, points)[1]
        kink_text = ", ".join(f"{s:g}" for s in at_kinks)
        where = ", ".join(f"{k:g}" for k in points)
        label = _("{name}  (at x = {kinks}: {slopes})").format(name=name, kinks=where, slopes=kink_text)
        for a, b in zip(edges[:-1], edges[1:], strict=True):  # the derivative between kinks, not across them
            piece = np.linspace(a, b, 101)[1:-1]
            right.plot(piece, tape_curve(f, piece)[1], style, color=color, label=label if a == low else None)
        right.plot(points, at_kinks, "o", color=color, markersize=9 - 2 * n, zorder=3)
    left.set_title(_("the functions"))
    right.set_title(_("the derivative the tape returns (dot: exactly at the kink)"))
    for ax in axes:
        ax.set_xlabel("x")
    left.legend(loc="upper center", fontsize=9)
    right.legend(loc="lower right", fontsize=9)
    return axes


def plot_loop_derivatives(
    x: float = 2.0,
    counts: Iterable[int] = range(9),
    when: Callable[[int], Any] | None = None,
    ax: Any = None,
) -> Any:
    """Bars: the tape's derivative of the loop example at x for each loop count y, and the hand values."""
    import matplotlib.pyplot as plt

    point = to_point(x)
    ys = to_counts(counts)
    tape = [tape_loop_derivative(point, y, when) for y in ys]
    hand = [power_rule(point, len(recorded_steps(y, when))) for y in ys]
    if check_axes(ax) is None:
        ax = plt.subplots()[1]
    bars = ax.bar(ys, tape, color="C1", label=_("tape"))
    ax.plot(ys, hand, "k_", markersize=22, markeredgewidth=2, label=_("k·x^(k−1) by hand"))
    ax.bar_label(bars, fmt="%g")
    ax.set_xticks(ys)
    ax.set_xlabel(_("loop count y"))
    ax.set_ylabel(_("derivative"))
    ax.set_ylim(0, max(max(tape), 1.0) * 1.2)
    ax.set_title(_("d output / dx at x = {x:g}").format(x=point))
    ax.legend(loc="upper left")
    return ax


def plot_loop_slopes(
    counts: Iterable[int] = (3, 4, 5),
    xlim: tuple[float, float] = (-2.5, 2.5),
    when: Callable[[int], Any] | None = None,
    ax: Any = None,
) -> Any:
    """The tape's derivative of the loop example across x, one line per loop count y."""
    import matplotlib.pyplot as plt

    low, high = check_range(xlim)
    counts = to_counts(counts)
    xs = np.linspace(low, high, 51)
    if check_axes(ax) is None:
        ax = plt.subplots()[1]
    for y in counts:
        k = len(recorded_steps(y, when))
        slopes = [tape_loop_derivative(x0, y, when) for x0 in xs]
        label = n_("y = {y}: {k} multiplication → {derivative}",
                   "y = {y}: {k} multiplications → {derivative}", k).format(
            y=to_count(y), k=k, derivative=_derivative_text(k))
        ax.plot(xs, slopes, label=label)
    ax.set_xlabel("x")
    ax.set_ylabel(_("derivative"))
    ax.set_title(_("d output / dx across x"))
    ax.legend(loc="upper center", fontsize=9)
    return ax


def _power_text(k: int) -> str:
    return "1" if k == 0 else "x" if k == 1 else "x" + superscript(k)


def _derivative_text(k: int) -> str:
    if k == 0:
        return "0"
    if k == 1:
        return "1"
    return f"{k}" + ("x" if k == 2 else "·" + _power_text(k - 1))


class LoopExplorer(Explorer):
    """Sliders for x and the loop count y; the recorded steps, the derivative and x^k redraw in place."""

    def __init__(
        self,
        x: float = 2.0,
        y: int = 6,
        when: Callable[[int], Any] | None = None,
        rule: str | None = None,
        max_count: int = 8,
        xlim: tuple[float, float] = (-3.0, 3.0),
    ) -> None:
        self.when = seed_condition if when is None else when
        require_rule(self.when)
        if rule is not None and not isinstance(rule, str):
            raise LearnerInputError(
                _("rule is the loop's condition in words, a string such as 'i % 2 == 0', not {value}.")
                .format(value=describe(rule))
            )
        self.rule = rule if rule is not None else (SEED_RULE if when is None else _("when(i) is true"))
        self.max_count = to_count(max_count, "max_count")
        if self.max_count < 1:
            raise LearnerValueError(_("max_count must be at least 1 loop step."))
        point = to_point(x)
        low, high = check_range(xlim, point=point, what=_("the slider's range"))
        count = to_count(y, "y", self.max_count)
        self.steps = recorded_steps(self.max_count, self.when)  # also tries the rule once on every i
        self.grid = np.linspace(low, high, 200)
        self.recorded: list[int] = []
        self.power = 0
        self.derivative = float("nan")
        self.by_hand = float("nan")

        self.picture = FigureImage(figsize=(7.0, 4.1))
        self.image = self.picture.image
        chain_ax, self.ax = self.picture.figure.subplots(2, 1, height_ratios=[1, 2.6])
        self.chain_ax = chain_ax
        chain_ax.set_xlim(-0.1, self.max_count)
        chain_ax.set_ylim(-0.15, 1.55)
        chain_ax.axis("off")
        self.boxes: list[Rectangle] = []
        self.labels = []
        for i in range(self.max_count):
            box = Rectangle((i, 0.0), 0.85, 1.0, linewidth=1.2, edgecolor="0.3")
            chain_ax.add_patch(box)
            self.boxes.append(box)
            self.labels.append(chain_ax.text(i + 0.425, 0.5, "", ha="center", va="center", fontsize=10))
            chain_ax.text(i + 0.425, 1.2, f"i={i}", ha="center", va="center", fontsize=9)
        (self.curve,) = self.ax.plot([], [], label=_("output as a function of x"))
        (self.tangent,) = self.ax.plot([], [], "--", label=_("tangent, slope from the tape"))
        (self.point,) = self.ax.plot([], [], "o", color="black")
        self.ax.set_xlim(low, high)
        self.ax.set_xlabel("x")
        self.ax.grid(alpha=0.3)
        self.ax.legend(loc="upper left", fontsize=9)
        # What _update changes; a new y range (another power of x) redraws everything.
        self.picture.moving(*self.boxes, *self.labels, self.chain_ax.title, self.curve, self.tangent,
                            self.point, self.ax.title)

        self.x = slider("x", point, low, high)
        self.y = widgets.IntSlider(value=count, min=0, max=self.max_count, description=_("loop count y"))
        self.assemble([widgets.HBox([self.x, self.y])], [self.image], {self._update: [self.x, self.y]})

    def _update(self, _change: Any = None) -> None:
        x0, count = float(self.x.value), int(self.y.value)
        self.recorded = [i for i in self.steps if i < count]
        k = self.power = len(self.recorded)
        self.derivative = tape_loop_derivative(x0, count, self.when)
        self.by_hand = power_rule(x0, k)
        for i, (box, label) in enumerate(zip(self.boxes, self.labels, strict=True)):
            if i in self.recorded:
                box.set(facecolor="C1", linestyle="-", alpha=1.0)
                label.set_text("× x")
            elif i < count:
                box.set(facecolor="0.85", linestyle="-", alpha=1.0)
                label.set_text(_("skip"))
            else:
                box.set(facecolor="white", linestyle=":", alpha=0.6)
                label.set_text("")
        self.chain_ax.set_title(n_("loop steps (multiply when {rule}): {k} multiplication recorded",
                                   "loop steps (multiply when {rule}): {k} multiplications recorded",
                                   k).format(rule=self.rule, k=k), fontsize=10)
        ys = self.grid**k
        y0 = x0**k
        self.curve.set_data(self.grid, ys)
        self.tangent.set_data(self.grid, y0 + self.derivative * (self.grid - x0))
        self.point.set_data([x0], [y0])
        self.ax.set_ylim(*padded(ys))
        self.ax.set_title(_("output = {power}: derivative at x = {x:.2f} is {derivative:.4g}").format(
            power=_power_text(k), x=x0, derivative=self.derivative), fontsize=10)
        self.show(self._readout(x0, count))

    def _readout(self, x0: float, count: int) -> str:
        lines = []
        for i in range(count):
            if i in self.recorded:
                lines.append(_("i={i}: <b>multiply by x</b> (recorded)").format(i=i))
            else:
                lines.append(_("i={i}: skipped, {rule} is false (nothing recorded)").format(
                    i=i, rule=html.escape(self.rule)))
        steps = "<br>".join(lines) if lines else _("the loop does not run at all (y = 0)")
        k = self.power
        if k == 0:
            result = _(
                "The output stays the constant 1.0: no recorded path leads from x to it, so the tape has "
                "nothing to differentiate (plain <code>tape.gradient</code> gives None; read it as 0). "
                "Derivative: <b>{derivative:g}</b>."
            ).format(derivative=self.derivative)
        else:
            product = " · ".join(["1.0"] + ["x"] * k)
            hand = "1" if k == 1 else f"{k}·{x0:.2f}{_sup(k - 1)}"
            result = _(
                "output = {product} = x{power}, so by hand d/dx x{power} = {derivative} "
                "= {hand} = <b>{by_hand:.4g}</b>; the tape gives <b>{tape:.4g}</b>."
            ).format(product=product, power=_sup(k), derivative=_derivative_html(k), hand=hand,
                     by_hand=self.by_hand, tape=self.derivative)
        ran = _("<b>Operations that ran (and were recorded)</b>, y = {count}:").format(count=count)
        return f"{ran}<br>{steps}<br>{result}"

    def value(self) -> dict[str, Any]:
        """What the explorer shows now: x, y, the recorded steps, k, the tape's and the hand derivative."""
        return {
            "x": float(self.x.value),
            "y": int(self.y.value),
            "recorded": list(self.recorded),
            "k": self.power,
            "tape": self.derivative,
            "by_hand": self.by_hand,
        }


def _sup(k: int) -> str:
    return "" if k == 1 else f"<sup>{k}</sup>"


def _derivative_html(k: int) -> str:
    return "1" if k == 1 else f"{k}·x{_sup(k - 1)}"


@registered(Tour("x", (-2.0, 0.3, 2.9), says=lambda x, y: [f"y = {y:g}", f"= {3 * x * x:g}"]))  # y = 6: x³
def loop_explorer(
    x: float = 2.0,
    y: int = 6,
    when: Callable[[int], Any] | None = None,
    rule: str | None = None,
    max_count: int = 8,
) -> ExplorerBox:
    """The loop example live: pick x and the loop count y, see what was recorded and the derivative."""
    return LoopExplorer(x, y, when, rule, max_count).widget
