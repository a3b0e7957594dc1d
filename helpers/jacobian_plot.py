"""Jacobians of vector-valued functions: by one persistent tape (a gradient per output), by
tape.jacobian, by PyTorch and by finite differences; drawn as a labelled heatmap, static or live."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import matplotlib
import numpy as np

from helpers.derivatives import tf_jacobian
from helpers.explorer import Explorer, ExplorerBox, Tour, function_menu, registered, slider
from helpers.functions import JACOBIAN_EXAMPLES
from helpers.text import subscript
from helpers.translation import N_, _
from helpers.values import (
    LearnerInputError,
    LearnerValueError,
    as_menu,
    check_axes,
    check_range,
    describe,
    to_array,
    to_number,
    to_vector,
)
from helpers.widget_figure import FigureImage

__all__ = ["jacobian_explorer", "plot_jacobian"]


INPUTS = ("∂/∂x₀", "∂/∂x₁")  # the explorer's column labels


# ---------------------------------------------------------------- checking what the learner passes


def check_matrix(matrix: Any, row_labels: Sequence[str], col_labels: Sequence[str]) -> np.ndarray:
    """The Jacobian as a 2-D float array whose rows and columns match the labels, or a sentence why not."""
    array = to_array(matrix, _("The Jacobian"))
    if array.ndim != 2:
        raise LearnerValueError(_(
            "The Jacobian must be a matrix (one row per output, one column per input), but it has "
            "shape {shape}. Pass the result of tape.jacobian(y, x) for a vector y and vector x."
        ).format(shape=array.shape))
    sentences = (  # (labels, how many, the sentence for labels that are no list, for too few or many)
        (row_labels, array.shape[0],
         N_("The Jacobian has {count} rows, so give a list of {count} row labels such as ['f₀', 'f₁'], "
            "not {value}."),
         N_("The Jacobian has {count} rows, so give a list of {count} row labels (one per output); "
            "got {given}.")),
        (col_labels, array.shape[1],
         N_("The Jacobian has {count} columns, so give a list of {count} column labels such as "
            "['∂/∂x₀', '∂/∂x₁'], not {value}."),
         N_("The Jacobian has {count} columns, so give a list of {count} column labels (one per input); "
            "got {given}.")),
    )
    for labels, count, not_a_list, wrong_count in sentences:
        if not (isinstance(labels, str) or hasattr(labels, "__len__")):
            raise LearnerInputError(_(not_a_list).format(count=count, value=describe(labels)))
        if isinstance(labels, str) or len(labels) != count:
            given = _("a single string") if isinstance(labels, str) else len(labels)
            raise LearnerValueError(_(wrong_count).format(count=count, given=given))
    return array


# ---------------------------------------------------------------- the Jacobian, four ways


# ---------------------------------------------------------------- pictures


def _number(value: float) -> str:
    return f"{round(float(value), 3) + 0.0:.3g}"  # + 0.0 turns −0.0 into 0.0


class JacobianHeatmap:
    """A matrix drawn as coloured cells, each with its name ∂fᵢ/∂xⱼ and its value; `update` changes both."""

    def __init__(
        self,
        ax: Any,
        shape: tuple[int, int],
        row_labels: Sequence[str],
        col_labels: Sequence[str],
        vmax: float = 1.0,
    ) -> None:
        self.ax = ax
        self.vmax = float(vmax)
        rows, cols = shape
        # Cells where f or its derivative is undefined (NaN) or infinite are grey, not a colour.
        colours = matplotlib.colormaps["RdBu_r"].with_extremes(bad="lightgrey")
        self.image = ax.imshow(np.zeros(shape), cmap=colours, vmin=-self.vmax, vmax=self.vmax, aspect="auto")
        self.colorbar = ax.figure.colorbar(self.image, ax=ax, shrink=0.85)
        self.colorbar.set_label(_("∂fᵢ/∂xⱼ  (blue < 0 < red)"))
        ax.set_xticks(range(cols), list(col_labels))
        ax.set_yticks(range(rows), list(row_labels))
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.grid(False)
        for side in ax.spines.values():
            side.set_visible(False)
        self.texts = [
            [ax.text(j, i, "", ha="center", va="center", fontsize=10) for j in range(cols)]
            for i in range(rows)
        ]
        self.matrix = np.zeros(shape)

    def update(self, matrix: np.ndarray) -> None:
        """Show new values: cell colours, the numbers and their ink (white on dark cells)."""
        self.matrix = np.asarray(matrix, dtype=np.float64)
        self.image.set_data(self.matrix)
        for i, row in enumerate(self.texts):
            for j, text in enumerate(row):
                value = self.matrix[i, j]
                shown = _number(value) if np.isfinite(value) else (_("undefined") if np.isnan(value) else "∞")
                text.set_text(f"∂f{subscript(i)}/∂x{subscript(j)}\n{shown}")
                text.set_color("white" if abs(value) > 0.6 * self.vmax and np.isfinite(value) else "black")

    def value_artists(self) -> list[Any]:
        """What update changes (and the title, which names the point): the cells and their numbers."""
        return [self.image, self.ax.title, *(text for row in self.texts for text in row)]


def plot_jacobian(
    matrix: Any,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    ax: Any = None,
    *,
    vmax: float | None = None,
    title: str | None = None,
) -> Any:
    """Draw a Jacobian as a heatmap: one row per output, one column per input, each cell annotated.

    The labels are shown as given, e.g. row_labels=["f₀ = x₀²", …] and col_labels=["∂/∂x₀", "∂/∂x₁"].
    """
    import matplotlib.pyplot as plt

    array = check_matrix(matrix, row_labels, col_labels)
    if not np.all(np.isfinite(array)):
        i, j = np.argwhere(~np.isfinite(array))[0]
        raise LearnerValueError(_(
            "The Jacobian holds {value} at row {row}, column {column}; a heatmap needs finite numbers. "
            "Check the point: a derivative such as that of sqrt(x) at 0 is infinite there."
        ).format(value=array[i, j], row=i, column=j))
    if vmax is None:
        vmax = float(np.max(np.abs(array))) or 1.0
    elif not to_number(vmax, "vmax", "2.0") > 0:
        raise LearnerValueError(_(
            "vmax is the largest |∂fᵢ/∂xⱼ| the colours show; give a positive number, not {vmax!r}."
        ).format(vmax=vmax))
    if check_axes(ax) is None:
        rows, cols = array.shape
        ax = plt.subplots(figsize=(1.4 * cols + 3.2, 0.8 * rows + 1.2), layout="constrained")[1]
    heatmap = JacobianHeatmap(ax, array.shape, row_labels, col_labels, vmax)
    heatmap.update(array)
    if title is not None:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------- the explorer


def _functions(given: Mapping[str, Any] | None) -> dict[str, tuple[Callable, tuple[str, ...] | None]]:
    """name -> (f, output labels or None), from a mapping of functions or (function, labels) pairs."""
    chosen = as_menu(
        JACOBIAN_EXAMPLES if given is None else given,
        "{'[x₀², x₀·x₁]': lambda x: tf.stack([x[0]**2, x[0]*x[1]])}",
    )
    out = {}
    for name, entry in chosen.items():
        f, labels = entry if isinstance(entry, tuple) else (entry, None)
        if not callable(f):
            raise LearnerInputError(_(
                "The function {name!r} must be a function of a vector x, such as "
                "`lambda x: tf.stack([x[0] ** 2, x[0] * x[1]])`, but it is {value}."
            ).format(name=name, value=describe(f)))
        out[name] = (f, None if labels is None else tuple(labels))
    return out


class JacobianExplorer(Explorer):
    """Sliders for (x₀, x₁); each move recomputes the Jacobian with one persistent tape and recolours it."""

    def __init__(
        self,
        functions: Mapping[str, Any] | None = None,
        point: Any = (1.0, 2.0),
        xlim: tuple[float, float] = (-3.0, 3.0),
    ) -> None:
        self.functions = _functions(functions)
        start = to_vector(point)
        if start.size != 2:
            raise LearnerValueError(_(
                "The explorer has two sliders, so point must be (x₀, x₁); got {count} numbers."
            ).format(count=start.size))
        low, high = check_range(xlim)
        if not np.all((low <= start) & (start <= high)):
            raise LearnerValueError(_(
                "The point ({x0:g}, {x1:g}) lies outside the slider range {low:g} … {high:g}. "
                "Pick a point inside it or widen xlim."
            ).format(x0=start[0], x1=start[1], low=low, high=high))
        self.low, self.high = low, high
        self.matrix = np.zeros((0, 2))
        self.row_labels: tuple[str, ...] = ()
        self.heatmap: JacobianHeatmap | None = None

        self.picture = FigureImage(figsize=(6.0, 3.6))
        self.image = self.picture.image
        self.function = function_menu(self.functions)
        self.x0, self.x1 = (slider(name, float(v), low, high, 0.01) for name, v in zip(("x₀", "x₁"), start,
                                                                                       strict=True))
        self.assemble([self.function, widgets.HBox([self.x0, self.x1])], [self.image],
                      {self._new_function: [self.function], self._new_point: [self.x0, self.x1]})

    @property
    def f(self) -> Callable:
        return self.functions[self.function.value][0]

    @property
    def point(self) -> tuple[float, float]:
        return float(self.x0.value), float(self.x1.value)

    def _colour_range(self) -> float:
        """The largest |∂fᵢ/∂xⱼ| on a 5 × 5 grid of the slider range: a colour means one value everywhere."""
        grid = np.linspace(self.low, self.high, 5)
        values = np.abs([tf_jacobian(self.f, (a, b), by_rows=True) for a in grid for b in grid])
        finite = values[np.isfinite(values)]  # f may be undefined in part of the range
        return float(finite.max()) if finite.size and finite.max() > 0 else 1.0

    def _new_function(self, _change: Any = None) -> None:
        matrix = tf_jacobian(self.f, self.point, by_rows=True)
        labels = self.functions[self.function.value][1]
        rows = labels or tuple(f"f{subscript(i)}" for i in range(matrix.shape[0]))
        check_matrix(matrix, rows, INPUTS)
        figure = self.picture.figure
        figure.clear()
        self.heatmap = JacobianHeatmap(figure.subplots(), matrix.shape, rows, INPUTS, self._colour_range())
        self.picture.moving(*self.heatmap.value_artists())
        self.row_labels = rows
        self._new_point()

    def _new_point(self, _change: Any = None) -> None:
        a, b = self.point
        self.matrix = tf_jacobian(self.f, (a, b), by_rows=True)
        self.heatmap.update(self.matrix)
        title = _("Jacobian of {function}\nat (x₀, x₁) = ({x0:.2f}, {x1:.2f})").format(
            function=_(self.function.value), x0=a, x1=b
        )
        self.heatmap.ax.set_title(title, fontsize=10)
        words = jacobian_html(self.matrix, self.row_labels, INPUTS, (a, b))
        if not np.all(np.isfinite(self.matrix)):
            words += "<br>" + _(
                "<b>At ({x0:.2f}, {x1:.2f}) f or one of its derivatives is undefined or infinite</b> "
                "(grey cells), for example a square root or logarithm of a number ≤ 0: move the sliders "
                "to where f is defined."
            ).format(x0=a, x1=b)
        self.show(words)


def jacobian_html(
    matrix: np.ndarray, row_labels: Sequence[str], col_labels: Sequence[str], point: Sequence[float]
) -> str:
    """The matrix as a small HTML table with its labels, for the explorer's readout."""
    head = "".join(f"<th style='padding:0 1em'>{name}</th>" for name in col_labels)
    body = "".join(
        f"<tr><th style='text-align:left'>{label}</th>"
        + "".join(f"<td style='text-align:right;padding:0 1em'>{_number(v)}</td>" for v in row)
        + "</tr>"
        for label, row in zip(row_labels, matrix, strict=True)
    )
    heading = _(
        "<b>J at ({point})</b>, row i = the gradient of fᵢ, one <code>tape.gradient</code> call each "
        "on one persistent <code>tf.GradientTape</code>:"
    ).format(point=", ".join(f"{v:.2f}" for v in point))
    return f"{heading}<table style='border-collapse:collapse'><tr><th></th>{head}</tr>{body}</table>"


@registered(Tour("x0", (-2.5, 0.0, 1.5), then="function", start=lambda v: {"point": (v, 2.0)},
                 says=lambda x0, x1: [f"f₀ = x₀²\t{2 * x0:.3g}"]))
def jacobian_explorer(
    functions: Mapping[str, Any] | None = None,
    point: Any = (1.0, 2.0),
    xlim: tuple[float, float] = (-3.0, 3.0),
) -> ExplorerBox:
    """A live Jacobian heatmap with sliders for (x₀, x₁); show it as the last expression of a cell."""
    return JacobianExplorer(functions, point, xlim).widget
