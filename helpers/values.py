"""Turn what a learner passes (Python, NumPy, TensorFlow or PyTorch values) into NumPy, or say why not."""

from __future__ import annotations

import inspect
import math
import sysconfig
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from helpers.translation import N_, _, n_


class SaidInWords:
    """An error whose message is the whole story. IPython shows an exception that defines
    `_render_traceback_` as the lines it returns (its documented protocol for custom tracebacks):
    here the sentence first, then the learner's own line that led to it, and no frames from inside
    the helpers or the libraries."""

    def _render_traceback_(self) -> list[str]:
        name = next(c.__name__ for c in type(self).__mro__ if c.__module__ == "builtins")
        message = self.args[0] if len(self.args) == 1 else str(self)  # KeyError's str() adds quotes
        lines = [f"\x1b[0;31m{name}\x1b[0m: {message}"]
        frame = _learner_frame(self.__traceback__)
        if frame is not None:
            where = _("(from your line {number}: {line})").format(number=frame.lineno, line=frame.line)
            lines.append(f"  {where}")
        return lines


def _learner_frame(tb: Any) -> traceback.FrameSummary | None:
    """The innermost frame of the learner's own code: not the helpers, not an installed library."""
    inside = (str(Path(__file__).parent), sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["purelib"])
    frames = [f for f in traceback.extract_tb(tb) if not f.filename.startswith(inside)]
    return frames[-1] if frames else None


class LearnerInputError(SaidInWords, TypeError):
    """A helper was given something it cannot use; the message says what to pass instead."""


class LearnerValueError(SaidInWords, ValueError):
    """A helper was given a value it cannot work with (out of range, undefined, the wrong size)."""


class LearnerKeyError(SaidInWords, KeyError):
    """A name the helpers do not know, such as an exercise."""


class CheckFailed(SaidInWords, AssertionError):
    """A value a notebook computed differs from the one derived by hand."""


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
    if kind is not None and (hasattr(value, "trainable_variables") or hasattr(value, "named_parameters")):
        # A Keras layer or model, or a PyTorch module: it has a dtype but no shape of its own.
        return _(
            "the {library} {name} itself, not numbers (read them from its weights, "
            "such as model.trainable_variables or layer.weight, or from its output)"
        ).format(library="Keras" if kind == "tensorflow" else "PyTorch", name=type(value).__name__)
    if kind is not None and hasattr(value, "dtype") and hasattr(value, "shape"):
        return _("a {library} tensor of dtype {dtype} and shape {shape}").format(
            library="TensorFlow" if kind == "tensorflow" else "PyTorch",
            dtype=_dtype_name(value.dtype),
            shape=tuple(value.shape),
        )
    if callable(value):
        name = getattr(value, "__name__", type(value).__name__)
        return _("the function {name} (not its result)").format(name=name)
    if isinstance(value, np.ndarray):
        array = _("a NumPy array of dtype {dtype} and shape {shape}")
        return array.format(dtype=value.dtype, shape=value.shape)
    text = repr(value)
    return f"{type(value).__name__} {text if len(text) <= 40 else text[:37] + '...'}"


def _dtype_name(dtype: Any) -> str:
    return str(getattr(dtype, "name", dtype)).replace("torch.", "")


def to_array(value: Any, what: str = N_("the value")) -> np.ndarray:
    """A float64 NumPy array of any numeric value; LearnerInputError for text, None, functions."""
    return _to_array(value, what, "")


def is_text(value: Any) -> bool:
    """True for text, and for arrays and tensors of text (which NumPy would quietly read as numbers)."""
    if isinstance(value, (str, bytes)):
        return True
    dtype = getattr(value, "dtype", None)
    return getattr(dtype, "kind", "") in ("U", "S") or _dtype_name(dtype) == "string"


