"""Example functions that work unchanged on NumPy arrays, TensorFlow tensors and PyTorch tensors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers.errors import in_words
from helpers.optional import MissingModule, optional_import
from helpers.translation import N_, _
from helpers.values import LearnerInputError, LearnerValueError, framework, to_array


def _library_of(*values: Any) -> Any:
    """The module (tensorflow, torch or numpy) that the first tensor among `values` belongs to."""
    kind = next((framework(v) for v in values if framework(v) is not None), None)
    if kind == "tensorflow":
        import tensorflow as tf

        return tf
    if kind == "torch":
        import torch

        return torch
    return np


def sin(x: Any) -> Any:
    """sin in whichever library x belongs to, so the tape or autograd can follow it."""
    return _library_of(x).sin(x)


def cos(x: Any) -> Any:
    """cos in whichever library x belongs to, so the tape or autograd can follow it."""
    return _library_of(x).cos(x)


def stack(parts: Sequence[Any]) -> Any:
    """Stack the outputs f₀, f₁, … into one vector with the library they belong to."""
    return _library_of(*parts).stack(list(parts))


def elementwise(f: Callable, *grids: np.ndarray, call: str = "f(x)") -> np.ndarray:
    """f evaluated point by point on NumPy grids, for functions written with NumPy, TensorFlow or
    PyTorch; a sentence when f does not give one number per point.

    The whole grid goes in at once. A function that can only take one number (a Python `if`,
    math.sin) or that returns a constant gets the points one at a time instead, as a learner
    would call it.
    """
    grid_shape = grid_error = None
    try:
        out = to_array(_call_on_grids(f, grids), _("{call} on a grid of points").format(call=call))
        if out.shape == grids[0].shape:
            return out
        grid_shape = out.shape
    except LearnerInputError:
        raise  # f returned something that is no number at all: the sentence says what
    except Exception as err:  # noqa: BLE001 - a function made for one number; try it that way
        grid_error = in_words(err)
    values = []
    for point in zip(*(g.ravel().tolist() for g in grids), strict=True):
        try:
            values.append(to_array(f(*point), call))
        except LearnerInputError:
            raise
        except Exception as err:
            raise LearnerValueError(_("Calling f({arguments}) failed with {error}.").format(
                arguments=", ".join(f"{v:.4g}" for v in point), error=in_words(err)
            )) from err
    if any(v.size != 1 for v in values):
        if grid_error is None:
            message = _(
                "f must work element by element (one output per point), but for a grid of shape {grid} "
                "it returned shape {shape}, and for a single point it returned shape {point_shape}. "
                "Avoid reductions such as tf.reduce_sum inside f."
            )
        else:
            message = _(
                "f must work element by element (one output per point), but on a grid it failed with "
                "{error}, and for a single point it returned shape {point_shape}. "
                "Avoid reductions such as tf.reduce_sum inside f."
            )
        raise LearnerInputError(message.format(
            grid=grids[0].shape, shape=grid_shape, error=grid_error,
            point_shape=next(v.shape for v in values if v.size != 1),
        ))
    return np.array([float(v.reshape(())) for v in values]).reshape(grids[0].shape)


def function_changed(f: Callable, grid: np.ndarray, drawn: np.ndarray) -> bool:
    """Whether f now gives other values than the curve `drawn` on `grid` (checked at both ends and
    the middle): a learner's f that reads a variable changed since the curve was drawn."""
    picks = [0, grid.size // 2, grid.size - 1]
    now = elementwise(f, grid[picks])
    return not np.allclose(now, np.asarray(drawn)[picks], rtol=1e-6, atol=1e-12, equal_nan=True)


def _call_on_grids(f: Callable, grids: tuple[np.ndarray, ...]) -> Any:
    try:
        return f(*grids)
    except TypeError:  # torch operations refuse NumPy arrays
        torch = optional_import("torch")
        if isinstance(torch, MissingModule):
            raise
        return f(*(torch.from_numpy(g) for g in grids))


def padded(ys: np.ndarray, margin: float = 0.1) -> tuple[float, float]:
    """Vertical limits that show the whole curve with a margin, so a steep tangent does not rescale.
    Points where f is undefined (NaN, as tf.sqrt of a negative number) or infinite are left out."""
    finite = ys[np.isfinite(ys)]
    if finite.size == 0:
        raise LearnerValueError(_(
            "f has no finite value anywhere in the plotted range (NaN or infinity everywhere); "
            "choose an xlim where f is defined, for example (0.1, 4.0) for a square root or a logarithm."
        ))
    low, high = float(finite.min()), float(finite.max())
    pad = margin * (high - low) or 1.0
    return low - pad, high + pad


# The menus the explorers start from: name shown to the learner -> function.
# 01 (and 04's tape picture): one variable.
EXAMPLES: dict[str, Callable[[Any], Any]] = {
    "x²": lambda x: x**2,
    "x² + 2x − 1": lambda x: x**2 + 2 * x - 1,
    "x³ − 3x": lambda x: x**3 - 3 * x,
    "x⁴": lambda x: x**4,
    "sin(x)": sin,
}


# 02: name shown to the learner -> f(x, y); each works on NumPy, TensorFlow and PyTorch values alike.
GRADIENT_EXAMPLES: dict[str, Callable[[Any, Any], Any]] = {
    "x² + 3y²": lambda x, y: x**2 + 3 * y**2,
    "x·y": lambda x, y: x * y,
    "sin(x)·cos(y)": lambda x, y: sin(x) * cos(y),
    "3x² + 2y": lambda x, y: 3 * x**2 + 2 * y,
}

# 03: name shown to the learner -> (f, a label for each output); each f takes a vector x = (x₀, x₁).
JACOBIAN_EXAMPLES: dict[str, tuple[Callable[[Any], Any], tuple[str, ...]]] = {
    "[x₀², x₀·x₁, sin x₁]": (
        lambda x: stack([x[0] ** 2, x[0] * x[1], sin(x[1])]),
        ("f₀ = x₀²", "f₁ = x₀·x₁", "f₂ = sin x₁"),
    ),
    N_("polar → plane [x₀·cos x₁, x₀·sin x₁]"): (
        lambda x: stack([x[0] * cos(x[1]), x[0] * sin(x[1])]),
        ("f₀ = x₀·cos x₁", "f₁ = x₀·sin x₁"),
    ),
    N_("linear [x₀ + 2x₁, 3x₀ − x₁]"): (
        lambda x: stack([x[0] + 2 * x[1], 3 * x[0] - x[1]]),
        ("f₀ = x₀ + 2x₁", "f₁ = 3x₀ − x₁"),
    ),
}

# 05: powers are written as products:
# TensorFlow's rule for x**k computes 0 · 0⁻¹ = NaN at x = 0 once the order passes k (chapter 05).
DERIVATIVE_EXAMPLES: dict[str, Callable[[Any], Any]] = {
    "x³": lambda x: x * x * x,
    "x⁴ − 2x²": lambda x: x * x * x * x - 2 * x * x,
    "sin(x)": sin,
    "5x³ + 2x² + 4x + 8": lambda x: 5 * x * x * x + 2 * x * x + 4 * x + 8,
}

# 07: built from operations both libraries know.
GRAPH_EXAMPLES: dict[str, Callable[[Any], Any]] = {
    "5x³ + 2x² + 4x + 8": lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8,
    "x·sin(x)": lambda x: x * sin(x),
    "(x + 1)²": lambda x: (x + 1) ** 2,
    "x⁴ − 2x²": lambda x: x**4 - 2 * x**2,
}
