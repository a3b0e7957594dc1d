"""The scaffold every explorer shares, and the register that lists them.

An explorer is controls → update → picture. `Explorer.assemble` stacks the rows of controls above a
readout and the picture, and wires each control to the method that redraws what it changes; errors
raised there are said in the readout. `@registered(Tour(...))` on the function learners call adds the
explorer to `EXPLORERS`, where the tests, the benchmark and the browser tests find it: a new chapter's
explorer needs no edit anywhere else.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np

from helpers.errors import in_words
from helpers.functions import function_changed
from helpers.translation import _


class ExplorerBox(widgets.VBox):
    """A VBox whose plain-text form says what it is; `.explorer` holds the object behind it."""

    explorer: Any = None

    def __repr__(self) -> str:
        # Shown where the widget cannot be: GitHub, nbviewer, a JupyterLab without the widgets front end.
        # Under 110 characters, or ipywidgets cuts the text short with an ellipsis.
        # Also what JupyterLab shows for an explorer whose cell has not been run in this session.
        return _(
            "Interactive explorer: run this cell in JupyterLab to move its controls "
            "(needs jupyterlab_widgets)."
        )


def on_change(handler: Callable[[Any], None], readout: widgets.HTML, *controls: widgets.Widget) -> None:
    """Call `handler(change)` whenever one of the controls changes value.

    An error raised there is said in `readout`, in one sentence naming the value that caused it.
    Left alone, ipywidgets would send it to the kernel's log, where no learner looks, and the
    explorer would go on showing the last picture as if it belonged to the new value.
    """

    def guarded(change: Any) -> None:
        try:
            handler(change)
        except Exception as err:  # noqa: BLE001 - any error of a learner's function, said in words
            readout.value = _failure(change, err)

    for control in controls:
        control.observe(guarded, names="value")


def _failure(change: Any, err: Exception) -> str:
    control, new = change["owner"], change["new"]
    value = f"{new:.4g}" if isinstance(new, float) else str(new)
    name = getattr(control, "description", "").rstrip(" =") or _("the control")
    # The helpers' own sentences (raised from the learner's error) already name what failed.
    reason = str(err) if err.__cause__ else in_words(err)
    failed = _("Nothing could be drawn for {control} = {value}: {reason}.").format(
        control=html.escape(name), value=html.escape(value), reason=html.escape(reason.rstrip(".。")))
    advice = _("The picture still shows the last value that worked; "
               "choose another value, or fix the function and run its cell again.")
    return f"<b style='color:#b00000'>⚠ {failed}</b> {advice}"


def _show_whole_labels(widget: widgets.Widget) -> None:
    """Labels as wide as their words and menus as wide as their longest entry: ipywidgets' fixed
    widths cut "learning rate" to "learning r…", worse still in presentation mode's larger font."""
    for child in getattr(widget, "children", ()):
        _show_whole_labels(child)
    style = getattr(widget, "style", None)
    if getattr(widget, "description", "") and style is not None and style.has_trait("description_width"):
        style.description_width = "initial"
    if isinstance(widget, widgets.Dropdown):
        widget.layout.width = "max-content"


def menu_options(labels: Sequence[str], values: Sequence[Any]) -> list[tuple[str, Any]]:
    """A menu's options: each value shown as its label in the current language."""
    return list(zip(labels, values, strict=True))


def option_values(control: widgets.Widget) -> list[Any]:
    """The values a menu's options stand for, in order (an option is a value or a (label, value) pair)."""
    return [option[1] if isinstance(option, tuple) else option for option in control.options]


def function_menu(functions: Mapping[str, Any], label: str = "f(x) =") -> widgets.Dropdown:
    """The menu of example functions an explorer starts from, their names in the current language."""
    return widgets.Dropdown(options=menu_options([_(name) for name in functions], list(functions)),
                            description=label)


def slider(name: str, value: float, low: float, high: float, step: float = 0.1) -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=name)