def _to_array(value: Any, what: str, where: str) -> np.ndarray:
    if value is None or value is Ellipsis or isinstance(value, bool) or callable(value) or is_text(value):
        raise _not_numbers(value, what, where)
    if isinstance(value, (list, tuple)):
        # Entry by entry, so that a None or a tensor still attached to autograd inside a list is
        # named too, instead of failing deep inside NumPy.
        value = [_to_array(item, what, f"{where}[{i}]") for i, item in enumerate(value)]
        shapes = list(dict.fromkeys(part.shape for part in value))  # in the order of the entries
        if len(shapes) > 1 and all(part.size == 1 for part in value):
            value = [part.reshape(()) for part in value]  # such as [W, b] of a layer of one weight
        elif len(shapes) > 1:
            raise LearnerValueError(
                _(
                    "{what} is a list whose entries have different shapes ({shapes}); "
                    "give one number per entry (such as W[0, 0] or t.item()), or rows of equal length."
                ).format(what=_(what), shapes=", ".join(map(str, shapes)))
            )
    kind = framework(value)
    if kind == "torch" and hasattr(value, "detach"):
        value = value.detach().cpu().numpy()
    elif kind == "tensorflow" and hasattr(value, "numpy"):
        value = value.numpy()
    try:
        array = np.asarray(value, dtype=np.float64)
    except OverflowError:
        raise LearnerValueError(
            _("{what} is {value}, too large for a floating-point number (at most about 1.8e308).").format(
                what=_(what), value=describe(value)
            )
        ) from None
    except (TypeError, ValueError) as err:
        raise _not_numbers(value, what, where) from err
    return array


def _not_numbers(value: Any, what: str, where: str) -> LearnerInputError:
    if where:
        message = _("{what} should be a number or a tensor of numbers, but its entry {where} is {value}.")
    else:
        message = _("{what} should be a number or a tensor of numbers, but it is {value}.")
    return LearnerInputError(message.format(what=_(what), where=where, value=describe(value)))


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
            _(
                "{name} is {value}. Gradients exist only for floating-point values: "
                "write the number with a decimal point (3.0, not 3) or pass dtype=float32."
            ).format(name=name, value=describe(x))
        )
    array = to_array(x, name)
    if array.size != 1:
        raise LearnerValueError(
            _(
                "{name} must be a single number, but it has shape {shape}. "
                "Pick one point, for example {name}[0], or use a helper made for several sources."
            ).format(name=name, shape=array.shape)
        )
    point = float(array.reshape(()))
    if not math.isfinite(point):
        raise LearnerValueError(
            _("{name} is {point}; choose a finite number to differentiate at.").format(name=name, point=point)
        )
    return point


def to_number(value: Any, name: str, example: str = "1.0") -> float:
    """One finite float for a setting (a range end, a step, a rate): integers are fine here."""
    array = to_array(value, name)
    if array.size != 1:
        raise LearnerValueError(
            _("{name} must be a single number such as {example}, but it has shape {shape}.").format(
                name=name, example=example, shape=array.shape
            )
        )
    number = float(array.reshape(()))
    if not math.isfinite(number):
        raise LearnerValueError(
            _("{name} is {number}; give a finite number such as {example}.").format(
                name=name, number=number, example=example
            )
        )
    return number


def check_step(h: Any) -> float:
    """The step of a finite difference: a small positive number, as a float."""
    wrong = _("The step h must be a small positive number such as 1e-5, not {value}.")
    try:
        step = to_number(h, "h", "1e-5")
    except (TypeError, ValueError) as err:  # text, a list, NaN or infinity
        raise type(err)(wrong.format(value=describe(h))) from err
    if not step > 0:
        raise LearnerValueError(wrong.format(value=repr(h)))
    return step


def require_function(
    f: Any, name: str = "f", *, of: str = "x", example: str = "`lambda x: x**2`", arguments: int = 1
) -> None:
    """Refuse anything that is not a function, or cannot be called with that many arguments."""
    if not callable(f):
        raise LearnerInputError(
            _(
                "{name} must be a function of {of}, such as {example}, "
                "but it is {value}. Pass the function itself, not its value."
            ).format(name=name, of=_(of), example=example, value=describe(f))
        )
    try:
        inspect.signature(f).bind(*range(arguments))
    except ValueError:  # a built-in without a readable signature: calling it will tell
        return
    except TypeError:
        count = {1: _("one argument"), 2: _("two arguments")}.get(
            arguments, n_("{n} argument", "{n} arguments", arguments).format(n=arguments)
        )
        raise LearnerInputError(
            _("{name} must take {count}, such as {example}, but its arguments are {signature}.").format(
                name=name, count=count, example=example, signature=inspect.signature(f)
            )
        ) from None


