"""Common autodiff pitfalls as data: broken and fixed code for each, run live to show the symptom.

Every entry of `PITFALLS` holds two short snippets that end by setting `grad`. `run_snippet` executes
one with tf, torch and np available and reports the gradient, `None`, or the error it raised, so the
text a learner reads is exactly the code that produced the result.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from helpers.errors import in_words
from helpers.explorer import Explorer, ExplorerBox, Tour, menu_options, registered
from helpers.optional import MissingLibrary, needs, optional_import
from helpers.translation import N_, _
from helpers.values import LearnerInputError, LearnerValueError, check_axes, to_array
from helpers.widget_figure import FigureImage

__all__ = ["pitfall_explorer", "plot_pitfall_summary"]

VERSIONS = (N_("broken"), N_("fixed"))  # also what the switch shows


@dataclass(frozen=True)
class Pitfall:
    """One mistake: the code that shows it, the code that avoids it, and the hand-derived gradient."""

    name: str  # shown in the explorer's menu
    library: str  # "TensorFlow" or "PyTorch"
    broken: str  # code that ends by setting `grad` (or raises)
    fixed: str
    by_hand: str  # the derivation of the fixed gradient, in words
    expected: float  # the fixed gradient, by hand
    function: Callable[[float], float]  # what is differentiated, for a finite-difference check
    point: float  # where
    cause: str
    fix: str

    @property
    def label(self) -> str:
        return f"{self.name} · {self.library}"

    @property
    def shown_label(self) -> str:
        """The label in the current language, as the menu, the table and the titles show it."""
        return f"{_(self.name)} · {self.library}"

    def code(self, version: str) -> str:
        """The broken or the fixed snippet."""
        return self.broken if _version(version) == "broken" else self.fixed


@dataclass(frozen=True)
class Outcome:
    """What running a snippet gave: a gradient, None, or an error ('Type: first line')."""

    grad: float | None
    error: str | None = None

    def symptom(self, expected: float) -> str:
        """One line saying what a learner would see, compared with the hand-derived gradient."""
        if self.error is not None:
            return _("raises {error}").format(error=self.error)
        if self.grad is None:
            return _("no error, but the gradient is None")
        if math.isclose(self.grad, expected, rel_tol=1e-5, abs_tol=1e-6):
            return _("gradient {grad:.4g}, as derived by hand").format(grad=self.grad)
        return _("gradient {grad:.4g}, but by hand it is {expected:.4g}").format(
            grad=self.grad, expected=expected)

    def short(self) -> str:
        """The result in a few characters, for tables and pictures."""
        if self.error is not None:
            return self.error.split(":")[0]
        return "None" if self.grad is None else f"{self.grad:.4g}"


def _version(version: str) -> str:
    if version not in VERSIONS:
        raise LearnerValueError(
            _("version must be 'broken' or 'fixed', not {version!r}.").format(version=version)
        )
    return version


def run_snippet(code: str) -> Outcome:
    """Execute a snippet that ends by setting `grad`, and report what it gave."""
    if not isinstance(code, str):
        raise LearnerInputError(
            _("The code must be a string of Python, not {type_name}.").format(type_name=type(code).__name__)
        )
    import numpy as np
    import tensorflow as tf

    namespace: dict[str, Any] = {"tf": tf, "torch": optional_import("torch"), "np": np}
    try:
        exec(code, namespace)  # the snippets are the module's own teaching examples
    except MissingLibrary:
        raise  # not the pitfall's symptom: the library that shows it is not installed
    except Exception as err:  # the error is the symptom being shown
        return Outcome(None, in_words(err))
    if "grad" not in namespace:
        raise LearnerInputError(
            _("The code must end by setting `grad`, for example `grad = tape.gradient(y, x)`.")
        )
    grad = namespace["grad"]
    if grad is None:
        return Outcome(None)
    return Outcome(float(to_array(grad, "grad").reshape(())))


PITFALLS: list[Pitfall] = [
    Pitfall(
        name=N_("1 integer dtype"),
        library="TensorFlow",
        broken="""x = tf.Variable(3)  # int32: 3, not 3.0
with tf.GradientTape() as tape:
    y = x * x
grad = tape.gradient(y, x)""",
        fixed="""x = tf.Variable(3.0)  # float32
with tf.GradientTape() as tape:
    y = x * x
grad = tape.gradient(y, x)""",
        by_hand=N_("dy/dx = 2x = 6 at x = 3"),
        expected=6.0,
        function=lambda x: x * x,
        point=3.0,
        cause=N_("the source is an integer tensor"),
        fix=N_("write 3.0 or pass dtype=tf.float32"),
    ),
    Pitfall(
        name=N_("1 integer dtype"),
        library="PyTorch",
        broken="""x = torch.tensor(3, requires_grad=True)  # int64
