"""Copies of the chapters without the worked solutions, for lecturers who hand out exercises.

    python tools/handouts.py build/handouts

The exercises, their self-checks and everything else stay; only the folded solution cells go.
`without_solutions` is the one way solutions are removed: `make assignment` (tools/assignment.py)
builds its graded notebooks on it too.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from nbconvert.exporters import NotebookExporter
from traitlets.config import Config

from tools.project import NOTEBOOKS, SOLUTIONS, every_chapter


def without_solutions(path: Path) -> str:
    """The notebook at `path` without its folded solutions, as notebook JSON text."""
    config = Config()
    # nbconvert removes every cell whose source matches from its start; only the folded solutions
    # (markdown cells) hold the marker, which tests/test_slides.py checks.
    config.RegexRemovePreprocessor.update(enabled=True, patterns=[
        "(?s:.*)(" + "|".join(map(re.escape, SOLUTIONS.values())) + ")"])
    body, _ = NotebookExporter(config=config).from_filename(str(path))
    return body


def write_handouts(target: Path) -> list[Path]:
    """One solution-free copy of every chapter in `target` (an edition's in its folder, target/de/);
    returns the files written."""
    written = []
    for path in every_chapter():
        written.append(target / path.relative_to(NOTEBOOKS))
        written[-1].parent.mkdir(parents=True, exist_ok=True)
        written[-1].write_text(without_solutions(path), encoding="utf-8")
    return written


if __name__ == "__main__":
    for written in write_handouts(Path(sys.argv[1] if len(sys.argv) > 1 else "build/handouts")):
        print(f"wrote {written}")
