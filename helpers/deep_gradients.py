"""Gradients through a deep stack of layers (chapter 11): the weights of a fixed stack, each layer's
gradient norm by backpropagation in NumPy, the picture of them across layers, and `depth_explorer`.

The stack is `depth` fully connected layers of `width` units, h_k = φ(h_{k−1} W_k) with no bias (a
Keras `Dense(width, activation)` with its bias at zero), on the input x = (−1, …, 1), and the loss is
the sum of the last layer's outputs. NumPy is fast enough to redo the whole backward pass on every
slider step; the chapter checks it against `tape.gradient` and `loss.backward()`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np

from helpers.explorer import Explorer, ExplorerBox, Tour, registered
from helpers.text import superscript
from helpers.translation import N_, _, n_
from helpers.values import (
    LearnerInputError,
    LearnerValueError,
    check_axes,
    describe,
    is_text,
    to_array,
    to_number,
    to_whole,
)
from helpers.widget_figure import FigureImage

__all__ = ["depth_explorer", "layer_gradient_norms", "plot_layer_gradients", "stack_weights"]

WIDTH = 8  # units per layer: small enough to redo the backward pass on every slider step
MAX_DEPTH = 30  # the explorer's deepest stack; its bars are built once for all of them
SCALES = (0.5, 4.0)  # the explorer's range of weight scales
# The explorer's fixed log axis: from sigmoid stacks of 30 layers (about 10⁻²⁸) to relu stacks with
# weights four times too large (about 10¹³). A fixed axis keeps every setting comparable.
FLOOR, CEILING = 1e-30, 1e15
# Where the readout calls a gradient exploding, and a ratio of first to last layer lopsided.
EXPLODING_ABOVE = 1e3
LOPSIDED = 1e2


@dataclass(frozen=True)
class Activation:
    """φ(z), its slope φ′ from z and h = φ(z), and the largest slope, as a number and in words."""

    value: Callable[[np.ndarray], np.ndarray]
    slope: Callable[[np.ndarray, np.ndarray], np.ndarray]
    steepest: float
    steepest_text: str


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # 1 / (1 + e⁻ᶻ) written with tanh: the same function, and no overflow warning for a large −z.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(_sigmoid, lambda z, h: h * (1.0 - h), 0.25, "1/4"),
    "tanh": Activation(np.tanh, lambda z, h: 1.0 - h * h, 1.0, "1"),
    "relu": Activation(lambda z: np.maximum(z, 0.0), lambda z, h: (z > 0).astype(np.float64), 1.0, "1"),
}


def check_activation(activation: Any) -> str:
    """One of the names in ACTIVATIONS, or a sentence listing them."""
    names = ", ".join(repr(name) for name in ACTIVATIONS)
    if not isinstance(activation, str):
        raise LearnerInputError(_(
            "activation must be the name of one, {names}, in quotes, but it is {value}."
        ).format(names=names, value=describe(activation)))
    if activation not in ACTIVATIONS:
        lower = activation.lower()
        case = (" " + _("The names are written in lower case: {name}.").format(name=repr(lower))
                if lower in ACTIVATIONS else "")
        raise LearnerValueError(_(
            "There is no activation called {name} here; pick one of {names}."
        ).format(name=repr(activation), names=names) + case)
    return activation


def _scale(scale: Any) -> float:
    value = to_number(scale, "scale", "1.0")
    if not value > 0:
        raise LearnerValueError(_(
            "scale multiplies every weight and must be positive, such as 1.0, not {value:g}."
        ).format(value=value))
    return value


def stack_weights(depth: int = 10, scale: float = 1.0, width: int = WIDTH, seed: int = 0) -> list[np.ndarray]:
    """The kernels W₁ … W_depth of the stack, each width × width, drawn from a normal distribution with
    standard deviation scale/√width (scale 1 keeps the size of h_{k−1} W_k near that of h_{k−1}).

    Drawn one after another from one generator, so a deeper stack starts with the same layers and
    the same arguments always give the same weights.
    """
    depth = to_whole(depth, "depth", _("the number of layers"), "10", lowest=1, highest=100, strict=False)
    width = to_whole(width, "width", _("the number of units per layer"), "8", lowest=1, highest=256)
    seed = to_whole(seed, "seed", _("the random seed of the weights"), "0", highest=2**32 - 1)
    factor = _scale(scale) / np.sqrt(width)
    rng = np.random.default_rng(seed)
    return [factor * rng.standard_normal((width, width)) for _ in range(depth)]


def _kernels(weights: Any) -> list[np.ndarray]:
    """A non-empty list of 2-D kernels whose shapes chain (each layer's outputs are the next one's inputs)."""
    if is_text(weights) or callable(weights) or not isinstance(weights, (list, tuple)):
        raise LearnerInputError(_(
            "weights must be a list of the layers' kernels, such as helpers.stack_weights(10), "
            "but it is {value}."
        ).format(value=describe(weights)))
    if not weights:
        raise LearnerValueError(_("weights is empty; give at least one layer's kernel."))
    kernels = [to_array(w, f"weights[{k}]") for k, w in enumerate(weights)]
    for k, kernel in enumerate(kernels):
        if kernel.ndim != 2:
            raise LearnerValueError(_(
                "weights[{index}] must be a 2-D kernel (inputs × outputs), but it has shape {shape}."
            ).format(index=k, shape=kernel.shape))
        if not np.all(np.isfinite(kernel)):
            raise LearnerValueError(_("weights[{index}] contains NaN or infinity.").format(index=k))
        if k and kernel.shape[0] != kernels[k - 1].shape[1]:
            raise LearnerValueError(_(
                "weights[{index}] has shape {shape}, but the layer before it has "
                "{count} outputs: its kernel needs {count} rows."
            ).format(index=k, shape=kernel.shape, count=kernels[k - 1].shape[1]))
    return kernels


def layer_gradient_norms(weights: Any, activation: str = "sigmoid", x: Any = None) -> np.ndarray:
    """‖∂L/∂Wₖ‖ (the Frobenius norm) for every layer k of the stack, by backpropagation in float64.

    L is the sum of the last layer's outputs; x defaults to np.linspace(−1, 1, width).
    """
    kernels = _kernels(weights)
    act = ACTIVATIONS[check_activation(activation)]
    width = kernels[0].shape[0]
    inputs = np.linspace(-1.0, 1.0, width) if x is None else to_array(x, "x")
    if inputs.shape != (width,):
        raise LearnerValueError(_(
            "x must be one input vector of {width} numbers (the first kernel has {width} rows), "
            "but it has shape {shape}."
        ).format(width=width, shape=inputs.shape))
    if not np.all(np.isfinite(inputs)):
        raise LearnerValueError(_("x contains NaN or infinity."))
    return _norms(kernels, act, inputs)


def _norms(kernels: Sequence[np.ndarray], act: Activation, inputs: np.ndarray) -> np.ndarray:
    """The backward pass itself, without the checks (the explorer calls it on every step)."""
    hs, zs = [inputs], []
    for kernel in kernels:
        zs.append(hs[-1] @ kernel)
        hs.append(act.value(zs[-1]))
    upstream = np.ones_like(hs[-1])  # ∂L/∂h of the last layer, for L = sum of its outputs
    norms = np.empty(len(kernels))
    for k in reversed(range(len(kernels))):
        delta = upstream * act.slope(zs[k], hs[k + 1])  # ∂L/∂z_k: the chain rule through φ
        # ∂L/∂W_k is the outer product of h_{k−1} and δ_k, whose norm is the product of their norms.
        norms[k] = np.linalg.norm(hs[k]) * np.linalg.norm(delta)
        upstream = kernels[k] @ delta  # ∂L/∂h_{k−1}: back through the weights
    return norms


def sci(value: float) -> str:
    """A positive number for a readout: 0.66, 12, or 3.7·10⁻⁹ (two significant digits)."""
    if value == 0:
        return "0"
    if 1e-3 <= abs(value) < 1e3:
        return f"{value:.2g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    power = int(exponent)
    sign = "⁻" if power < 0 else ""
    return f"{mantissa}·10{sign}{superscript(abs(power))}"


def slopes_bound(activation: str, passes: int) -> str:
    """In words: the gradient passes `passes` slopes of the activation on its way back, and what they
    alone can multiply it by; the weights (and each layer's input, in ∂L/∂Wₖ) multiply in as well, so
    the bars may lie above or below it."""
    act = ACTIVATIONS[activation]
    slopes = n_("{count} slope of {name}", "{count} slopes of {name}", passes)
    slopes = slopes.format(count=passes, name=activation)
    if activation == "relu":
        sentence = _("On its way back from the last layer to the first, the gradient is multiplied by "
                     "{slopes}, each 0 or 1: the slopes alone never make it larger, and the weights decide.")
    elif act.steepest == 1.0:
        sentence = _("On its way back from the last layer to the first, the gradient is multiplied by "
                     "{slopes}, each at most 1: the slopes alone never make it larger, and the weights "
                     "decide.")
    else:
        sentence = _("On its way back from the last layer to the first, the gradient is multiplied by "
                     "{slopes}, each at most {steepest}: the slopes alone shrink it to at most {power} = "
                     "{bound}, and the weights multiply in as well.")
    return sentence.format(slopes=slopes, steepest=act.steepest_text, bound=sci(act.steepest**passes),
                           power=f"({act.steepest_text}){superscript(passes)}")


def verdict(norms: np.ndarray) -> tuple[str, str]:
    """A word for what the per-layer norms show (in English, marked with N_; translate it with `_` to
    show it), and a colour for the bars."""
    ratio, largest = norms[0] / norms[-1], norms.max()
    if largest > EXPLODING_ABOVE:
        return N_("exploding"), "tab:red"
    if ratio < 1 / LOPSIDED:
        return N_("vanishing toward the input"), "tab:blue"
    if ratio > LOPSIDED:
        return N_("exploding toward the input"), "tab:red"
    if largest < 1 / EXPLODING_ABOVE:
        return N_("vanishing in every layer"), "tab:blue"
    return N_("balanced"), "tab:green"


# Pictures -----------------------------------------------------------------------------------------


def plot_layer_gradients(
    depth: int = 10, scale: float = 1.0, activations: Any = ("sigmoid", "tanh", "relu"), ax: Any = None
) -> Any:
    """‖∂L/∂Wₖ‖ against the layer k for each activation, on a log scale, for stack_weights(depth, scale)."""
    import matplotlib.pyplot as plt

    weights = stack_weights(depth, scale)
    names = [activations] if isinstance(activations, str) else activations
    if callable(names) or not isinstance(names, (list, tuple)):
        raise LearnerInputError(_(
            "activations must be a list of names such as ('sigmoid', 'tanh'), not {value}."
        ).format(value=describe(activations)))
    if not names:
        raise LearnerValueError(_("activations is empty; give at least one name, such as ('sigmoid',)."))
    names = [check_activation(name) for name in names]
    if check_axes(ax) is None:
        ax = plt.subplots(figsize=(7.0, 3.6))[1]
    layers = np.arange(1, len(weights) + 1)
    for name in names:
        norms = layer_gradient_norms(weights, name)
        label = _("{name}: first/last = {ratio}").format(name=name, ratio=sci(norms[0] / norms[-1]))
        ax.plot(layers, np.maximum(norms, FLOOR), "o-", label=label)
    ax.axhline(1.0, color="0.4", ls=":", lw=1)
    ax.set_yscale("log")
    ax.set_xticks(layers)
    ax.set_xlabel(_("layer k (1 = next to the input)"))
    ax.set_ylabel(_("‖∂L/∂Wₖ‖ (log scale)"))
    ax.set_title(_("{depth} layers of {width} units, weight scale {scale:g}").format(
        depth=len(weights), width=WIDTH, scale=scale))
    ax.legend(fontsize=9)
    return ax


# The explorer -------------------------------------------------------------------------------------


class DepthExplorer(Explorer):
    """Sliders for the depth and the weight scale, a menu of activations; the bars for all MAX_DEPTH
    layers are built once, and a move changes their heights, colour and visibility."""

    def __init__(self, depth: int = 10, activation: str = "sigmoid", scale: float = 1.0) -> None:
        depth = to_whole(depth, "depth", _("the number of layers"), "10", lowest=2, highest=MAX_DEPTH,
                         strict=False)
        activation = check_activation(activation)
        scale = _scale(scale)
        if not SCALES[0] <= scale <= SCALES[1]:
            raise LearnerValueError(_(
                "Pick a weight scale between {low:g} and {high:g} for the slider, not {scale:g}."
            ).format(low=SCALES[0], high=SCALES[1], scale=scale))
        # Scale 1 once; every setting multiplies the same draws, so the same controls give the same bars.
        self.base = stack_weights(MAX_DEPTH, 1.0)
        self.inputs = np.linspace(-1.0, 1.0, WIDTH)
        self.norms = np.empty(0)

        self.picture = FigureImage(figsize=(7.5, 3.6))
        self.image = self.picture.image
        self.ax = self.picture.figure.subplots()
        layers = np.arange(1, MAX_DEPTH + 1)
        self.bars = list(self.ax.bar(layers, np.ones(MAX_DEPTH), bottom=FLOOR, width=0.7))
        self.ax.axhline(1.0, color="0.4", ls=":", lw=1)
        self.ax.set_yscale("log")
        self.ax.set_ylim(FLOOR, CEILING)
        self.ax.set_yticks([10.0**p for p in range(-30, 16, 5)])
        self.ax.set_xlim(0.4, MAX_DEPTH + 0.6)
        self.ax.set_xticks([1, *range(5, MAX_DEPTH + 1, 5)])
        self.ax.set_xlabel(_("layer k (1 = next to the input)"))
        self.ax.set_ylabel("‖∂L/∂Wₖ‖")
        self.ax.grid(axis="y", alpha=0.3)
        self.picture.moving(*self.bars, self.ax.title)

        self.depth = widgets.IntSlider(value=depth, min=2, max=MAX_DEPTH, description=_("depth"))
        exponents = np.log2(SCALES)
        self.scale = widgets.FloatLogSlider(value=scale, base=2, min=exponents[0], max=exponents[1],
                                            step=0.25, description=_("weight scale"))
        self.activation = widgets.Dropdown(options=list(ACTIVATIONS), value=activation,
                                           description=_("activation"))
        self.assemble([widgets.HBox([self.depth, self.scale, self.activation])], [self.image],
                      {self._update: [self.depth, self.scale, self.activation]})

    def _update(self, _change: Any = None) -> None:
        depth, scale, name = int(self.depth.value), float(self.scale.value), self.activation.value
        act = ACTIVATIONS[name]
        self.norms = _norms([scale * w for w in self.base[:depth]], act, self.inputs)
        word, colour = verdict(self.norms)
        shown = np.clip(self.norms, FLOOR, CEILING) - FLOOR  # each bar stands on FLOOR
        for k, bar in enumerate(self.bars):
            bar.set_visible(k < depth)
            if k < depth:
                bar.set_height(shown[k])
                bar.set_color(colour)
        self.ax.set_title(_("‖∂L/∂Wₖ‖ of {depth} {name} layers, weight scale {scale:.3g}").format(
            depth=depth, name=name, scale=scale), fontsize=10)
        self.show(self._words(depth, scale, name, word))

    def _words(self, depth: int, scale: float, name: str, word: str) -> str:
        ratio = self.norms[0] / self.norms[-1]
        if ratio < 1:
            first = _("<b>{depth} {name} layers</b>, weight scale {scale:.3g}: the first layer's gradient is "
                      "{ratio} of the last's, the largest is {largest}: <b>{verdict}</b>.")
        else:
            first = _("<b>{depth} {name} layers</b>, weight scale {scale:.3g}: the first layer's gradient is "
                      "{ratio} times the last's, the largest is {largest}: <b>{verdict}</b>.")
        first = first.format(depth=depth, name=name, scale=scale, ratio=sci(ratio),
                             largest=sci(self.norms.max()), verdict=_(word))
        return f"{first}<br>{slopes_bound(name, depth - 1)}"

    def value(self) -> dict[str, Any]:
        """What the explorer shows now: the controls, the norms per layer and the verdict."""
        return {"depth": int(self.depth.value), "scale": float(self.scale.value),
                "activation": self.activation.value, "norms": self.norms.copy(),
                "verdict": verdict(self.norms)[0]}


# By hand: between the last layer and the first lie depth − 1 sigmoid slopes of at most 1/4 each.
@registered(Tour("depth", (3, 12, 25), then="activation",
                 says=lambda depth, scale: [
                     f"{depth:g} sigmoid layers",
                     f"(1/4){superscript(round(depth) - 1)} = {sci(0.25 ** (depth - 1))}",
                 ]))
def depth_explorer(depth: int = 10, activation: str = "sigmoid", scale: float = 1.0) -> ExplorerBox:
    """Gradient norms per layer of a deep stack: move the depth, the weight scale and the activation."""
    return DepthExplorer(depth, activation, scale).widget
