"""Example functions that work unchanged on NumPy arrays, TensorFlow tensors and PyTorch tensors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers.optional import MissingModule, optional_import
from helpers.values import LearnerInputError, framework, to_array


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
    PyTorch; a sentence when f does not give one output per point."""
    try:
        out = f(*grids)
    except TypeError:  # torch operations refuse NumPy arrays
        torch = optional_import("torch")
        if isinstance(torch, MissingModule):
            raise  # without PyTorch, f's own error is the one that explains
        out = f(*(torch.from_numpy(g) for g in grids))
    out = to_array(out, f"{call} on a grid of points")
    if out.shape != grids[0].shape:
        raise LearnerInputError(
            f"f must work element by element (one output per point), but for a grid of shape "
            f"{grids[0].shape} it returned shape {out.shape}. "
            f"Avoid reductions such as tf.reduce_sum inside f."
        )
    return out


# name shown to the learner -> function; the explorers offer these.
EXAMPLES: dict[str, Callable[[Any], Any]] = {
    "x²": lambda x: x**2,
    "x² + 2x − 1": lambda x: x**2 + 2 * x - 1,
    "x³ − 3x": lambda x: x**3 - 3 * x,
    "x⁴": lambda x: x**4,
    "sin(x)": sin,
}
