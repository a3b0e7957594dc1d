"""Higher derivatives: nested tapes, create_graph and finite differences of the lower derivative agree
with the hand derivatives; the explorer's panels, slopes and readout follow its controls."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf
import torch

from helpers import (
    derivatives_explorer,
    finite_difference,
    plot_derivatives,
    tf_nth_derivative,
    torch_nth_derivative,
)
from helpers.derivatives import derivative_curves, tf_derivatives, torch_derivatives
from helpers.explorer import option_values
from helpers.functions import DERIVATIVE_EXAMPLES as EXAMPLES
from helpers.functions import sin
from helpers.higher_order import DerivativesExplorer, derivative_name
from helpers.values import LearnerInputError

# (function, [f′, f″, f‴] by hand): the explorer's examples, and x⁴ written with **
CASES = {
    "x^3": (EXAMPLES["x³"], [lambda x: 3 * x**2, lambda x: 6 * x, lambda x: 6.0]),
    "x^4 - 2x^2": (
        EXAMPLES["x⁴ − 2x²"],
        [lambda x: 4 * x**3 - 4 * x, lambda x: 12 * x**2 - 4, lambda x: 24 * x],
    ),
    "sin": (sin, [math.cos, lambda x: -math.sin(x), lambda x: -math.cos(x)]),
    "seed 004 polynomial": (
        EXAMPLES["5x³ + 2x² + 4x + 8"],
        [lambda x: 15 * x**2 + 4 * x + 4, lambda x: 30 * x + 4, lambda x: 30.0],
    ),
    "x**4": (lambda x: x**4, [lambda x: 4 * x**3, lambda x: 12 * x**2, lambda x: 24 * x]),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("x0", [-1.5, 0.0, 0.7, 2.0])
def test_nested_tapes_and_create_graph_agree_with_the_hand_derivative(name, n, x0):
    f, by_hand = CASES[name]
    expected = by_hand[n - 1](x0)
    assert tf_nth_derivative(f, x0, n) == pytest.approx(expected, rel=1e-5, abs=1e-4)
    assert torch_nth_derivative(f, x0, n) == pytest.approx(expected, rel=1e-5, abs=1e-4)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("x0", [-1.5, 0.7, 2.0])
def test_each_derivative_is_the_finite_difference_of_the_one_below(name, n, x0):
    f, _ = CASES[name]
    for nth in (tf_nth_derivative, torch_nth_derivative):
        # the lower derivative is float32, so a larger step keeps rounding out of the difference
        numeric = finite_difference(lambda x, nth=nth: nth(f, x, n - 1), x0, h=1e-2)
        assert nth(f, x0, n) == pytest.approx(numeric, rel=1e-3, abs=1e-3)


def test_seed_numbers():
    # seed 002: y = x·x·x at x = 1; seed 003: y = tf.pow(x, 3) at x = 2
    assert tf_derivatives(lambda x: x * x * x, 1.0, 2)[1:] == [3.0, 6.0]
    assert tf_derivatives(lambda x: tf.pow(x, 3), 2.0, 2)[1:] == [12.0, 12.0]
    assert torch_derivatives(lambda x: torch.pow(x, 3), 2.0, 2)[1:] == [12.0, 12.0]
    assert torch_derivatives(lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8, 2.0, 3)[1:] == [72.0, 64.0, 30.0]


def test_order_zero_is_the_function_itself():
    assert tf_nth_derivative(lambda x: x**3, 2.0, 0) == 8.0
    assert torch_nth_derivative(lambda x: x**3, 2.0, 0) == 8.0


def test_a_constant_lower_derivative_gives_zero_above_it():
    assert tf_derivatives(lambda x: x**2, 1.0, 4)[2:] == [2.0, 0.0, 0.0]
    assert torch_derivatives(lambda x: 3 * x, 1.0, 3)[1:] == [3.0, 0.0, 0.0]


def test_tensorflow_power_rule_gives_nan_at_zero_past_the_exponent():
    # the pitfall chapter 05 shows, and the reason EXAMPLES writes powers as products
    assert math.isnan(tf_nth_derivative(lambda x: x**2, 0.0, 3))
    assert tf_nth_derivative(lambda x: x * x, 0.0, 3) == 0.0
    assert torch_nth_derivative(lambda x: x**2, 0.0, 3) == 0.0


def test_a_nan_in_the_explorer_is_explained():
    explorer = DerivativesExplorer({"x²": lambda x: x**2}, x=0.0)
    assert math.isnan(explorer.values[3]) and "x * x" in explorer.readout.value
    explorer.x.value = 1.0
    assert "NaN" not in explorer.readout.value


def test_curves_on_a_grid_are_element_wise_derivatives():
    xs = np.linspace(-2.0, 2.0, 9)
    curves = derivative_curves(EXAMPLES["x⁴ − 2x²"], xs, 3)
    assert curves.shape == (4, 9)
    assert np.allclose(curves, [xs**4 - 2 * xs**2, 4 * xs**3 - 4 * xs, 12 * xs**2 - 4, 24 * xs], atol=1e-4)
    pointwise = [tf_nth_derivative(sin, x0, 2) for x0 in xs]
    assert np.allclose(derivative_curves(sin, xs, 2)[2], pointwise, atol=1e-6)


def test_names_of_derivatives():
    assert [derivative_name(k) for k in range(6)] == ["f", "f′", "f″", "f‴", "f⁽⁴⁾", "f⁽⁵⁾"]


def test_static_plot_marks_the_point_and_both_tangents():
    axes = plot_derivatives(lambda x: x**3, 1.0, n=3)
    assert len(axes) == 4
    tangent_f = axes[0].get_lines()[2]
    tangent_df = axes[1].get_lines()[2]
    xs, ys = tangent_f.get_data()
    assert np.polyfit(xs, ys, 1) == pytest.approx([3.0, -2.0])  # y = 1 + 3(x − 1)
    xs, ys = tangent_df.get_data()
    assert np.polyfit(xs, ys, 1) == pytest.approx([6.0, -3.0])  # y = 3 + 6(x − 1)
    heights = [float(ax.get_lines()[1].get_data()[1][0]) for ax in axes]
    assert heights == [1.0, 3.0, 6.0, 6.0]
    plt.close(axes[0].figure)


def test_static_plot_draws_on_given_axes_without_a_point():
    fig, axes = plt.subplots(3, 1)
    assert plot_derivatives(sin, n=2, axes=axes) == list(axes)
    assert all(len(ax.get_lines()) >= 2 for ax in axes)
    assert not axes[0].get_lines()[2].get_xdata().size  # no point: no tangent drawn
    plt.close(fig)


def test_slider_moves_point_tangents_and_readout():
    box = derivatives_explorer(x=1.0)
    explorer = box.explorer
    assert explorer.function.value == "x³"
    assert explorer.values == [1.0, 3.0, 6.0, 6.0]
    first_picture = bytes(explorer.image.value)
    assert first_picture.startswith(b"\x89PNG")
    curves_before = explorer.curves
    explorer.x.value = -0.5
    assert explorer.slopes == pytest.approx((0.75, -3.0))
    assert explorer.curves is curves_before  # the curves are not recomputed for a new x
    assert "f′ = 0.75" in explorer.readout.value and "f″ = -3" in explorer.readout.value
    assert bytes(explorer.image.value) != first_picture
    xs, ys = explorer.panels.tangents[1].get_data()
    assert np.polyfit(xs, ys, 1)[0] == pytest.approx(-3.0)


def test_choosing_a_function_recomputes_the_curves():
    explorer = DerivativesExplorer(x=0.5)
    explorer.function.value = "sin(x)"
    grid = explorer.grid
    assert np.allclose(explorer.curves, [np.sin(grid), np.cos(grid), -np.sin(grid), -np.cos(grid)], atol=1e-6)
    assert explorer.slopes == pytest.approx((math.cos(0.5), -math.sin(0.5)), rel=1e-5)
    explorer.function.value = "5x³ + 2x² + 4x + 8"
    assert explorer.values[1:] == pytest.approx([9.75, 19.0, 30.0])
    assert set(EXAMPLES) == set(option_values(explorer.function))


def test_text_form_explains_itself():
    assert "JupyterLab" in repr(derivatives_explorer())


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: tf_nth_derivative(lambda x: x**2, 1.0, 2.0), LearnerInputError, "whole number"),
        (lambda: torch_nth_derivative(lambda x: x**2, 1.0, "2"), LearnerInputError, "whole number"),
        (lambda: tf_nth_derivative(lambda x: x**2, 1.0, -1), ValueError, "at least 0"),
        (lambda: tf_nth_derivative("x**2", 1.0, 2), LearnerInputError, "must be a function"),
        (lambda: torch_nth_derivative(lambda x: x, torch.tensor(3), 2), LearnerInputError, "floating-point"),
        (lambda: tf_nth_derivative(lambda x: tf.constant(5.0), 1.0, 2), ValueError, "does not depend on x"),
        (lambda: torch_nth_derivative(lambda x: torch.tensor(5.0), 1.0, 2), ValueError, "does not depend"),
        (lambda: tf_nth_derivative(lambda x: x * tf.ones(3), 1.0, 2), ValueError, "must return one number"),
        (lambda: derivative_curves(tf.reduce_sum, np.linspace(0, 1, 5), 2), LearnerInputError,
         "element by element"),
        (lambda: derivative_curves(lambda x: x, [1.0], 2), ValueError, "1-D grid"),
        (lambda: plot_derivatives(lambda x: x, 5.0), ValueError, "outside the plotted range"),
        (lambda: plot_derivatives(lambda x: x, n=2, axes=plt.subplots(2, 1)[1]), ValueError, "Pass 3 Axes"),
        (lambda: derivatives_explorer({"bad": 3}), LearnerInputError, "must be a function"),
        (lambda: derivatives_explorer({}), ValueError, "at least one function"),
        (lambda: derivatives_explorer(n=1), ValueError, "between 2 and 4"),
        (lambda: derivatives_explorer(x=9.0), ValueError, "outside the plotted range"),
    ],
)
def test_mistakes_get_a_sentence(call, error, words):
    with pytest.raises(error, match=words):
        call()
    plt.close("all")


def test_the_derivatives_explorer_draws_a_square_root_and_says_where_it_is_undefined(recwarn):
    explorer = derivatives_explorer({"√x": tf.sqrt}, x=1.0).explorer
    assert explorer.values[1] == pytest.approx(0.5)
    assert all(np.isfinite(ax.get_ylim()).all() for ax in explorer.panels.axes)
    explorer.x.value = -1.0
    assert "f is not defined at x = -1.00" in explorer.readout.value
    assert "TensorFlow's rule for x**k" not in explorer.readout.value
    assert [str(w.message) for w in recwarn] == []
