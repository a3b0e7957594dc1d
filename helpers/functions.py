"""Example functions that work unchanged on NumPy arrays, TensorFlow tensors and PyTorch tensors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from helpers.errors import in_words
from helpers.optional import MissingModule, optional_import
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
    try:
        out = to_array(_call_on_grids(f, grids), f"{call} on a grid of points")
        if out.shape == grids[0].shape:
            return out
        problem = f"for a grid of shape {grids[0].shape} it returned shape {out.shape}"
    except LearnerInputError:
        raise  # f returned something that is no number at all: the sentence says what
    except Exception as err:  # noqa: BLE001 - a function made for one number; try it that way
        problem = f"on a grid it failed with {in_words(err)}"
    values = []
    for point in zip(*(g.ravel().tolist() for g in grids), strict=True):
        try:
            values.append(to_array(f(*point), call))
        except LearnerInputError:
            raise
        except Exception as err:
            at = ", ".join(f"{v:.4g}" for v in point)
            raise LearnerValueError(f"Calling f({at}) failed with {in_words(err)}.") from err
    if any(v.size != 1 for v in values):
        raise LearnerInputError(
            f"f must work element by element (one output per point), but {problem}, and for a "
            f"single point it returned shape {next(v.shape for v in values if v.size != 1)}. "
            f"Avoid reductions such as tf.reduce_sum inside f."
        )
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


# name shown to the learner -> function; the explorers offer these.
EXAMPLES: dict[str, Callable[[Any], Any]] = {
    "x²": lambda x: x**2,
    "x² + 2x − 1": lambda x: x**2 + 2 * x - 1,
    "x³ − 3x": lambda x: x**3 - 3 * x,
    "x⁴": lambda x: x**4,
    "sin(x)": sin,
}
