"""Vector targets and the two modes of automatic differentiation (chapter 10).

Reverse mode answers one vector–Jacobian product vᵀJ per backward pass, forward mode one
Jacobian–vector product J·u per forward pass, so a whole m × n Jacobian takes m passes one way and
n passes the other. `reverse_mode_jacobian` and `forward_mode_jacobian` build it exactly so, with
TensorFlow, and time it; `plot_modes` draws the passes over the Jacobian's cells, and
`modes_explorer` does the same live for a small layer with n inputs and m outputs, with the measured
time of each way.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import to_rgba, to_rgba_array

from helpers.derivatives import call_function, count_outputs
from helpers.explorer import Explorer, ExplorerBox, Tour, registered
from helpers.translation import N_, _, n_
from helpers.values import LearnerValueError, check_axes_list, require_function, to_vector, to_whole
from helpers.widget_figure import FigureImage

__all__ = ["forward_mode_jacobian", "modes_explorer", "plot_modes", "reverse_mode_jacobian"]

FUNCTION_EXAMPLE = "`lambda x: tf.stack([x[0] * x[1], tf.sin(x[0])])`"
MAX_SIZE = 12  # the sliders' largest n and m: a new (n, m) is timed while the learner waits
LARGEST_PLOT = 40  # plot_modes draws a cell per entry of J; more would be specks
ROW_SHADES = to_rgba_array(["#1f77b4", "#9ecae1"])  # reverse mode: neighbouring passes (rows) told apart
COLUMN_SHADES = to_rgba_array(["#e6550d", "#fdae6b"])  # forward mode: neighbouring passes (columns)
UNUSED = to_rgba("#f0f0f0")  # the frame's cells outside J
MODE_NAMES = {"reverse": N_("reverse mode"), "forward": N_("forward mode")}  # ModeRun.mode in words


@dataclass(frozen=True)
class ModeRun:
    """A Jacobian built by one mode: the matrix, the number of passes it took and the fastest time."""

    mode: str  # "reverse" or "forward"
    jacobian: np.ndarray  # m × n, float64
    passes: int
    ms: float  # the fastest of the runs timed, in milliseconds

    @property
    def name(self) -> str:
        """"reverse mode" or "forward mode", in the helpers' language."""
        return _(MODE_NAMES[self.mode])


# ---------------------------------------------------------------- the Jacobian, one pass at a time


def _prepare(f: Any, x: Any, repeats: Any) -> tuple[Any, int]:
    """x as a float32 TensorFlow vector and the number of timed runs, or a sentence why not."""
    import tensorflow as tf

    require_function(f, "f", of=_("a vector x"), example=FUNCTION_EXAMPLE)
    point = tf.constant(to_vector(x, "x"), dtype=tf.float32)
    runs = to_whole(repeats, "repeats", _("how many times to build J (the fastest run is timed)"), "3",
                    lowest=1, highest=100)
    return point, runs


def _output(f: Callable, point: Any) -> tuple[Any, int]:
    """f(point) and its number of outputs, refusing a result that is not a vector of floats."""
    y = call_function(f, point)
    outputs = count_outputs(y, "tensorflow")
    if not y.dtype.is_floating:
        raise LearnerValueError(_(
            "f(x) returned integers ({dtype}), which have no derivatives; "
            "compute with floating-point numbers (2.0, not 2)."
        ).format(dtype=y.dtype.name))
    return y, outputs


def _fastest(build: Callable[[], tuple[Any, int]], runs: int) -> tuple[np.ndarray, int, float]:
    """Build J `runs` times; its matrix, its passes and the fastest time in ms (the least disturbed)."""
    best = math.inf
    for _run in range(runs):
        started = time.perf_counter()
        matrix, passes = build()
        best = min(best, time.perf_counter() - started)
    return np.asarray(matrix.numpy(), dtype=np.float64), passes, 1000 * best


