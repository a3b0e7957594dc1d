"""Small pieces of mathematical text the pictures and readouts share."""

from __future__ import annotations

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def superscript(k: int) -> str:
    """'²', '¹²': a power written as a superscript."""
    return str(k).translate(_SUPERSCRIPTS)


def subscript(i: int) -> str:
    """'₀', '₁', … '₁₂': an index written as a subscript."""
    return str(i).translate(_SUBSCRIPTS)
