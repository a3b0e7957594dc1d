"""The derivative of a one-variable Python function at a point: by tape, by autograd, by numbers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from helpers.optional import require
from helpers.values import (
    LearnerInputError,
    LearnerValueError,
    check_step,
    describe,
    framework,
    require_function,
    to_array,
    to_point,
)


def call_function(f: Callable, *args: Any) -> Any:
    """f(*args), with any failure inside the learner's function reported in a sentence, not hidden."""
    try:
        return f(*args)
    except Exception as err:
        shown = ", ".join(_short(a) for a in args)
        message = f"Calling f({shown}) failed with {type(err).__name__}: {err}"
        raise LearnerValueError(message + _other_library_hint(str(err), args)) from err


def _short(value: Any) -> str:
    if framework(value) is not None and getattr(value, "shape", None) == ():
        number = value.detach() if hasattr(value, "detach") else value
        return f"{float(number):.6g}"  # a scalar tensor or Variable, shown as the number it holds
    text = repr(value)
    return text if len(text) <= 60 and "\n" not in text else describe(value)


def _other_library_hint(error: str, args: tuple) -> str:
    """What to do when f was written for the other library (or NumPy) than the one calling it."""
    kind = next((framework(a) for a in args if framework(a) is not None), None)
    if kind == "torch" and "Can't call numpy() on Tensor that requires grad" in error:
        return (
            " f uses NumPy or TensorFlow on a PyTorch tensor, which autograd cannot follow: build f "
            "from torch operations, or from + − * / ** and helpers.functions.sin / cos, which work in "
            "every library."
        )
    if kind == "tensorflow" and "must be Tensor, not" in error:
        return (
            " f uses PyTorch on a TensorFlow tensor: build f from tf operations, or from + − * / ** and "
            "helpers.functions.sin / cos, which work in every library."
        )
    return ""


def require_library_output(y: Any, library: str, call: str = "f(x)") -> None:
    """Refuse an output that left the library (NumPy, math.*, a plain number), which no tape can follow."""
    if y is Ellipsis:
        raise LearnerValueError(f"{call} returned `...`: a `...` in f is still waiting for your code.")
    if isinstance(y, (int, float)) and not isinstance(y, bool):
        raise LearnerValueError(
            f"{call} returned the plain number {y:.6g}, which {library} cannot trace back to x: "
            f"math.* functions and .numpy() give plain numbers, so use {library} operations or "
            "helpers.functions.sin / cos instead. For a constant c, write `lambda x: 0 * x + c`."
        )
    if framework(y) != library:
        raise LearnerValueError(
            f"{call} returned {describe(y)}, so {library} could not follow the computation. "
            f"Build f from {library} operations (no .numpy(), math.* or NumPy calls inside)."
        )


def require_scalar_output(y: Any, library: str, call: str = "f(x)") -> None:
    """Refuse an output that left the library, or that is not a single number."""
    require_library_output(y, library, call)
    size = int(y.numel()) if library == "torch" else int(y.shape.num_elements())
    if size != 1:
        raise LearnerValueError(
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
        raise LearnerValueError(NO_PATH.format(library="TensorFlow"))
    return float(grad.numpy())


def torch_derivative(f: Callable, x: Any) -> float:
    """f'(x) from torch.autograd, as a Python float (float32 arithmetic, like the notebooks)."""
    torch = require("torch")

    require_function(f)
    source = torch.tensor(to_point(x), dtype=torch.float32, requires_grad=True)
    y = call_function(f, source)
    require_scalar_output(y, "torch")
    if not y.requires_grad:
        raise LearnerValueError(NO_PATH.format(library="PyTorch"))
    (grad,) = torch.autograd.grad(y.reshape(()), source)
    return float(grad)


def finite_difference(f: Callable, x: Any, h: float = 1e-5) -> float:
    """The central difference (f(x+h) - f(x-h)) / 2h in float64: a check that needs no tape."""
    require_function(f)
    point = to_point(x)
    h = check_step(h)
    values = []
    for shifted in (point + h, point - h):
        out = to_array(call_function(f, to_array(shifted)), "f(x)")
        if out.size != 1:
            raise LearnerInputError(f"f must return one number, but it returned shape {out.shape}.")
        values.append(float(out.reshape(())))
    return (values[0] - values[1]) / (2 * h)
