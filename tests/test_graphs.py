"""Graph pictures: the right nodes, stable names, a text fallback without Graphviz, a live explorer."""

import math

import graphviz
import pytest
import tensorflow as tf
import torch

from helpers import compare_graphs, graph_explorer, tf_graph, torch_graph
from helpers import graphs as graphs_module
from helpers.derivatives import finite_difference
from helpers.functions import sin
from helpers.graph_explorer import GraphExplorer
from helpers.graphs import COLOURS, GraphPicture, TextGraph, as_png, tf_structure
from helpers.values import LearnerInputError


def poly(x):
    return 5 * x**3 + 2 * x**2 + 4 * x + 8


def seed_tensors():
    x = torch.tensor(2.0, requires_grad=True)
    return x, poly(x)


def test_tf_graph_shows_every_operation_and_constant_of_the_polynomial():
    graph = tf_structure(poly, 2.0)
    assert graph.labels("source") == ["x = 2"]
    assert graph.labels("output") == ["y = 64"]
    assert sorted(graph.labels("constant")) == ["2", "2", "3", "4", "5", "8"]
    assert sorted(graph.labels("op")) == ["AddV2"] * 3 + ["Mul"] * 3 + ["Pow"] * 2
    # x feeds the two powers and 4·x, and the last addition feeds the result
    x_id = graph.nodes[0].id
    by_id = {n.id: n.label for n in graph.nodes}
    assert sorted(by_id[b] for a, b in graph.edges if a == x_id) == ["Mul", "Pow", "Pow"]
    assert [by_id[a] for a, b in graph.edges if b == "tf_out"] == ["AddV2"]


def test_tf_graph_source_is_stable_and_styled_like_torchviz():
    first, second = tf_graph(poly, 2.0), tf_graph(poly, 2.0)
    assert isinstance(first, GraphPicture)
    assert first.source == second.source
    assert "rankdir=LR" in first.source and "shape=box" in first.source
    assert f'"x = 2" fillcolor={COLOURS["source"]}' in first.source
    assert f'"y = 64" fillcolor={COLOURS["output"]}' in first.source
    assert first._repr_mimebundle_()["image/png"].startswith(b"\x89PNG")


def test_torch_graph_has_stable_names_instead_of_ids():
    x, y = seed_tensors()
    picture = torch_graph(y, {"x": x})
    again = torch_graph(seed_tensors()[1])  # no names given: the leaf is "leaf"
    assert picture.source.count("pt0") >= 1 and str(id(x)) not in picture.source
    labels = picture.graph.labels()
    assert labels[0] == "y = 64" and "x = 2" in labels and "AccumulateGrad" in labels
    assert labels.count("PowBackward0") == 2 and labels.count("AddBackward0") == 3
    x2, y2 = seed_tensors()
    assert torch_graph(y2, {"x": x2}).source == picture.source  # new tensors, new ids, same drawing
    assert "leaf" in again.graph.labels("source")


def test_both_frameworks_and_finite_differences_agree_where_the_graphs_meet():
    for f, x0 in ((poly, 2.0), (lambda x: x * sin(x), 1.0), (lambda x: (x + 1) ** 2, -0.5)):
        picture = compare_graphs(f, x0)
        value = f"{float(f(torch.tensor(x0))):.6g}"
        assert picture.graph.labels("output") == [f"y = {value}", f"y = {value}"]
        explorer = GraphExplorer({"f": f}, x=x0)
        assert explorer.tf_gradient == pytest.approx(explorer.torch_gradient, rel=1e-5)
        assert explorer.tf_gradient == pytest.approx(finite_difference(f, x0), rel=1e-4, abs=1e-6)


def test_control_flow_is_one_box_that_says_its_inside_is_not_drawn():
    def loop(x):
        return tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x), (0, x))[1]

    labels = tf_structure(loop, 2.0).labels()
    assert any("While" in label and "not drawn" in label for label in labels)
    assert "y = 16" in labels