y = x * x
y.backward()
grad = x.grad""",
        fixed="""x = torch.tensor(3.0, requires_grad=True)  # float32
y = x * x
y.backward()
grad = x.grad""",
        by_hand=N_("dy/dx = 2x = 6 at x = 3"),
        expected=6.0,
        function=lambda x: x * x,
        point=3.0,
        cause=N_("the source is an integer tensor"),
        fix=N_("write 3.0 or pass dtype=torch.float32"),
    ),
    Pitfall(
        name=N_("2 detour through NumPy"),
        library="TensorFlow",
        broken="""x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = tf.square(x.numpy())  # .numpy() leaves the tape
grad = tape.gradient(y, x)""",
        fixed="""x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = tf.square(x)  # stay in TensorFlow
grad = tape.gradient(y, x)""",
        by_hand=N_("dy/dx = 2x = 4 at x = 2"),
        expected=4.0,
        function=lambda x: x * x,
        point=2.0,
        cause=N_("a NumPy value or call inside the tape"),
        fix=N_("use tf.* operations all the way from source to target"),
    ),
    Pitfall(
        name=N_("2 detour through NumPy"),
        library="PyTorch",
        broken="""x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(np.square(x.numpy()))  # .numpy() leaves autograd
y.backward()
grad = x.grad""",
        fixed="""x = torch.tensor(2.0, requires_grad=True)
y = torch.square(x)  # stay in PyTorch
y.backward()
grad = x.grad""",
        by_hand=N_("dy/dx = 2x = 4 at x = 2"),
        expected=4.0,
        function=lambda x: x * x,
        point=2.0,
        cause=N_("a NumPy value or call in the computation"),
        fix=N_("use torch.* operations; .detach().numpy() only for printing"),
    ),
    Pitfall(
        name=N_("3 variable replaced by a tensor"),
        library="TensorFlow",
        broken="""x = tf.Variable(1.0)
grads = []
for step in range(2):
    with tf.GradientTape() as tape:
        y = x * x
    grads.append(tape.gradient(y, x))
    x = x + 1.0  # x is now a plain tensor
grad = grads[-1]""",
        fixed="""x = tf.Variable(1.0)
grads = []
for step in range(2):
    with tf.GradientTape() as tape:
        y = x * x
    grads.append(tape.gradient(y, x))
    x.assign_add(1.0)  # x stays a Variable
grad = grads[-1]""",
        by_hand=N_("second step: x = 2, dy/dx = 2x = 4"),
        expected=4.0,
        function=lambda x: x * x,
        point=2.0,
        cause=N_("`x = x + 1` turned the tf.Variable into a tensor the tape does not watch"),
        fix=N_("update in place: x.assign_add(1.0), x.assign(...)"),
    ),
    Pitfall(
        name=N_("4 unconnected source"),
        library="TensorFlow",
        broken="""x = tf.Variable(2.0)
z = tf.Variable(5.0)
with tf.GradientTape() as tape:
    y = x * x  # z is not used
grad = tape.gradient(y, z)""",
        fixed="""x = tf.Variable(2.0)
z = tf.Variable(5.0)
with tf.GradientTape() as tape:
    y = x * x
grad = tape.gradient(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO)""",
        by_hand=N_("y does not depend on z: dy/dz = 0"),
        expected=0.0,
        function=lambda z: 2.0 * 2.0,
        point=5.0,
        cause=N_("the target does not depend on that source"),
        fix=N_("unconnected_gradients=tf.UnconnectedGradients.ZERO (or use the source)"),
    ),
    Pitfall(
        name=N_("4 unconnected source"),
        library="PyTorch",
        broken="""x = torch.tensor(2.0, requires_grad=True)
z = torch.tensor(5.0, requires_grad=True)
y = x * x  # z is not used
dy_dx, grad = torch.autograd.grad(y, [x, z])""",
        fixed="""x = torch.tensor(2.0, requires_grad=True)
z = torch.tensor(5.0, requires_grad=True)
y = x * x
dy_dx, grad = torch.autograd.grad(y, [x, z], allow_unused=True, materialize_grads=True)""",
        by_hand=N_("y does not depend on z: dy/dz = 0"),
        expected=0.0,
        function=lambda z: 2.0 * 2.0,
        point=5.0,
        cause=N_("the target does not depend on that source"),
        fix=N_("allow_unused=True (gives None) plus materialize_grads=True (gives zeros)"),
    ),
    Pitfall(
        name=N_("5 asking twice"),
        library="TensorFlow",
        broken="""x = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = x * x
    z = y * y
