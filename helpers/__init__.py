"""Shared code for the automatic-differentiation notebooks.

Importing the package only defines functions; call `helpers.setup()` at the top of a notebook
to quieten TensorFlow, fix the seeds and set the plot style.
"""

from helpers.checks import check, confirm
from helpers.control_flow import (
    loop_explorer,
    plot_loop_derivatives,
    plot_loop_slopes,
    plot_tape_derivative,
    torch_graph_nodes,
)
from helpers.derivatives import finite_difference, tf_derivative, torch_derivative
from helpers.environment import environment_report, setup
from helpers.errors import show_error
from helpers.gradient_field import (
    finite_difference_partials,
    gradient_explorer,
    plot_gradient_field,
    tf_partials,
    torch_partials,
)
from helpers.graph_explorer import graph_explorer
from helpers.graphs import as_png, compare_graphs, tf_graph, torch_graph
from helpers.higher_order import (
    derivatives_explorer,
    plot_derivatives,
    tf_nth_derivative,
    torch_nth_derivative,
)
from helpers.jacobian_plot import jacobian_explorer, plot_jacobian
from helpers.optional import MissingLibrary, optional_import
from helpers.pitfalls import pitfall_explorer, plot_pitfall_summary
from helpers.regression import regression_explorer
from helpers.tangent import plot_tangent
from helpers.tangent_explorer import tangent_explorer

__all__ = [
    "as_png",
    "check",
    "compare_graphs",
    "confirm",
    "derivatives_explorer",
    "environment_report",
    "finite_difference",
    "finite_difference_partials",
    "gradient_explorer",
    "graph_explorer",
    "jacobian_explorer",
    "loop_explorer",
    "MissingLibrary",
    "optional_import",
    "pitfall_explorer",
    "plot_loop_derivatives",
    "plot_loop_slopes",
    "plot_pitfall_summary",
    "plot_derivatives",
    "plot_gradient_field",
    "plot_jacobian",
    "plot_tangent",
    "plot_tape_derivative",
    "regression_explorer",
    "setup",
    "show_error",
    "tangent_explorer",
    "tf_derivative",
    "tf_graph",
    "tf_nth_derivative",
    "tf_partials",
    "torch_derivative",
    "torch_graph",
    "torch_graph_nodes",
    "torch_nth_derivative",
    "torch_partials",
]
