"""Shared code for the automatic-differentiation notebooks.

Importing the package only defines functions; call `helpers.setup()` at the top of a notebook
to quieten TensorFlow, fix the seeds and set the plot style.
"""

from helpers.checks import check, confirm
from helpers.derivatives import finite_difference, tf_derivative, torch_derivative
from helpers.environment import environment_report, setup
from helpers.errors import show_error
from helpers.tangent import plot_tangent
from helpers.tangent_explorer import tangent_explorer

__all__ = [
    "check",
    "confirm",
    "environment_report",
    "finite_difference",
    "plot_tangent",
    "setup",
    "show_error",
    "tangent_explorer",
    "tf_derivative",
    "torch_derivative",
]
