"""show_error prints the real message, and fails the notebook if the error stops happening."""

import pytest

from helpers import show_error


def test_prints_type_and_first_line(capsys):
    show_error(lambda: 1 / 0, ZeroDivisionError)
    assert capsys.readouterr().out == "ZeroDivisionError: division by zero\n"


def test_no_error_is_a_failure():
    with pytest.raises(AssertionError, match="Expected ValueError"):
        show_error(lambda: 1, ValueError)


def test_an_unexpected_error_type_is_not_swallowed():
    with pytest.raises(ZeroDivisionError):
        show_error(lambda: 1 / 0, KeyError)


def test_needs_a_function():
    with pytest.raises(TypeError, match="needs a function"):
        show_error(1 / 1)
