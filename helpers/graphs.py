"""Pictures of computational graphs for TensorFlow and PyTorch, drawn in one visual language.

* `torch_graph(y, params)` wraps torchviz: the backward functions autograd recorded for `y`.
* `tf_graph(f, x)` draws the operations TensorFlow records for `f` (no library does this).
* `compare_graphs(f, x)` puts both side by side in one picture.
* `as_png(dot)` shows any graphviz object as a PNG, e.g. a raw `torchviz.make_dot(...)` result.

Colours follow torchviz: the source is light blue, operations are grey, the result is green;
TensorFlow's constants, which torchviz never draws, are white.

The pictures display as PNG (nbval does not compare PNG, and PNG looks the same on GitHub) and
their node names are stable ("tf0", "pt3", ...), never taken from `id(...)`, so the Graphviz
source is the same on every run. Without Graphviz's `dot` program every helper returns a
`TextGraph` instead: the same nodes as text, with one sentence on how to install Graphviz.
"""

from __future__ import annotations

import html
import re
import shutil
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import graphviz
import numpy as np

from helpers.derivatives import call_function
from helpers.errors import in_words
from helpers.optional import needs, require
from helpers.translation import N_, _
from helpers.values import (
    LearnerInputError,
    LearnerValueError,
    describe,
    framework,
    is_integer_valued,
    require_function,
    to_array,
)

__all__ = ["as_png", "compare_graphs", "tf_graph", "torch_graph", "torch_graph_nodes"]

# torchviz's node attributes, so both frameworks' pictures look alike.
NODE_ATTR = {
    "style": "filled",
    "shape": "box",
    "align": "left",
    "fontsize": "10",
    "height": "0.2",
    "fontname": "monospace",
}
COLOURS = {"source": "lightblue", "op": "lightgrey", "constant": "white", "output": "darkolivegreen1"}

INSTALL_GRAPHVIZ = N_(
    "Graphviz's dot program is not installed, so the graph is shown as text; install it with "
    "`sudo apt-get install graphviz` (Debian/Ubuntu), `brew install graphviz` (macOS) or "
    "`conda install graphviz`, then run the cell again."
)

# TensorFlow plumbing that carries a value through unchanged: drawn as a plain edge.
_PASS_THROUGH = {"Identity", "IdentityN", "ReadVariableOp", "StopGradient", "NoOp"}
# Operations whose insides live in separate function graphs, which tf_graph does not open.
_CONTROL_FLOW = {"If", "StatelessIf", "While", "StatelessWhile", "Case", "StatelessCase",
                 "PartitionedCall", "StatefulPartitionedCall"}


@dataclass
class Node:
    """One box of a picture: kind is 'source', 'op', 'constant' or 'output'."""

    id: str
    label: str
    kind: str


@dataclass
class Graph:
    """Nodes and edges (from id, to id), independent of how they are drawn."""

    nodes: list[Node] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)

    def labels(self, kind: str | None = None) -> list[str]:
        """The node labels, optionally only those of one kind, in drawing order."""
        return [n.label for n in self.nodes if kind is None or n.kind == kind]


class GraphPicture(graphviz.Digraph):
    """A graphviz.Digraph that shows inline as PNG and falls back to text if `dot` fails."""

    _jupyter_mimetype = "image/png"
    graph: Graph

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict:
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            return TextGraph(self.graph)._repr_mimebundle_()

    def __repr__(self) -> str:
        labels = ", ".join(map(_one_line, self.graph.labels()))
        return f"<GraphPicture with {len(self.graph.nodes)} nodes: {labels}>"


class TextGraph:
    """The graph as text, for machines without Graphviz: each node with the nodes feeding it."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def lines(self) -> list[str]:
        """One line per node: [kind] label ← its inputs."""
        by_id = {n.id: n for n in self.graph.nodes}
        out = []
        for node in self.graph.nodes:
            inputs = [by_id[a].label for a, b in self.graph.edges if b == node.id and a in by_id]
            text = f"[{node.kind}] {_one_line(node.label)}"
            if inputs:
                text += " ← " + ", ".join(_one_line(label) for label in inputs)
            out.append(text)
        return out

    def __repr__(self) -> str:
        return "\n".join([_(INSTALL_GRAPHVIZ), *("  " + line for line in self.lines())])

    def _repr_html_(self) -> str:
        body = html.escape("\n".join(self.lines()))
        return f"<p>{html.escape(_(INSTALL_GRAPHVIZ))}</p><pre>{body}</pre>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **_: Any) -> dict:
        return {"text/plain": repr(self), "text/html": self._repr_html_()}


def _one_line(label: str) -> str:
    return " ".join(label.split())


def dot_available() -> bool:
    """True when Graphviz's dot program can be found on this machine."""
    return shutil.which("dot") is not None


