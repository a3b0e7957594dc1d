"""The graph explorer: pick a function and an x; see the TensorFlow and PyTorch graphs and both gradients."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np

from helpers.derivatives import finite_difference, tf_derivative, torch_derivative
from helpers.explorer import Explorer, ExplorerBox, Tour, function_menu, registered, slider
from helpers.functions import GRAPH_EXAMPLES
from helpers.graphs import GraphPicture, TextGraph, compare_graphs, value_text
from helpers.optional import needs
from helpers.translation import _
from helpers.values import check_range, require_function_menu, to_array, to_point

__all__ = ["graph_explorer"]


class GraphExplorer(Explorer):
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
        low, high = check_range(xlim, point=x, what=_("the slider's range"))
        self.tf_gradient = float("nan")
        self.torch_gradient = float("nan")
        self.numeric_gradient = float("nan")
        self.picture: GraphPicture | TextGraph | None = None

        self.function, self.x = function_menu(self.functions), slider("x", x, low, high)
        self.image = widgets.Image(format="svg+xml")  # laid out once per function, relabelled per x
        self._svg = ""
        self.text = widgets.HTML()  # used instead of the image when Graphviz is missing
        self.assemble([widgets.HBox([self.function, self.x])], [self.image, self.text],
                      {self._update: [self.function, self.x]})

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
        self.readout.value = _(
            "<b>f(x) = {function} at x = {x:.2f}</b>: "
            "tape.gradient gives <b>{tape:.6g}</b>, "
            "x.grad gives <b>{autograd:.6g}</b>, "
            "a finite difference gives {numeric:.6g}."
        ).format(function=html.escape(self.function.value), x=x0, tape=self.tf_gradient,
                 autograd=self.torch_gradient, numeric=self.numeric_gradient)

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


@registered(Tour("x", (-1.0, 0.5, 2.5), then="function", repaints_in_part=False,
                 says=lambda x: [f"tape.gradient gives {15 * x * x + 4 * x + 4:g}"]))
@needs("torch")
def graph_explorer(
    functions: Mapping[str, Callable] | None = None,
    x: float = 2.0,
    xlim: tuple[float, float] = (-3.0, 3.0),
) -> ExplorerBox:
    """A live explorer of both frameworks' graphs; show it by making it the last expression of a cell."""
    return GraphExplorer(functions, x, xlim).widget