def reverse_mode_jacobian(f: Callable, x: Any, repeats: int = 3) -> ModeRun:
    """J row by row with TensorFlow: f recorded once, then one backward pass per output i,
    `tape.gradient(y, x, output_gradients=eᵢ)`, which gives row i = eᵢᵀJ. m outputs, m passes."""
    import tensorflow as tf

    point, runs = _prepare(f, x, repeats)

    def build() -> tuple[Any, int]:
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(point)
            y, outputs = _output(f, point)
        rows = [
            tape.gradient(y, point, output_gradients=tf.one_hot(i, outputs, dtype=y.dtype),
                          unconnected_gradients=tf.UnconnectedGradients.ZERO)
            for i in range(outputs)
        ]
        del tape  # a persistent tape holds its recording until it is deleted
        return tf.stack(rows), outputs

    matrix, passes, ms = _fastest(build, runs)
    return ModeRun("reverse", matrix, passes, ms)


def forward_mode_jacobian(f: Callable, x: Any, repeats: int = 3) -> ModeRun:
    """J column by column with TensorFlow: one forward pass per input j under
    `tf.autodiff.ForwardAccumulator(x, eⱼ)`, whose `jvp` is column j = J·eⱼ. n inputs, n passes."""
    import tensorflow as tf

    point, runs = _prepare(f, x, repeats)
    inputs = int(point.shape[0])

    def build() -> tuple[Any, int]:
        columns = []
        for j in range(inputs):
            with tf.autodiff.ForwardAccumulator(point, tf.one_hot(j, inputs)) as accumulator:
                y, _outputs = _output(f, point)
            columns.append(accumulator.jvp(y, unconnected_gradients=tf.UnconnectedGradients.ZERO))
        return tf.stack(columns, axis=1), inputs

    matrix, passes, ms = _fastest(build, runs)
    return ModeRun("forward", matrix, passes, ms)


# ---------------------------------------------------------------- pictures


def _count(value: Any, name: str, meaning: str, highest: int, unit: str) -> int:
    """A size such as n or m: a whole number from 1 to `highest` (6.0 is taken as 6); `meaning` and
    `unit` ("inputs") are marked with N_ and translated here."""
    return to_whole(value, name, _(meaning), "6", lowest=1, highest=highest, unit=" " + _(unit), strict=False)


def passes_text(count: int) -> str:
    """'1 pass', '3 passes'."""
    return n_("{count} pass", "{count} passes", count).format(count=count)


class PassesPicture:
    """J's m × n cells inside a fixed frame, twice: the left panel colours each row (one reverse-mode
    pass), the right one each column (one forward-mode pass). `update(n, m)` recolours both."""

    def __init__(self, reverse_ax: Any, forward_ax: Any, frame: tuple[int, int]) -> None:
        self.frame = rows, cols = frame
        self.panels = (reverse_ax, forward_ax)
        self.cells = []
        for ax, each in ((reverse_ax, _("one row vᵀJ per backward pass")),
                         (forward_ax, _("one column J·u per forward pass"))):
            # A mesh of cells with white edges: recolouring it costs far less than an image.
            mesh = ax.pcolormesh(np.arange(cols + 1) - 0.5, np.arange(rows + 1) - 0.5, np.zeros(frame),
                                 edgecolors="white", linewidth=1.2)
            mesh.set_array(None)  # coloured by set_facecolor, not by a colour map
            self.cells.append(mesh)
            ax.set_xlim(-0.5, cols - 0.5)
            ax.set_ylim(rows - 0.5, -0.5)  # row 0 at the top, as J is written
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            for side in ax.spines.values():
                side.set_visible(False)
            ax.set_xlabel(_("inputs xⱼ (columns)") + "\n" + each, fontsize=9)
            ax.set_ylabel(_("outputs fᵢ (rows)"), fontsize=9)
            ax.set_title(" ", fontsize=11)  # the layout leaves room for update's titles

    def update(self, n: int, m: int) -> None:
        """Show J of m rows and n columns: rows shaded by reverse pass, columns by forward pass."""
        for mesh, shades, index in (
            (self.cells[0], ROW_SHADES, np.arange(m)[:, None]),
            (self.cells[1], COLUMN_SHADES, np.arange(n)[None, :]),
        ):
            colours = np.tile(np.asarray(UNUSED), (*self.frame, 1))
            colours[:m, :n] = shades[np.broadcast_to(index % 2, (m, n))]
            mesh.set_facecolor(colours.reshape(-1, 4))
        fewer = "reverse" if m < n else "forward" if n < m else None
        for ax, mode, name, count in zip(self.panels, ("reverse", "forward"), "mn", (m, n), strict=True):
            title = _("{mode}: {name} = {passes}").format(
                mode=_(MODE_NAMES[mode]), name=name, passes=passes_text(count))
            ax.set_title(("✔ " if mode == fewer else "") + title,
                         fontsize=11, fontweight="bold" if mode == fewer else "normal")

    def moving_artists(self) -> list[Any]:
        """What update changes: the cells' colours and the titles."""
        return [*self.cells, *(ax.title for ax in self.panels)]