def value_text(value: Any) -> str:
    """How a value is printed in a graph box: six significant digits, or its shape."""
    array = to_array(value)
    if array.size == 1:
        return f"{float(array.reshape(())):.6g}"
    return _("shape {shape}").format(shape=array.shape)


def _tensor_label(name: str, value: Any | None) -> str:
    if value is None:
        return name
    return f"{name} = {value_text(value)}"


def _draw(graph: Graph, rankdir: str) -> GraphPicture | TextGraph:
    if not dot_available():
        return TextGraph(graph)
    picture = GraphPicture(graph_attr={"rankdir": rankdir}, node_attr=NODE_ATTR)
    _add(picture, graph)
    picture.graph = graph
    return picture


def _add(dot: graphviz.Digraph, graph: Graph) -> None:
    for node in graph.nodes:
        dot.node(node.id, node.label, fillcolor=COLOURS[node.kind])
    for a, b in graph.edges:
        dot.edge(a, b)


def _check_rankdir(rankdir: str) -> str:
    if rankdir not in ("LR", "RL", "TB", "BT"):
        raise LearnerValueError(_(
            "rankdir must be 'LR' (left to right), 'TB' (top to bottom), 'RL' or 'BT', not {rankdir!r}."
        ).format(rankdir=rankdir))
    return rankdir


# --------------------------------------------------------------------------- PyTorch (torchviz)

_TORCHVIZ_NODE = re.compile(r'^\t(\d+) \[label=("(?:[^"\\]|\\.)*"|[^\s\]]+)(?: fillcolor=(\w+))?\]', re.S)
_TORCHVIZ_EDGE = re.compile(r"^\t(\d+) -> (\d+)")
_TORCHVIZ_KIND = {"lightblue": "source", "darkolivegreen1": "output", "darkolivegreen3": "output",
                  "orange": "constant", None: "op"}


def torch_structure(
    y: Any, params: Mapping[str, Any] | None = None, name: str = "y", caller: str = "torch_graph"
) -> Graph:
    """The nodes and edges torchviz finds behind `y`, renamed pt0, pt1, ... in torchviz's order.

    torchviz walks `y.grad_fn` depth first, each backward function before the ones feeding it,
    so the grey boxes read from the output back to the inputs.
    """
    torch = require("torch")
    torchviz = require("torchviz")

    if not isinstance(y, torch.Tensor):
        raise LearnerInputError(_(
            "{caller} needs the PyTorch result y itself, but it got {value}; "
            "its .grad_fn is where the recorded graph starts."
        ).format(caller=caller, value=describe(y)))
    if y.grad_fn is None and is_integer_valued(y):
        raise LearnerInputError(_(
            "y is {value}, and autograd records nothing for integers: compute y from an input "
            "with a decimal point and requires_grad=True, such as torch.tensor(2.0, requires_grad=True)."
        ).format(value=describe(y)))
    if y.grad_fn is None:
        raise LearnerValueError(_(
            "y has no recorded graph (y.grad_fn is None): create the input with requires_grad=True "
            "and compute y outside torch.no_grad()."
        ))
    if params is not None and not isinstance(params, Mapping):
        raise LearnerInputError(_(
            "params names the inputs to label, a dict such as {{'x': x}}, not {value}."
        ).format(value=describe(params)))
    params = dict(params or {})
    for key, value in params.items():
        if not isinstance(value, torch.Tensor):
            raise LearnerInputError(_(
                "params[{key!r}] should be a PyTorch tensor, but it is {value}."
            ).format(key=key, value=describe(value)))
    with warnings.catch_warnings():  # torchviz 0.0.3 still uses distutils' LooseVersion
        warnings.simplefilter("ignore", DeprecationWarning)
        dot = torchviz.make_dot(y, params=params)
    ids: dict[str, str] = {}

    def stable(raw: str) -> str:
        return ids.setdefault(raw, f"pt{len(ids)}")

    graph = Graph()
    for line in dot.body:
        edge = _TORCHVIZ_EDGE.match(line)
        if edge:
            graph.edges.append((stable(edge.group(1)), stable(edge.group(2))))
            continue
        node = _TORCHVIZ_NODE.match(line)
        if node is None:
            continue
        raw_label = node.group(2).strip('"')
        kind = _TORCHVIZ_KIND.get(node.group(3), "op")
        first = raw_label.split("\n")[0].strip()
        if kind == "source":
            label = _tensor_label(first or _("leaf"), params.get(first))
        elif kind == "output":
            label = _tensor_label(name, y)
        else:
            label = first
        graph.nodes.append(Node(stable(node.group(1)), label, kind))
    return graph


