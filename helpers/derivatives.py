"""Every derivative the helpers compute, in one place: of one variable, partial derivatives,
Jacobians and n-th derivatives, each by tape (TensorFlow), by autograd (PyTorch) and by numbers
(finite differences)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from helpers.optional import require
from helpers.translation import N_, _
from helpers.values import (
    LearnerInputError,
    LearnerValueError,
    check_step,
    describe,
    framework,
    require_function,
    require_function2,
    to_array,
    to_pair,
    to_point,
    to_vector,
    to_whole,
)

__all__ = [
    "finite_difference", "finite_difference_partials", "tf_derivative", "tf_nth_derivative", "tf_partials",
    "torch_derivative", "torch_nth_derivative", "torch_partials",
]


def check_order(n: Any, lowest: int = 1, highest: int | None = None) -> int:
    """The order of a derivative, a whole number (2, not 2.0) from `lowest` to `highest`."""
    return to_whole(n, "n", _("how many times to differentiate"), _("2 for f″"), lowest, highest)


def call_function(f: Callable, *args: Any) -> Any:
    """f(*args), with any failure inside the learner's function reported in a sentence, not hidden."""
    try:
        return f(*args)
    except Exception as err:
        message = _("Calling f({arguments}) failed with {error}: {reason}").format(
            arguments=", ".join(_short(a) for a in args), error=type(err).__name__, reason=err
        )
        hint = _other_library_hint(str(err), args)
        raise LearnerValueError(f"{message} {hint}" if hint else message) from err


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
        return _(
            "f uses NumPy or TensorFlow on a PyTorch tensor, which autograd cannot follow: build f "
            "from torch operations, or from + − * / ** and helpers.functions.sin / cos, which work in "
            "every library."
        )
    if kind == "tensorflow" and "must be Tensor, not" in error:
        return _(
            "f uses PyTorch on a TensorFlow tensor: build f from tf operations, or from + − * / ** and "
            "helpers.functions.sin / cos, which work in every library."
        )
    return ""


def require_library_output(y: Any, library: str, call: str = "f(x)") -> None:
    """Refuse an output that left the library (NumPy, math.*, a plain number), which no tape can follow."""
    if y is Ellipsis:
        raise LearnerValueError(
            _("{call} returned `...`: a `...` in f is still waiting for your code.").format(call=call)
        )
    if isinstance(y, (int, float)) and not isinstance(y, bool):
        raise LearnerValueError(_(
            "{call} returned the plain number {number:.6g}, which {library} cannot trace back to x: "
            "math.* functions and .numpy() give plain numbers, so use {library} operations or "
            "helpers.functions.sin / cos instead. For a constant c, write `lambda x: 0 * x + c`."
        ).format(call=call, number=y, library=library))
    if framework(y) != library:
        raise LearnerValueError(_(
            "{call} returned {value}, so {library} could not follow the computation. "
            "Build f from {library} operations (no .numpy(), math.* or NumPy calls inside)."
        ).format(call=call, value=describe(y), library=library))


def require_scalar_output(y: Any, library: str, call: str = "f(x)") -> None:
    """Refuse an output that left the library, or that is not a single number."""
    require_library_output(y, library, call)
    size = int(y.numel()) if library == "torch" else int(y.shape.num_elements())
    if size != 1:
        raise LearnerValueError(_(
            "f must return one number, but it returned shape {shape}. "
            "Reduce it first, for example with tf.reduce_sum or .sum()."
        ).format(shape=tuple(y.shape)))


