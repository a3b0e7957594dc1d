"""Two-variable gradients: tape, autograd, finite differences and the hand derivatives agree, and the
picture and the explorer follow their point."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf
import torch

from helpers import (
    finite_difference_partials,
    gradient_explorer,
    plot_gradient_field,
    tf_partials,
    torch_partials,
)
from helpers.derivatives import tf_partials_on_grid
from helpers.functions import GRADIENT_EXAMPLES as EXAMPLES
from helpers.gradient_field import GradientExplorer
from helpers.values import LearnerInputError

# the same functions' gradients, derived by hand
BY_HAND = {
    "x² + 3y²": lambda x, y: (2 * x, 6 * y),
    "x·y": lambda x, y: (y, x),
    "sin(x)·cos(y)": lambda x, y: (math.cos(x) * math.cos(y), -math.sin(x) * math.sin(y)),
    "3x² + 2y": lambda x, y: (6 * x, 2.0),
}
POINTS = [(2.0, 3.0), (-1.5, 0.5), (0.0, -2.0), (1.0, 1.0)]


@pytest.mark.parametrize("name", list(EXAMPLES))
@pytest.mark.parametrize("point", POINTS)
def test_tape_autograd_and_finite_differences_agree_with_the_hand_derivative(name, point):
    f, expected = EXAMPLES[name], BY_HAND[name](*point)
    assert tf_partials(f, point) == pytest.approx(expected, rel=1e-5, abs=1e-5)
    assert torch_partials(f, point) == pytest.approx(expected, rel=1e-5, abs=1e-5)
    assert finite_difference_partials(f, point) == pytest.approx(expected, rel=1e-6, abs=1e-6)


def test_the_seed_function_at_two_three():
    def f(x, y):
        return 3 * x**2 + 2 * y

    assert tf_partials(f, (2.0, 3.0)) == pytest.approx((12.0, 2.0))
    assert torch_partials(f, [2.0, 3.0]) == pytest.approx((12.0, 2.0))
    assert finite_difference_partials(f, np.array([2.0, 3.0])) == pytest.approx((12.0, 2.0))


def test_a_variable_the_function_ignores_gets_a_sentence_not_a_silent_zero():
    for partials in (tf_partials, torch_partials):
        with pytest.raises(ValueError, match="no path from y"):
            partials(lambda x, y: x**2, (3.0, 1.0))
        assert partials(lambda x, y: x**2 + 0 * y, (3.0, 1.0)) == (6.0, 0.0)
    with pytest.raises(ValueError, match="no path from x or y"):
        torch_partials(lambda x, y: torch.tensor(5.0), (3.0, 1.0))
    # .numpy() breaks the chain through x: the tape must say so instead of reporting ∂f/∂x = 0
    with pytest.raises(ValueError, match="no path from x.*no .numpy"):
        tf_partials(lambda x, y: np.sin(x.numpy()) * y, (1.0, 2.0))


def test_framework_values_are_accepted_as_the_point():
    f = EXAMPLES["x·y"]
    assert tf_partials(f, (tf.constant(2.0), torch.tensor(3.0))) == pytest.approx((3.0, 2.0))


def test_grid_gradients_match_the_pointwise_ones():
    xs, ys = np.meshgrid(np.linspace(-2, 2, 5), np.linspace(-1, 1, 3))
    for name, f in EXAMPLES.items():
        dx, dy = tf_partials_on_grid(f, xs, ys)
        assert dx.shape == xs.shape and dy.shape == ys.shape
        for i, j in [(0, 0), (1, 3), (2, 4)]:
            expected = BY_HAND[name](xs[i, j], ys[i, j])
            assert (dx[i, j], dy[i, j]) == pytest.approx(expected, rel=1e-5, abs=1e-5)


def test_static_picture_points_the_arrow_along_the_gradient_and_across_the_contour():
    ax = plot_gradient_field(EXAMPLES["x² + 3y²"], (1.0, 1.0), label="x² + 3y²")
    try:
        arrow = next(t for t in ax.texts if hasattr(t, "arrow_patch") and t.arrow_patch is not None)
        base, tip = np.array(arrow.xyann), np.array(arrow.xy)
        assert tuple(base) == (1.0, 1.0)
        direction = (tip - base) / np.linalg.norm(tip - base)
        assert direction == pytest.approx(np.array([2.0, 6.0]) / math.hypot(2.0, 6.0))
        along = next(line for line in ax.lines if line.get_linestyle() == "--")
        xs, ys = along.get_data()
        assert np.dot([xs[1] - xs[0], ys[1] - ys[0]], [2.0, 6.0]) == pytest.approx(0.0, abs=1e-9)
        assert "(2, 6)" in ax.get_title()
        assert any("f = 4" in label for label in ax.get_legend_handles_labels()[1])
    finally:
        plt.close(ax.figure)


def test_sliders_move_the_point_the_arrow_and_the_readout():
    box = gradient_explorer(x=1.0, y=1.0)
    explorer = box.explorer
    assert explorer.gradient == pytest.approx((2.0, 6.0))
    first_picture = bytes(explorer.image.value)
    assert first_picture.startswith(b"\x89PNG")
    explorer.x.value = -2.0
    assert explorer.gradient == pytest.approx((-4.0, 6.0))
    explorer.y.value = 0.5
    assert explorer.gradient == pytest.approx((-4.0, 3.0))
    assert "∂f/∂x = -4, ∂f/∂y = 3" in explorer.readout.value
    assert "|∇f| = 5" in explorer.readout.value
    assert bytes(explorer.image.value) != first_picture
    picture = explorer.drawing
    assert tuple(picture.point.get_data()[0]) == (-2.0,)
    tip = np.array(picture.arrow.xy) - np.array(picture.arrow.xyann)
    assert tip == pytest.approx(picture.arrow_scale * np.array([-4.0, 3.0]))


def test_a_flat_point_hides_the_arrow_and_says_so():
    explorer = GradientExplorer(x=0.0, y=0.0)
    assert explorer.gradient == (0.0, 0.0)
    assert not explorer.drawing.arrow.get_visible()
    assert "flat point" in explorer.readout.value
    explorer.x.value = 1.0
    assert explorer.drawing.arrow.get_visible()


def test_choosing_a_function_redraws_the_contours_once():
    explorer = GradientExplorer(x=0.5, y=0.0)
    first_contours = explorer.drawing.contours
    artists = len(explorer.drawing.ax.collections)
    explorer.function.value = "sin(x)·cos(y)"
    assert explorer.drawing.contours is not first_contours
    assert len(explorer.drawing.ax.collections) == artists  # the old contours were removed
    assert explorer.gradient == pytest.approx((math.cos(0.5), 0.0), abs=1e-6)
    contours = explorer.drawing.contours
    explorer.y.value = 1.0  # moving the point keeps the contours
    assert explorer.drawing.contours is contours
    assert "sin(x)·cos(y)" in explorer.drawing.ax.get_title()


def test_own_functions_can_be_explored():
    explorer = GradientExplorer({"a²·b": lambda a, b: a**2 * b}, x=3.0, y=2.0)
    assert explorer.gradient == pytest.approx((12.0, 9.0))


def test_text_form_explains_itself():
    assert "JupyterLab" in repr(gradient_explorer())


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: tf_partials(3.0, (1.0, 2.0)), LearnerInputError, "function of two variables"),
        (lambda: tf_partials(lambda x: x**2, (1.0, 2.0)), LearnerInputError, "two arguments"),
        (lambda: tf_partials(EXAMPLES["x·y"], 1.0), LearnerInputError, r"pair \(x, y\)"),
        (lambda: tf_partials(EXAMPLES["x·y"], (1.0, 2.0, 3.0)), ValueError, "3 entries"),
        (lambda: tf_partials(EXAMPLES["x·y"], (tf.constant(1), 2.0)), LearnerInputError, "floating-point"),
        (lambda: torch_partials(EXAMPLES["x·y"], "1, 2"), LearnerInputError, "pair"),
        (lambda: tf_partials(lambda x, y: np.sin(x.numpy() * y.numpy()), (1.0, 2.0)), ValueError, "follow"),
        (lambda: torch_partials(lambda x, y: torch.stack([x, y]), (1.0, 2.0)), ValueError, "one number"),
        (lambda: finite_difference_partials(EXAMPLES["x·y"], (1.0, 2.0), h=0), ValueError, "positive"),
        (lambda: plot_gradient_field(EXAMPLES["x·y"], (1.0, 5.0)), ValueError, "y = 5 lies outside"),
        (lambda: plot_gradient_field(EXAMPLES["x·y"], (0.0, 0.0), xlim=(2, -2)), ValueError, "smallest <"),
        (lambda: gradient_explorer({}), ValueError, "at least one function"),
        (lambda: gradient_explorer({"bad": 3}), LearnerInputError, "'bad' must be a function"),
        (lambda: gradient_explorer(x=4.0), ValueError, "x = 4 lies outside"),
        (
            lambda: plot_gradient_field(lambda x, y: tf.stack([x, y]), (0.0, 0.0)),
            LearnerInputError,
            "element by element",
        ),
    ],
)
def test_bad_requests_get_a_sentence(call, error, words):
    with pytest.raises(error, match=words):
        call()
    plt.close("all")
