"""Chapter 06: the line-fit helpers agree with TensorFlow, PyTorch and finite differences, gradient
descent behaves on both sides of 2/L, and the explorer follows its sliders."""

import numpy as np
import pytest
import tensorflow as tf
import torch

from helpers import finite_difference, regression_explorer
from helpers.regression import (
    RegressionExplorer,
    closed_form_fit,
    gradient_descent,
    make_line_data,
    mse,
    mse_gradient,
    mse_hessian,
    stable_learning_rate,
)
from helpers.values import LearnerInputError

SEED_X = [1.0, 2.0, 3.0, 4.0]
SEED_Y = [2.0, 4.0, 6.0, 8.0]


def test_seed_gradient_by_hand_tape_autograd_and_finite_difference():
    by_hand = mse_gradient(0.5, 0.1, SEED_X, SEED_Y)
    assert by_hand == pytest.approx((-22.0, -7.3))

    w, b = tf.Variable(0.5), tf.Variable(0.1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.constant(SEED_Y) - (w * tf.constant(SEED_X) + b)))
    tape_grads = [g.numpy() for g in tape.gradient(loss, [w, b])]
    assert tape_grads == pytest.approx(by_hand, rel=1e-5)

    wt = torch.tensor(0.5, requires_grad=True)
    bt = torch.tensor(0.1, requires_grad=True)
    torch.mean((torch.tensor(SEED_Y) - (wt * torch.tensor(SEED_X) + bt)) ** 2).backward()
    assert [wt.grad.item(), bt.grad.item()] == pytest.approx(by_hand, rel=1e-5)

    numeric_w = finite_difference(lambda v: mse(v, 0.1, SEED_X, SEED_Y), 0.5)
    numeric_b = finite_difference(lambda v: mse(0.5, v, SEED_X, SEED_Y), 0.1)
    assert (numeric_w, numeric_b) == pytest.approx(by_hand, rel=1e-6)
    assert float(mse(0.5, 0.1, SEED_X, SEED_Y)) == pytest.approx(16.135)


def test_data_are_fixed_by_the_seed():
    x, y = make_line_data()
    assert x.shape == y.shape == (50,) and x.dtype == np.float32
    again = make_line_data()
    assert np.array_equal(x, again[0]) and np.array_equal(y, again[1])
    assert not np.array_equal(y, make_line_data(seed=1)[1])


def test_closed_form_matches_polyfit_and_gradient_descent():
    x, y = make_line_data()
    best = closed_form_fit(x, y)
    assert best == pytest.approx(tuple(np.polyfit(x.astype(float), y.astype(float), 1)), rel=1e-9)
    path = gradient_descent(x, y, lr=0.2, steps=200)
    assert not path.diverged and path.steps == 200
    assert (path.w[-1], path.b[-1]) == pytest.approx(best, abs=1e-4)
    assert path.loss[-1] == pytest.approx(float(mse(*best, x, y)), rel=1e-6)


def test_hessian_matches_nested_tapes_and_bound_separates_convergence_from_divergence():
    x, y = make_line_data()
    theta = tf.Variable([0.3, -0.2])
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            loss = tf.reduce_mean(tf.square(tf.constant(y) - (theta[0] * tf.constant(x) + theta[1])))
        grad = inner.gradient(loss, theta)
    assert outer.jacobian(grad, theta).numpy() == pytest.approx(mse_hessian(x), rel=1e-4)

    bound = stable_learning_rate(x)
    assert bound == pytest.approx(2 / np.linalg.eigvalsh(mse_hessian(x)).max())
    below = gradient_descent(x, y, lr=0.95 * bound, steps=300)
    above = gradient_descent(x, y, lr=1.05 * bound, steps=300)
    assert not below.diverged and below.loss[-1] < below.loss[0]
    assert above.diverged and above.steps < 300 and np.all(np.isfinite(above.loss))
    assert stable_learning_rate(SEED_X) == pytest.approx(0.1197561, rel=1e-6)


def test_sliders_change_the_path_the_picture_and_the_readout():
    explorer = RegressionExplorer()
    picture = bytes(explorer.image.value)
    assert picture.startswith(b"\x89PNG")
    assert explorer.path.steps == 50 and (explorer.path.w[0], explorer.path.b[0]) == (4.5, -1.5)
    loss_after_50 = explorer.final[2]

    explorer.steps.value = 200
    assert explorer.path.steps == 200 and explorer.final[2] < loss_after_50
    assert bytes(explorer.image.value) != picture
    assert len(explorer.descent.get_data()[0]) == 201

    explorer.w0.value, explorer.b0.value = 0.0, 0.0
    assert (explorer.path.w[0], explorer.path.b[0]) == (0.0, 0.0)
    assert tuple(explorer.start_point.get_data()[0]) == (0.0,)

    explorer.lr.value = 0.5
    assert explorer.path.diverged and "diverged" in explorer.readout.value
    assert "0.434" in explorer.readout.value
    explorer.lr.value = 0.2
    assert not explorer.path.diverged and "least squares" in explorer.readout.value
    w, b, _ = explorer.final
    assert explorer.fit_line.get_data()[1][0] == pytest.approx(w * explorer.fit_grid[0] + b)


def test_data_on_an_exact_line_draw_without_warnings(recwarn):
    """The 06 exercise's own data: a least-squares loss of 0, which a log axis cannot show."""
    explorer = regression_explorer(x=[1, 2, 3, 4], y=[2, 4, 6, 8]).explorer
    explorer.steps.value = 300
    low, high = explorer.ax_loss.get_ylim()
    assert 0 < low < 1e-6 and np.isfinite(high), (low, high)
    assert explorer.final[0] == pytest.approx(2.0, abs=1e-3)
    assert [str(w.message) for w in recwarn] == []


def test_text_form_explains_itself():
    assert "JupyterLab" in repr(regression_explorer())


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: mse_gradient(0.5, 0.1, [1.0, 2.0], [2.0]), ValueError, "every point needs one x and one y"),
        (lambda: closed_form_fit([1.0], [2.0]), ValueError, "at least two data points"),
        (lambda: closed_form_fit([1.0, 1.0], [2.0, 3.0]), ValueError, "slope is undetermined"),
        (lambda: closed_form_fit([1.0, np.nan], [2.0, 3.0]), ValueError, "NaN or infinity"),
        (lambda: closed_form_fit("1, 2", [2.0, 3.0]), LearnerInputError, "should be a number"),
        (lambda: gradient_descent(SEED_X, SEED_Y, lr=-0.1, steps=10), ValueError, "positive number"),
        (lambda: gradient_descent(SEED_X, SEED_Y, lr=0.1, steps=10.5), LearnerInputError, "whole number"),
        (lambda: gradient_descent(SEED_X, SEED_Y, lr=0.1, steps=-1), ValueError, "at least 0"),
        (lambda: regression_explorer(x=SEED_X), ValueError, "both x and y"),
        (lambda: regression_explorer(lr=2.0), ValueError, "between 0.01 and 0.6"),
        (lambda: regression_explorer(w0=9.0), ValueError, "outside the plotted range"),
        (lambda: regression_explorer(steps=1000), ValueError, "at most 300"),
    ],
)
def test_bad_requests_get_a_sentence(call, error, words):
    with pytest.raises(error, match=words):
        call()
