"""The two modes (chapter 10): reverse mode's rows and forward mode's columns are the Jacobian that
the hand, tape.jacobian, PyTorch and finite differences give, in m and n passes; the picture colours
the passes, and the explorer follows its sliders."""

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_rgba

from helpers import forward_mode_jacobian, modes_explorer, plot_modes, reverse_mode_jacobian
from helpers.derivatives import numeric_jacobian, tf_jacobian
from helpers.functions import sin, stack
from helpers.two_modes import (
    COLUMN_SHADES,
    ROW_SHADES,
    UNUSED,
    ModeRun,
    ModesExplorer,
    modes_html,
    passes_text,
    tanh_layer,
)


def f(x):
    """The chapter's function [x₀·x₁, sin x₀, x₁²], for every library."""
    return stack([x[0] * x[1], sin(x[0]), x[1] ** 2])


def by_hand(a, b):
    return [[b, a], [math.cos(a), 0.0], [0.0, 2 * b]]


POINTS = [(1.0, 2.0), (0.0, -1.0), (2.0, 0.5), (-1.5, 3.0)]


@pytest.mark.parametrize("point", POINTS)
def test_rows_columns_tape_torch_and_finite_differences_agree_with_the_hand(point):
    expected = np.array(by_hand(*point))
    reverse, forward = reverse_mode_jacobian(f, point), forward_mode_jacobian(f, point)
    assert (reverse.mode, reverse.passes, forward.mode, forward.passes) == ("reverse", 3, "forward", 2)
    x = torch.tensor(point)
    for matrix in (reverse.jacobian, forward.jacobian, tf_jacobian(f, point), numeric_jacobian(f, point),
                   torch.func.jacrev(f)(x).numpy(), torch.func.jacfwd(f)(x).numpy()):
        assert matrix.shape == (3, 2)
        np.testing.assert_allclose(matrix, expected, rtol=1e-5, atol=1e-6)