def torch_graph(
    y: Any, params: Mapping[str, Any] | None = None, name: str = "y", rankdir: str = "LR"
) -> GraphPicture | TextGraph:
    """torchviz.make_dot(y, params) with stable node names, the house style and values on x and y.

    Grey boxes are the backward functions autograd will run (PowBackward0, MulBackward0, ...);
    AccumulateGrad is the step that adds the result into x.grad. Constants such as the 5 in 5x³
    are kept inside the backward functions, so torchviz does not draw them.
    """
    return _draw(torch_structure(y, params, name), _check_rankdir(rankdir))


def torch_graph_nodes(y: Any) -> list[str]:
    """The names of the backward functions PyTorch recorded for `y`, from the output back to the inputs.

    A result that depends on no input with requires_grad=True recorded nothing: the list is empty.
    """
    torch = require("torch")
    if isinstance(y, torch.Tensor) and y.grad_fn is None:
        return []
    return torch_structure(y, caller="torch_graph_nodes").labels("op")


def as_png(dot: Any) -> Any:
    """Show any graphviz object (e.g. a raw torchviz.make_dot result) as a PNG image, or as text.

    torchviz names its nodes by id(...), so its SVG changes on every run; the PNG does not matter
    to nbval, which does not compare images.
    """
    from IPython.display import Image

    if not isinstance(dot, graphviz.Digraph | graphviz.Graph):
        raise LearnerInputError(_(
            "as_png needs a graphviz graph such as torchviz.make_dot(...), not {value}."
        ).format(value=describe(dot)))
    try:
        if not dot_available():
            raise graphviz.ExecutableNotFound(["dot"])
        return Image(dot.pipe(format="png"))
    except graphviz.ExecutableNotFound:
        return TextGraph(Graph([Node(str(i), line.strip(), "op") for i, line in enumerate(dot.body)]))


# --------------------------------------------------------------------------- TensorFlow


def tf_structure(f: Callable, x: Any = None, name: str = "x", output: str = "y") -> Graph:
    """The operations TensorFlow records for f, found by tracing f with tf.function (see tf_graph)."""
    import tensorflow as tf

    require_function(f)
    if x is not None and framework(x) == "torch":
        raise LearnerInputError(
            _("x should be a number or a TensorFlow value, but it is {value}.").format(value=describe(x))
        )
    point = None if x is None else to_array(x, name).astype(np.float32)
    if point is not None and not np.all(np.isfinite(point)):
        raise LearnerValueError(_(
            "{name} contains NaN or infinity; give a finite value such as 2.0 to draw at."
        ).format(name=name))
    shape = [] if point is None else list(point.shape)
    try:
        concrete = tf.function(f).get_concrete_function(tf.TensorSpec(shape, tf.float32))
    except Exception as err:  # a learner's function that cannot be traced: say why, in words
        raise LearnerValueError(_(
            "TensorFlow could not trace f ({error}). "
            "Build f from TensorFlow operations only (no .numpy(), math.* or NumPy calls inside)."
        ).format(error=in_words(err))) from err
    if len(concrete.outputs) != 1:
        raise LearnerValueError(
            _("f must return one tensor, but it returned {count} values.").format(count=len(concrete.outputs))
        )
    value = None if point is None else f(tf.constant(point))
    arguments = {t.op.name for t in concrete.inputs[: len(concrete.structured_input_signature[0])]}

    def producer(tensor: Any) -> Any:
        op = tensor.op
        while op.type in _PASS_THROUGH and op.inputs:
            op = op.inputs[0].op
        return op

    final = producer(concrete.outputs[0])
    needed, stack = set(), [final]
    while stack:  # only operations on a path to the result: side effects are left out
        op = stack.pop()
        if op.name in needed:
            continue
        needed.add(op.name)
        stack.extend(producer(t) for t in op.inputs)

    graph = Graph()
    ids: dict[str, str] = {}
    for op in concrete.graph.get_operations():  # creation order: every input comes first
        if op.name not in needed:
            continue
        node_id = ids.setdefault(op.name, f"tf{len(ids)}")
        if op.type == "Placeholder":
            label = _tensor_label(name, point) if op.name in arguments else _("captured variable")
            graph.nodes.append(Node(node_id, label, "source"))
            continue
        if op.type == "Const":
            constant = tf.make_ndarray(op.get_attr("value"))
            graph.nodes.append(Node(node_id, value_text(constant), "constant"))
            continue
        label = op.type + ("\n" + _("(inside not drawn)") if op.type in _CONTROL_FLOW else "")
        graph.nodes.append(Node(node_id, label, "op"))
        for tensor in op.inputs:
            source = producer(tensor)
            if source.name in ids:
                graph.edges.append((ids[source.name], node_id))
    graph.nodes.append(Node("tf_out", _tensor_label(output, value), "output"))
    graph.edges.append((ids[final.name], "tf_out"))
    return graph