def test_side_effects_are_left_out():
    def noisy(x):
        tf.print("tracing")  # does not lead to the result
        return x * x

    assert tf_structure(noisy, 3.0).labels("op") == ["Mul"]


def test_without_dot_every_helper_returns_text(monkeypatch):
    monkeypatch.setattr(graphs_module.shutil, "which", lambda _name: None)
    x, y = seed_tensors()
    for picture in (tf_graph(poly, 2.0), torch_graph(y, {"x": x}), compare_graphs(poly, 2.0)):
        assert isinstance(picture, TextGraph)
        assert "apt-get install graphviz" in repr(picture) and "y = 64" in repr(picture)
        assert "<pre>" in picture._repr_html_()
    assert "Pow ← x = 2, 3" in repr(tf_graph(poly, 2.0))
    assert isinstance(as_png(graphviz.Digraph()), TextGraph)
    explorer = GraphExplorer(x=2.0)
    assert explorer.image.layout.display == "none" and "graphviz" in explorer.text.value
    assert explorer.tf_gradient == pytest.approx(72.0)


def test_a_failing_dot_at_display_time_falls_back_to_text(monkeypatch):
    picture = tf_graph(poly, 2.0)

    def missing(*_args, **_kwargs):
        raise graphviz.ExecutableNotFound(["dot"])

    monkeypatch.setattr(GraphPicture, "pipe", missing)
    bundle = picture._repr_mimebundle_()
    assert "image/png" not in bundle and "Mul ← 5, Pow" in bundle["text/plain"]


def test_explorer_follows_its_controls():
    box = graph_explorer(x=2.0)
    explorer = box.explorer
    assert explorer.tf_gradient == pytest.approx(72.0) and explorer.torch_gradient == pytest.approx(72.0)
    first_picture = bytes(explorer.image.value)
    assert first_picture.startswith(b"<?xml") and b">x = 2</text>" in first_picture
    explorer.x.value = 1.0
    assert explorer.torch_gradient == pytest.approx(15 + 4 + 4)
    assert "x = 1" in explorer.picture.graph.labels("source")
    # Same layout, new numbers: both graphs' x and y boxes now read x = 1 and y = 5 + 2 + 4 + 8 = 19.
    picture = bytes(explorer.image.value)
    assert picture.count(b">x = 1</text>") == 2 and picture.count(b">y = 19</text>") == 2
    assert b">x = 2</text>" not in picture and b">y = 64</text>" not in picture
    assert "23" in explorer.readout.value
    explorer.function.value = "x·sin(x)"
    assert explorer.tf_gradient == pytest.approx(math.sin(1.0) + math.cos(1.0), rel=1e-5)
    assert "Sin" in explorer.picture.graph.labels("op")
    assert "JupyterLab" in repr(box)


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: tf_graph(3.0), LearnerInputError, "must be a function"),
        (lambda: tf_graph(lambda x: x.numpy() ** 2, 2.0), ValueError, "could not trace"),
        (lambda: tf_graph(poly, torch.tensor(2.0)), LearnerInputError, "TensorFlow value"),
        (lambda: tf_graph(poly, 2.0, rankdir="up"), ValueError, "rankdir must be"),
        (lambda: torch_graph(64.0), LearnerInputError, "PyTorch result"),
        (lambda: torch_graph(poly(torch.tensor(2.0))), ValueError, "requires_grad=True"),
        (lambda: torch_graph(seed_tensors()[1], {"x": 2.0}), LearnerInputError, "should be a PyTorch tensor"),
        (lambda: as_png("digraph {}"), LearnerInputError, "graphviz graph"),
        (lambda: graph_explorer(functions={}), ValueError, "at least one function"),
        (lambda: graph_explorer(functions={"bad": 3}), LearnerInputError, "must be a function"),
        (lambda: graph_explorer(x=10.0), ValueError, "outside the slider's range"),
    ],
)
def test_bad_requests_get_a_sentence(call, error, words):
    with pytest.raises(error, match=words):
        call()
