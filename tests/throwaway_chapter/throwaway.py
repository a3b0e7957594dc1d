"""A throwaway chapter's helpers module, written as the README's "Adding a chapter" says: an explorer
built on the shared scaffold and registered, and its public names in `__all__`."""

from __future__ import annotations

from typing import Any

from helpers.explorer import Explorer, ExplorerBox, Tour, registered, slider
from helpers.widget_figure import FigureImage

__all__ = ["throwaway_explorer"]


class ThrowawayExplorer(Explorer):
    def __init__(self, a: float = 1.0) -> None:
        self.picture = FigureImage()
        self.image = self.picture.image
        ax = self.picture.figure.subplots()
        (self._line,) = ax.plot([], [])
        ax.set_xlim(0, 1)
        ax.set_ylim(-3, 3)
        self.picture.moving(self._line)
        self.a = slider("a", a, -2.0, 2.0)
        self.assemble([self.a], [self.image], {self._update: [self.a]})

    def _update(self, _change: Any = None) -> None:
        self._line.set_data([0, 1], [0, self.a.value])
        self.show(f"slope a = {self.a.value:.2f}")


@registered(Tour("a", (-1.0, 0.5, 1.5), says=lambda a: [f"slope a = {a:.2f}"]))
def throwaway_explorer(a: float = 1.0) -> ExplorerBox:
    return ThrowawayExplorer(a).widget