dz_dx = tape.gradient(z, x)
grad = tape.gradient(y, x)  # a second question""",
        fixed="""x = tf.Variable(3.0)
with tf.GradientTape(persistent=True) as tape:
    y = x * x
    z = y * y
dz_dx = tape.gradient(z, x)
grad = tape.gradient(y, x)
del tape  # free what the persistent tape holds""",
        by_hand=N_("dy/dx = 2x = 6 at x = 3"),
        expected=6.0,
        function=lambda x: x * x,
        point=3.0,
        cause=N_("a tape answers once unless it is persistent"),
        fix=N_("tf.GradientTape(persistent=True), then del tape"),
    ),
    Pitfall(
        name=N_("5 asking twice"),
        library="PyTorch",
        broken="""x = torch.tensor(3.0, requires_grad=True)
y = x * x
y.backward()
y.backward()  # the graph was freed by the first call
grad = x.grad""",
        fixed="""x = torch.tensor(3.0, requires_grad=True)
y = x * x
y.backward(retain_graph=True)  # keep the graph
x.grad.zero_()  # and start the second sum from zero
y.backward()
grad = x.grad""",
        by_hand=N_("dy/dx = 2x = 6 at x = 3"),
        expected=6.0,
        function=lambda x: x * x,
        point=3.0,
        cause=N_("backward() frees the graph it walked"),
        fix=N_("backward(retain_graph=True), or rebuild y"),
    ),
    Pitfall(
        name=N_("6 gradients not zeroed"),
        library="PyTorch",
        broken="""x = torch.tensor(2.0, requires_grad=True)
for step in range(2):
    y = 5 * x**3 + 2 * x**2 + 4 * x + 8
    y.backward()  # adds to x.grad
grad = x.grad""",
        fixed="""x = torch.tensor(2.0, requires_grad=True)
for step in range(2):
    if x.grad is not None:
        x.grad.zero_()  # or optimizer.zero_grad()
    y = 5 * x**3 + 2 * x**2 + 4 * x + 8
    y.backward()
grad = x.grad""",
        by_hand=N_("y = 5x³ + 2x² + 4x + 8: dy/dx = 15x² + 4x + 4 = 72 at x = 2"),
        expected=72.0,
        function=lambda x: 5 * x**3 + 2 * x**2 + 4 * x + 8,
        point=2.0,
        cause=N_("backward() adds to .grad; old gradients stay"),
        fix=N_("x.grad.zero_() or optimizer.zero_grad() before each backward()"),
    ),
    Pitfall(
        name=N_("7 in-place operation"),
        library="PyTorch",
        broken="""x = torch.tensor(1.0, requires_grad=True)
y = x.exp()
y.add_(1)  # overwrites the exp(x) that backward needs
y.backward()
grad = x.grad""",
        fixed="""x = torch.tensor(1.0, requires_grad=True)
y = x.exp()
y = y + 1  # a new tensor; exp(x) is kept
y.backward()
grad = x.grad""",
        by_hand=N_("y = eˣ + 1: dy/dx = eˣ = e ≈ 2.718 at x = 1"),
        expected=math.e,
        function=lambda x: math.exp(x) + 1,
        point=1.0,
        cause=N_("an in-place operation overwrote a value autograd saved"),
        fix=N_("write y = y + 1, not y.add_(1) or y += 1"),
    ),
]


def _find(pitfalls: Sequence[Pitfall], label: str) -> Pitfall:
    for pitfall in pitfalls:
        if pitfall.label == label:
            return pitfall
    known = "; ".join(p.label for p in pitfalls)
    raise LearnerValueError(
        _("There is no pitfall called {label!r}. Pick one of: {known}.").format(label=label, known=known)
    )


def run_pitfall(label: str, version: str) -> Outcome:
    """Run the broken or fixed code of the pitfall with this label ('1 integer dtype · PyTorch')."""
    return run_snippet(_find(PITFALLS, label).code(_version(version)))


