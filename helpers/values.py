"""Turn what a learner passes (Python, NumPy, TensorFlow or PyTorch values) into NumPy, or say why not."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np


class LearnerInputError(TypeError):
    """A helper was given something it cannot use; the message says what to pass instead."""


def framework(value: Any) -> str | None:
    """'tensorflow', 'torch' or None, judged by the value's type without importing either library."""
    module = type(value).__module__
    for name in ("tensorflow", "keras", "torch"):
        if module.startswith(name):
            return "torch" if name == "torch" else "tensorflow"
    return None


def describe(value: Any) -> str:
    """A short description of a value for an error message: its type, and its dtype and shape."""
    kind = framework(value)
    if kind is not None and hasattr(value, "dtype"):
        label = "TensorFlow tensor" if kind == "tensorflow" else "PyTorch tensor"
        return f"a {label} of dtype {_dtype_name(value.dtype)} and shape {tuple(value.shape)}"
    if callable(value):
        return f"the function {getattr(value, '__name__', type(value).__name__)} (not its result)"
    if isinstance(value, np.ndarray):
        return f"a NumPy array of dtype {value.dtype} and shape {value.shape}"
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def _dtype_name(dtype: Any) -> str:
    return str(getattr(dtype, "name", dtype)).replace("torch.", "")


def to_array(value: Any, what: str = "the value") -> np.ndarray:
    """A float64 NumPy array of any numeric value; LearnerInputError for text, None, functions."""
    if value is None or value is Ellipsis or isinstance(value, (str, bytes, bool)) or callable(value):
        raise LearnerInputError(
            f"{what} should be a number or a tensor of numbers, but it is {describe(value)}."
        )
    kind = framework(value)
    if kind == "torch":
        value = value.detach().cpu().numpy()
    elif kind == "tensorflow" and hasattr(value, "numpy"):
        value = value.numpy()
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise LearnerInputError(
            f"{what} should be a number or a tensor of numbers, but it is {describe(value)}."
        ) from err
    return array


def is_integer_valued(value: Any) -> bool:
    """True for tensors and arrays of an integer or boolean dtype (which gradients never reach)."""
    dtype = getattr(value, "dtype", None)
    if dtype is None:
        return False
    name = _dtype_name(dtype)
    return name.startswith(("int", "uint", "bool"))


def to_point(x: Any, name: str = "x") -> float:
    """One finite floating-point number to differentiate at, with a sentence for every misuse."""
    if is_integer_valued(x):
        raise LearnerInputError(
            f"{name} is {describe(x)}. Gradients exist only for floating-point values: "
            f"write the number with a decimal point (3.0, not 3) or pass dtype=float32."
        )
    array = to_array(x, name)
    if array.size != 1:
        raise ValueError(
            f"{name} must be a single number, but it has shape {array.shape}. "
            f"Pick one point, for example {name}[0], or use a helper made for several sources."
        )
    point = float(array.reshape(()))
    if not math.isfinite(point):
        raise ValueError(f"{name} is {point}; choose a finite number to differentiate at.")
    return point


def require_function(f: Any, name: str = "f") -> None:
    """Refuse anything that cannot be called like f(x)."""
    if not callable(f):
        raise LearnerInputError(
            f"{name} must be a function of x, such as `lambda x: x**2`, "
            f"but it is {describe(f)}. Pass the function itself, not its value."
        )


def check_range(
    bounds: Any, *, name: str = "x", point: float | None = None, what: str = "the plotted range"
) -> tuple[float, float]:
    """(smallest, largest) as floats, refusing an empty range or one that leaves out the point."""
    low, high = (to_point(v, f"{name}lim") for v in bounds)
    if not low < high:
        raise ValueError(
            f"{name}lim must be (smallest {name}, largest {name}) with smallest < largest; "
            f"got {tuple(bounds)}."
        )
    if point is not None and not low <= point <= high:
        raise ValueError(
            f"The point {name} = {point:g} lies outside {what} {low:g} … {high:g}. "
            f"Pick a point inside it or widen {name}lim."
        )
    return low, high


def require_function_menu(
    functions: Any, example: str, check: Callable[[Any, str], None] = require_function
) -> dict[str, Callable]:
    """A non-empty {name: function} menu for an explorer, each entry checked by `check`."""
    menu = dict(functions)
    if not menu:
        raise ValueError(f"Give at least one function, for example {example}.")
    for label, f in menu.items():
        check(f, f"the function {label!r}")
    return menu
