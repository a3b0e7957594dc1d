"""The explorer follows its controls: slope, picture and readout change with the slider."""

import math

import pytest
import tensorflow as tf

from helpers import tangent_explorer
from helpers.tangent_explorer import TangentExplorer
from helpers.values import LearnerInputError


def test_slider_moves_the_tangent():
    box = tangent_explorer(x=3.0)
    explorer = box.explorer
    assert explorer.slope == pytest.approx(6.0)
    first_picture = bytes(explorer.image.value)
    assert first_picture.startswith(b"\x89PNG")
    explorer.x.value = -1.5
    assert explorer.slope == pytest.approx(-3.0)
    assert bytes(explorer.image.value) != first_picture
    assert "-3" in explorer.readout.value
    assert tuple(explorer.point.get_data()[0]) == (-1.5,)


def test_choosing_a_function_redraws_the_curve():
    explorer = TangentExplorer(x=0.5)
    explorer.function.value = "sin(x)"
    assert explorer.slope == pytest.approx(math.cos(0.5), rel=1e-5)
    assert explorer.curve.get_data()[1][0] == pytest.approx(math.sin(-4.0))


def test_an_error_at_one_slider_value_is_said_in_the_readout():
    def only_up_to_two(x):  # the learner's function fails for x > 2, and only under the tape
        if isinstance(x, tf.Variable) and float(x) > 2.0:
            raise ValueError("only up to 2")
        return x * x

    explorer = TangentExplorer({"g": only_up_to_two}, x=1.9)
    picture = bytes(explorer.image.value)
    explorer.x.value = 2.5
    assert "Nothing could be drawn for x = 2.5: Calling f(2.5) failed with ValueError: only up to 2" in (
        explorer.readout.value
    )
    assert "still shows the last value that worked" in explorer.readout.value
    assert bytes(explorer.image.value) == picture
    explorer.x.value = 1.0  # a value that works draws again
    assert explorer.slope == pytest.approx(2.0) and "Nothing could be drawn" not in explorer.readout.value


def test_a_function_changed_since_it_was_drawn_is_drawn_anew():
    a = 1.0
    explorer = TangentExplorer({"f": lambda x: a * x**2}, x=1.0)
    a = 3.0  # noqa: F841 - read by the lambda, as in a learner's notebook
    explorer.x.value = 2.0
    assert explorer.slope == pytest.approx(12.0)
    assert explorer.curve.get_ydata()[-1] == pytest.approx(48.0), "the curve is still the old x²"
    assert "f has changed since it was drawn" in explorer.readout.value


@pytest.mark.parametrize("f", [math.sin, lambda x: 3.0], ids=["math.sin", "a constant"])
def test_plain_number_functions_are_refused_in_words(f):
    with pytest.raises(ValueError, match="plain number"):
        TangentExplorer({"f": f})


def test_a_python_if_draws_like_the_tape_differentiates():
    def f_kink(x):
        if x > 0:
            return x * x
        return -x

    explorer = TangentExplorer({"kink": f_kink}, x=1.0)
    assert explorer.slope == pytest.approx(2.0)
    assert explorer.curve.get_ydata()[0] == pytest.approx(4.0)  # -x at x = -4
    explorer.x.value = -1.0
    assert explorer.slope == pytest.approx(-1.0)


def test_a_square_root_is_drawn_where_defined_and_said_undefined_elsewhere():
    explorer = TangentExplorer({"√x": tf.sqrt}, x=1.0)
    low, high = explorer.ax.get_ylim()
    assert math.isfinite(low) and math.isfinite(high) and high == pytest.approx(2.2, abs=0.05)
    assert explorer.slope == pytest.approx(0.5)
    explorer.x.value = -1.0
    assert "f is not defined at x = -1.00" in explorer.readout.value
    assert len(explorer.point.get_data()[0]) == 0, "no point drawn where f is undefined"


def test_text_form_explains_itself():
    text = repr(tangent_explorer())
    assert "run this cell in JupyterLab" in text and "jupyterlab_widgets" in text
    assert len(text) <= 110, "ipywidgets would cut a longer text short"


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        ({"functions": {"bad": 3}}, LearnerInputError, "must be a function"),
        ({"functions": {}}, ValueError, "at least one function"),
        ({"x": 10.0}, ValueError, "outside the plotted range"),
    ],
)
def test_bad_explorer_requests_get_a_sentence(args, error, words):
    with pytest.raises(error, match=words):
        tangent_explorer(**args)
