"""Watch the from-scratch tape play backwards, one record at a time (chapter 09).

Each record of the tape is one box of the picture: what it computed, its number, and ∂y/∂(its result)
as far as the backward pass has got. An edge carries the local derivative the gradient is multiplied
by on its way back. `draw_tape` draws one moment of the pass; `backward_explorer` steps through it.

The explorer lets Graphviz lay a picture out once per expression and size of numbers, with
placeholders for every text and colour; a step only fills them in, which takes well under a
millisecond, where a new layout takes tens.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from helpers.derivatives import call_function, finite_difference
from helpers.explorer import Explorer, ExplorerBox, Tour, function_menu, registered, slider
from helpers.graphs import NODE_ATTR, Graph, GraphPicture, Node, TextGraph, dot_available
from helpers.tape_from_scratch import Constant, Record, Tape, Value, sin
from helpers.translation import _
from helpers.values import (
    LearnerInputError,
    LearnerValueError,
    SaidInWords,
    check_range,
    describe,
    require_function_menu,
    to_point,
)

__all__ = ["backward_explorer", "draw_tape"]

EXPRESSIONS: dict[str, Callable[[Value], Value]] = {
    "5x³ + 2x² + 4x + 8": lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8,
    "x·x + x": lambda x: x * x + x,
    "sin(x)·x": lambda x: sin(x) * x,
    "(x + 1)·(x − 1)": lambda x: (x + 1) * (x - 1),
}

# The colours of helpers.graphs (torchviz's) as hex: the explorer writes them into SVG, which knows
# no X11 names such as darkolivegreen1. The record being played back is orange, the values it passes
# its gradient to gold; a record that does not lead to y stays pale.
SOURCE, RECORD, OUTPUT = "#add8e6", "#d3d3d3", "#caff70"
CURRENT, RECEIVING, UNUSED = "#ffa500", "#ffd700", "#f5f5f5"


@dataclass
class BackwardPass:
    """One expression at one x: its tape, and the gradients after each step of the backward pass."""

    tape: Tape
    x: Value
    y: Value
    steps: list[tuple[Record, dict]]  # (record applied, snapshot of ∂y/∂value after it)

    @property
    def boxes(self) -> list[Value]:
        """The values drawn, in the order they were computed: x, then every record's result."""
        return [self.x, *(rec.output for rec in self.tape.records)]

    def name(self, value: Value) -> str:
        return "y" if value is self.y else value.label

    def gradients(self, step: int) -> dict:
        return self.steps[step - 1][1] if step else {self.y: 1.0}

    def current(self, step: int) -> Record | None:
        return self.steps[step - 1][0] if step else None


def backward_pass(f: Callable[[Value], Value], x0: float) -> BackwardPass:
    """Run f on a Value x inside a tape, then play the tape backwards, keeping every step."""
    x = Value(x0, "x")
    with Tape() as tape:
        try:
            y = call_function(f, x)
        except LearnerValueError as err:
            if isinstance(err.__cause__, SaidInWords):  # the tape's own sentence, such as log(−1)
                raise
            raise LearnerValueError(_(
                "{error}. The expression is given a Value of the tape built from scratch: write it with "
                "+, −, ·, /, ** and the sin, cos, exp and log of helpers.tape_from_scratch, not with "
                "TensorFlow's, PyTorch's or NumPy's functions."
            ).format(error=err)) from err
    if not isinstance(y, Value) or not any(rec.output is y for rec in tape.records):
        raise LearnerValueError(_(
            "The expression gave {value}, not a Value computed from x: write it with x and the "
            "tape's operations, such as lambda x: x * x + x."
        ).format(value=describe(y)))
    steps = [(rec, dict(grads)) for rec, grads in tape.steps(y)]
    return BackwardPass(tape, x, y, steps)


def _number(value: float | None) -> str:
    return "?" if value is None else f"{value:.4g}"


