"""Chapter 11: the per-layer gradient norms of the deep stack agree with TensorFlow, PyTorch and finite
differences, obey the hand-derived sigmoid bound σ′ ≤ 1/4, and the depth explorer shows them."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
import tensorflow as tf
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import depth_explorer, layer_gradient_norms, plot_layer_gradients, stack_weights
from helpers.deep_gradients import ACTIVATIONS, MAX_DEPTH, WIDTH, sci, verdict
from helpers.explorer import EXPLORERS

TORCH_ACTIVATIONS = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}


def tape_norms(kernels, activation):
    layers = [tf.keras.layers.Dense(k.shape[1], activation=activation, use_bias=False) for k in kernels]
    model = tf.keras.Sequential([tf.keras.Input(shape=(kernels[0].shape[0],)), *layers])
    model.set_weights(kernels)
    x = np.linspace(-1.0, 1.0, kernels[0].shape[0])[None, :]
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    return np.array([tf.norm(g).numpy() for g in tape.gradient(loss, model.trainable_variables)])


def autograd_norms(kernels, activation):
    modules = []
    for kernel in kernels:
        linear = torch.nn.Linear(*kernel.shape, bias=False, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(kernel.T))
        modules += [linear, TORCH_ACTIVATIONS[activation]()]
    model = torch.nn.Sequential(*modules)
    model(torch.linspace(-1.0, 1.0, kernels[0].shape[0], dtype=torch.float64)).sum().backward()
    return np.array([m.weight.grad.norm().item() for m in model[::2]])


def loss(kernels, activation, x):
    h = x
    for kernel in kernels:
        h = ACTIVATIONS[activation].value(h @ kernel)
    return h.sum()


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0])
def test_norms_agree_with_the_tape_and_autograd(activation, scale):
    kernels = stack_weights(6, scale)
    by_numpy = layer_gradient_norms(kernels, activation)
    assert by_numpy.shape == (6,)
    assert tape_norms(kernels, activation) == pytest.approx(by_numpy, rel=1e-4)  # float32 tape
    assert autograd_norms(kernels, activation) == pytest.approx(by_numpy, rel=1e-10)  # float64 autograd


@settings(max_examples=25, deadline=None)
@given(depth=st.integers(1, 4), width=st.integers(1, 4), scale=st.floats(0.3, 3.0),
       seed=st.integers(0, 1000), activation=st.sampled_from(["sigmoid", "tanh"]))
def test_norms_agree_with_finite_differences_entry_by_entry(depth, width, scale, seed, activation):
    kernels = stack_weights(depth, scale, width, seed)
    x = np.linspace(-1.0, 1.0, width)
    h = 1e-6
    for k, kernel in enumerate(kernels):
        grad = np.zeros_like(kernel)
        for index in np.ndindex(kernel.shape):
            up = [w.copy() for w in kernels]
            down = [w.copy() for w in kernels]
            up[k][index] += h
            down[k][index] -= h
            grad[index] = (loss(up, activation, x) - loss(down, activation, x)) / (2 * h)
        assert np.linalg.norm(grad) == pytest.approx(layer_gradient_norms(kernels, activation)[k],
                                                     rel=1e-6, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(depth=st.integers(2, 12), scale=st.floats(0.3, 4.0), seed=st.integers(0, 10_000))
def test_sigmoid_ratio_obeys_the_hand_bound(depth, scale, seed):
    """‖δ_{k−1}‖ ≤ ¼·‖W_k‖₂·‖δ_k‖ for every layer, since σ′ ≤ ¼:
    so first/last ≤ (¼)^(L−1)·Π‖W_k‖₂·‖x‖/‖h_{L−1}‖."""
    kernels = stack_weights(depth, scale, seed=seed)
    norms = layer_gradient_norms(kernels, "sigmoid")
    x = np.linspace(-1.0, 1.0, WIDTH)
    h = x
    for kernel in kernels[:-1]:
        h = ACTIVATIONS["sigmoid"].value(h @ kernel)
    spectral = np.prod([np.linalg.norm(k, 2) for k in kernels[1:]])
    bound = 0.25 ** (depth - 1) * spectral * np.linalg.norm(x) / np.linalg.norm(h)
    assert norms[0] / norms[-1] <= bound * (1 + 1e-9)


def test_a_chain_of_single_units_by_hand():
    # Three sigmoid units in a row, weights 1, input 1: z₁ = 1, z₂ = σ(z₁), z₃ = σ(z₂), and going back
    # δ₃ = σ′(z₃), δ₂ = δ₃·σ′(z₂), δ₁ = δ₂·σ′(z₁); layer k's gradient is h_{k−1}·δ_k.
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def slope(z):
        return sigmoid(z) * (1 - sigmoid(z))

    z1 = 1.0
    z2 = sigmoid(z1)
    z3 = sigmoid(z2)
    d3 = slope(z3)
    d2 = d3 * slope(z2)
    d1 = d2 * slope(z1)
    norms = layer_gradient_norms([np.ones((1, 1))] * 3, "sigmoid", x=[1.0])
    assert norms == pytest.approx([1.0 * d1, z2 * d2, z3 * d3], rel=1e-12)


def test_stack_weights_are_fixed_nested_and_scaled():
    first, again = stack_weights(10), stack_weights(10)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert all(np.array_equal(a, b) for a, b in zip(stack_weights(4), first[:4], strict=True))
    assert all(np.allclose(3 * a, b) for a, b in zip(first, stack_weights(10, 3.0), strict=True))
    assert not np.array_equal(first[0], stack_weights(1, seed=1)[0])
    many = np.concatenate([w.ravel() for w in stack_weights(100, 2.0)])
    assert many.std() == pytest.approx(2.0 / np.sqrt(WIDTH), rel=0.05)


def test_sci_writes_powers_of_ten():
    assert sci(0.66) == "0.66"
    assert sci(12.3) == "12"
    assert sci(3.725e-9) == "3.7·10⁻⁹"
    assert sci(1.4e10) == "1.4·10¹⁰"
    assert sci(0.0) == "0"


def test_verdicts():
    assert verdict(np.array([1e-6, 1.0]))[0] == "vanishing toward the input"
    assert verdict(np.array([1e4, 1e4]))[0] == "exploding"
    assert verdict(np.array([500.0, 1.0]))[0] == "exploding toward the input"
    assert verdict(np.array([1e-5, 2e-5]))[0] == "vanishing in every layer"
    assert verdict(np.array([0.5, 1.0]))[0] == "balanced"


def test_the_figure_has_one_curve_per_activation():
    ax = plot_layer_gradients(depth=6, activations=("sigmoid", "relu"))
    labels = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert [label.split(":")[0] for label in labels] == ["sigmoid", "relu"]
    assert ax.get_yscale() == "log"
    by_hand = layer_gradient_norms(stack_weights(6), "sigmoid")
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), by_hand)
    plt.close("all")


def test_explorer_starts_with_the_hand_bound_in_its_readout():
    explorer = depth_explorer().explorer
    words = explorer.readout.value
    assert "10 sigmoid layers" in words and "(1/4)⁹ = 3.8·10⁻⁶" in words
    assert "vanishing toward the input" in words
    shown = explorer.value()
    np.testing.assert_allclose(shown["norms"], layer_gradient_norms(stack_weights(10), "sigmoid"))
    assert sum(bar.get_visible() for bar in explorer.bars) == 10


def test_the_tour_says_what_the_readout_shows():
    tour = EXPLORERS["depth_explorer"].tour
    for depth in tour.values:
        explorer = depth_explorer(**tour.keywords(depth)).explorer
        for phrase in tour.says(float(depth), float(explorer.scale.value)):
            assert phrase in explorer.readout.value, (phrase, explorer.readout.value)


def test_explorer_follows_its_controls_and_comes_back_to_the_same_bars():
    explorer = depth_explorer().explorer
    before = explorer.value()["norms"]
    explorer.depth.value = MAX_DEPTH
    assert sum(bar.get_visible() for bar in explorer.bars) == MAX_DEPTH
    explorer.activation.value = "relu"
    explorer.scale.value = 4.0
    assert explorer.value()["verdict"] == "exploding" and "exploding" in explorer.readout.value
    assert "each 0 or 1" in explorer.readout.value
    np.testing.assert_allclose(explorer.value()["norms"],
                               layer_gradient_norms(stack_weights(MAX_DEPTH, 4.0), "relu"))
    explorer.scale.value = 1.0
    assert explorer.value()["verdict"] == "vanishing in every layer"
    explorer.activation.value = "sigmoid"
    explorer.depth.value = 10
    np.testing.assert_array_equal(explorer.value()["norms"], before)


def test_explorer_bars_are_coloured_by_the_verdict():
    explorer = depth_explorer(depth=12, activation="tanh", scale=1.0).explorer
    assert explorer.value()["verdict"] == "balanced"
    assert matplotlib.colors.same_color(explorer.bars[0].get_facecolor(), "tab:green")
