"""The explorer follows its controls: slope, picture and readout change with the slider."""

import math

import pytest

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
    assert tuple(explorer._point.get_data()[0]) == (-1.5,)


def test_choosing_a_function_redraws_the_curve():
    explorer = TangentExplorer(x=0.5)
    explorer.function.value = "sin(x)"
    assert explorer.slope == pytest.approx(math.cos(0.5), rel=1e-5)
    assert explorer._curve.get_data()[1][0] == pytest.approx(math.sin(-4.0))


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