def check_range(
    bounds: Any, *, name: str = "x", point: float | None = None, what: str = N_("the plotted range")
) -> tuple[float, float]:
    """(smallest, largest) as floats, refusing an empty range or one that leaves out the point."""
    try:
        count = None if is_text(bounds) else len(bounds)
    except TypeError:
        count = None
    if count is None:
        raise LearnerInputError(
            _(
                "{name}lim must be a pair (smallest {name}, largest {name}) such as (-3.0, 3.0), "
                "but it is {value}."
            ).format(name=name, value=describe(bounds))
        )
    if count != 2:
        # English says "entries" for every count; n_ lets a translation inflect.
        raise LearnerValueError(
            n_(
                "{name}lim must be a pair (smallest {name}, largest {name}) such as (-3.0, 3.0), "
                "but it has {count} entries.",
                "{name}lim must be a pair (smallest {name}, largest {name}) such as (-3.0, 3.0), "
                "but it has {count} entries.",
                count,
            ).format(name=name, count=count)
        )
    low, high = (to_number(v, _("an end of {name}lim").format(name=name), "3.0") for v in bounds)
    if not low < high:
        raise LearnerValueError(
            _(
                "{name}lim must be (smallest {name}, largest {name}) with smallest < largest; "
                "got ({low:g}, {high:g})."
            ).format(name=name, low=low, high=high)
        )
    if point is not None and not low <= point <= high:
        raise LearnerValueError(
            _(
                "The point {name} = {point:g} lies outside {what} {low:g} … {high:g}. "
                "Pick a point inside it or widen {name}lim."
            ).format(name=name, point=point, what=_(what), low=low, high=high)
        )
    return low, high


def require_function_menu(
    functions: Any, example: str, check: Callable[[Any, str], None] = require_function
) -> dict[str, Callable]:
    """A non-empty {name: function} menu for an explorer, each entry checked by `check`."""
    menu = as_menu(functions, example)
    for label, f in menu.items():
        check(f, _("the function {label!r}").format(label=label))
    return menu


def as_menu(functions: Any, example: str) -> dict:
    """A non-empty dict {name shown in the menu: entry}, refusing a lone function or a list."""
    if callable(functions):
        raise LearnerInputError(
            _(
                "functions must be a menu {{name: function}} such as {example}, not a single function; "
                "to explore just this one, write {{'f(x)': f}}."
            ).format(example=example)
        )
    if not isinstance(functions, Mapping):
        raise LearnerInputError(
            _("functions must be a menu {{name: function}} such as {example}, but it is {value}.").format(
                example=example, value=describe(functions)
            )
        )
    menu = dict(functions)
    if not menu:
        raise LearnerValueError(
            _("Give at least one function, for example {example}.").format(example=example)
        )
    return menu


def attached(value: Any) -> bool:
    """True for a PyTorch tensor that requires grad (also inside a list): it carries autograd's graph."""
    if isinstance(value, (list, tuple)):
        return any(attached(item) for item in value)
    return framework(value) == "torch" and bool(getattr(value, "requires_grad", False))


def check_axes(ax: Any, name: str = "ax", optional: bool = True) -> Any:
    """One matplotlib Axes (or None when optional); a sentence for a Figure, an array of Axes or the like."""
    from matplotlib.axes import Axes

    if (ax is None and optional) or isinstance(ax, Axes):
        return ax
    message = _(
        "{name} must be one matplotlib Axes, such as the ax of `fig, ax = plt.subplots()`, but it is {value}."
    ).format(name=name, value=describe(ax))
    if hasattr(ax, "add_subplot"):
        message += " " + _("Pass one of its Axes instead, for example fig.gca().")
    elif isinstance(ax, (np.ndarray, list, tuple)):
        message += " " + _("Pick one panel, for example ax[0].")
    raise LearnerInputError(message)


def check_axes_list(axes: Any, count: int, what: str) -> list:
    """`count` matplotlib Axes, one per panel (a list, or the array plt.subplots returns)."""
    panels = [axes] if hasattr(axes, "plot") else list(np.ravel(np.asarray(axes, dtype=object)))
    if len(panels) != count:
        wrong = _("Pass {count} Axes for {what}, not {given}.")
        raise LearnerValueError(wrong.format(count=count, what=_(what), given=len(panels)))
    for panel in panels:
        check_axes(panel, _("each of axes"), optional=False)
    return panels


