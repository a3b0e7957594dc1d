"""Example functions that work unchanged on NumPy arrays, TensorFlow tensors and PyTorch tensors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from helpers.values import framework


def sin(x: Any) -> Any:
    """sin in whichever library x belongs to, so the tape or autograd can follow it."""
    kind = framework(x)
    if kind == "tensorflow":
        import tensorflow as tf

        return tf.sin(x)
    if kind == "torch":
        import torch

        return torch.sin(x)
    return np.sin(x)


# name shown to the learner -> function; the explorers offer these.
EXAMPLES: dict[str, Callable[[Any], Any]] = {
    "x²": lambda x: x**2,
    "x² + 2x − 1": lambda x: x**2 + 2 * x - 1,
    "x³ − 3x": lambda x: x**3 - 3 * x,
    "x⁴": lambda x: x**4,
    "sin(x)": sin,
}