class Explorer:
    """controls → update → picture. A subclass builds its figure and controls, then calls `assemble`;
    `show(words)` sends the picture, then the readout's words, so the two never disagree for long."""

    readout: widgets.HTML
    widget: ExplorerBox
    picture: Any  # a FigureImage (helpers/widget_figure.py), or what the explorer draws instead

    def assemble(
        self,
        rows: Sequence[widgets.Widget],
        shown: Sequence[widgets.Widget],
        wiring: Mapping[Callable[[Any], None], Sequence[widgets.Widget]],
    ) -> None:
        """Rows of controls, the readout, then `shown`; each handler of `wiring` runs when one of its
        controls changes. The first handler draws the first picture."""
        self.readout = widgets.HTML()
        for row in rows:
            _show_whole_labels(row)
        self.widget = ExplorerBox([*rows, self.readout, *shown])
        self.widget.explorer = self
        for handler, controls in wiring.items():
            on_change(handler, self.readout, *controls)
        next(iter(wiring))()

    def show(self, words: str) -> None:
        self.picture.show(self.readout, words)


class FunctionAndXExplorer(Explorer):
    """Shared by explorers with a menu of functions and an x slider: the controls, the readout,
    the box and the wiring to `_new_function` and `_new_x`, which each explorer defines."""

    functions: dict
    grid: np.ndarray  # the x values of the curves drawn

    def build_controls(self, x: float, low: float, high: float, step: float = 0.1) -> None:
        """The menu and slider above the readout and the picture; draws the first picture."""
        self.function, self.x = function_menu(self.functions), slider("x", x, low, high, step)
        self.assemble([widgets.HBox([self.function, self.x])], [self.picture.image],
                      {self._new_function: [self.function], self._new_x: [self.x]})

    @property
    def f(self) -> Any:
        """The function chosen in the menu."""
        return self.functions[self.function.value]

    def redrawn_if_changed(self, change: Any, drawn: np.ndarray) -> bool:
        """When the slider moved but f no longer gives the curve drawn (it reads a variable the
        learner has changed since), draw everything anew from f, say so, and return True."""
        if change is None or not function_changed(self.f, self.grid, drawn):
            return False
        self._new_function()
        self.readout.value += "<br>" + _("f has changed since it was drawn; the curve is drawn anew from it.")
        return True


# ------------------------------------------------------------------ the register


@dataclass(frozen=True)
class Tour:
    """How the tests and the benchmark move an explorer as a learner would.

    `control` is the attribute of the control a learner moves first (the first slider, else the menu),
    `values` what the tests move it through, `then` a second control (another function, count or
    case) moved once between two passes. `start(value)` gives the explorer function's keywords that
    start `control` at `value` (by default `{control: value}`). `says(*slider values)` gives phrases
    the readout shows for the explorer's first function, worked out by hand.
    """

    control: str
    values: tuple
    then: str | None = None
    start: Callable[[Any], dict] | None = None
    says: Callable[..., list[str]] = lambda *_: []
    # False for an explorer whose picture is not a FigureImage (07 relabels a Graphviz SVG).
    repaints_in_part: bool = True

    def keywords(self, value: Any) -> dict:
        return self.start(value) if self.start else {self.control: value}


@dataclass(frozen=True)
class Registered:
    name: str
    build: Callable[..., ExplorerBox]
    tour: Tour


# The name learners call -> the explorer, in the order the helpers modules are imported.
EXPLORERS: dict[str, Registered] = {}


def registered(tour: Tour) -> Callable[[Callable[..., ExplorerBox]], Callable[..., ExplorerBox]]:
    """Add the explorer function this decorates to `EXPLORERS`."""

    def register(build: Callable[..., ExplorerBox]) -> Callable[..., ExplorerBox]:
        EXPLORERS[build.__name__] = Registered(build.__name__, build, tour)
        return build

    return register