def test_the_chapter_numbers():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        y = f(x)
    summed = tape.gradient(y, x)
    weighted = tape.gradient(y, x, output_gradients=tf.constant([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(summed, [2 + math.cos(1.0), 5.0], rtol=1e-6)
    np.testing.assert_allclose(weighted, [2 + 2 * math.cos(1.0), 13.0], rtol=1e-6)
    point = tf.constant([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(point, tf.constant([1.0, 1.0])) as acc:
        y = f(point)
    np.testing.assert_allclose(acc.jvp(y), [3.0, math.cos(1.0), 4.0], rtol=1e-6)
    # PyTorch's scalar-only error, and its two fixes
    x_pt = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        f(x_pt).backward()
    f(x_pt).backward(gradient=torch.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(x_pt.grad, [2 + 2 * math.cos(1.0), 13.0], rtol=1e-6)


def test_the_exercises():
    g = lambda x: stack([x[0] ** 2 * x[1], x[0] + 3 * x[1], x[1] ** 2])  # noqa: E731
    jacobian = reverse_mode_jacobian(g, [1.0, 2.0]).jacobian
    np.testing.assert_allclose(jacobian, [[4.0, 1.0], [1.0, 3.0], [0.0, 4.0]])
    np.testing.assert_allclose(np.array([1.0, -1.0, 2.0]) @ jacobian, [3.0, 6.0])  # 10-vjp
    np.testing.assert_allclose(forward_mode_jacobian(g, [1.0, 2.0]).jacobian @ [1.0, -1.0], [3.0, -2.0, -4.0])
    layer, x, _ = tanh_layer(784, 10, largest=784)  # 10-passes: J is 10 × 784
    assert reverse_mode_jacobian(layer, x, repeats=1).passes == 10


@settings(max_examples=12, deadline=None)
@given(n=st.integers(1, 5), m=st.integers(1, 5), data=st.data())
def test_a_linear_map_is_its_own_jacobian_in_m_and_n_passes(n, m, data):
    weights = np.array(data.draw(st.lists(st.floats(-3, 3), min_size=m * n, max_size=m * n))).reshape(m, n)
    point = data.draw(st.lists(st.floats(-3, 3), min_size=n, max_size=n))
    linear = lambda x: tf.linalg.matvec(tf.constant(weights, tf.float32), x)  # noqa: E731
    reverse, forward = reverse_mode_jacobian(linear, point, 1), forward_mode_jacobian(linear, point, 1)
    assert (reverse.passes, forward.passes) == (m, n)
    for run in (reverse, forward):
        np.testing.assert_allclose(run.jacobian, weights, rtol=1e-6, atol=1e-6)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 6), m=st.integers(1, 6))
def test_the_layer_jacobian_by_hand_is_the_finite_difference_and_both_modes(n, m):
    layer, x, expected = tanh_layer(n, m)
    in_float32 = lambda v: layer(tf.constant(v, tf.float32))  # noqa: E731
    # float32 inside, so a step of 1e-2: its error, about h²·f‴/6, stays far below the tolerance
    np.testing.assert_allclose(numeric_jacobian(in_float32, x.numpy(), h=1e-2), expected, atol=1e-3)
    for run in (reverse_mode_jacobian(layer, x, 1), forward_mode_jacobian(layer, x, 1)):
        np.testing.assert_allclose(run.jacobian, expected, atol=1e-5)


def test_an_output_that_ignores_x_gives_a_row_of_zeros_both_ways():
    g = lambda x: tf.stack([x[0] * x[1], tf.constant(5.0)])  # noqa: E731
    for run in (reverse_mode_jacobian(g, [2.0, 3.0]), forward_mode_jacobian(g, [2.0, 3.0])):
        np.testing.assert_allclose(run.jacobian, [[3.0, 2.0], [0.0, 0.0]])


def test_runs_are_timed():
    run = reverse_mode_jacobian(f, [1.0, 2.0], repeats=2)
    assert isinstance(run, ModeRun) and 0 < run.ms < 10_000


def cell_colours(mesh, frame):
    return mesh.get_facecolor().reshape(*frame, 4)


def test_the_picture_colours_rows_left_and_columns_right():
    axes = plot_modes(n=4, m=2)
    reverse, forward = (ax.collections[0] for ax in axes)
    rows, columns = cell_colours(reverse, (2, 4)), cell_colours(forward, (2, 4))
    for i in range(2):
        assert all(tuple(c) == tuple(ROW_SHADES[i % 2]) for c in rows[i])  # a row: one pass, one shade
    for j in range(4):
        assert all(tuple(c) == tuple(COLUMN_SHADES[j % 2]) for c in columns[:, j])
    assert axes[0].get_title() == "✔ reverse mode: m = 2 passes"
    assert axes[1].get_title() == "forward mode: n = 4 passes"
    assert axes[0].title.get_fontweight() == "bold" and axes[1].title.get_fontweight() == "normal"
    plt.close("all")


@pytest.mark.parametrize(("n", "m", "left", "right"), [
    (1, 3, "reverse mode: m = 3 passes", "✔ forward mode: n = 1 pass"),
    (2, 2, "reverse mode: m = 2 passes", "forward mode: n = 2 passes"),  # a tie: no mark
])
def test_the_titles_mark_the_mode_with_fewer_passes(n, m, left, right):
    axes = plot_modes(n, m)
    assert [ax.get_title() for ax in axes] == [left, right]
    plt.close("all")


def test_the_explorer_follows_its_sliders_and_times_each_size_once():
    explorer = ModesExplorer(n=6, m=3)
    shown = explorer.value()
    assert (shown["reverse_passes"], shown["forward_passes"], shown["fewer"], shown["agree"]) == (
        3, 6, "reverse", True)
    words = explorer.readout.value
    for phrase in ("J is m × n = 3 × 6", "Reverse mode: 3 passes", "Forward mode: 6 passes"):
        assert phrase in words
    picture = bytes(explorer.image.value)
    explorer.n.value = 1
    assert "Forward mode: 1 pass<" in explorer.readout.value and "forward mode</b> (1 against 3)" in (
        explorer.readout.value)
    cells = cell_colours(explorer.drawing.cells[1], (12, 12))
    assert tuple(cells[0, 0]) == tuple(COLUMN_SHADES[0]) and tuple(cells[0, 1]) == to_rgba(UNUSED)
    assert bytes(explorer.image.value) != picture
    explorer.n.value = 6
    assert set(explorer.runs) == {(6, 3), (1, 3)}  # back at 6: not timed again
    assert explorer.readout.value == words or "3 × 6" in explorer.readout.value


def test_the_readout_says_when_fewer_passes_are_not_faster():
    def said(n, m, reverse_ms, forward_ms, agree=True):
        jacobian = np.zeros((m, n))
        return modes_html(n, m, ModeRun("reverse", jacobian, m, reverse_ms),
                          ModeRun("forward", jacobian, n, forward_ms), agree)

    slow_forward = said(4, 3, 1.0, 8.0)
    assert "Fewer passes: <b>reverse mode</b> (3 against 4), and on this machine it was also faster" in (
        slow_forward)
    fast_forward = said(4, 3, 9.0, 2.0)
    assert "yet on this machine forward mode was faster" in fast_forward
    assert "about 0.2 times one backward pass" in fast_forward  # (2/4) / (9/3)
    tie = said(3, 3, 1.0, 2.0, agree=False)
    assert "Both need 3 passes" in tie and "reverse mode was faster" in tie and "differ" in tie


def test_passes_in_words():
    assert [passes_text(k) for k in (1, 2)] == ["1 pass", "2 passes"]


def test_the_explorer_box_says_what_it_is_without_a_front_end():
    assert "Interactive explorer" in repr(modes_explorer(n=2, m=2))
