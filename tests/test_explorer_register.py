"""The register of explorers (helpers/explorer.py) is what the tests, the benchmark and the browser
tests go by, so it must say the truth about each explorer."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from helpers.explorer import EXPLORERS
from tools.bench_explorers import controls
from tools.project import explorer_chapters


@pytest.mark.parametrize("name", EXPLORERS)
def test_the_tour_moves_the_control_a_learner_moves_first_from_where_it_starts(name):
    """The browser tests move the first slider, else the menu, else the toggle; the tour names the same
    control, and its keywords start the explorer with that control at the value asked for."""
    registered = EXPLORERS[name]
    shown = controls(registered.build())
    kinds = ((widgets.FloatSlider, widgets.IntSlider), widgets.Dropdown, widgets.ToggleButtons)
    first = next(w for kind in kinds for w in shown if isinstance(w, kind))  # sliders in the order shown
    value = registered.tour.values[-1]
    started = registered.build(**registered.tour.keywords(value)).explorer
    assert getattr(started, registered.tour.control).value == value
    assert getattr(shown[0].explorer, registered.tour.control) is first


def test_every_explorer_is_shown_in_a_chapter():
    assert set(explorer_chapters()) == set(EXPLORERS)
