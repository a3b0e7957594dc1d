"""Show a library's real error message or warning on purpose, and fail loudly if the error stops happening."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from helpers.translation import _
from helpers.values import CheckFailed, LearnerInputError

__all__ = ["show_error", "show_tensorflow_warnings"]


def show_error(action: Callable[[], object], expected: type[BaseException] = Exception) -> None:
    """Run `action` and print the error it raises (its type and first line).

    A notebook that demonstrates a mistake calls this, so the stored output shows the real message
    without a traceback, and the notebook test fails if the library stops raising.
    """
    if not callable(action):
        raise LearnerInputError(
            _("show_error needs a function to run, for example `lambda: tape.gradient(y, x)`.")
        )
    if not (isinstance(expected, type) and issubclass(expected, BaseException)):
        raise LearnerInputError(
            _(
                "expected must be an error class such as RuntimeError (no quotes, no brackets), "
                "not {expected!r}."
            ).format(expected=expected)
        )
    try:
        action()
    except expected as err:
        print(in_words(err))
        return
    raise CheckFailed(
        _("Expected {error} here, but the code ran without one.").format(error=expected.__name__)
    )


class _Kept(logging.Handler):
    """Keeps the messages of the warnings logged while it is attached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def show_tensorflow_warnings() -> Iterator[None]:
    """Print the warnings TensorFlow logs inside the block as plain text, as a learner meets them in
    their own notebook (there in red, and only without `helpers.setup()`, which quietens them).

    Printed, not logged, so a stored notebook shows the words without red log noise, and the
    notebook test notices when TensorFlow's words change.
    """
    import tensorflow as tf

    logger, kept = tf.get_logger(), _Kept()
    level, propagate, handlers = logger.level, logger.propagate, logger.handlers[:]
    logger.setLevel(logging.WARNING)
    logger.propagate = False  # kept here only, not also written to stderr
    logger.handlers[:] = [kept]
    try:
        yield
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate
        for message in kept.messages:
            print(f"WARNING:tensorflow:{message}")
        if not kept.messages:
            print(_("(TensorFlow logged no warning here; it repeats some only a few times per session.)"))


def in_words(err: BaseException) -> str:
    """An error as one line: its type and the first line of its message."""
    text = str(err).strip()
    return f"{type(err).__name__}: {text.splitlines()[0]}" if text else type(err).__name__