def tf_graph(
    f: Callable, x: Any = None, name: str = "x", output: str = "y", rankdir: str = "LR"
) -> GraphPicture | TextGraph:
    """Draw the operations TensorFlow records for f(x), in torchviz's visual language.

    How it finds them: `tf.function(f).get_concrete_function(tf.TensorSpec(shape, tf.float32))`
    runs f once on a symbolic x and records every operation into a graph, which is what a
    `tf.GradientTape` records when the same straight-line code runs eagerly. The helper walks
    `concrete.graph.get_operations()` backwards from the result through `op.inputs` (each input's
    producing op), draws Placeholder as the source x, labels Const nodes with their values and
    skips plumbing (Identity, ReadVariableOp, NoOp). With x given, x and y also show their values.

    What it cannot draw:
    * operations that do not lead to the result (print, tf.print, Python side effects) are left out;
    * the insides of tf.cond / tf.while_loop (and Python if/for on tensors, which AutoGraph turns into
      them) or nested tf.function calls: each is one grey box marked "(inside not drawn)";
    * Python loops over plain numbers are unrolled, so the picture shows the path for this x's shape only;
    * functions that call .numpy(), NumPy or math.* on x cannot be traced at all (a ValueError says so).
    """
    return _draw(tf_structure(f, x, name, output), _check_rankdir(rankdir))


# --------------------------------------------------------------------------- both


@needs("torch")
def compare_graphs(f: Callable, x: Any = 2.0, rankdir: str = "LR") -> GraphPicture | TextGraph:
    """One picture holding the TensorFlow graph and the PyTorch (torchviz) graph of f at x, each framed."""
    torch = require("torch")

    _check_rankdir(rankdir)
    tf_part = tf_structure(f, x)
    point = torch.tensor(to_array(x, "x").astype(np.float32), requires_grad=True)
    y = call_function(f, point)
    if framework(y) != "torch":
        raise LearnerValueError(_(
            "f returned {value} for a PyTorch x; build f from operations both libraries know."
        ).format(value=describe(y)))
    torch_part = torch_structure(y, {"x": point})
    both = Graph(tf_part.nodes + torch_part.nodes, tf_part.edges + torch_part.edges)
    if not dot_available():
        return TextGraph(both)
    picture = GraphPicture(graph_attr={"rankdir": rankdir}, node_attr=NODE_ATTR)
    for title, part, key in (
        (_("TensorFlow: the operations tf.function traced"), tf_part, "tf"),
        (_("PyTorch: the backward functions torchviz found"), torch_part, "pt"),
    ):
        with picture.subgraph(name=f"cluster_{key}") as cluster:
            cluster.attr(label=title, fontname="monospace", fontsize="11", style="rounded", color="grey")
            _add(cluster, part)
    picture.graph = both
    return picture
