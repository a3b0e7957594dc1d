"""Small pieces of text the pictures, readouts and chapters share."""

from __future__ import annotations

import inspect
import textwrap
from typing import Any

from helpers.translation import _
from helpers.values import LearnerInputError, describe

__all__ = ["show_source"]

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def superscript(k: int) -> str:
    """'²', '¹²': a power written as a superscript."""
    return str(k).translate(_SUPERSCRIPTS)


def subscript(i: int) -> str:
    """'₀', '₁', … '₁₂': an index written as a subscript."""
    return str(i).translate(_SUBSCRIPTS)


class Source(str):
    """Python source that a notebook shows as a highlighted code block (GitHub and decks too)."""

    def _repr_markdown_(self) -> str:
        return f"```python\n{self}```"

    def __repr__(self) -> str:
        return str(self)


def show_source(obj: Any) -> Source:
    """The source code of a helper's function, class or method, to read in the notebook."""
    try:
        return Source(textwrap.dedent(inspect.getsource(obj)))
    except (TypeError, OSError):
        raise LearnerInputError(
            _(
                "show_source shows the code of a function, class or method, such as Tape.steps "
                "(no brackets), not {value}."
            ).format(value=describe(obj))
        ) from None