def plot_modes(n: int, m: int, axes: Any = None) -> Any:
    """Two panels of a Jacobian with n inputs and m outputs (m rows, n columns): its rows as the
    passes of reverse mode (left), its columns as the passes of forward mode (right)."""
    import matplotlib.pyplot as plt

    n = _count(n, "n", N_("the number of inputs"), LARGEST_PLOT, N_("inputs"))
    m = _count(m, "m", N_("the number of outputs"), LARGEST_PLOT, N_("outputs"))
    if axes is None:
        axes = plt.subplots(1, 2, figsize=(8.0, 3.2), layout="constrained")[1]
    reverse, forward = check_axes_list(axes, 2, _("the reverse-mode and the forward-mode picture"))
    PassesPicture(reverse, forward, (m, n)).update(n, m)
    return axes


# ---------------------------------------------------------------- the explorer


def tanh_layer(n: int, m: int, largest: int = MAX_SIZE) -> tuple[Callable, Any, np.ndarray]:
    """The explorer's function f(x) = tanh(W·x) with n inputs and m outputs, its point x and its
    Jacobian by hand, ∂fᵢ/∂xⱼ = (1 − fᵢ²)·Wᵢⱼ. W is the top-left m × n corner of one fixed
    largest × largest matrix, so moving a slider adds or removes a row or a column of it."""
    import tensorflow as tf

    corner = np.random.default_rng(0).normal(size=(largest, largest))[:m, :n] / np.sqrt(n)
    weights = tf.constant(corner, dtype=tf.float32)
    x = tf.linspace(-1.0, 1.0, n)  # n points from −1 to 1 (just −1 when n = 1)

    def layer(v: Any) -> Any:
        return tf.tanh(tf.linalg.matvec(weights, v))

    outputs = np.tanh(corner @ x.numpy().astype(np.float64))
    return layer, x, (1 - outputs**2)[:, None] * corner


class ModesExplorer(Explorer):
    """Sliders for n inputs and m outputs; each (n, m) is timed once, both ways, then recoloured."""

    def __init__(self, n: int = 6, m: int = 3, max_size: int = MAX_SIZE) -> None:
        self.max_size = to_whole(max_size, "max_size", _("the largest n and m the sliders offer"), "12",
                                  lowest=2, highest=20)
        start_n = _count(n, "n", N_("the number of inputs"), self.max_size, N_("inputs"))
        start_m = _count(m, "m", N_("the number of outputs"), self.max_size, N_("outputs"))
        # (n, m) -> (reverse run, forward run, both equal to the hand Jacobian): each size timed once.
        self.runs: dict[tuple[int, int], tuple[ModeRun, ModeRun, bool]] = {}

        self.picture = FigureImage(figsize=(8.0, 3.6))
        self.image = self.picture.image
        reverse_ax, forward_ax = self.picture.figure.subplots(1, 2)
        self.drawing = PassesPicture(reverse_ax, forward_ax, (self.max_size, self.max_size))
        self.picture.moving(*self.drawing.moving_artists())

        self.n = widgets.IntSlider(value=start_n, min=1, max=self.max_size, description=_("inputs n"))
        self.m = widgets.IntSlider(value=start_m, min=1, max=self.max_size, description=_("outputs m"))
        self.assemble([widgets.HBox([self.n, self.m])], [self.image], {self._update: [self.n, self.m]})

    def measured(self, n: int, m: int) -> tuple[ModeRun, ModeRun, bool]:
        """Both ways for the layer of this size, timed the first time it is asked for."""
        if (n, m) not in self.runs:
            layer, x, by_hand = tanh_layer(n, m, self.max_size)
            reverse = reverse_mode_jacobian(layer, x, repeats=2)
            forward = forward_mode_jacobian(layer, x, repeats=2)
            agree = all(np.allclose(run.jacobian, by_hand, atol=1e-5) for run in (reverse, forward))
            self.runs[(n, m)] = (reverse, forward, agree)
        return self.runs[(n, m)]

    def _update(self, _change: Any = None) -> None:
        n, m = int(self.n.value), int(self.m.value)
        reverse, forward, agree = self.measured(n, m)
        self.drawing.update(n, m)
        self.show(modes_html(n, m, reverse, forward, agree))

    def value(self) -> dict[str, Any]:
        """What the explorer shows now: n, m, each mode's passes and time, and the mode with fewer passes."""
        n, m = int(self.n.value), int(self.m.value)
        reverse, forward, agree = self.measured(n, m)
        return {
            "n": n, "m": m, "reverse_passes": reverse.passes, "forward_passes": forward.passes,
            "reverse_ms": reverse.ms, "forward_ms": forward.ms, "agree": agree,
            "fewer": "reverse" if m < n else "forward" if n < m else "neither",
        }


