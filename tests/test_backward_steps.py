"""The backward-pass pictures of chapter 09: draw_tape and the explorer that steps through the pass."""

import re

import pytest

import helpers
from helpers import backward_steps
from helpers.backward_steps import CURRENT, RECEIVING, backward_pass
from helpers.graphs import GraphPicture, TextGraph
from helpers.tape_from_scratch import Tape, Value

POLYNOMIAL = "5x³ + 2x² + 4x + 8"


def texts(svg: bytes | str) -> list[str]:
    """The words of an SVG picture, in drawing order."""
    svg = bytes(svg).decode() if not isinstance(svg, str) else svg
    return [re.sub(r"&#45;", "-", t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def fill_of(svg: bytes, box: str) -> str:
    group = re.search(rf'<g id="{box}" class="node">.*?<polygon fill="([^"]+)"', bytes(svg).decode(), re.S)
    return group.group(1)


def polynomial_tape():
    x = Value(2.0, "x")
    with Tape() as tape:
        y = 5 * x**3 + 2 * x**2 + 4 * x + 8
    return tape, y


def test_draw_tape_shows_every_record_with_its_gradient_once_the_pass_is_done():
    tape, y = polynomial_tape()
    picture = helpers.draw_tape(tape, y)
    assert isinstance(picture, GraphPicture)
    labels = picture.graph.labels()
    assert labels[0] == "x = 2 ∂y/∂x = 72"
    assert labels[-1] == "y = v7 + 8 = 64 ∂y/∂y = 1"
    assert "v1 = x³ = 8 ∂y/∂v1 = 5" in labels
    assert len(picture.graph.edges) == 10  # one per (input, record), constants left out


def test_draw_tape_part_way_marks_the_unreached_boxes():
    tape, y = polynomial_tape()
    labels = helpers.draw_tape(tape, y, step=3).graph.labels()
    assert labels[0] == "x = 2 ∂y/∂x = 4"  # only 4x has been played back
    assert "v1 = x³ = 8 ∂y/∂v1 = ?" in labels
    assert helpers.draw_tape(tape, y, step=0).graph.labels()[0] == "x = 2 ∂y/∂x = ?"


def test_without_graphviz_draw_tape_gives_the_boxes_as_text(monkeypatch):
    monkeypatch.setattr(backward_steps, "dot_available", lambda: False)
    tape, y = polynomial_tape()
    picture = helpers.draw_tape(tape, y)
    assert isinstance(picture, TextGraph) and "∂y/∂x = 72" in repr(picture) and "Graphviz" in repr(picture)


def explorer(**keywords):
    return helpers.backward_explorer(**keywords).explorer


def test_each_step_plays_back_one_record_and_colours_it():
    e = explorer()
    p = e.backward
    assert e.step.max == len(p.steps) == 8
    for step in range(1, 9):
        e.step.value = step
        rec = p.steps[step - 1][0]
        current = f"b{p.boxes.index(rec.output)}"
        assert fill_of(e.image.value, current) == CURRENT
        for value in rec.inputs:
            if value in p.boxes:
                assert fill_of(e.image.value, f"b{p.boxes.index(value)}") == RECEIVING
        assert f"Step {step} of 8" in e.readout.value


def test_the_readout_adds_up_each_use_of_x():
    e = explorer(expressions={"x·x + x": lambda x: x * x + x}, x=3.0)
    e.step.value = 1
    assert "∂y/∂v1 = 1 × 1; ∂y/∂x = 1 × 1" in e.readout.value
    e.step.value = 2
    assert "∂y/∂x += 1 × 3 → 4; ∂y/∂x += 1 × 3 → 7" in e.readout.value
    assert "finite difference gives 7" in e.readout.value


def test_a_step_fills_in_the_layout_it_already_has_and_matches_a_fresh_drawing():
    e = explorer()
    layouts = dict(e._layouts)
    for step in (0, 3, 8):
        e.step.value = step
        fresh = helpers.draw_tape(e.backward.tape, e.backward.y, step=step).pipe(format="svg")
        assert texts(e.image.value) == texts(fresh)
    e.x.value = 3.0  # new numbers, no longer than the longest line: the same layout, filled in again
    assert e._layouts.keys() == layouts.keys()
    assert "∂y/∂x = 151" in texts(e.image.value)


def test_choosing_another_expression_keeps_the_step_within_its_records():
    e = explorer(step=8)
    assert e.step.value == 8
    e.expression.value = "x·x + x"
    assert e.step.max == 2 and e.step.value == 2
    assert "Step 2 of 2" in e.readout.value


def test_a_start_step_beyond_the_records_starts_at_the_end():
    e = explorer(expressions={"x·x": lambda x: x * x}, step=5)
    assert e.step.value == e.step.max == 1


def test_an_expression_that_fails_at_a_new_x_is_said_in_the_readout():
    e = explorer(expressions={"log x": lambda x: helpers.tape_from_scratch.log(x)}, x=1.0)
    e.x.value = -1.0
    assert "Nothing could be drawn for x = -1" in e.readout.value
    assert "log is defined only for positive numbers" in e.readout.value


def test_without_graphviz_the_explorer_shows_the_boxes_as_text(monkeypatch):
    monkeypatch.setattr(backward_steps, "dot_available", lambda: False)
    e = explorer()
    e.step.value = 8
    assert "∂y/∂x = 72" in e.text.value and e.image.layout.display == "none"


@pytest.mark.parametrize("name", list(backward_steps.EXPRESSIONS))
def test_every_menu_expression_agrees_with_a_finite_difference(name):
    f = backward_steps.EXPRESSIONS[name]
    p = backward_pass(f, 1.3)
    exact = p.tape.gradient(p.y, p.x)
    assert exact == pytest.approx(helpers.finite_difference(lambda t: f(Value(t)).number, 1.3), rel=1e-6)


def edge_labels(svg) -> dict[str, str]:
    found = re.findall(r'<g id="(e\d+)" class="edge">.*?<text[^>]*>([^<]*)</text>', bytes(svg).decode(), re.S)
    return {edge: label.replace("&#45;", "-") for edge, label in found}


@pytest.mark.parametrize("x", [3.0, -3.0, 1.7])
def test_the_edges_carry_the_local_derivatives_of_the_x_shown(x):
    e = explorer(step=8)
    e.x.value = x
    expected = {edge: f"×{local:.3g}" for edge, _, (_, _, local) in backward_steps._edges(e.backward)}
    assert edge_labels(e.image.value) == expected
    assert expected["e0"] == f"×{3 * x * x:.3g}"  # x → v1 = x³ carries 3x²