@needs("torch")
def plot_pitfall_summary(ax: Any = None) -> Any:
    """A table as a picture: for each pitfall what the broken and the fixed code give, run live."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    if check_axes(ax) is None:
        ax = plt.subplots(figsize=(9.0, 0.42 * len(PITFALLS) + 0.9))[1]
    columns = [(0.0, 4.4, _("pitfall")), (4.4, 2.6, _("broken code gives")),
               (7.0, 2.0, _("fixed code gives"))]
    for left, _width, title in columns:
        ax.text(left + 0.1, -0.6, title, fontweight="bold", va="center")
    for row, pitfall in enumerate(PITFALLS):
        broken, fixed = run_snippet(pitfall.broken), run_snippet(pitfall.fixed)
        texts = [pitfall.shown_label, _versus(broken, pitfall.expected), fixed.short()]
        ok = [None, _matches(broken, pitfall.expected), _matches(fixed, pitfall.expected)]
        for (left, width, _title), text, good in zip(columns, texts, ok, strict=True):
            colour = "white" if good is None else ("#d9f2d9" if good else "#f9d6d5")
            ax.add_patch(Rectangle((left, row), width, 1.0, facecolor=colour, edgecolor="white", lw=2))
            ax.text(left + 0.1, row + 0.5, text, va="center", fontsize=10)
    ax.set_xlim(0, 9.0)
    ax.set_ylim(len(PITFALLS), -1.1)
    ax.axis("off")
    ax.set_title(_("red: a symptom (error, None, wrong number) · green: the hand-derived gradient"))
    return ax


def _versus(outcome: Outcome, expected: float) -> str:
    """The short result, saying what it should be when it is a wrong number."""
    if outcome.grad is None or _matches(outcome, expected):
        return outcome.short()
    return _("{result} (not {expected:.4g})").format(result=outcome.short(), expected=expected)


def _matches(outcome: Outcome, expected: float) -> bool:
    return outcome.grad is not None and math.isclose(outcome.grad, expected, rel_tol=1e-5, abs_tol=1e-6)


class PitfallExplorer(Explorer):
    """A menu of pitfalls and a broken/fixed switch; shows the code, its symptom and its gradient."""

    def __init__(self, pitfall: str | None = None, version: str = "broken") -> None:
        labels = [p.label for p in PITFALLS]
        start = _find(PITFALLS, pitfall).label if pitfall is not None else labels[0]
        self.outcome = Outcome(None)

        self.picture = FigureImage(figsize=(6.0, 2.0))
        self.image = self.picture.image
        self.ax = self.picture.figure.subplots()
        self.bars = self.ax.barh([1, 0], [0.0, 0.0], color=["#d62728", "#2ca02c"], height=0.6)
        self.labels = [self.ax.text(0, y, "", va="center") for y in (1, 0)]
        self.ax.set_yticks([1, 0], [_("this code"), _("by hand")])
        self.ax.set_xlabel(_("gradient"))
        # What _update changes; new x limits (a larger gradient) redraw everything.
        self.picture.moving(*self.bars, *self.labels, self.ax.title)

        self.pitfall = widgets.Dropdown(options=menu_options([p.shown_label for p in PITFALLS], labels),
                                        value=start, description=_("pitfall"))
        self.version = widgets.ToggleButtons(options=menu_options([_(v) for v in VERSIONS], VERSIONS),
                                             value=_version(version))
        self.assemble([widgets.HBox([self.pitfall, self.version])], [self.image],
                      {self._update: [self.pitfall, self.version]})

    @property
    def current(self) -> Pitfall:
        return _find(PITFALLS, self.pitfall.value)

    def _update(self, _change: Any = None) -> None:
        pitfall, version = self.current, self.version.value
        code = pitfall.code(version)
        self.outcome = run_snippet(code)
        good = _matches(self.outcome, pitfall.expected)
        colour = "#2ca02c" if good else "#d62728"
        mark = "✔" if good else "✘"
        told = (
            f"<pre>{html.escape(code)}</pre>"
            f"<b style='color:{colour}'>{mark} {html.escape(self.outcome.symptom(pitfall.expected))}</b><br>"
            + _("By hand: {by_hand}.").format(by_hand=html.escape(_(pitfall.by_hand))) + "<br>"
            + _("Cause: {cause}. Fix: {fix}.").format(cause=html.escape(_(pitfall.cause)),
                                                    fix=html.escape(_(pitfall.fix)))
        )
        got = self.outcome.grad if self.outcome.grad is not None else 0.0
        self.bars[0].set_width(got)
        self.bars[0].set_color(colour)
        self.bars[1].set_width(pitfall.expected)
        right = max(abs(got), abs(pitfall.expected), 1.0) * 1.45
        self.ax.set_xlim(0, right)
        for text, width, words in zip(self.labels, (got, pitfall.expected),
                                      (self.outcome.short(), f"{pitfall.expected:.4g}"), strict=True):
            text.set_position((width + 0.02 * right, text.get_position()[1]))
            text.set_text(words)
        self.ax.set_title(f"{pitfall.shown_label}, {_(version)}: {self.outcome.short()}")
        self.show(told)


@registered(Tour("pitfall", tuple(p.label for p in PITFALLS[:3]), then="version",
                 says=lambda: ["torch.tensor(3, requires_grad=True)"]))  # the PyTorch case
@needs("torch")
def pitfall_explorer(pitfall: str | None = None, version: str = "broken") -> ExplorerBox:
    """A live pitfall explorer; show it by making it the last expression of a cell."""
    return PitfallExplorer(pitfall, version).widget
