"""Copies of the chapters without the worked solutions, for lecturers who hand out exercises.

    python tools/handouts.py build/handouts

The exercises, their self-checks and everything else stay; only the folded solution cells go.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTION = "<summary><b>Solution</b>"


def is_solution(cell) -> bool:
    return cell.cell_type == "markdown" and SOLUTION in cell.source


def write_handouts(target: Path) -> list[Path]:
    """One solution-free copy of every chapter in `target`; returns the files written."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nb.cells = [cell for cell in nb.cells if not is_solution(cell)]
        nbformat.write(nb, target / path.name)
        written.append(target / path.name)
    return written


if __name__ == "__main__":
    for written in write_handouts(Path(sys.argv[1] if len(sys.argv) > 1 else "build/handouts")):
        print(f"wrote {written}")
