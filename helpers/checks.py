"""Self-checks for the exercises: correct, not yet (with a hint), or not answered yet. Never raises
on a learner's answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from helpers.exercises import EXERCISES, Exercise
from helpers.translation import N_, _
from helpers.values import CheckFailed, LearnerInputError, LearnerKeyError, attached, to_array

__all__ = ["check", "confirm"]


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: status is 'correct', 'wrong', 'unanswered' or 'invalid'."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"


def evaluate(exercise: str, answer: Any) -> Verdict:
    """Judge an answer to one exercise without printing anything."""
    if not (isinstance(exercise, str) and exercise in EXERCISES):
        if isinstance(answer, str) and answer in EXERCISES:
            message = _("The exercise name comes first: helpers.check({exercise!r}, answer).")
            raise LearnerKeyError(message.format(exercise=answer))
        raise LearnerKeyError(
            _(
                "There is no exercise called {exercise!r}; the known ones are: {known}. If this notebook is "
                "an older copy in my-notebooks/, its chapter may have changed: `make lab` names such copies."
            ).format(exercise=exercise, known=", ".join(sorted(EXERCISES)))
        )
    spec = EXERCISES[exercise]
    if answer is Ellipsis:
        return Verdict(
            "unanswered", _("✏️ Not answered yet: replace the `...` with your answer and run the cell again.")
        )
    if answer is None:  # the template holds `...`: None was computed, a gradient that came back empty
        return _not_yet(_(_NONE_NOTE), spec)
    if _holds_ellipsis(answer):
        return Verdict(
            "unanswered",
            _("✏️ Not finished yet: replace every `...` in your answer with a number and run the cell again."),
        )
    try:
        given = to_array(answer, _("Your answer"))
    except LearnerInputError as err:
        return Verdict(
            "invalid",
            _("✘ Not yet: {reason} Give the number itself, for example 1.5 (no quotes).").format(reason=err),
        )
    except ValueError as err:  # a ragged list
        return _not_yet(str(err), spec)
    expected = np.asarray(spec.answer, dtype=np.float64)
    # Only a single number may come wrapped (a 1-element list or tensor): the same entries in
    # another shape, such as four numbers for a 2×2 matrix, are a different answer.
    if given.shape != expected.shape and not (expected.ndim == 0 and given.size == 1):
        if expected.ndim == 0:
            reason = _("your answer has shape {shape}, but the answer is a single number.")
        else:
            reason = _("your answer has shape {shape}, but the answer is shape {expected}.")
        return _not_yet(reason.format(shape=given.shape, expected=expected.shape), spec)
    given = given.reshape(expected.shape)
    if not np.all(np.isfinite(given)):
        return _not_yet(_("your answer contains NaN or infinity."), spec)
    if np.allclose(given, expected, rtol=spec.rtol, atol=spec.atol):
        correct, note = _("✔ Correct! {question}: {answer}."), _attached_note(answer)
        return Verdict("correct", correct.format(question=_(spec.question), answer=_show(expected)) + note)
    return _not_yet(_("{answer} is not right.").format(answer=_show(given)), spec)


def _not_yet(reason: str, spec: Exercise) -> Verdict:
    """A wrong answer: what is wrong with it (a sentence), then the exercise's hint."""
    return Verdict("wrong", _("✘ Not yet: {reason} Hint: {hint}").format(reason=reason, hint=_(spec.hint)))


# An answer of None is a gradient that came back empty: say the usual reasons.
_NONE_NOTE = N_(
    "your answer is None. tape.gradient returns None when the result does not depend on the source "
    "through operations the tape recorded: the source is an integer Variable such as tf.Variable(2) "
    "(write 2.0), a value was computed outside the `with` block (an inner gradient belongs inside the "
    "outer tape's `with`), or .numpy() was used inside it; x.grad stays None until backward() has run."
)


def _attached_note(answer: Any) -> str:
    """A second line for a right number still attached to autograd: fine here, but say how to let go."""
    if not attached(answer):
        return ""
    return "\n  " + _(
        "(Your answer is a PyTorch tensor still attached to autograd's graph, requires_grad=True. "
        "That is fine for this check; to keep just the number, write .item() for one number "
        "or .detach() for a tensor.)"
    )


def _holds_ellipsis(answer: Any) -> bool:
    """True for a list such as [..., ...] or [12.0, ...]: an answer only partly filled in."""
    if isinstance(answer, (list, tuple)):
        return any(item is Ellipsis or _holds_ellipsis(item) for item in answer)
    return False


def _show(array: np.ndarray) -> str:
    return f"{float(array):g}" if array.ndim == 0 else np.array2string(array, precision=4)


def check(exercise: str, answer: Any) -> None:
    """Print whether `answer` solves `exercise`, with a hint when it does not."""
    print(evaluate(exercise, answer).message)





def confirm(value: Any, expected: Any, what: str, rtol: float = 1e-5, atol: float = 1e-6) -> None:
    """Print a notebook's number after asserting it equals the hand-derived (or numeric) one.

    Raises AssertionError on a mismatch, so re-running the notebook fails if a result changes.
    """
    got = to_array(value, what)
    want = np.asarray(to_array(expected, _("the expected value")))
    if got.shape != want.shape or not np.allclose(got, want, rtol=rtol, atol=atol):
        raise CheckFailed(
            _("{what}: got {value}, but the hand-derived value is {expected}.").format(
                what=what, value=_show(got), expected=_show(want)
            )
        )
    print(f"✔ {what}: {_show(got)}")