def _scene(p: BackwardPass, step: int) -> tuple[dict[str, list[str]], dict[str, str], dict[str, str]]:
    """What the picture shows after `step` steps: the lines of text of each box (b0, b1, …) and of each
    edge's label (e0, e1, …: the local derivative), each box's colour and each edge's colour."""
    grads, current = p.gradients(step), p.current(step)
    made = {rec.output: rec for rec in p.tape.records}
    reached = {rec.output for rec, _ in p.steps} | {p.y}
    lines, fills, edges = {}, {}, {}
    for i, value in enumerate(p.boxes):
        head = "x" if i == 0 else made[value].formula(p.name)
        lines[f"b{i}"] = [head, f"= {value.number:.4g}", f"∂y/∂{p.name(value)} = {_number(grads.get(value))}"]
        if current is not None and value is current.output:
            fills[f"b{i}"] = CURRENT
        elif current is not None and any(value is v for v in current.inputs):
            fills[f"b{i}"] = RECEIVING
        elif value is p.y:
            fills[f"b{i}"] = OUTPUT
        elif i == 0:
            fills[f"b{i}"] = SOURCE
        else:
            fills[f"b{i}"] = RECORD if value in reached else UNUSED
    for edge, rec, (_from, _to, local) in _edges(p):
        edges[edge] = CURRENT if rec is current else "#000000"
        lines[edge] = [f"×{local:.3g}"]
    return lines, fills, edges


def _edges(p: BackwardPass) -> list[tuple[str, Record, tuple[int, int, float]]]:
    """One edge per (input, record), constants left out: (id, record, (from box, to box, local))."""
    index = {value: i for i, value in enumerate(p.boxes)}
    found = []
    for rec in p.tape.records:
        for value, local in zip(rec.inputs, rec.local, strict=True):
            if not isinstance(value, Constant) and value in index:
                found.append((f"e{len(found)}", rec, (index[value], index[rec.output], local)))
    return found


def _digraph(p: BackwardPass, lines: Mapping, fills: Mapping, edges: Mapping, width: float) -> GraphPicture:
    boxes = {**NODE_ATTR, "fixedsize": "true", "width": f"{width:.2f}", "height": "0.55"}
    dot = GraphPicture(graph_attr={"rankdir": "LR", "nodesep": "0.15", "ranksep": "0.3"}, node_attr=boxes)
    dot.graph = Graph()  # the same boxes as text, for repr() and for a machine whose dot fails
    for i, value in enumerate(p.boxes):
        box, text = f"b{i}", lines[f"b{i}"]
        dot.node(box, "\n".join(text), fillcolor=fills[box], id=box)
        kind = "source" if i == 0 else "output" if value is p.y else "op"
        dot.graph.nodes.append(Node(box, " ".join(text), kind))
    for edge, _rec, (a, b, _local) in _edges(p):
        dot.edge(f"b{a}", f"b{b}", label=lines[edge][0], color=edges[edge], fontcolor=edges[edge],
                 fontsize="9", fontname="monospace", id=edge)
        dot.graph.edges.append((f"b{a}", f"b{b}"))
    return dot


