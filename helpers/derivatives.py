"""The derivative of a one-variable Python function at a point: by tape, by autograd, by numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers.values import LearnerInputError, describe, framework, require_function, to_array, to_point


def call_function(f: Callable, *args: Any) -> Any:
    """f(*args), with any failure inside the learner's function reported in a sentence, not hidden."""
    try:
        return f(*args)
    except Exception as err:
        shown = ", ".join(repr(a) for a in args)
        raise ValueError(f"Calling f({shown}) failed with {type(err).__name__}: {err}") from err


def require_scalar_output(y: Any, library: str, call: str = "f(x)") -> None:
    """Refuse an output that left the library, or that is not a single number."""
    if framework(y) != library:
        raise ValueError(
            f"{call} returned {describe(y)}, so {library} could not follow the computation. "
            f"Build f from {library} operations (no .numpy(), math.* or NumPy calls inside)."
        )
    size = int(y.numel()) if library == "torch" else int(y.shape.num_elements())
    if size != 1:
        raise ValueError(
            f"f must return one number, but it returned shape {tuple(y.shape)}. "
            f"Reduce it first, for example with tf.reduce_sum or .sum()."
        )


NO_PATH = (
    "The result does not depend on x through recorded operations, so there is no gradient. "
    "Check that f uses its argument and stays inside {library} the whole way."
)


def tf_derivative(f: Callable, x: Any) -> float:
    """f'(x) from a tf.GradientTape, as a Python float (float32 arithmetic, like the notebooks)."""
    import tensorflow as tf

    require_function(f)
    source = tf.Variable(to_point(x), dtype=tf.float32)
    with tf.GradientTape() as tape:
        y = call_function(f, source)
    require_scalar_output(y, "tensorflow")
    grad = tape.gradient(y, source)
    if grad is None:
        raise ValueError(NO_PATH.format(library="TensorFlow"))
    return float(grad.numpy())


def torch_derivative(f: Callable, x: Any) -> float:
    """f'(x) from torch.autograd, as a Python float (float32 arithmetic, like the notebooks)."""
    import torch

    require_function(f)
    source = torch.tensor(to_point(x), dtype=torch.float32, requires_grad=True)
    y = call_function(f, source)
    require_scalar_output(y, "torch")
    if not y.requires_grad:
        raise ValueError(NO_PATH.format(library="PyTorch"))
    (grad,) = torch.autograd.grad(y.reshape(()), source)
    return float(grad)


def finite_difference(f: Callable, x: Any, h: float = 1e-5) -> float:
    """The central difference (f(x+h) - f(x-h)) / 2h in float64: a check that needs no tape."""
    require_function(f)
    point = to_point(x)
    if not h > 0:
        raise ValueError(f"The step h must be a small positive number such as 1e-5, not {h!r}.")
    values = []
    for shifted in (point + h, point - h):
        out = to_array(call_function(f, to_array(shifted)), "f(x)")
        if out.size != 1:
            raise LearnerInputError(f"f must return one number, but it returned shape {out.shape}.")
        values.append(float(out.reshape(())))
    return (values[0] - values[1]) / (2 * h)