def require_function2(f: Any, name: str = "f") -> None:
    """Refuse anything that cannot be called as f(x, y)."""
    require_function(f, name, of=N_("two variables"), example="`lambda x, y: x**2 + 3 * y**2`", arguments=2)


def to_pair(point: Any, name: str = "point") -> tuple[float, float]:
    """A point (x, y) as two floats, with a sentence for every misuse."""
    not_a_pair = _("{name} must be a pair (x, y) such as (1.0, 2.0), but it is {value}.")
    if isinstance(point, (str, bytes)) or callable(point) or point is None or point is Ellipsis:
        raise LearnerInputError(not_a_pair.format(name=name, value=describe(point)))
    try:
        items = list(point)
    except TypeError as err:
        raise LearnerInputError(not_a_pair.format(name=name, value=describe(point))) from err
    if len(items) != 2:
        # English says "entries" for every count; n_ lets a translation inflect.
        raise LearnerValueError(
            n_(
                "{name} must be a pair (x, y) such as (1.0, 2.0), but it has {count} entries.",
                "{name} must be a pair (x, y) such as (1.0, 2.0), but it has {count} entries.",
                len(items),
            ).format(name=name, count=len(items))
        )
    if any(isinstance(item, (list, tuple)) or getattr(item, "ndim", 0) > 0 for item in items):
        shape = to_array(point, name).shape
        raise LearnerValueError(
            _(
                "{name} must be a pair of two numbers such as (1.0, 2.0), not an array of shape {shape}."
            ).format(name=name, shape=shape)
        )
    x_name, y_name = _("the x of {name}").format(name=name), _("the y of {name}").format(name=name)
    return to_point(items[0], x_name), to_point(items[1], y_name)


def to_vector(point: Any, name: str = "point") -> np.ndarray:
    """A 1-D float64 array of finite numbers to differentiate at, with a sentence for every misuse."""
    if is_integer_valued(point):
        raise LearnerInputError(
            _(
                "{name} is {value}. Gradients exist only for floating-point values: "
                "write the numbers with a decimal point ([1.0, 2.0], not [1, 2])."
            ).format(name=name, value=describe(point))
        )
    array = to_array(point, name)
    if array.ndim != 1 or array.size == 0:
        raise LearnerValueError(
            _(
                "{name} must be a flat list of numbers such as [1.0, 2.0] (one per input x₀, x₁, …), "
                "but it has shape {shape}."
            ).format(name=name, shape=array.shape)
        )
    if not np.all(np.isfinite(array)):
        raise LearnerValueError(
            _("{name} contains NaN or infinity; choose finite numbers to differentiate at.").format(name=name)
        )
    return array


def to_whole(
    value: Any, name: str, meaning: str, example: str, lowest: int = 0, highest: int | None = None,
    unit: str = "", strict: bool = True,
) -> int:
    """A whole number from `lowest` to `highest`, with a sentence for every misuse: `meaning` and `example`
    say what it counts ("the number of loop steps", "6"). `strict` refuses a float such as 6.0, which
    most counts here would take silently but an order n or a seed should not."""
    wrong = _("{name} is {meaning}, a whole number such as {example}, but it is {value}.").format(
        name=name, meaning=_(meaning), example=example, value=describe(value)
    )
    if isinstance(value, (bool, np.bool_, str, bytes)) or value is None or callable(value):
        raise LearnerInputError(wrong)
    if strict and not isinstance(value, (int, np.integer)):
        raise LearnerInputError(wrong)
    try:
        number = float(value)
    except (TypeError, ValueError) as err:
        raise LearnerInputError(wrong) from err
    if not number.is_integer():
        raise LearnerValueError(
            _("{name} is {meaning}, a whole number such as {example}, not {number:g}.").format(
                name=name, meaning=_(meaning), example=example, number=number
            )
        )
    whole = int(value) if strict else int(number)
    if whole < lowest or (highest is not None and whole > highest):
        if highest is not None:
            message = _("{name} must be between {lowest} and {highest}{unit}; got {value}.")
        else:
            message = _("{name} must be at least {lowest}{unit}; got {value}.")
        raise LearnerValueError(
            message.format(name=name, lowest=lowest, highest=highest, unit=unit and _(unit), value=whole)
        )
    return whole