def _width(p: BackwardPass) -> float:
    """Box width in inches for the longest line any step shows (monospace 10 pt: 0.085 in a character),
    rounded up to two characters, so that nearby values of x share one layout."""
    longest = max(len(line) for step in range(len(p.steps) + 1)
                  for box, text in _scene(p, step)[0].items() if box.startswith("b") for line in text)
    return 0.2 + 0.085 * (2 * -(-longest // 2))


def draw_tape(tape: Any, target: Any, step: Any = None) -> Any:
    """The records of `tape` as boxes, after `step` steps of the backward pass from `target` (all by
    default): the box being processed orange, the boxes it passes its gradient to gold."""
    p = _pass_of(tape, target)
    step = len(p.steps) if step is None else _step(step, len(p.steps))
    picture = _digraph(p, *_scene(p, step), width=_width(p))
    return picture if dot_available() else TextGraph(picture.graph)


class BackwardExplorer(Explorer):
    """Pick an expression and x; move `step` to play its tape backwards one record at a time."""

    def __init__(self, expressions: Mapping | None, x: float, step: int | None,
                 xlim: tuple[float, float]) -> None:
        self.expressions = require_function_menu(
            EXPRESSIONS if expressions is None else expressions, "{'x·x': lambda x: x * x}"
        )
        x = to_point(x)
        low, high = check_range(xlim, point=x, what=_("the slider's range"))
        self.wanted = None if step is None else _step(step)  # beyond the last record: the end
        self._layouts: dict[tuple, tuple[str, list[str]]] = {}  # (structure, width) -> SVG with holes
        self.expression = function_menu(self.expressions, "y =")
        self.x = slider("x", x, low, high)
        self.step = widgets.IntSlider(value=0, min=0, max=1, description=_("step"))
        self.image = widgets.Image(format="svg+xml")
        self.text = widgets.HTML()  # the text picture, without Graphviz
        # step comes first of the sliders: it is what a learner moves (and the tests and benchmark, too)
        self.assemble([widgets.HBox([self.expression, self.step, self.x])], [self.image, self.text],
                      {self._new_pass: [self.expression, self.x], self._new_step: [self.step]})

    def _new_pass(self, change: Any = None) -> None:
        f = self.expressions[self.expression.value]
        self.backward = backward_pass(f, float(self.x.value))
        count = len(self.backward.steps)
        wanted = count if self.wanted is None else min(self.wanted, count)
        self.wanted = None
        self._template = self._layout() if dot_available() else None
        self._shown = None
        # Moving the slider's bounds may move its value, which draws the step; else draw it here.
        self.step.max = count
        self.step.value = wanted if change is None else min(self.step.value, count)
        self._new_step()

    def _layout(self) -> tuple[str, list[str]]:
        """The SVG of this expression's boxes with a hole for every text and colour (laid out once)."""
        p, width = self.backward, _width(self.backward)
        structure = tuple((rec.op, tuple(id(v) in {id(b) for b in p.boxes} for v in rec.inputs))
                          for rec in p.tape.records) + (len(_edges(p)), self.expression.value)
        lines, fills, edges = _scene(p, 0)
        # Edge labels take room in the layout: one layout per length of each label.
        key = (structure, width, tuple(len(lines[edge][0]) for edge in edges))
        if key not in self._layouts:
            holes = {box: [f"@{box}.{i}@" for i in range(len(text))] for box, text in lines.items()}
            colours = {name: f"#fe{i:04x}" for i, name in enumerate([*fills, *edges])}
            svg = _digraph(p, holes, {b: colours[b] for b in fills}, {e: colours[e] for e in edges},
                           width).pipe(format="svg").decode()
            names = {colour: name for name, colour in colours.items()}
            self._layouts[key] = (re.split(r"(@[be]\d+\.\d@|#fe[0-9a-f]{4})", svg), names)
        return self._layouts[key]

    def _new_step(self, change: Any = None) -> None:
        p, step = self.backward, int(self.step.value)
        if self._shown == step:
            return
        self._shown = step
        lines, fills, edges = _scene(p, step)
        if self._template is not None:
            pieces, names = self._template
            colours = {**fills, **edges}
            filled = [
                html.escape(lines[piece[1:-1].split(".")[0]][int(piece[-2])]) if piece.startswith("@")
                else colours[names[piece]] if piece.startswith("#fe") and piece in names
                else piece
                for piece in pieces
            ]
            self.image.value = "".join(filled).encode()
            self.text.value = ""
        else:
            self.image.layout.display = "none"
            self.text.value = TextGraph(_digraph(p, lines, fills, edges, 1.0).graph)._repr_html_()
        self.readout.value = self._words(step)

    def _words(self, step: int) -> str:
        p = self.backward
        total = len(p.steps)
        if step == 0:
            return _(
                "<b>Before the backward pass</b> ({count} records to play back): only ∂y/∂y = 1 is "
                "known, ∂y/∂x = ? so far. Move <b>step</b> to play the tape backwards, newest record first."
            ).format(count=total)
        rec, grads = p.steps[step - 1]
        running, passed = dict(p.gradients(step - 1)), []
        for v, d in zip(rec.inputs, rec.local, strict=True):
            if isinstance(v, Constant):
                continue
            words = f"∂y/∂{p.name(v)} {'+' if v in running else ''}= {running[rec.output]:.4g} × {d:.4g}"
            Tape.add(running, v, running[rec.output] * d)
            passed.append(words + (f" → {running[v]:.4g}" if "+=" in words else ""))
        words = _("<b>Step {step} of {total}</b>: record {record}. {passed}. ∂y/∂x = {gradient} so far.")
        words = words.format(step=step, total=total, record=html.escape(rec.formula(p.name)),
                             passed="; ".join(passed), gradient=_number(grads.get(p.x)))
        if step == total:
            f = self.expressions[self.expression.value]
            numeric = finite_difference(lambda t: f(Value(t)).number, float(self.x.value))
            words += " " + _("<b>Done</b>: a finite difference gives {numeric:.4g}.").format(numeric=numeric)
        return words


def _polynomial_so_far(step: float, x: float = 2.0) -> list[str]:
    """∂y/∂x after `step` steps for 5x³ + 2x² + 4x + 8, by hand: 4 from 4x (step 3), 2·2x more from 2x²
    (step 6), 5·3x² more from 5x³ (step 8)."""
    parts = [(3, 4.0), (6, 4 * x), (8, 15 * x * x)]
    reached = [part for at, part in parts if step >= at]
    return [f"∂y/∂x = {sum(reached):.4g} so far" if reached else "∂y/∂x = ? so far"]


@registered(Tour("step", (2, 6, 8), then="expression", says=_polynomial_so_far, repaints_in_part=False))
def backward_explorer(
    expressions: Mapping | None = None, x: float = 2.0, step: int | None = 0,
    xlim: tuple[float, float] = (-3.0, 3.0),
) -> ExplorerBox:
    """Step through the backward pass of an expression of x, one recorded operation at a time."""
    return BackwardExplorer(expressions, x, step, xlim).widget


# ------------------------------------------------------------------ what a learner is told


def _pass_of(tape: Any, target: Any) -> BackwardPass:
    if not isinstance(tape, Tape):
        raise LearnerInputError(
            _("draw_tape takes the Tape first, then the target: not {tape}.").format(tape=describe(tape))
        )
    if not isinstance(target, Value) or not any(rec.output is target for rec in tape.records):
        raise LearnerValueError(_(
            "The target must be a Value computed inside this tape, such as y, not {target}."
        ).format(target=describe(target)))
    leaves = [v for rec in tape.records for v in rec.inputs if not isinstance(v, Constant)
              and not any(v is r.output for r in tape.records)]
    sources = len({id(v) for v in leaves})
    if sources != 1:
        raise LearnerValueError(
            _("draw_tape draws expressions of one source x; this tape has {count}.").format(count=sources)
        )
    steps = [(rec, dict(grads)) for rec, grads in tape.steps(target)]
    return BackwardPass(tape, leaves[0], target, steps)


def _step(step: Any, count: int | None = None) -> int:
    """A step of the backward pass: 0 (before it) up to `count` (its end), if given."""
    if isinstance(step, bool) or not isinstance(step, int) or step < 0 or count is not None and step > count:
        message = (_("step must be a whole number 0 or more, not {step}.") if count is None
                   else _("step must be a whole number from 0 to {count}, not {step}."))
        raise LearnerInputError(message.format(count=count, step=describe(step)))
    return step
