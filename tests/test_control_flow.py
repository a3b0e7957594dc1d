"""Control flow: the tape differentiates the operations that ran, and the explorer says which ran."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
import torch  # noqa: E402

from helpers import finite_difference, loop_explorer, plot_tape_derivative, torch_graph_nodes  # noqa: E402
from helpers.control_flow import (
    LoopExplorer,
    loop_product,
    plot_loop_derivatives,
    plot_loop_slopes,
    power_rule,
    recorded_steps,
    tape_loop_derivative,
)
from helpers.derivatives import tape_curve
from helpers.values import LearnerInputError  # noqa: E402


@pytest.mark.parametrize(("y", "expected"), [(6, 12.0), (5, 12.0), (4, 4.0), (3, 1.0), (2, 0.0), (0, 0.0)])
def test_seed_loop_tape_autograd_and_finite_difference_agree(y, expected):
    assert tape_loop_derivative(2.0, y) == pytest.approx(expected)
    x = torch.tensor(2.0, requires_grad=True)
    out = loop_product(x, y)
    autograd = torch.autograd.grad(out, x)[0].item() if torch.is_tensor(out) else 0.0
    assert autograd == pytest.approx(expected)
    assert finite_difference(lambda v: loop_product(v, y), 2.0) == pytest.approx(expected, abs=1e-6)


def test_recorded_steps_follow_the_rule_and_the_count():
    assert recorded_steps(6) == [2, 3, 4]
    assert recorded_steps(4) == [2, 3]
    assert recorded_steps(2) == []
    assert recorded_steps(7, lambda i: i % 2 == 0) == [0, 2, 4, 6]


def test_pytorch_graph_holds_one_multiplication_per_recorded_step():
    x = torch.tensor(2.0, requires_grad=True)
    for y, k in [(6, 3), (4, 2), (3, 1)]:
        nodes = torch_graph_nodes(loop_product(x, y))
        assert nodes == ["MulBackward0"] * k + ["AccumulateGrad"]
    assert torch_graph_nodes(torch.tensor(1.0)) == []  # nothing recorded, no graph


def test_explorer_derivative_equals_the_power_rule_everywhere():
    explorer = LoopExplorer(x=2.0, y=6)
    shown = {"x": 2.0, "y": 6, "recorded": [2, 3, 4], "k": 3, "tape": 12.0, "by_hand": 12.0}
    assert explorer.value() == shown
    for x0 in (-2.5, -1.0, 0.0, 0.7, 3.0):
        explorer.x.value = x0
        for y in range(explorer.max_count + 1):
            explorer.y.value = y
            k = len([i for i in range(y) if 1 < i < 5])
            assert explorer.power == k
            assert explorer.derivative == pytest.approx(k * x0 ** (k - 1) if k else 0.0, rel=1e-5, abs=1e-6)
            assert explorer.derivative == pytest.approx(explorer.by_hand, rel=1e-5, abs=1e-6)


def test_moving_the_loop_count_changes_readout_chain_and_picture():
    explorer = loop_explorer(x=2.0, y=6).explorer
    first_picture = bytes(explorer.image.value)
    assert first_picture.startswith(b"\x89PNG")
    assert explorer.readout.value.count("multiply by x") == 3
    assert "i=5: skipped" in explorer.readout.value
    assert "<b>12</b>" in explorer.readout.value
    assert "1 &lt; i &lt; 5" in explorer.readout.value
    chain = [label.get_text() for label in explorer.labels[:6]]
    assert chain == ["skip", "skip", "× x", "× x", "× x", "skip"]

    explorer.y.value = 4
    assert explorer.recorded == [2, 3]
    assert explorer.readout.value.count("multiply by x") == 2
    assert "<b>4</b>" in explorer.readout.value
    assert "i=4" not in explorer.readout.value
    assert [label.get_text() for label in explorer.labels[4:6]] == ["", ""]
    assert bytes(explorer.image.value) != first_picture
    xs, ys = explorer.curve.get_data()
    np.testing.assert_allclose(ys, xs**2)

    explorer.y.value = 1
    assert explorer.derivative == 0.0
    assert "None" in explorer.readout.value


def test_moving_x_moves_the_point_and_the_slope():
    explorer = LoopExplorer(x=2.0, y=5)
    explorer.x.value = -1.0
    assert explorer.derivative == pytest.approx(3.0)
    assert tuple(explorer.point.get_data()[1]) == (-1.0,)
    assert "<b>3</b>" in explorer.readout.value


def test_explorer_takes_another_rule():
    explorer = LoopExplorer(x=1.5, y=7, when=lambda i: i % 2 == 0, rule="i is even")
    assert explorer.recorded == [0, 2, 4, 6]
    assert explorer.derivative == pytest.approx(4 * 1.5**3)
    assert "i is even" in explorer.readout.value


def test_text_form_explains_itself():
    assert "JupyterLab" in repr(loop_explorer())


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        ({"y": 2.5}, ValueError, "whole number"),
        ({"y": -1}, ValueError, "between 0 and 8"),
        ({"y": 9}, ValueError, "between 0 and 8"),
        ({"y": "6"}, LearnerInputError, "number of loop steps"),
        ({"x": tf.constant(2)}, LearnerInputError, "floating-point"),
        ({"x": 10.0}, ValueError, "outside the slider's range"),
        ({"when": 3}, LearnerInputError, "must be a function"),
        ({"when": lambda i: 1 / (i - 3)}, ValueError, r"when\(3\) failed"),
        ({"max_count": 0}, ValueError, "at least 1"),
    ],
)
def test_bad_explorer_requests_get_a_sentence(args, error, words):
    with pytest.raises(error, match=words):
        loop_explorer(**args)


def _abs_if(x):
    if x < 0:
        return -x
    return x


def test_kinks_follow_the_library_conventions():
    _, slopes = tape_curve(tf.abs, [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(slopes, [-1.0, 0.0, 1.0])
    assert tape_curve(tf.nn.relu, [-1.0, 0.0, 1.0])[1].tolist() == [0.0, 0.0, 1.0]
    assert tape_curve(_abs_if, [-1.0, 0.0, 1.0])[1].tolist() == [-1.0, 1.0, 1.0]
    zero = torch.tensor(0.0, requires_grad=True)
    assert torch.autograd.grad(torch.abs(zero), zero)[0].item() == 0.0
    assert torch.autograd.grad(torch.relu(zero), zero)[0].item() == 0.0


def test_tape_curve_matches_finite_differences_away_from_the_kink():
    xs = [-1.7, -0.3, 0.4, 1.9]
    values, slopes = tape_curve(tf.abs, xs)
    np.testing.assert_allclose(values, np.abs(xs), rtol=1e-6)
    np.testing.assert_allclose(slopes, [finite_difference(np.abs, x0) for x0 in xs], rtol=1e-4)


def test_piecewise_figure_shows_the_value_at_the_kink():
    axes = plot_tape_derivative({"tf.abs(x)": tf.abs, "if": _abs_if})
    right = axes[1]
    labels = [text.get_text() for text in right.get_legend().get_texts()]
    assert labels == ["tf.abs(x)  (at x = 0: 0)", "if  (at x = 0: 1)"]
    dots = [line for line in right.get_lines() if line.get_marker() == "o"]
    assert [tuple(d.get_ydata()) for d in dots] == [(0.0,), (1.0,)]
    plt.close("all")


def test_loop_plots_draw_tape_values():
    ax = plot_loop_derivatives(x=2.0, counts=range(7))
    assert [bar.get_height() for bar in ax.patches] == pytest.approx([0, 0, 0, 1, 4, 12, 12])
    ax = plot_loop_slopes(counts=(4,), xlim=(-1.0, 1.0))
    xs, ys = ax.get_lines()[0].get_data()
    np.testing.assert_allclose(ys, 2 * xs, atol=1e-6)
    plt.close("all")


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: plot_tape_derivative({}), ValueError, "at least one function"),
        (lambda: plot_tape_derivative({"f": tf.abs}, kinks=(5.0,)), ValueError, "inside xlim"),
        (lambda: plot_tape_derivative({"f": np.abs}), ValueError, "TensorFlow could not follow"),
        (lambda: tape_curve("abs", [0.0]), LearnerInputError, "must be a function"),
        (lambda: torch_graph_nodes(3.0), LearnerInputError, "grad_fn"),
        (lambda: plot_loop_slopes(xlim=(1.0, -1.0)), ValueError, "smallest < largest"),
    ],
)
def test_bad_plot_requests_get_a_sentence(call, error, words):
    with pytest.raises(error, match=words):
        call()
    plt.close("all")


def test_power_rule_by_hand():
    assert power_rule(2.0, 0) == 0.0
    assert power_rule(2.0, 1) == 1.0
    assert power_rule(2.0, 3) == 12.0
