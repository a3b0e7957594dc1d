"""A gradient tape built from scratch in plain Python, small enough to read in one sitting (chapter 09).

The idea is TensorFlow's: while a `Tape` is open, every operation on a `Value` is written onto it as a
`Record` (what was computed, from which values, and the local derivative of the result with respect
to each of them). `tape.gradient(y, x)` then plays the records backwards, newest first, and applies
the chain rule once per record. Nothing else is needed: no graph object, no symbolic algebra.

Read it top to bottom: `Value` and `record` (the forward pass), then `Tape` (the backward pass). The
checks that turn a learner's mistake into a sentence sit at the end, out of the way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from helpers.text import superscript
from helpers.translation import N_, _
from helpers.values import LearnerInputError, LearnerValueError, describe

# What the package offers as helpers.Tape and so on; sin, cos, exp and log are imported from this
# module by name, so that helpers.sin is never mistaken for a TensorFlow or NumPy function.
__all__ = ["Tape", "Value", "record"]

OPEN_TAPES: list[Tape] = []  # the tapes whose `with` block we are inside


class Value:
    """A number that writes every operation done with it onto the open tapes."""

    def __init__(self, number: float, name: str = "") -> None:
        self.number = _plain_number(number, "Value(number)")
        self.name = name
        self.grad = 0.0  # filled by tape.backward(), the way PyTorch fills x.grad

    # Each operation: the result's number, and ∂result/∂input for each input, worked out now.
    def __add__(self, other: Any) -> Value:
        other = as_value(other)
        return record("+", [self, other], self.number + other.number, [1.0, 1.0])

    def __mul__(self, other: Any) -> Value:
        other = as_value(other)
        return record("·", [self, other], self.number * other.number, [other.number, self.number])

    def __truediv__(self, other: Any) -> Value:
        other = as_value(other)
        b = _nonzero(other.number, N_("the divisor"))
        return record("/", [self, other], self.number / b, [1 / b, -self.number / b**2])

    def __pow__(self, k: Any) -> Value:
        k = _exponent(k)
        a = self.number
        power, slope = _real(a**k, f"{a:g}^{k:g}"), k * _real(a ** (k - 1), f"{a:g}^{k - 1:g}")
        return record(f"^{k:g}", [self], power, [slope])

    def __sub__(self, other: Any) -> Value:
        other = as_value(other)
        return record("−", [self, other], self.number - other.number, [1.0, -1.0])

    def __neg__(self) -> Value:
        return record("−", [self], -self.number, [-1.0])

    # 2 * x, 2 + x, 2 - x, 2 / x: Python asks the Value on the right.
    def __radd__(self, other: Any) -> Value:
        return as_value(other) + self

    def __rmul__(self, other: Any) -> Value:
        return as_value(other) * self

    def __rsub__(self, other: Any) -> Value:
        return as_value(other) - self

    def __rtruediv__(self, other: Any) -> Value:
        return as_value(other) / self

    # Comparisons only read the numbers, as `if x > 0:` does with a tensor: nothing is recorded.
    def __lt__(self, other: Any) -> bool:
        return self.number < as_value(other).number

    def __le__(self, other: Any) -> bool:
        return self.number <= as_value(other).number

    def __gt__(self, other: Any) -> bool:
        return self.number > as_value(other).number

    def __ge__(self, other: Any) -> bool:
        return self.number >= as_value(other).number

    def __float__(self) -> float:
        # math.sin(x) or math.tanh(x) would read only the number and record nothing: a silent wrong gradient.
        raise LearnerInputError(_(
            "A Value cannot become a plain number inside an expression: math.sin(x) or float(x) would "
            "record nothing on the tape. Use the tape's sin, cos, exp and log (from "
            "helpers.tape_from_scratch import sin) or write the operation with record(...); "
            "for the number itself read x.number."
        ))

    @property
    def label(self) -> str:
        """Its name, or its number when it has none."""
        return self.name or f"{self.number:g}"

    def __repr__(self) -> str:
        return f"Value({self.number:.6g}, name={self.name!r})" if self.name else f"Value({self.number:.6g})"


class Constant(Value):
    """A plain number inside an expression (the 5 of 5·x): it takes part, and needs no gradient."""


def as_value(other: Any) -> Value:
    """A Value as it is; a plain number as a Constant."""
    if isinstance(other, Value):
        return other
    return Constant(_plain_number(other, N_("a number in an expression")))


def sin(v: Any) -> Value:
    v = as_value(v)
    return record("sin", [v], math.sin(v.number), [math.cos(v.number)])


def cos(v: Any) -> Value:
    v = as_value(v)
    return record("cos", [v], math.cos(v.number), [-math.sin(v.number)])


def exp(v: Any) -> Value:
    v = as_value(v)
    e = _finite(math.exp, v.number, "exp")
    return record("exp", [v], e, [e])  # d eᵛ/dv = eᵛ: the result is its own derivative


def log(v: Any) -> Value:
    v = as_value(v)
    if v.number <= 0:
        raise LearnerValueError(_(
            "log is defined only for positive numbers, but its input is {number:g}."
        ).format(number=v.number))
    return record("log", [v], math.log(v.number), [1 / v.number])


@dataclass
class Record:
    """One line of the tape: output = op(inputs), and ∂output/∂input for each input."""

    op: str
    inputs: list[Value]
    output: Value
    local: list[float]

    def formula(self, name: Any = None) -> str:
        """The record as a line of the forward pass, such as `v2 = 5 · v1`; `name(value)` names values."""
        name = name or (lambda value: value.label)
        args = [name(v) for v in self.inputs]
        if len(args) == 2:  # a product as 5·v1, the others with spaces: v1 + v2
            right = f"{args[0]}·{args[1]}" if self.op == "·" else f"{args[0]} {self.op} {args[1]}"
        elif self.op.startswith("^"):
            k = float(self.op[1:])
            right = args[0] + (superscript(int(k)) if k.is_integer() and k >= 0 else self.op)
        else:
            right = f"{self.op}({args[0]})"
        return f"{name(self.output)} = {right}"

    def __repr__(self) -> str:
        pairs = zip(self.inputs, self.local, strict=True)  # a constant needs no gradient: not shown
        partials = ", ".join(
            f"∂{self.output.label}/∂{v.label} = {d:.6g}" for v, d in pairs if not isinstance(v, Constant)
        )
        return f"{self.formula():<18} {partials}"


def record(op: str, inputs: list[Value], number: float, local: list[float]) -> Value:
    """The result of one operation, written onto every open tape."""
    inputs, local = _matching(op, inputs, local)  # or a sentence saying what does not match
    output = Value(number)
    for tape in OPEN_TAPES:
        tape.records.append(Record(op, inputs, output, local))
    if OPEN_TAPES:
        output.name = f"v{len(OPEN_TAPES[0].records)}"  # v1, v2, ... in the order they were computed
    return output


class Tape:
    """Open it with `with Tape() as tape:`; compute; then ask `tape.gradient(y, x)`."""

    def __init__(self) -> None:
        self.records: list[Record] = []

    def __enter__(self) -> Tape:
        OPEN_TAPES.append(self)
        return self

    def __exit__(self, *error: Any) -> None:
        OPEN_TAPES.remove(self)

    def steps(self, target: Value):
        """The backward pass, one record at a time, newest first. Yields each record it applies and
        the gradients ∂target/∂value found so far (one dict that grows; copy it to keep a snapshot)."""
        grads = {target: 1.0}  # ∂y/∂y = 1: where the way back starts
        for rec in reversed(self.records):
            if rec.output not in grads:
                continue  # this result does not lead to the target
            for value, local in zip(rec.inputs, rec.local, strict=True):
                self.add(grads, value, grads[rec.output] * local)  # the chain rule
            yield rec, grads

    @staticmethod
    def add(grads: dict, value: Value, contribution: float) -> None:
        """A value used twice is reached twice on the way back: its contributions add up."""
        grads[value] = grads.get(value, 0.0) + contribution

    def gradients(self, target: Value, sources: list[Value] = ()) -> dict:
        """∂target/∂value for every value the backward pass reaches."""
        _check_target(self, target, list(sources))
        grads = {target: 1.0}
        for _rec, reached in self.steps(target):
            grads = reached
        return grads

    def gradient(self, target: Value, sources: Any) -> Any:
        """∂target/∂source for one Value or a list of them; None where a source does not reach the
        target (as TensorFlow answers)."""
        single = isinstance(sources, Value)
        sources = _sources([sources] if single else sources)
        grads = self.gradients(target, sources)
        found = [grads.get(source) for source in sources]
        return found[0] if single else found

    def backward(self, target: Value) -> None:
        """The PyTorch way: add ∂target/∂leaf into the .grad of every leaf the pass reaches."""
        made = {rec.output for rec in self.records}
        for value, grad in self.gradients(target).items():
            if value not in made and not isinstance(value, Constant):
                value.grad += grad


# ------------------------------------------------------------------ what a learner is told


def _plain_number(number: Any, where: str) -> float:
    """`where` is code such as "Value(number)" or a phrase marked with N_, translated when shown."""
    if number is Ellipsis:
        raise LearnerInputError(
            _("{where} got `...`: replace the ... with a number, as its comment says.").format(where=_(where))
        )
    if isinstance(number, bool) or not isinstance(number, (int, float)) and not _numpy_scalar(number):
        hint = " " + _("Take its number with float(...) first.") if hasattr(number, "numpy") else ""
        raise LearnerInputError(_(
            "{where} takes a plain Python number such as 3.0, but it got {value}.{hint} "
            "This tape is built from plain Python: it works with Value objects and numbers, not tensors."
        ).format(where=_(where), value=describe(number), hint=hint))
    number = float(number)
    if not math.isfinite(number):
        raise LearnerValueError(
            _("{where} got {number}; give a finite number such as 3.0.").format(where=_(where), number=number)
        )
    return number


def _numpy_scalar(number: Any) -> bool:
    numpy = type(number).__module__ == "numpy" and getattr(number, "shape", None) == ()
    return numpy and number.dtype.kind in "iuf"


def _exponent(k: Any) -> float:
    if isinstance(k, Value):
        raise LearnerInputError(_(
            "This tape raises a Value only to a plain-number power such as x**3; for a Value in the "
            "exponent write it with exp and log: x**y = exp(y * log(x))."
        ))
    return _plain_number(k, N_("the exponent of **"))


def _real(result: Any, what: str) -> float:
    if isinstance(result, complex) or not math.isfinite(result):
        raise LearnerValueError(
            _("{what} is not a finite real number; choose another value or power.").format(what=what)
        )
    return float(result)


def _nonzero(number: float, what: str) -> float:
    """`what` is a phrase marked with N_, translated when shown."""
    if number == 0:
        raise LearnerValueError(_("{what} is 0, and nothing can be divided by 0.").format(what=_(what)))
    return number


def _finite(function: Any, number: float, name: str) -> float:
    try:
        return function(number)
    except OverflowError:
        raise LearnerValueError(
            _("{name}({number:g}) is too large for a floating-point number.").format(name=name, number=number)
        ) from None


def _matching(op: Any, inputs: Any, local: Any) -> tuple[list[Value], list[float]]:
    if not isinstance(op, str):
        raise LearnerInputError(_(
            'record\'s first argument names the operation, such as "exp", not {op}.'
        ).format(op=describe(op)))
    if not isinstance(inputs, (list, tuple)) or not all(isinstance(v, Value) for v in inputs):
        raise LearnerInputError(_(
            "record's inputs must be a list of the Values the operation used, such as [v], not {inputs}."
        ).format(inputs=describe(inputs)))
    if not isinstance(local, (list, tuple)) or len(local) != len(inputs):
        raise LearnerInputError(_(
            "record needs one local derivative per input: {count} input(s), so a list of "
            "{count} number(s), such as [math.exp(v.number)], but it got {local}."
        ).format(count=len(inputs), local=describe(local)))
    return list(inputs), [_plain_number(d, N_("a local derivative in record(...)")) for d in local]


def _check_target(tape: Tape, target: Any, sources: list[Value]) -> None:
    if not isinstance(target, Value):
        raise LearnerInputError(_(
            "The target must be the Value you computed inside the tape (such as y), not {target}."
        ).format(target=describe(target)))
    computed = {rec.output for rec in tape.records}
    if target not in computed and any(source in computed for source in sources):
        made = next(source for source in sources if source in computed)
        raise LearnerInputError(_(
            "The target comes first, then the sources: tape.gradient(y, x), not tape.gradient(x, y) "
            "({target} was not computed by the tape, but {source} was)."
        ).format(target=target.label, source=made.label))
    if target not in sources and target not in computed:
        raise LearnerValueError(_(
            "{target} was not computed inside this tape's `with` block, so the tape holds no record "
            "of it: compute it inside `with Tape() as tape:`."
        ).format(target=target.label))


def _sources(sources: Any) -> list[Value]:
    if not isinstance(sources, (list, tuple)) or not all(isinstance(s, Value) for s in sources):
        raise LearnerInputError(_(
            "The sources must be a Value (such as x) or a list of Values (such as [x, y]), not {sources}."
        ).format(sources=describe(sources)))
    return list(sources)
