"""Graded exercises: the chapters' exercises as nbgrader assignments, one per chapter.

    python tools/assignment.py [01 02 ...] [--course build/grading] [--points 1]

Writes an nbgrader course folder (default build/grading, every chapter with exercises):
  source/<chapter>/<chapter>.ipynb   the chapter without its folded solutions (tools/handouts.py's
                                     way), each exercise cell as learners know it, and after it a
                                     locked test cell whose hidden tests pass only on a right `answer`
  nbgrader_config.py                 what nbgrader needs to grade these chapters
  release/<chapter>/<chapter>.ipynb  the student version, made by nbgrader's generate_assignment
`tools/grade.py` (make grade) grades submitted copies against it.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from tools.handouts import without_solutions
from tools.project import ROOT, chapter_paths

COURSE = ROOT / "build" / "grading"
# An exercise cell ends in the self-check, e.g. helpers.check("01-derivative", answer).
CHECK = re.compile(r"""helpers\.check\(\s*["']([^"']+)["']""")
CONFIG = '''\
# Written by tools/assignment.py (make assignment) and rewritten on every run.
c = get_config()  # noqa: F821 (nbgrader defines it)
# A chapter imports TensorFlow and PyTorch: on a slow shared machine its kernel needs far longer than
# nbgrader's 30 s defaults to start and to run a cell.
c.Execute.timeout = 600
c.Execute.startup_timeout = 300
'''
# `answer` is popped so that an exercise whose cell raised before setting it is graded as unanswered,
# not on the previous exercise's answer.
TEST = '''\
# Exercise {number}: your `answer` above is worth {points:g} point{plural}. The test is hidden: it runs when
# your lecturer grades this notebook. (The self-check above already tells you whether you are right.)
### BEGIN HIDDEN TESTS
import helpers.checks
_verdict = helpers.checks.evaluate("{exercise}", globals().pop("answer", ...))
assert _verdict.correct, _verdict.message
### END HIDDEN TESTS'''


def require_nbgrader() -> None:
    if importlib.util.find_spec("nbgrader") is None:
        raise SystemExit(
            "nbgrader is not installed: `make assignment` and `make grade` install it "
            "(or: pip install -r requirements-grading.txt)."
        )


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course folder, where it reads nbgrader_config.py."""
    require_nbgrader()
    # nbgrader runs the `alembic` command to set up its gradebook: the environment's bin/ comes first
    # on PATH, as if it were activated (make calls .venv/bin/python directly).
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course, capture_output=True, text=True, env=dict(os.environ, PATH=path),
    )


def exercises(nb) -> list[str]:
    """The ids of a notebook's exercises, in order."""
    return [m.group(1) for c in nb.cells if c.cell_type == "code" and (m := CHECK.search(c.source))]


def test_cell(exercise: str, number: int, points: float):
    """An nbgrader autograder test cell: `points` if the answer to `exercise` is right, else none."""
    source = TEST.format(number=number, points=points, plural="" if points == 1 else "s", exercise=exercise)
    cell = nbformat.v4.new_code_cell(source)
    cell.id = f"grade-{exercise}"
    cell.metadata["nbgrader"] = {
        "grade": True, "grade_id": exercise, "locked": True, "points": points,
        "schema_version": 3, "solution": False, "task": False,
    }
    return cell


def graded_source(chapter: Path, points: float = 1):
    """The chapter without its solutions, with a hidden test after each exercise cell."""
    nb = nbformat.reads(without_solutions(chapter), as_version=4)
    cells, number = [], 0
    for cell in nb.cells:
        cells.append(cell)
        found = CHECK.search(cell.source) if cell.cell_type == "code" else None
        if found:
            number += 1
            cells.append(test_cell(found.group(1), number, points))
    nb.cells = cells
    return nb


def chosen_chapters(numbers: list[str]) -> list[Path]:
    """The chapters numbered `numbers` (all with exercises when empty); refuses one without exercises."""
    with_exercises = [p for p in chapter_paths() if exercises(nbformat.read(p, as_version=4))]
    if not numbers:
        return with_exercises
    by_number = {p.name[:2]: p for p in with_exercises}
    unknown = [n for n in numbers if n.zfill(2) not in by_number]
    if unknown:
        raise SystemExit(f"No chapter with exercises numbered {', '.join(unknown)}; "
                         f"these have exercises: {' '.join(sorted(by_number))}.")
    return [by_number[n.zfill(2)] for n in numbers]


def build(chapters: list[Path], course: Path = COURSE, points: float = 1) -> list[Path]:
    """Write the source versions and the config, then let nbgrader make the student versions."""
    require_nbgrader()
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    released = []
    for chapter in chapters:
        folder = course / "source" / chapter.stem
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(graded_source(chapter, points), folder / chapter.name)
        done = nbgrader(course, "generate_assignment", chapter.stem, "--force")
        if done.returncode != 0:
            said = done.stdout + done.stderr
            raise SystemExit(f"nbgrader generate_assignment {chapter.stem} failed:\n{said}")
        released.append(course / "release" / chapter.stem / chapter.name)
    return released


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="e.g. 01 02 (default: all with exercises)")
    parser.add_argument("--course", type=Path, default=COURSE, help="the nbgrader course folder")
    parser.add_argument("--points", type=float, default=1, help="points per exercise")
    args = parser.parse_args(argv)
    for path in build(chosen_chapters(args.chapters), args.course.resolve(), args.points):
        print(f"student version: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")


if __name__ == "__main__":
    main()
