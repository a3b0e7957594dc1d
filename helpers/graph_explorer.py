"""The graph explorer: pick a function and an x; see the TensorFlow and PyTorch graphs and both gradients."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np

from helpers.derivatives import finite_difference, tf_derivative, torch_derivative
from helpers.functions import sin
from helpers.graphs import GraphPicture, TextGraph, compare_graphs, value_text
from helpers.values import check_range, require_function_menu, to_array, to_point
from helpers.widget_figure import ExplorerBox, explorer_box, function_and_x, on_change

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
        self.functions = require_function_menu(
            GRAPH_EXAMPLES if functions is None else functions, "{'x²': lambda x: x**2}"
        )
        x = to_point(x)
        low, high = check_range(xlim, point=x, what="the slider's range")
        self.tf_gradient = float("nan")
        self.torch_gradient = float("nan")
        self.numeric_gradient = float("nan")
        self.picture: GraphPicture | TextGraph | None = None

        self.function, self.x = function_and_x(self.functions, x, low, high)
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="svg+xml")  # laid out once per function, relabelled per x
        self._svg = ""
        self.text = widgets.HTML()  # used instead of the image when Graphviz is missing
        self.widget = explorer_box(
            self, widgets.HBox([self.function, self.x]), self.readout, self.image, self.text
        )
        on_change(self._update, self.readout, self.function, self.x)
        self._update()

    @property
    def f(self) -> Callable:
        return self.functions[self.function.value]

    def _update(self, change: Any = None) -> None:
        x0 = float(self.x.value)
        self.tf_gradient = tf_derivative(self.f, x0)
        self.torch_gradient = torch_derivative(self.f, x0)
        self.numeric_gradient = finite_difference(self.f, x0)
        if change is not None and change["owner"] is self.x and isinstance(self.picture, GraphPicture):
            self._relabel(x0)
        else:
            self._lay_out(x0)
        name = html.escape(self.function.value)
        self.readout.value = (
            f"<b>f(x) = {name} at x = {x0:.2f}</b>: "
            f"tape.gradient gives <b>{self.tf_gradient:.6g}</b>, "
            f"x.grad gives <b>{self.torch_gradient:.6g}</b>, "
            f"a finite difference gives {self.numeric_gradient:.6g}."
        )

    def _lay_out(self, x0: float) -> None:
        """Trace both graphs and let Graphviz lay them out: once per function, it is the slow part."""
        self.picture = compare_graphs(self.f, x0)
        if isinstance(self.picture, GraphPicture):
            self._svg = self.picture.pipe(format="svg").decode()
            self.image.value = self._svg.encode()
            self.image.layout.display = None
            self.text.value = ""
        else:
            self.image.layout.display = "none"
            self.text.value = self.picture._repr_html_()

    def _relabel(self, x0: float) -> None:
        """A new x changes only the numbers in the x and y boxes: rewrite those texts in the drawn SVG
        instead of tracing and laying out the same graph again."""
        shown = {"source": x0, "output": float(to_array(self.f(np.float32(x0))))}
        for node in self.picture.graph.nodes:
            if node.kind in shown and " = " in node.label:
                label = f"{node.label.split(' = ')[0]} = {value_text(np.float32(shown[node.kind]))}"
                old, new = (f">{html.escape(text)}</text>" for text in (node.label, label))
                self._svg = self._svg.replace(old, new)
                node.label = label
        self.image.value = self._svg.encode()


def graph_explorer(
    functions: Mapping[str, Callable] | None = None,
    x: float = 2.0,
    xlim: tuple[float, float] = (-3.0, 3.0),
) -> ExplorerBox:
    """A live explorer of both frameworks' graphs; show it by making it the last expression of a cell."""
    return GraphExplorer(functions, x, xlim).widget
