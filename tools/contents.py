"""Regenerate the parts of the course that list its chapters, from the notebooks themselves.

- README.md: the table between `<!-- chapters:start -->` and `<!-- chapters:end -->`.
- notebooks/00_start_here.ipynb: the map, in markdown cells that start with `<!-- generated: chapters -->`,
  at most MAP_ROWS chapters each, so that each fits a slide.
- every chapter: the last cell, `<!-- generated: navigation -->`, linking back and onward.
- the same for each edition (notebooks/de/, notebooks/zh/), in its language (helpers' catalogs), with its
  table in README.md between `<!-- chapters-de:start -->` and `<!-- chapters-de:end -->`.

Run `python tools/contents.py` after adding or renaming a chapter; `--check` only reports staleness
(the test suite calls it, so links never rot).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import nbformat

from helpers.translation import N_, SOURCE_LANGUAGE, _, speaking
from tools import regenerate
from tools.project import EDITIONS, README, ROOT, chapter_paths, edition_folder, replace_block

START = "00_start_here.ipynb"
# The GitHub repository Binder builds from; one place to change when the collection moves.
REPOSITORY = "learn-autodiff/gradient-tapes"
BINDER = f"https://mybinder.org/v2/gh/{REPOSITORY}/HEAD"
TABLE_MARK = "<!-- generated: chapters -->"
# Chapters per cell of the map: more rows than this run off a 1280×720 slide (tests/browser/test_decks.py).
MAP_ROWS = 6
NAV_MARK = "<!-- generated: navigation -->"
README_START, README_END = "<!-- chapters:start -->", "<!-- chapters:end -->"
# Under every "Next" link. A learner who follows the links leaves every chapter open, and each one's
# kernel holds ~800 MB of a Binder session's ~2 GB; helpers/kernels.py shuts down the oldest.
CLOSE_NOTE = N_(
    "*Before you open the next chapter, close this one with **File → Close and Shut Down Notebook**: "
    "a chapter's kernel holds about 800 MB, and Binder gives about 2 GB in all. If you leave tabs open, "
    "Binder keeps two kernels running and shuts down the one you used least recently when a third chapter "
    "starts. Its tab keeps its outputs; to carry on there, **Kernel → Restart Kernel and Run All Cells…** "
    "starts a fresh kernel and runs the chapter again.*"
)


@dataclass(frozen=True)
class Chapter:
    path: Path
    number: str
    title: str
    goal: str

    @property
    def name(self) -> str:
        return self.path.name

    def launch(self) -> str:
        return f"{BINDER}?labpath={quote(self.path.relative_to(ROOT).as_posix())}"


def binder_badge(labpath: str = f"notebooks/{START}") -> str:
    return f"[![Binder](https://mybinder.org/badge_logo.svg)]({BINDER}?labpath={quote(labpath)})"


def chapters(code: str = SOURCE_LANGUAGE) -> list[Chapter]:
    """Every notebook of an edition in teaching order, with the title and goal of its first cell."""
    found = []
    for path in chapter_paths(edition_folder(code)):
        lines = [line.strip() for line in nbformat.read(path, as_version=4).cells[0].source.splitlines()]
        heading = lines[0].lstrip("# ").strip()
        number, _, title = heading.partition("·")
        goal = next((line for line in lines[1:] if line and not line.startswith("[![")), "")
        found.append(Chapter(path, number.strip(), title.strip(), goal))
    return found


def table(items: list[Chapter], link_prefix: str, launch: bool) -> str:
    rows = ["| # | " + _("Chapter") + " | " + _("What you will be able to do") + " |"
            + (" Binder |" if launch else "")]
    rows.append("|---|---|---|" + ("---|" if launch else ""))
    for ch in items:
        row = f"| {ch.number} | [{ch.title}]({link_prefix}{ch.name}) | {ch.goal} |"
        launch_word = _("launch")  # (a call inside an f-string would escape the catalog's extraction)
        rows.append(row + (f" [{launch_word}]({ch.launch()}) |" if launch else ""))
    return "\n".join(rows)


def navigation(items: list[Chapter], index: int) -> str:
    parts = []
    if index > 0:
        prev = items[index - 1]
        parts.append(f"← [{prev.number} · {prev.title}]({prev.name})")
    if items[index].name != START:
        course_map = _("Course map")
        parts.append(f"[{course_map}]({START})")
    if index + 1 < len(items):
        nxt = items[index + 1]
        parts.append(_("Next: {link} →").format(link=f"[{nxt.number} · {nxt.title}]({nxt.name})"))
    note = f"\n\n{_(CLOSE_NOTE)}" if index + 1 < len(items) else ""
    return f"{NAV_MARK}\n---\n" + " · ".join(parts) + note


def with_map(cells: list, items: list[Chapter]) -> list:
    """The cells with the map's cells (each starting with TABLE_MARK) replaced by one cell per
    MAP_ROWS chapters, where the first of them stood."""
    marked = [i for i, cell in enumerate(cells)
              if cell.cell_type == "markdown" and cell.source.startswith(TABLE_MARK)]
    if not marked:
        return cells
    parts = [items[i:i + MAP_ROWS] for i in range(0, len(items), MAP_ROWS)]
    first = cells[marked[0]]
    maps = []
    for k, part in enumerate(parts):
        cell = first if k == 0 else nbformat.v4.new_markdown_cell(metadata=dict(first.metadata))
        if k:
            cell["id"] = f"chapters-{k}"  # stable, so regenerating leaves the file as it is
        cell.source = f"{TABLE_MARK}\n{table(part, '', launch=False)}"
        maps.append(cell)
    kept = [cell for i, cell in enumerate(cells) if i not in marked]
    return kept[:marked[0]] + maps + kept[marked[0]:]


def readme_markers(code: str) -> tuple[str, str]:
    if code == SOURCE_LANGUAGE:
        return README_START, README_END
    return f"<!-- chapters-{code}:start -->", f"<!-- chapters-{code}:end -->"


def expected_files() -> dict[Path, str]:
    """The full text every generated file should have now."""
    out: dict[Path, str] = {}
    readme = README.read_text(encoding="utf-8")
    for code in (SOURCE_LANGUAGE, *EDITIONS):
        with speaking(code):
            items = chapters(code)
            prefix = edition_folder(code).relative_to(ROOT).as_posix() + "/"
            readme = replace_block(readme, table(items, prefix, launch=True), *readme_markers(code))
            out.update(chapter_files(items))
    out[README] = readme
    return out


def chapter_files(items: list[Chapter]) -> dict[Path, str]:
    out: dict[Path, str] = {}
    for index, ch in enumerate(items):
        nb = nbformat.read(ch.path, as_version=4)
        if ch.name == START:
            nb.cells = with_map(nb.cells, items[1:])
        nav = navigation(items, index)
        if nb.cells[-1].cell_type == "markdown" and nb.cells[-1].source.startswith(NAV_MARK):
            nb.cells[-1].source = nav
        else:
            nb.cells.append(nbformat.v4.new_markdown_cell(nav))
        # Cell ids must stay stable, or every regeneration would rewrite every notebook.
        for i, cell in enumerate(nb.cells):
            cell.setdefault("id", f"cell-{i}")
        out[ch.path] = nbformat.writes(nb) + "\n"
    return out


def stale() -> list[str]:
    """Files whose generated parts do not match the notebooks (relative paths)."""
    return regenerate.stale(expected_files())


def main(argv: list[str]) -> int:
    return regenerate.apply(expected_files(), "--check" in argv, "python tools/contents.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
