"""Property-based checks (hypothesis): for random polynomials and points, TensorFlow, PyTorch, finite
differences and the exact derivative agree; the tangent's slope is the derivative; the self-check
accepts every correct answer form and rejects perturbed ones.

Runs are reproducible: derandomize=True draws the same examples every time, and database=None
keeps hypothesis from writing a .hypothesis folder into the working tree.
"""

from unittest import mock

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import finite_difference, plot_tangent, tf_derivative, torch_derivative
from helpers.checks import evaluate
from helpers.exercises import EXERCISES, Exercise

REPRODUCIBLE = settings(
    max_examples=40, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# ---------------------------------------------------------------- polynomials and their derivatives

# Degree 1 to 4 (a constant would give f no path from x at all), coefficients in [-5, 5], x in [-3, 3].
coefficients = st.lists(st.floats(-5.0, 5.0, allow_nan=False), min_size=2, max_size=5)
points = st.floats(-3.0, 3.0, allow_nan=False)

EPS32 = float(np.finfo(np.float32).eps)  # 1.19e-7


def polynomial(coeffs: list[float]):
    """p(x) = c₀ + c₁x + … + cₙxⁿ, written with + * ** only, so it runs on NumPy, TensorFlow and PyTorch."""

    def p(x):
        total = coeffs[0] + coeffs[1] * x
        for k, c in enumerate(coeffs[2:], start=2):
            total = total + c * x**k
        return total

    return p


def exact_derivative(coeffs: list[float], x: float) -> float:
    """p′(x) in float64 from numpy.polyder (which wants the highest power first)."""
    return float(np.polyval(np.polyder(np.array(coeffs[::-1])), x))


def float32_tolerance(coeffs: list[float], x: float) -> float:
    """How far a float32 tape or autograd may be from the exact p′(x).

    Term k of p′ is k·cₖ·x^(k−1). In float32 each of x, cₖ, the power, the products and the running sum
    is rounded once, each rounding a relative error of at most EPS32 / 2, so one term is off by at most
    about 8 · EPS32 · k·|cₖ|·|x|^(k−1). Rounding x itself to float32 moves p′ by |p″(x)|·|x|·EPS32 / 2,
    whose terms are k·(k−1)·|cₖ|·|x|^(k−1) · EPS32 / 2. Both are covered by
        16 · EPS32 · Σ k²·|cₖ|·|x|^(k−1),
    which is about 5e-3 at worst here (|cₖ| = 5, |x| = 3, degree 4); 1e-6 more covers p′ ≈ 0 cases.
    """
    scale = sum(k * k * abs(c) * abs(x) ** (k - 1) for k, c in enumerate(coeffs) if k > 0)
    return 16 * EPS32 * scale + 1e-6


# The float64 central difference with h = 1e-5 is off by h²/6·|p‴| ≤ 1e-10/6 · 390 ≈ 7e-9 (truncation)
# plus about EPS64·max|p|/h ≈ 2.2e-16 · 605 / 1e-5 ≈ 1.3e-8 (rounding): 1e-6 leaves ample room.
FINITE_DIFFERENCE_TOLERANCE = 1e-6


@REPRODUCIBLE
@given(coeffs=coefficients, x=points)
def test_tape_autograd_finite_difference_and_the_exact_derivative_agree(coeffs, x):
    p, exact = polynomial(coeffs), exact_derivative(coeffs, x)
    tolerance = float32_tolerance(coeffs, x)
    assert tf_derivative(p, x) == pytest.approx(exact, abs=tolerance)
    assert torch_derivative(p, x) == pytest.approx(exact, abs=tolerance)
    assert finite_difference(p, x) == pytest.approx(exact, abs=FINITE_DIFFERENCE_TOLERANCE)


@REPRODUCIBLE
@given(coeffs=coefficients, x=points)
def test_the_tangent_touches_the_curve_with_the_derivative_as_its_slope(coeffs, x):
    p = polynomial(coeffs)
    ax = plot_tangent(p, x)
    try:
        _, tangent, point = ax.get_lines()
        xs, ys = (np.asarray(v, dtype=np.float64) for v in tangent.get_data())
        slope = (ys[-1] - ys[0]) / (xs[-1] - xs[0])
        assert slope == pytest.approx(exact_derivative(coeffs, x), abs=float32_tolerance(coeffs, x))
        (px,), (py,) = point.get_data()
        assert px == x and py == pytest.approx(p(x), rel=1e-12, abs=1e-12)
        # the line passes through the point: y at x is p(x)
        assert np.interp(x, xs, ys) == pytest.approx(p(x), rel=1e-9, abs=1e-9)
    finally:
        plt.close(ax.figure)


# ---------------------------------------------------------------- the self-check

SHAPES = [(), (2,), (2, 2)]


def correct_forms(value: np.ndarray, exact: bool) -> dict[str, object]:
    """Every way a learner may hand in the right answer `value`."""
    forms: dict[str, object] = {
        "nested list": value.tolist(),
        "numpy float64": value,
        "numpy float32": value.astype(np.float32),
        "tf.constant": tf.constant(value, dtype=tf.float32),
        "tf.Variable": tf.Variable(value, dtype=tf.float32),
        "torch tensor": torch.tensor(value, dtype=torch.float32),
        "torch tensor, requires_grad": torch.tensor(value, dtype=torch.float32, requires_grad=True) * 1.0,
    }
    if value.ndim == 0:
        forms.update({
            "float": float(value),
            "numpy scalar": np.float32(value),
            "0-d array": np.array(float(value)),
            "1-element array": np.array([float(value)]),
            "1-element tensor": torch.tensor([float(value)]),
        })
        if exact:
            forms["int"] = int(value)
    else:
        if value.ndim == 1:
            forms["list of 0-d tensors"] = [torch.tensor(v) for v in value.tolist()]
        if exact:
            forms["nested list of ints"] = value.astype(int).tolist()
    return forms


def exercise_for(value: np.ndarray) -> dict[str, Exercise]:
    """A made-up exercise whose answer is `value`, with the default tolerances."""
    return {"random": Exercise(question="a random value", answer=value.tolist(), hint="(none)")}


def _answers(shape: tuple[int, ...]) -> st.SearchStrategy:
    """(exact, value): a value of this shape, whole numbers (exact) or any floats in [-1000, 1000]."""
    size = int(np.prod(shape))

    def shaped(exact: bool, values: list) -> tuple[bool, np.ndarray]:
        return exact, np.array(values, dtype=np.float64).reshape(shape)

    whole = st.lists(st.integers(-1000, 1000), min_size=size, max_size=size).map(lambda v: shaped(True, v))
    real = st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=size, max_size=size)
    return st.one_of(whole, real.map(lambda v: shaped(False, v)))


