"""The exercises of every chapter: the expected answer, its tolerance and the hint for a wrong try."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Exercise:
    """What `check` compares a learner's answer with."""

    question: str
    answer: Any  # a number, or a nested list for a gradient with a shape
    hint: str
    rtol: float = 1e-4
    atol: float = 1e-6


EXERCISES: dict[str, Exercise] = {
    "01-derivative": Exercise(
        question="f′(2) for f(x) = x² + 2x − 1",
        answer=6.0,
        hint="Differentiate term by term: d/dx x² = 2x, d/dx 2x = 2, d/dx (−1) = 0; then put in x = 2.",
    ),
    "01-watch": Exercise(
        question="∂z/∂x for z = (sum x)³ at x = ones((2, 2))",
        answer=[[48.0, 48.0], [48.0, 48.0]],
        hint="By the chain rule ∂z/∂x_ij = 3·(sum x)² · 1 in every entry, and sum x = 4 here.",
    ),
}
