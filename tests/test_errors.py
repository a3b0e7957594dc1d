"""show_error prints the real message, and fails the notebook if the error stops happening;
show_tensorflow_warnings prints TensorFlow's warnings as plain text, never as red log noise."""

import logging

import pytest
import tensorflow as tf

from helpers import show_error, show_tensorflow_warnings


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


def test_a_helper_error_shows_in_ipython_as_its_sentence_and_the_learners_line(capsys):
    """IPython renders an exception with _render_traceback_ as the lines it returns: the sentence
    first, then the learner's line, and not one frame from inside the helpers or TensorFlow."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        cell = "import helpers\nx = 3.0\nhelpers.tf_derivative(lambda x: x**2, x=float('nan'))"
        result = shell.run_cell(cell)
    finally:
        InteractiveShell.clear_instance()
    assert isinstance(result.error_in_exec, ValueError)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert lines[0].endswith("ValueError\x1b[0m: x is nan; choose a finite number to differentiate at.")
    assert lines[1] == "  (from your line 3: helpers.tf_derivative(lambda x: x**2, x=float('nan')))"
    assert len(lines) == 2, lines


def test_tensorflow_warnings_are_printed_not_logged_and_the_logger_is_left_as_it_was(capsys):
    logger = tf.get_logger()
    before = (logger.level, logger.propagate, logger.handlers[:])
    logger.setLevel(logging.ERROR)  # as helpers.setup() leaves it
    try:
        with show_tensorflow_warnings():
            logger.warning("The watched tensor must be floating, got tf.int32")
            logger.info("not a warning")
        said = capsys.readouterr()
        assert said.out == "WARNING:tensorflow:The watched tensor must be floating, got tf.int32\n"
        assert said.err == ""
        assert logger.level == logging.ERROR and logger.handlers == before[2]
        assert logger.propagate == before[1]
    finally:
        logger.setLevel(before[0])


def test_a_block_without_warnings_says_so(capsys):
    with show_tensorflow_warnings():
        pass
    assert "logged no warning here" in capsys.readouterr().out