answers = st.sampled_from(SHAPES).flatmap(_answers)


@REPRODUCIBLE
@given(answer=answers)
def test_every_correct_answer_form_is_accepted(answer):
    exact, value = answer
    with mock.patch.dict(EXERCISES, exercise_for(value)):
        for name, form in correct_forms(value, exact).items():
            verdict = evaluate("random", form)
            assert verdict.correct, f"{name}: {verdict.message}"


@REPRODUCIBLE
@given(answer=answers, entry=st.integers(0, 3), factor=st.floats(2.0, 1e3), sign=st.sampled_from([-1.0, 1.0]))
def test_answers_off_by_more_than_the_tolerance_are_rejected(answer, entry, factor, sign):
    _, value = answer
    spec = exercise_for(value)["random"]
    perturbed = value.copy().reshape(-1)
    i = entry % perturbed.size
    # allclose accepts |given − expected| ≤ atol + rtol·|expected|; move one entry by `factor` (≥ 2)
    # times that, so even float32 rounding (a relative 6e-8) cannot bring it back inside.
    perturbed[i] += sign * factor * (spec.atol + spec.rtol * abs(perturbed[i]))
    perturbed = perturbed.reshape(value.shape)
    with mock.patch.dict(EXERCISES, exercise_for(value)):
        for name, form in correct_forms(perturbed, exact=False).items():
            verdict = evaluate("random", form)
            assert verdict.status == "wrong", f"{name}: {verdict.message}"


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_every_exercise_accepts_every_form_of_its_own_answer(name):
    value = np.asarray(EXERCISES[name].answer, dtype=np.float64)
    exact = bool(np.all(value == np.round(value)))
    for form_name, form in correct_forms(value, exact).items():
        verdict = evaluate(name, form)
        assert verdict.correct, f"{form_name}: {verdict.message}"
