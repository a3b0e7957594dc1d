"""Self-checks accept every correct answer form, explain wrong ones and never raise on a learner."""

import numpy as np
import pytest
import tensorflow as tf
import torch

from helpers import check, confirm
from helpers.checks import evaluate
from helpers.exercises import EXERCISES

CORRECT_FORMS = [
    6.0,
    6,
    np.float32(6.0),
    np.array(6.0),
    np.array([6.0]),
    tf.constant(6.0),
    tf.Variable(6.0),
    torch.tensor(6.0),
    torch.tensor(6.0, requires_grad=True) * 1.0,  # still attached to autograd's graph
]


@pytest.mark.parametrize("answer", CORRECT_FORMS, ids=lambda a: type(a).__name__)
def test_correct_answers_in_every_form(answer):
    verdict = evaluate("01-derivative", answer)
    assert verdict.correct, verdict.message
    assert verdict.message.startswith("✔ Correct!")


def test_shaped_answers():
    assert evaluate("01-watch", np.full((2, 2), 48.0)).correct
    assert evaluate("01-watch", torch.full((2, 2), 48.0)).correct
    wrong_shape = evaluate("01-watch", [48.0, 48.0, 48.0])
    assert wrong_shape.status == "wrong" and "shape (2, 2)" in wrong_shape.message


@pytest.mark.parametrize(
    ("exercise", "answer", "shape"),
    [
        # The right entries in the wrong shape are a different answer, never "Correct".
        ("01-watch", tf.ones((4,)) * 48, "(4,)"),
        ("01-watch", [48.0] * 4, "(4,)"),
        ("01-watch", np.full((4, 1), 48.0), "(4, 1)"),
        ("02-matrix", [5.0, 6.0, 5.0, 6.0], "(4,)"),
        ("01-derivative", [6.0, 6.0], "(2,)"),
    ],
)
def test_right_numbers_in_the_wrong_shape_are_not_correct(exercise, answer, shape):
    verdict = evaluate(exercise, answer)
    assert verdict.status == "wrong", verdict.message
    assert f"your answer has shape {shape}" in verdict.message and "Hint:" in verdict.message


def test_a_single_number_may_come_wrapped():
    assert evaluate("01-derivative", [6.0]).correct
    assert evaluate("01-derivative", torch.tensor([6.0])).correct


@pytest.mark.parametrize("answer", [5.0, 6.1, -6.0, tf.constant(7.0)])
def test_wrong_answers_get_the_hint(answer):
    verdict = evaluate("01-derivative", answer)
    assert verdict.status == "wrong"
    assert "Not yet" in verdict.message and "Hint:" in verdict.message


def test_unanswered():
    verdict = evaluate("01-derivative", ...)
    assert verdict.status == "unanswered" and "replace the `...`" in verdict.message


def test_none_is_a_gradient_that_came_back_empty_and_gets_the_exercise_hint():
    verdict = evaluate("05-second-derivative", None)
    assert verdict.status == "wrong" and "Not answered" not in verdict.message
    assert "tf.Variable(2)" in verdict.message and "inside the outer tape's `with`" in verdict.message
    assert EXERCISES["05-second-derivative"].hint in verdict.message


def test_a_number_too_large_for_a_float_is_said_in_words():
    verdict = evaluate("01-derivative", 10**400)
    assert verdict.status == "wrong" and "too large for a floating-point number" in verdict.message


@pytest.mark.parametrize("answer", ["6", b"6", True, print, lambda: 6, {"a": 6}])
def test_answers_of_the_wrong_type_are_explained(answer):
    verdict = evaluate("01-derivative", answer)
    assert verdict.status == "invalid"
    assert "should be a number" in verdict.message


def test_non_finite_and_vector_answers():
    assert "NaN" in evaluate("01-derivative", float("nan")).message
    assert "a single number" in evaluate("01-derivative", [6.0, 1.0]).message


def test_check_prints_and_never_raises(capsys):
    check("01-derivative", "six")
    check("01-derivative", 6.0)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("✘ Not yet") and out[1].startswith("✔ Correct!")


def test_unknown_exercise_names_the_known_ones():
    with pytest.raises(KeyError, match="01-derivative"):
        evaluate("1-derivative", 6.0)


def test_confirm_prints_a_match_and_fails_on_a_mismatch(capsys):
    confirm(tf.constant(6.0), 2 * 3.0, "dy/dx at 3")
    assert capsys.readouterr().out == "✔ dy/dx at 3: 6\n"
    with pytest.raises(AssertionError, match="hand-derived value is 6"):
        confirm(6.5, 6.0, "dy/dx at 3")
    with pytest.raises(AssertionError):
        confirm(np.ones(3), np.ones(2), "shapes differ")
