"""The tangent plot: the right line through the right point, and clear words for bad ranges."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from helpers import plot_tangent
from helpers.tangent import curve
from helpers.values import LearnerInputError


def test_tangent_touches_the_curve_with_the_tape_slope():
    ax = plot_tangent(lambda x: x**2, 3.0, label="x²")
    curve_line, tangent, point = ax.get_lines()
    xs, ys = tangent.get_data()
    assert np.polyfit(xs, ys, 1)[0] == pytest.approx(6.0)
    assert tuple(point.get_data()[0]) == (3.0,) and tuple(point.get_data()[1]) == (9.0,)
    assert np.allclose(curve_line.get_data()[1], curve_line.get_data()[0] ** 2)
    assert "6" in ax.get_title()
    plt.close(ax.figure)


def test_draws_on_the_axes_it_is_given():
    fig, (left, right) = plt.subplots(1, 2)
    assert plot_tangent(lambda x: x**3, 1.0, ax=right) is right
    assert not left.get_lines() and len(right.get_lines()) == 3
    plt.close(fig)


def test_a_given_slope_is_drawn_as_given():
    ax = plot_tangent(lambda x: x**2, 1.0, slope=-1.0)
    xs, ys = ax.get_lines()[1].get_data()
    assert np.polyfit(xs, ys, 1)[0] == pytest.approx(-1.0)
    plt.close(ax.figure)


def test_curve_accepts_torch_only_functions():
    assert np.allclose(curve(torch.sin, np.array([0.0, 1.0])), np.sin([0.0, 1.0]))


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"f": lambda x: x, "x0": 5.0, "xlim": (0, 1)}, ValueError, "outside the plotted range"),
        ({"f": lambda x: x, "x0": 0.5, "xlim": (1, 0)}, ValueError, "smallest < largest"),
        ({"f": lambda x: np.stack([x, x]), "x0": 0.5}, LearnerInputError, "element by element"),
        ({"f": 2.0, "x0": 0.5}, LearnerInputError, "must be a function"),
        ({"f": lambda x: x, "x0": "1"}, LearnerInputError, "number or a tensor"),
    ],
)
def test_bad_plot_requests_get_a_sentence(kwargs, error, words):
    f, x0 = kwargs.pop("f"), kwargs.pop("x0")
    with pytest.raises(error, match=words):
        plot_tangent(f, x0, **kwargs)
    plt.close("all")
