"""Show a library's real error message on purpose, and fail loudly if the error stops happening."""

from __future__ import annotations

from collections.abc import Callable

from helpers.values import CheckFailed, LearnerInputError

__all__ = ["show_error"]


def show_error(action: Callable[[], object], expected: type[BaseException] = Exception) -> None:
    """Run `action` and print the error it raises (its type and first line).

    A notebook that demonstrates a mistake calls this, so the stored output shows the real message
    without a traceback, and the notebook test fails if the library stops raising.
    """
    if not callable(action):
        raise LearnerInputError(
            "show_error needs a function to run, for example `lambda: tape.gradient(y, x)`."
        )
    if not (isinstance(expected, type) and issubclass(expected, BaseException)):
        raise LearnerInputError(
            f"expected must be an error class such as RuntimeError (no quotes, no brackets), "
            f"not {expected!r}."
        )
    try:
        action()
    except expected as err:
        print(in_words(err))
        return
    raise CheckFailed(f"Expected {expected.__name__} here, but the code ran without one.")


def in_words(err: BaseException) -> str:
    """An error as one line: its type and the first line of its message."""
    text = str(err).strip()
    return f"{type(err).__name__}: {text.splitlines()[0]}" if text else type(err).__name__
