"""The tape built from scratch (chapter 09): the course's numbers, and agreement with TensorFlow and
PyTorch on random expressions of two sources (hypothesis, reproducible as in test_properties.py)."""

import math

import numpy as np
import pytest
import tensorflow as tf
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers.tape_from_scratch import Tape, Value, cos, exp, log, sin

REPRODUCIBLE = settings(
    max_examples=150, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def scratch(f, *numbers):
    values = [Value(n, name) for n, name in zip(numbers, "xyz", strict=False)]
    with Tape() as tape:
        y = f(*values)
    return tape, y, values


def derivative(f, x0):
    tape, y, (x,) = scratch(f, x0)
    return tape.gradient(y, x)


@pytest.mark.parametrize(("f", "x0", "expected"), [
    (lambda x: x * x, 3.0, 6.0),
    (lambda x: x**4, 3.0, 108.0),
    (lambda x: x * x * x * x, 3.0, 108.0),
    (lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8, 2.0, 72.0),
    (lambda x: x * x + x, 3.0, 7.0),
    (lambda x: sin(x) * x, 1.0, math.sin(1.0) + math.cos(1.0)),
    (lambda x: (x + 1) * (x - 1), 2.0, 4.0),
    (lambda x: 1 / x - x / 2, 2.0, -0.25 - 0.5),
    (lambda x: 3 - x, 1.0, -1.0),
    (lambda x: -cos(x), 0.5, math.sin(0.5)),
    (lambda x: exp(2 * x) + log(x), 1.0, 2 * math.exp(2.0) + 1.0),
], ids=["x²", "x⁴", "x·x·x·x", "polynomial", "x·x + x", "sin(x)·x", "(x+1)(x−1)", "1/x − x/2", "3 − x",
        "−cos", "exp and log"])
def test_the_course_numbers(f, x0, expected):
    assert derivative(f, x0) == pytest.approx(expected, rel=1e-12)


def loop(x, y):
    output = 1.0
    for i in range(y):
        if 1 < i < 5:
            output = output * x
    return output


@pytest.mark.parametrize(("steps", "expected", "records"), [(6, 12.0, 3), (5, 12.0, 3), (4, 4.0, 2)])
def test_the_loop_example_records_only_the_steps_that_ran(steps, expected, records):
    tape, y, (x,) = scratch(lambda x: loop(x, steps), 2.0)
    assert tape.gradient(y, x) == expected
    assert len(tape.records) == records


def test_the_backward_pass_collects_each_use_of_x_in_turn():
    tape, y, (x,) = scratch(lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8, 2.0)
    seen = [grads.get(x) for _, grads in tape.steps(y)]
    assert seen == [None, None, 4.0, 4.0, 4.0, 12.0, 12.0, 72.0]
    assert [rec.formula() for rec, _ in tape.steps(y)][:3] == ["v8 = v7 + 8", "v7 = v5 + v6", "v6 = 4·x"]


def test_overwriting_instead_of_adding_gives_the_wrong_gradient():
    class Forgetful(Tape):
        @staticmethod
        def add(grads, value, contribution):
            grads[value] = contribution

    x = Value(3.0, "x")
    with Forgetful() as tape:
        y = x * x + x
    assert tape.gradient(y, x) == 3.0
    x = Value(2.0, "x")
    with Forgetful() as tape:
        y = x * x * x
    assert tape.gradient(y, x) == 4.0  # the answer exercise 09-forgetful expects


def test_backward_adds_into_grad_until_it_is_zeroed():
    tape, y, (x,) = scratch(lambda x: x * x, 3.0)
    tape.backward(y)
    tape.backward(y)
    assert x.grad == 12.0
    x.grad = 0.0
    tape.backward(y)
    assert x.grad == 6.0


def test_backward_fills_leaves_only():
    x = Value(2.0, "x")
    with Tape() as tape:
        u = x * x
        y = 3 * u
    tape.backward(y)
    assert (x.grad, u.grad) == (12.0, 0.0)


def test_a_source_that_does_not_reach_the_target_gets_none_as_in_tensorflow():
    tape, y, (x, z) = scratch(lambda x, z: x * x, 2.0, 5.0)
    assert tape.gradient(y, [x, z]) == [4.0, None]


def test_nested_tapes_both_record_and_only_open_tapes_record():
    x = Value(2.0, "x")
    with Tape() as outer:
        with Tape() as inner:
            y = x * x
        z = y * x
    after = z * x  # no tape open: nothing recorded
    assert (len(outer.records), len(inner.records)) == (2, 1)
    assert outer.gradient(z, x) == 12.0 and inner.gradient(y, x) == 4.0
    assert not any(rec.output is after for rec in outer.records)


def test_comparisons_read_the_numbers_and_record_nothing():
    x = Value(2.0, "x")
    with Tape() as tape:
        y = x * 3 if x > 1 and x >= 2 and x < 3 and x <= 2 else x
    assert len(tape.records) == 1 and y.number == 6.0


# ------------------------------------------------------------------ random expressions (hypothesis)

UNARY = ["sin", "cos", "exp", "log1p²", "neg", "square", "cube"]
BINARY = ["+", "-", "*", "/1p²"]


def expressions():
    leaves = st.sampled_from(["x", "y"]) | st.floats(-2.0, 2.0, allow_nan=False).map(lambda c: round(c, 3))
    return st.recursive(
        leaves,
        lambda inner: (st.tuples(st.sampled_from(UNARY), inner)
                       | st.tuples(st.sampled_from(BINARY), inner, inner)),
        max_leaves=10,
    )


def evaluate(tree, x, y, ops):
    if isinstance(tree, str):
        return {"x": x, "y": y}[tree]
    if isinstance(tree, float):
        return ops["constant"](tree)
    args = [evaluate(t, x, y, ops) for t in tree[1:]]
    return ops[tree[0]](*args)


def _ops(constant, sin_, cos_, exp_, log_):
    return {
        "constant": constant,
        "sin": sin_, "cos": cos_, "exp": exp_, "log1p²": lambda a: log_(1 + a * a), "neg": lambda a: -a,
        "square": lambda a: a**2, "cube": lambda a: a**3, "+": lambda a, b: a + b, "-": lambda a, b: a - b,
        "*": lambda a, b: a * b, "/1p²": lambda a, b: a / (1 + b * b),
    }


SCRATCH = _ops(float, sin, cos, exp, log)
TF = _ops(lambda c: tf.constant(c, tf.float64), tf.sin, tf.cos, tf.exp, tf.math.log)
TORCH = _ops(lambda c: torch.tensor(c, dtype=torch.float64), torch.sin, torch.cos, torch.exp, torch.log)


@REPRODUCIBLE
@given(tree=expressions(), x0=st.floats(-2.0, 2.0), y0=st.floats(-2.0, 2.0))
def test_the_tape_agrees_with_tensorflow_and_pytorch_on_random_expressions(tree, x0, y0):
    tree = ("+", tree, ("*", "x", "y"))  # both sources always reach the output
    x, y = Value(x0, "x"), Value(y0, "y")
    try:
        with Tape() as tape:
            out = evaluate(tree, x, y, SCRATCH)
    except ValueError:  # exp overflowed: too large for a float
        assume(False)
    assume(isinstance(out, Value) and abs(out.number) < 1e6)
    ours = tape.gradient(out, [x, y])

    xt, yt = tf.Variable(x0, dtype=tf.float64), tf.Variable(y0, dtype=tf.float64)
    with tf.GradientTape() as t:
        out_tf = evaluate(tree, xt, yt, TF)
    theirs_tf = t.gradient(out_tf, [xt, yt], unconnected_gradients=tf.UnconnectedGradients.ZERO)

    xp, yp = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (x0, y0))
    out_pt = evaluate(tree, xp, yp, TORCH)
    theirs_pt = torch.autograd.grad(out_pt, [xp, yp], allow_unused=True, materialize_grads=True)

    assert out.number == pytest.approx(float(out_tf), rel=1e-9, abs=1e-12)
    assert out.number == pytest.approx(out_pt.item(), rel=1e-9, abs=1e-12)
    ours = [0.0 if g is None else g for g in ours]  # an input that cancels out: None, as TensorFlow
    scale = max(1.0, *map(abs, ours))
    np.testing.assert_allclose(ours, [float(g) for g in theirs_tf], rtol=1e-8, atol=1e-10 * scale)
    np.testing.assert_allclose(ours, [float(g) for g in theirs_pt], rtol=1e-8, atol=1e-10 * scale)