NO_PATH = N_(
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
        raise LearnerValueError(_(NO_PATH).format(library="TensorFlow"))
    return float(grad.numpy())


def torch_derivative(f: Callable, x: Any) -> float:
    """f'(x) from torch.autograd, as a Python float (float32 arithmetic, like the notebooks)."""
    torch = require("torch")

    require_function(f)
    source = torch.tensor(to_point(x), dtype=torch.float32, requires_grad=True)
    y = call_function(f, source)
    require_scalar_output(y, "torch")
    if not y.requires_grad:
        raise LearnerValueError(_(NO_PATH).format(library="PyTorch"))
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
            raise LearnerInputError(
                _("f must return one number, but it returned shape {shape}.").format(shape=out.shape)
            )
        values.append(float(out.reshape(())))
    return (values[0] - values[1]) / (2 * h)


def _no_path(name: str, library: str) -> LearnerValueError:
    return LearnerValueError(_(
        "{library} found no path from {name} to f(x, y), so it has no gradient for {name}. Either f "
        "ignores {name} (then ∂f/∂{name} = 0; write `+ 0 * {name}` in f to say so) or the chain is broken: "
        "build f from {library} operations only (no .numpy(), math.* or NumPy calls inside)."
    ).format(name=name, library=library))


def tf_partials(f: Callable, point: Any) -> tuple[float, float]:
    """(∂f/∂x, ∂f/∂y) at point from ONE tape.gradient call with the two sources [x, y]."""
    import tensorflow as tf

    require_function2(f)
    x0, y0 = to_pair(point)
    x, y = tf.Variable(x0, dtype=tf.float32), tf.Variable(y0, dtype=tf.float32)
    with tf.GradientTape() as tape:
        out = call_function(f, x, y)
    require_scalar_output(out, "tensorflow", "f(x, y)")
    dx, dy = tape.gradient(out, [x, y])  # one call, two sources, two gradients in the same order
    for grad, name in ((dx, "x"), (dy, "y")):
        if grad is None:
            raise _no_path(name, "TensorFlow")
    return float(dx.numpy()), float(dy.numpy())


def torch_partials(f: Callable, point: Any) -> tuple[float, float]:
    """(∂f/∂x, ∂f/∂y) at point from one torch.autograd.grad call with the inputs [x, y]."""
    torch = require("torch")

    require_function2(f)
    x0, y0 = to_pair(point)
    x = torch.tensor(x0, dtype=torch.float32, requires_grad=True)
    y = torch.tensor(y0, dtype=torch.float32, requires_grad=True)
    out = call_function(f, x, y)
    require_scalar_output(out, "torch", "f(x, y)")
    if not out.requires_grad:
        raise _no_path(_("x or y"), "torch")
    dx, dy = torch.autograd.grad(out.reshape(()), [x, y], allow_unused=True)
    for grad, name in ((dx, "x"), (dy, "y")):
        if grad is None:
            raise _no_path(name, "torch")
    return float(dx), float(dy)


def finite_difference_partials(f: Callable, point: Any, h: float = 1e-5) -> tuple[float, float]:
    """Central differences in float64, moving one variable while the other stays fixed."""
    require_function2(f)
    x0, y0 = to_pair(point)
    h = check_step(h)

    def value(x: float, y: float) -> float:
        out = to_array(call_function(f, np.float64(x), np.float64(y)), "f(x, y)")
        if out.size != 1:
            raise LearnerInputError(
                _("f must return one number, but it returned shape {shape}.").format(shape=out.shape)
            )
        return float(out.reshape(()))

    dx = (value(x0 + h, y0) - value(x0 - h, y0)) / (2 * h)
    dy = (value(x0, y0 + h) - value(x0, y0 - h)) / (2 * h)
    return dx, dy


def tf_partials_on_grid(f: Callable, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """∂f/∂x and ∂f/∂y at every grid point from one tape: the sources are the whole grids."""
    import tensorflow as tf

    require_function2(f)
    x, y = tf.constant(xs, dtype=tf.float32), tf.constant(ys, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        out = call_function(f, x, y)
        # Each output depends only on its own grid point, so the gradient of the sum holds every
        # point's partial derivatives, in the shape of the grid (the shape of the source).
        total = tf.reduce_sum(out)
    dx, dy = tape.gradient(total, [x, y])
    for grad, name in ((dx, "x"), (dy, "y")):
        if grad is None:
            raise _no_path(name, "TensorFlow")
    return dx.numpy().astype(np.float64), dy.numpy().astype(np.float64)


def count_outputs(y: Any, library: str, name: str = "f") -> int:
    """The number of outputs of f(x), refusing a value the library did not compute or that is not a vector."""
    if framework(y) != library:
        raise LearnerValueError(_(
            "{name}(x) returned {value}, so {library} could not follow the computation. "
            "Build {name} from {library} operations (no .numpy(), math.* or NumPy calls inside) "
            "and stack the outputs, e.g. with helpers.functions.stack."
        ).format(name=name, value=describe(y), library=library))
    if len(y.shape) != 1:
        raise LearnerValueError(_(
            "{name} must return a vector (one entry per output f₀, f₁, …), but it returned shape "
            "{shape}. For a single number use tape.gradient; otherwise stack the outputs."
        ).format(name=name, shape=tuple(y.shape)))
    return int(y.shape[0])


def tf_jacobian(f: Callable, point: Any, *, by_rows: bool = False) -> np.ndarray:
    """The Jacobian J[i, j] = ∂fᵢ/∂xⱼ at point from TensorFlow, as a float64 array (float32 arithmetic).

    by_rows=True asks one persistent tape for the gradient of each output in turn (row i is the
    gradient of fᵢ); otherwise tape.jacobian computes all rows in one call.
    """
    import tensorflow as tf

    if not callable(f):
        raise LearnerInputError(_(
            "f must be a function of a vector x, such as `lambda x: tf.stack([x[0] ** 2, x[0] * x[1]])`, "
            "but it is {value}. Pass the function itself, not its value."
        ).format(value=describe(f)))
    x = tf.constant(to_vector(point), dtype=tf.float32)
    zero = tf.UnconnectedGradients.ZERO  # an output that does not use x has a row of zeros
    with tf.GradientTape(persistent=by_rows) as tape:
        tape.watch(x)
        y = call_function(f, x)
        outputs = count_outputs(y, "tensorflow")
        parts = [y[i] for i in range(outputs)] if by_rows else []  # the slices are recorded too
    if by_rows:
        rows = [tape.gradient(part, x, unconnected_gradients=zero) for part in parts]
        del tape  # release what the persistent tape holds
        matrix = tf.stack(rows)
    else:
        matrix = tape.jacobian(y, x, unconnected_gradients=zero)
    return np.asarray(matrix.numpy(), dtype=np.float64)


def torch_jacobian(f: Callable, point: Any) -> np.ndarray:
    """The Jacobian at point from torch.autograd.functional.jacobian, as float64 (float32 arithmetic)."""
    torch = require("torch")

    if not callable(f):
        raise LearnerInputError(
            _("f must be a function of a vector x, but it is {value}.").format(value=describe(f))
        )
    x = torch.tensor(to_vector(point), dtype=torch.float32)
    count_outputs(call_function(f, x), "torch")
    matrix = torch.autograd.functional.jacobian(f, x)
    return np.asarray(matrix.detach().numpy(), dtype=np.float64)


def numeric_jacobian(f: Callable, point: Any, h: float = 1e-5) -> np.ndarray:
    """Central differences (f(x + h·eⱼ) − f(x − h·eⱼ)) / 2h in float64, column by column: needs no tape."""
    if not callable(f):
        raise LearnerInputError(
            _("f must be a function of a vector x, but it is {value}.").format(value=describe(f))
        )
    h = check_step(h)
    x = to_vector(point)
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = h
        up = to_array(call_function(f, x + step), "f(x)")
        down = to_array(call_function(f, x - step), "f(x)")
        if up.ndim != 1:
            raise LearnerValueError(
                _("f must return a vector, but it returned shape {shape}.").format(shape=up.shape)
            )
        columns.append((up - down) / (2 * h))
    return np.stack(columns, axis=1)


def _tf_chain(f: Callable, source: Any, n: int, check: Callable[[Any], None]) -> list:
    """[f, f′, …, f⁽ⁿ⁾] at source: each tape records the computation of the derivative below it."""
    import tensorflow as tf

    if n == 0:
        y = call_function(f, source)
        check(y)
        return [y]
    with tf.GradientTape() as tape:
        tape.watch(source)
        # The inner tapes call .gradient() in here, so this tape records those operations too.
        lower = _tf_chain(f, source, n - 1, check)
    grad = tape.gradient(lower[-1], source)
    if grad is None:
        if n == 1:  # f itself does not use x: a mistake, as in tf_derivative
            raise LearnerValueError(_(NO_PATH).format(library="TensorFlow"))
        grad = tf.zeros_like(source)  # a constant lower derivative: this one is 0 everywhere
    return [*lower, grad]


def tf_derivatives(f: Callable, x: Any, n: int) -> list[float]:
    """[f(x), f′(x), …, f⁽ⁿ⁾(x)] from n nested tf.GradientTapes, as Python floats (float32 arithmetic)."""
    import tensorflow as tf

    require_function(f)
    n = check_order(n, lowest=0)
    source = tf.constant(to_point(x), dtype=tf.float32)
    chain = _tf_chain(f, source, n, lambda y: require_scalar_output(y, "tensorflow"))
    return [float(tf.reshape(v, ()).numpy()) for v in chain]


def tf_nth_derivative(f: Callable, x: Any, n: int) -> float:
    """The n-th derivative f⁽ⁿ⁾(x) from n nested tf.GradientTapes, as a Python float (n = 0: f(x))."""
    return tf_derivatives(f, x, n)[-1]


def derivative_curves(f: Callable, xs: Any, n: int) -> np.ndarray:
    """f, f′, …, f⁽ⁿ⁾ on a whole grid at once (shape (n + 1, len(xs))), from nested tapes.

    Works because f acts element by element: the gradient of the grid's outputs with respect to
    the grid holds each point's own derivative.
    """
    import tensorflow as tf

    require_function(f)
    n = check_order(n, lowest=0)
    grid = to_array(xs, "xs")
    if grid.ndim != 1 or grid.size < 2:
        raise LearnerValueError(_(
            "xs must be a 1-D grid of points such as np.linspace(-2, 2, 200); got shape {shape}."
        ).format(shape=grid.shape))
    source = tf.constant(grid, dtype=tf.float32)

    def same_shape(y: Any) -> None:
        require_library_output(y, "tensorflow")
        shape = tuple(getattr(y, "shape", ()))
        if shape != grid.shape:
            raise LearnerInputError(_(
                "f must work element by element (one output per x), but for {count} points it "
                "returned shape {shape}. Avoid reductions such as tf.reduce_sum inside f."
            ).format(count=grid.size, shape=shape))

    chain = _tf_chain(f, source, n, same_shape)
    return np.stack([np.asarray(v.numpy(), dtype=np.float64) for v in chain])


def torch_derivatives(f: Callable, x: Any, n: int) -> list[float]:
    """[f(x), f′(x), …, f⁽ⁿ⁾(x)] from torch.autograd.grad with create_graph=True, as Python floats."""
    torch = require("torch")

    require_function(f)
    n = check_order(n, lowest=0)
    source = torch.tensor(to_point(x), dtype=torch.float32, requires_grad=True)
    y = call_function(f, source)
    require_scalar_output(y, "torch")
    chain = [y.reshape(())]
    for k in range(1, n + 1):
        grad = None
        if chain[-1].requires_grad:
            # create_graph=True records the gradient computation itself, so it can be differentiated again.
            (grad,) = torch.autograd.grad(chain[-1], source, create_graph=True, allow_unused=True)
        if grad is None:
            if k == 1:
                raise LearnerValueError(_(NO_PATH).format(library="PyTorch"))
            grad = torch.zeros_like(source)
        chain.append(grad)
    return [float(v.detach()) for v in chain]


def torch_nth_derivative(f: Callable, x: Any, n: int) -> float:
    """The n-th derivative f⁽ⁿ⁾(x) from torch.autograd.grad(..., create_graph=True), as a Python float."""
    return torch_derivatives(f, x, n)[-1]


def tape_curve(f: Callable, xs: Iterable[float]) -> tuple[np.ndarray, np.ndarray]:
    """f(x) and the tape's f′(x) at every point, one tape per point so that Python `if`s work."""
    import tensorflow as tf

    require_function(f)
    values, slopes = [], []
    for x0 in xs:
        source = tf.constant(float(x0))
        with tf.GradientTape() as tape:
            tape.watch(source)
            y = call_function(f, source)
        if not isinstance(y, tf.Tensor):
            raise LearnerValueError(_(
                "f(x) returned {value}, so TensorFlow could not follow it. "
                "Build f from TensorFlow operations such as tf.abs or tf.nn.relu."
            ).format(value=describe(y)))
        require_scalar_output(y, "tensorflow")
        grad = tape.gradient(y, source, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        values.append(float(y.numpy()))
        slopes.append(float(grad.numpy()))
    return np.array(values), np.array(slopes)