def modes_html(n: int, m: int, reverse: ModeRun, forward: ModeRun, agree: bool) -> str:
    """The readout: J's shape, each mode's passes and measured time, and which mode wins."""
    lines = [
        _("<b>J is m × n = {m} × {n}</b>: f(x) = tanh(W·x) has {outputs} and {inputs}.").format(
            m=m, n=n, outputs=n_("{count} output", "{count} outputs", m).format(count=m),
            inputs=n_("{count} input", "{count} inputs", n).format(count=n)),
        _("<b>Reverse mode: {passes}</b>, one backward pass per row "
          "(<code>output_gradients</code> = e₀, e₁, …): {ms:.1f} ms.").format(
            passes=passes_text(reverse.passes), ms=reverse.ms),
        _("<b>Forward mode: {passes}</b>, one forward pass per column "
          "(<code>ForwardAccumulator</code> tangents e₀, e₁, …): {ms:.1f} ms.").format(
            passes=passes_text(forward.passes), ms=forward.ms),
    ]
    faster = "reverse" if reverse.ms < forward.ms else "forward"
    fewer = "reverse" if m < n else "forward"
    said = {"passes": passes_text(n), "faster": _(MODE_NAMES[faster]), "fewer": _(MODE_NAMES[fewer]),
            "count": min(m, n), "other": max(m, n)}
    if m == n:
        lines.append(_("Both need {passes}: the cost of one pass decides, and here {faster} was faster.")
                     .format(**said))
    elif faster == fewer:
        lines.append(_("Fewer passes: <b>{fewer}</b> ({count} against {other}), and on this machine it was "
                       "also faster.").format(**said))
    else:
        lines.append(_(
            "Fewer passes: <b>{fewer}</b> ({count} against {other}), yet on this machine {faster} was "
            "faster: one forward pass costs about {ratio:.1f} times one backward pass here, more than the "
            "difference in counts saves (and times measured once vary from run to run)."
        ).format(**said, ratio=(forward.ms / n) / (reverse.ms / m)))
    differ = _("The two Jacobians differ from the hand-derived one.")
    lines.append(_("Both Jacobians equal the hand-derived (1 − fᵢ²)·Wᵢⱼ.") if agree else
                 f"<b style='color:#b00000'>{differ}</b>")
    return "<br>".join(lines)


@registered(Tour("n", (1, 5, 12), start=lambda v: {"n": v},
                 says=lambda n, m: [f"J is m × n = {m:g} × {n:g}", f"Reverse mode: {passes_text(int(m))}",
                                    f"Forward mode: {passes_text(int(n))}"]))
def modes_explorer(n: int = 6, m: int = 3, max_size: int = MAX_SIZE) -> ExplorerBox:
    """Choose how many inputs n and outputs m a small layer has: see J's shape, the passes each mode
    needs (m backward, n forward) and how long each took; show it as the last expression of a cell."""
    return ModesExplorer(n, m, max_size).widget
