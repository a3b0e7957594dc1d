"""Explorer timings; runs INSIDE a fresh kernel (tools/bench_kernel.py sends this file as a cell),
so every update also pays for sending its picture over the widget's comm, as in JupyterLab.

For each explorer it moves the control a learner moves first (the first slider, else the menu,
else the toggle, as tests/browser does) one step at a time and times the callback: the gradient
computation and the drawing. The naive way of the same update is timed in the same kernel: a new
explorer built from scratch for every change, which is what an `interact` function that makes a
new figure and draws everything does.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

import helpers
from helpers.explorer import EXPLORERS, option_values
from tools.project import explorer_chapters


def graph_note(explorer: Any) -> str:
    """What keeps the graph explorer fast: the layout a move does not redo, timed on the picture shown."""
    svg = _median_ms(lambda: explorer.picture.pipe(format="svg"))
    return (
        f"Graphviz lays both graphs out once per function ({svg:.1f} ms for the picture shown); moving x "
        f"only rewrites the numbers in the x and y boxes of that SVG, while the naive way traces and lays "
        f"out the graphs again"
    )


# What to time apart for an explorer whose update is bounded by one part.
NOTES: dict[str, Callable[[Any], str]] = {"graph_explorer": graph_note}


def controls(widget: widgets.Widget) -> list[widgets.Widget]:
    """Every widget inside a box, depth first, in the order they are shown."""
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += controls(child)
    return found


def steps(control: widgets.Widget, count: int) -> list[Any]:
    """`count` values one step apart, as a learner drags: up to the end of the range, then back."""
    if hasattr(control, "options"):
        options = option_values(control)
        start = options.index(control.value)
        return [options[(start + i) % len(options)] for i in range(1, count + 1)]
    values, value, direction = [], control.value, 1
    for _ in range(count):
        if not control.min <= value + direction * control.step <= control.max:
            direction = -direction
        value = round(value + direction * control.step, 10)
        values.append(value)
    return values


def close(widget: widgets.Widget) -> None:
    for inner in controls(widget):
        inner.close()


def time_one(name: str, chapter: str, moves: int, naive_moves: int, warm_up: int = 5) -> dict:
    """One explorer's update times and naive re-render times (ms), and a note on what bounds it."""
    explorer = EXPLORERS[name]
    box = explorer.build()  # as a chapter shows it, with its defaults
    control = getattr(box.explorer, explorer.tour.control)
    values = steps(control, warm_up + moves)
    update = []
    for i, value in enumerate(values):
        started = time.perf_counter()
        control.value = value  # runs the explorer's callback synchronously
        if i >= warm_up:
            update.append(1000 * (time.perf_counter() - started))
    naive = []
    for i, value in enumerate(values[: 1 + naive_moves]):
        started = time.perf_counter()
        fresh = explorer.build(**explorer.tour.keywords(value))
        elapsed = time.perf_counter() - started
        close(fresh)
        if i >= 1:  # the first build warms caches, like the warm-up above
            naive.append(1000 * elapsed)
    label = control.description or type(control).__name__
    note = NOTES[name](box.explorer) if name in NOTES else ""
    close(box)
    return {"name": name, "chapter": chapter, "control": label, "update_ms": update, "naive_ms": naive,
            "note": note}


def _median_ms(action: Callable[[], Any], count: int = 21) -> float:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        action()
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


def measure_all(moves: int = 50, naive_moves: int = 20) -> list[dict]:
    """Every explorer: per-change update times and naive re-render times, in milliseconds."""
    helpers.setup()
    return [time_one(name, chapter, moves, naive_moves) for name, chapter in explorer_chapters().items()]
