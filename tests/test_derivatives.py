"""The three ways of computing a derivative agree, and every misuse gets a clear sentence."""

import math

import numpy as np
import pytest
import tensorflow as tf
import torch

from helpers import finite_difference, tf_derivative, torch_derivative
from helpers.functions import EXAMPLES, sin
from helpers.values import LearnerInputError

# (function, its derivative by hand)
CASES = {
    "square": (lambda x: x**2, lambda x: 2 * x),
    "seed exercise": (lambda x: x**2 + 2 * x - 1, lambda x: 2 * x + 2),
    "seed 004 polynomial": (lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8, lambda x: 15 * x**2 + 4 * x + 4),
    "x^4": (lambda x: x**4, lambda x: 4 * x**3),
    "sin": (sin, math.cos),
}


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("x0", [-2.5, -1.0, 0.0, 0.5, 3.0])
def test_tape_autograd_and_finite_difference_agree_with_the_hand_derivative(name, x0):
    f, df = CASES[name]
    expected = df(x0)
    assert tf_derivative(f, x0) == pytest.approx(expected, rel=1e-5, abs=1e-4)
    assert torch_derivative(f, x0) == pytest.approx(expected, rel=1e-5, abs=1e-4)
    assert finite_difference(f, x0) == pytest.approx(expected, rel=1e-6, abs=1e-6)


def test_seed_numbers():
    assert tf_derivative(lambda x: x * x, 3.0) == 6.0
    assert tf_derivative(lambda x: tf.pow(x, 4), 3.0) == 108.0
    assert torch_derivative(lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8, 2.0) == 72.0


POINTS = [3, 3.0, np.float32(3.0), np.array(3.0), tf.constant(3.0), torch.tensor(3.0)]


@pytest.mark.parametrize("point", POINTS)
def test_points_in_every_form_are_accepted(point):
    assert tf_derivative(lambda x: x**2, point) == 6.0
    assert torch_derivative(lambda x: x**2, point) == 6.0


def test_examples_work_on_every_library():
    for name, f in EXAMPLES.items():
        assert tf_derivative(f, 0.7) == pytest.approx(torch_derivative(f, 0.7), rel=1e-5), name


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: tf_derivative(3, 2.0), LearnerInputError, "must be a function of x"),
        (lambda: torch_derivative("x**2", 2.0), LearnerInputError, "must be a function of x"),
        (lambda: tf_derivative(lambda x: x, tf.constant(3)), LearnerInputError, "floating-point"),
        (lambda: torch_derivative(lambda x: x, torch.tensor(3)), LearnerInputError, "3.0, not 3"),
        (lambda: tf_derivative(lambda x: x, np.array([1, 2])), LearnerInputError, "floating-point"),
        (lambda: tf_derivative(lambda x: x, [1.0, 2.0]), ValueError, "single number"),
        (lambda: tf_derivative(lambda x: x, "2"), LearnerInputError, "number or a tensor"),
        (lambda: tf_derivative(lambda x: x, float("nan")), ValueError, "finite number"),
        (lambda: torch_derivative(lambda x: x, float("inf")), ValueError, "finite number"),
        (lambda: tf_derivative(lambda x: x * tf.ones(3), 1.0), ValueError, "must return one number"),
        (lambda: torch_derivative(lambda x: x * torch.ones(3), 1.0), ValueError, "must return one number"),
        (lambda: tf_derivative(lambda x: x.numpy() ** 2, 1.0), ValueError, "could not follow"),
        (lambda: tf_derivative(lambda x: 5.0, 1.0), ValueError, "plain number 5"),
        (lambda: torch_derivative(lambda x: torch.tensor(5.0), 1.0), ValueError, "does not depend on x"),
        (lambda: tf_derivative(lambda x: tf.constant(5.0), 1.0), ValueError, "does not depend on x"),
        (lambda: tf_derivative(lambda x: x / "a", 1.0), ValueError, "Calling f"),
        (lambda: finite_difference(lambda x: x, 1.0, h=0), ValueError, "small positive"),
        (lambda: finite_difference(lambda x: np.ones(2) * x, 1.0), LearnerInputError, "one number"),
    ],
)
def test_mistakes_get_a_sentence(call, error, words):
    with pytest.raises(error, match=words):
        call()
