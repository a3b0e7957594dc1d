"""Jacobians: one persistent tape (row by row), tape.jacobian, PyTorch and finite differences agree with
the hand-derived matrices; the heatmap shows the numbers; the explorer follows its sliders."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf
import torch

from helpers import jacobian_explorer, plot_jacobian
from helpers.derivatives import numeric_jacobian, tf_jacobian, torch_jacobian
from helpers.functions import JACOBIAN_EXAMPLES as EXAMPLES
from helpers.functions import stack
from helpers.jacobian_plot import JacobianExplorer
from helpers.values import LearnerInputError

# name in EXAMPLES -> the Jacobian by hand, as a function of (x₀, x₁)
BY_HAND = {
    "[x₀², x₀·x₁, sin x₁]": lambda a, b: [[2 * a, 0.0], [b, a], [0.0, math.cos(b)]],
    "polar → plane [x₀·cos x₁, x₀·sin x₁]": lambda a, b: [
        [math.cos(b), -a * math.sin(b)],
        [math.sin(b), a * math.cos(b)],
    ],
    "linear [x₀ + 2x₁, 3x₀ − x₁]": lambda a, b: [[1.0, 2.0], [3.0, -1.0]],
}
POINTS = [(1.0, 2.0), (-1.5, 0.5), (0.0, -2.5), (2.5, 1.57)]


def test_every_example_has_its_hand_jacobian():
    assert set(BY_HAND) == set(EXAMPLES)


@pytest.mark.parametrize("name", BY_HAND)
@pytest.mark.parametrize("point", POINTS)
def test_tape_rows_tape_jacobian_torch_and_finite_differences_agree_with_the_hand(name, point):
    f, _labels = EXAMPLES[name]
    expected = np.array(BY_HAND[name](*point))
    for matrix in (
        tf_jacobian(f, point),
        tf_jacobian(f, point, by_rows=True),
        torch_jacobian(f, point),
        numeric_jacobian(f, point),
    ):
        assert matrix.shape == expected.shape
        np.testing.assert_allclose(matrix, expected, rtol=1e-5, atol=1e-5)


def test_the_chapter_numbers():
    f = EXAMPLES["[x₀², x₀·x₁, sin x₁]"][0]
    np.testing.assert_allclose(tf_jacobian(f, [1.0, 2.0]), [[2, 0], [2, 1], [0, math.cos(2.0)]], rtol=1e-6)
    # exercise 03-jacobian: [x₀·x₁², x₀ + 3x₁] at (3, 2)
    g = lambda x: stack([x[0] * x[1] ** 2, x[0] + 3 * x[1]])  # noqa: E731
    for matrix in (tf_jacobian(g, [3.0, 2.0]), torch_jacobian(g, [3.0, 2.0])):
        np.testing.assert_allclose(matrix, [[4.0, 12.0], [1.0, 3.0]])


def test_an_output_that_ignores_x_gives_a_row_of_zeros():
    f = lambda x: tf.stack([x[0] * x[1], tf.constant(5.0)])  # noqa: E731
    for by_rows in (False, True):
        np.testing.assert_allclose(tf_jacobian(f, [2.0, 3.0], by_rows=by_rows), [[3.0, 2.0], [0.0, 0.0]])


def test_more_inputs_than_two():
    f = lambda x: stack([x[0] * x[1] * x[2]])  # noqa: E731
    np.testing.assert_allclose(tf_jacobian(f, [1.0, 2.0, 3.0], by_rows=True), [[6.0, 3.0, 2.0]])
    np.testing.assert_allclose(torch_jacobian(f, [1.0, 2.0, 3.0]), [[6.0, 3.0, 2.0]])


def test_the_heatmap_shows_labels_numbers_and_colours():
    matrix = np.array([[2.0, 0.0], [2.0, 1.0], [0.0, -0.416]])
    rows = ["f₀ = x₀²", "f₁ = x₀·x₁", "f₂ = sin x₁"]
    ax = plot_jacobian(matrix, rows, ["∂/∂x₀", "∂/∂x₁"], title="J")
    assert [t.get_text() for t in ax.get_yticklabels()] == rows
    assert [t.get_text() for t in ax.get_xticklabels()] == ["∂/∂x₀", "∂/∂x₁"]
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["∂f₀/∂x₀\n2", "∂f₀/∂x₁\n0", "∂f₁/∂x₀\n2", "∂f₁/∂x₁\n1", "∂f₂/∂x₀\n0", "∂f₂/∂x₁\n-0.416"]
    (image,) = ax.images
    np.testing.assert_allclose(image.get_array(), matrix)
    assert image.get_clim() == (-2.0, 2.0)  # symmetric, so 0 is the neutral colour
    assert ax.get_title() == "J"
    plt.close(ax.figure)


def test_a_zero_matrix_still_gets_a_colour_range():
    ax = plot_jacobian(np.zeros((1, 2)), ["f₀"], ["x₀", "x₁"])
    assert ax.images[0].get_clim() == (-1.0, 1.0)
    assert [t.get_text() for t in ax.texts] == ["∂f₀/∂x₀\n0", "∂f₀/∂x₁\n0"]
    plt.close(ax.figure)


def test_sliders_recompute_the_jacobian_picture_and_readout():
    explorer = jacobian_explorer(point=(1.0, 2.0)).explorer
    np.testing.assert_allclose(explorer.matrix, BY_HAND["[x₀², x₀·x₁, sin x₁]"](1.0, 2.0), rtol=1e-6)
    first_picture = bytes(explorer.image.value)
    assert first_picture.startswith(b"\x89PNG")
    vmax = explorer.heatmap.vmax
    explorer.x0.value = -2.0
    explorer.x1.value = 0.5
    assert explorer.point == (-2.0, 0.5)
    expected = BY_HAND["[x₀², x₀·x₁, sin x₁]"](-2.0, 0.5)
    np.testing.assert_allclose(explorer.matrix, expected, rtol=1e-6)
    np.testing.assert_allclose(explorer.heatmap.image.get_array(), expected, rtol=1e-6)
    assert explorer.heatmap.texts[0][0].get_text() == "∂f₀/∂x₀\n-4"
    assert explorer.heatmap.vmax == vmax  # colours keep their meaning while the point moves
    assert bytes(explorer.image.value) != first_picture
    assert "J at (-2.00, 0.50)" in explorer.readout.value
    assert "<td style='text-align:right;padding:0 1em'>0.878</td>" in explorer.readout.value  # cos 0.5


def test_the_colour_range_covers_the_whole_slider_range():
    explorer = JacobianExplorer(point=(0.0, 0.0), xlim=(-3.0, 3.0))
    assert explorer.heatmap.vmax == pytest.approx(6.0)  # |∂(x₀²)/∂x₀| = 6 at x₀ = ±3


def test_choosing_another_function_rebuilds_the_heatmap():
    explorer = JacobianExplorer(point=(2.0, 0.0))
    explorer.function.value = "polar → plane [x₀·cos x₁, x₀·sin x₁]"
    np.testing.assert_allclose(explorer.matrix, [[1.0, 0.0], [0.0, 2.0]], atol=1e-6)
    assert len(explorer.heatmap.texts) == 2
    rows = [t.get_text() for t in explorer.heatmap.ax.get_yticklabels()]
    assert rows == ["f₀ = x₀·cos x₁", "f₁ = x₀·sin x₁"]
    explorer.function.value = "linear [x₀ + 2x₁, 3x₀ − x₁]"
    before = explorer.matrix.copy()
    explorer.x0.value = -1.0
    np.testing.assert_allclose(explorer.matrix, before)  # a linear map has the same Jacobian everywhere


def test_where_f_is_undefined_the_cells_are_grey_and_the_readout_says_so():
    explorer = JacobianExplorer({"√x₀·x₁": lambda v: tf.stack([tf.sqrt(v[0]) * v[1]])}, point=(1.0, 2.0))
    vmax = explorer.heatmap.vmax
    assert math.isfinite(vmax) and vmax > 1.0  # from the part of the range where f is defined
    np.testing.assert_allclose(explorer.matrix, [[1.0, 1.0]], rtol=1e-6)  # x₁/(2√x₀), √x₀
    explorer.x0.value = -1.0
    assert [t.get_text() for t in explorer.heatmap.texts[0]] == ["∂f₀/∂x₀\nundefined", "∂f₀/∂x₁\nundefined"]
    grey = explorer.heatmap.image.cmap.get_bad()
    assert tuple(explorer.heatmap.image.to_rgba(np.array([[np.nan]]))[0, 0]) == tuple(grey)
    assert "undefined or infinite" in explorer.readout.value and "(grey cells)" in explorer.readout.value
    explorer.x0.value = 4.0
    assert "undefined" not in explorer.readout.value


def test_own_functions_get_default_labels():
    explorer = JacobianExplorer({"mine": lambda x: tf.stack([x[0] * x[1]])}, point=(2.0, 3.0))
    np.testing.assert_allclose(explorer.matrix, [[3.0, 2.0]])
    assert [t.get_text() for t in explorer.heatmap.ax.get_yticklabels()] == ["f₀"]


def test_text_form_explains_itself():
    assert "JupyterLab" in repr(jacobian_explorer())


def _leaves_tensorflow(x):
    return np.array([x.numpy()[0] ** 2, 1.0])


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: plot_jacobian([[1.0, 2.0]], ["f₀"], ["x₀"]), ValueError, "2 columns"),
        (lambda: plot_jacobian([[1.0, 2.0]], "f₀", ["x₀", "x₁"]), ValueError, "a single string"),
        (lambda: plot_jacobian([1.0, 2.0], ["f₀"], ["x₀", "x₁"]), ValueError, "must be a matrix"),
        (lambda: plot_jacobian("J", ["f₀"], ["x₀"]), LearnerInputError, "should be a number"),
        (lambda: plot_jacobian([[1.0]], ["f₀"], ["x₀"], vmax=-1), ValueError, "positive number"),
        (lambda: tf_jacobian(3.0, [1.0]), LearnerInputError, "must be a function of a vector"),
        (lambda: tf_jacobian(lambda x: x, tf.constant([1, 2])), LearnerInputError, "floating-point"),
        (lambda: tf_jacobian(lambda x: x, [[1.0, 2.0]]), ValueError, "flat list"),
        (lambda: tf_jacobian(lambda x: x, [1.0, float("nan")]), ValueError, "NaN"),
        (lambda: tf_jacobian(_leaves_tensorflow, [1.0]), ValueError, "could not follow"),
        (lambda: tf_jacobian(lambda x: tf.reduce_sum(x), [1.0, 2.0]), ValueError, "must return a vector"),
        (lambda: tf_jacobian(lambda x: x[5], [1.0, 2.0]), ValueError, "Calling f"),
        (lambda: torch_jacobian(lambda x: x.sum(), [1.0, 2.0]), ValueError, "must return a vector"),
        (lambda: numeric_jacobian(lambda x: x, [1.0], h=0), ValueError, "small positive"),
        (lambda: jacobian_explorer({}), ValueError, "at least one function"),
        (lambda: jacobian_explorer({"bad": 3}), LearnerInputError, "must be a function of a vector"),
        (lambda: jacobian_explorer(point=(1.0, 2.0, 3.0)), ValueError, "two sliders"),
        (lambda: jacobian_explorer(point=(5.0, 0.0)), ValueError, "outside the slider range"),
        (lambda: jacobian_explorer(xlim=(1.0, -1.0)), ValueError, "smallest < largest"),
        (
            lambda: jacobian_explorer({"f": (lambda x: tf.stack([x[0], x[1]]), ["only one"])}),
            ValueError,
            "2 row labels",
        ),
    ],
)
def test_bad_requests_get_a_sentence(call, error, words):
    with pytest.raises(error, match=words):
        call()
    plt.close("all")


def test_torch_agrees_with_the_tape_on_a_torch_only_function():
    f = lambda x: torch.stack([torch.exp(x[0]) * x[1], x[1] ** 3])  # noqa: E731
    np.testing.assert_allclose(
        torch_jacobian(f, [0.0, 2.0]), [[2.0, 1.0], [0.0, 12.0]], rtol=1e-6
    )
