"""The graph explorer: pick a function and an x; see the TensorFlow and PyTorch graphs and both gradients."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets

from helpers.derivatives import finite_difference, tf_derivative, torch_derivative
from helpers.functions import sin
from helpers.graphs import GraphPicture, TextGraph, compare_graphs
from helpers.values import require_function, to_point
from helpers.widget_figure import ExplorerBox, explorer_box

# name shown to the learner -> function built from operations both libraries know.
GRAPH_EXAMPLES: dict[str, Callable[[Any], Any]] = {
    "5x³ + 2x² + 4x + 8": lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8,
    "x·sin(x)": lambda x: x * sin(x),
    "(x + 1)²": lambda x: (x + 1) ** 2,
    "x⁴ − 2x²": lambda x: x**4 - 2 * x**2,
}


class GraphExplorer:
    """Redraws both graphs and the gradient readout whenever the function or x changes."""

    def __init__(
        self,
        functions: Mapping[str, Callable] | None = None,
        x: float = 2.0,
        xlim: tuple[float, float] = (-3.0, 3.0),
    ) -> None:
        self.functions = dict(GRAPH_EXAMPLES if functions is None else functions)
        if not self.functions:
            raise ValueError("Give at least one function, for example {'x²': lambda x: x**2}.")
        for name, f in self.functions.items():
            require_function(f, f"the function {name!r}")
        x = to_point(x)
        low, high = (to_point(v, "xlim") for v in xlim)
        if not low < high:
            raise ValueError(f"xlim must be (low, high) with low < high, not {xlim!r}.")
        if not low <= x <= high:
            raise ValueError(
                f"x = {x:g} is outside the slider's range {low:g} … {high:g}; widen xlim or pick another x."
            )
        self.tf_gradient = float("nan")
        self.torch_gradient = float("nan")
        self.numeric_gradient = float("nan")
        self.picture: GraphPicture | TextGraph | None = None

        self.function = widgets.Dropdown(options=list(self.functions), description="f(x) =")
        self.x = widgets.FloatSlider(value=x, min=low, max=high, step=0.1, description="x")
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.text = widgets.HTML()  # used instead of the image when Graphviz is missing
        self.widget = explorer_box(
            self, widgets.HBox([self.function, self.x]), self.readout, self.image, self.text
        )
        self.function.observe(self._update, names="value")
        self.x.observe(self._update, names="value")
        self._update()

    @property
    def f(self) -> Callable:
        return self.functions[self.function.value]

    def _update(self, _change: Any = None) -> None:
        x0 = float(self.x.value)
        self.tf_gradient = tf_derivative(self.f, x0)
        self.torch_gradient = torch_derivative(self.f, x0)
        self.numeric_gradient = finite_difference(self.f, x0)
        self.picture = compare_graphs(self.f, x0)
        if isinstance(self.picture, GraphPicture):
            self.image.value = self.picture.pipe(format="png")
            self.image.layout.display = None
            self.text.value = ""
        else:
            self.image.layout.display = "none"
            self.text.value = self.picture._repr_html_()
        name = html.escape(self.function.value)
        self.readout.value = (
            f"<b>f(x) = {name} at x = {x0:.2f}</b>: "
            f"tape.gradient gives <b>{self.tf_gradient:.6g}</b>, "
            f"x.grad gives <b>{self.torch_gradient:.6g}</b>, "
            f"a finite difference gives {self.numeric_gradient:.6g}."
        )


def graph_explorer(
    functions: Mapping[str, Callable] | None = None,
    x: float = 2.0,
    xlim: tuple[float, float] = (-3.0, 3.0),
) -> ExplorerBox:
    """A live explorer of both frameworks' graphs; show it by making it the last expression of a cell."""
    return GraphExplorer(functions, x, xlim).widget
