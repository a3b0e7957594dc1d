"""Graded exercises: `make assignment` turns chapters into nbgrader assignments whose student version
runs and self-checks as the chapter does, and `make grade` scores submissions as a lecturer would."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import assignment
from tools.handouts import without_solutions
from tools.project import NOTEBOOKS, ROOT, SOLUTION, is_solution

CHAPTERS = ["01_gradient_tape", "02_multiple_sources"]  # two fast chapters, two exercises each
HIDDEN = "### BEGIN HIDDEN TESTS"


def solutions(chapter: str) -> dict[str, str]:
    """{exercise: the first code block of its folded solution}, which sets `answer` and checks it."""
    found = {}
    for cell in nbformat.read(NOTEBOOKS / f"{chapter}.ipynb", as_version=4).cells:
        if is_solution(cell):
            code = re.findall(r"```python\n(.*?)```", cell.source, re.S)[0]
            found[assignment.CHECK.search(code).group(1)] = code
    return found


def exercise_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and assignment.CHECK.search(c.source)]


def graded_cells(nb) -> list:
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def answer_of(code: str):
    """What a folded solution puts in `answer`, run as the chapter would (helpers' check prints)."""
    import numpy as np
    import tensorflow as tf
    import torch

    import helpers

    namespace = {"tf": tf, "torch": torch, "np": np, "helpers": helpers}
    exec(code, namespace)
    return namespace["answer"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_source_is_the_handout_with_a_hidden_test_after_each_exercise(chapter, capsys):
    path = NOTEBOOKS / f"{chapter}.ipynb"
    source = assignment.graded_source(path, points=2)
    handout = nbformat.reads(without_solutions(path), as_version=4).cells
    tests = graded_cells(source)
    # The one way of removing solutions: every other cell is the handout's, in its order.
    assert [c for c in source.cells if c not in tests] == handout
    exercises = exercise_cells(source)
    assert [c.metadata["nbgrader"]["grade_id"] for c in tests] == assignment.exercises(source)
    for exercise, test in zip(exercises, tests, strict=True):
        assert source.cells.index(test) == source.cells.index(exercise) + 1
        assert test.metadata["nbgrader"]["points"] == 2 and HIDDEN in test.source
    # The hidden test passes on the folded solution's answer only, and leaves no `answer` behind.
    for test, (exercise, code) in zip(tests, solutions(chapter).items(), strict=True):
        assert test.metadata["nbgrader"]["grade_id"] == exercise
        right = {"answer": answer_of(code)}
        exec(test.source, right)
        assert "answer" not in right
        for namespace in ({"answer": ...}, {"answer": -1.0}, {}):
            with pytest.raises(AssertionError, match="Not"):
                exec(test.source, namespace)
    capsys.readouterr()


def test_a_student_folder_may_hold_its_notebooks_anywhere_but_once(tmp_path):
    from tools.grade import find_notebooks

    for where in ("alice/my-notebooks", "alice/.ipynb_checkpoints", "bob", "bob/old"):
        (tmp_path / where).mkdir(parents=True)
        (tmp_path / where / "01_gradient_tape.ipynb").write_text("{}")
    (tmp_path / "carol").mkdir()
    with pytest.raises(SystemExit, match="bob has 2 copies of 01_gradient_tape.ipynb"):
        find_notebooks(tmp_path, ["01_gradient_tape"])
    (tmp_path / "bob" / "old" / "01_gradient_tape.ipynb").unlink()
    found = find_notebooks(tmp_path, ["01_gradient_tape", "02_multiple_sources"])
    assert found == {
        "alice": {"01_gradient_tape": tmp_path / "alice/my-notebooks/01_gradient_tape.ipynb"},
        "bob": {"01_gradient_tape": tmp_path / "bob/01_gradient_tape.ipynb"},
        "carol": {},
    }


def with_exercises(release: Path, target: Path, answers: list[str | None]) -> None:
    """The student version with its exercise cells' code replaced (None: left as released)."""
    nb = nbformat.read(release, as_version=4)
    for cell, code in zip(exercise_cells(nb), answers, strict=True):
        if code is not None:
            cell.source = code
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Chapters 01 and 02 as assignments, four students' submissions graded by the command; yields
    (course folder, {student: {column: score}}, the printed output)."""
    tmp = tmp_path_factory.mktemp("grading")
    course = tmp / "course"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))

    def run(script: str, *args: str) -> str:
        done = subprocess.run([sys.executable, str(ROOT / "tools" / script), *args, "--course", str(course)],
                              capture_output=True, text=True, env=env, timeout=1800)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run("assignment.py", *[name[:2] for name in CHAPTERS])
    release = {name: course / "release" / name / f"{name}.ipynb" for name in CHAPTERS}
    subs = tmp / "submissions"
    first, second = CHAPTERS
    for name in CHAPTERS:  # right: each exercise cell holds its folded solution's code
        with_exercises(release[name], subs / "right" / "my-notebooks" / f"{name}.ipynb",
                       list(solutions(name).values()))
    wrong = [re.sub(r"answer = \.\.\.", "answer = -1.0", c.source, count=1)
             for c in exercise_cells(nbformat.read(release[first], as_version=4))]
    with_exercises(release[first], subs / "wrong" / f"{first}.ipynb", wrong)  # and no chapter 02
    with_exercises(release[first], subs / "empty" / f"{first}.ipynb", [None, None])
    right_first, right_second = solutions(first).values()
    with_exercises(release[first], subs / "raising" / f"{first}.ipynb",
                   ['raise RuntimeError("a slip before the answer")\n' + right_first, right_second])
    printed = run("grade.py", str(subs), "--csv", str(tmp / "scores.csv"))
    with (tmp / "scores.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    yield course, {row.pop("student"): row for row in rows}, printed


@pytest.mark.slow
def test_the_table_scores_right_wrong_empty_and_raising_as_a_lecturer_would(graded):
    _, table, printed = graded
    points = {student: {k: float(v) if v else None for k, v in row.items()} for student, row in table.items()}
    best = points.pop("(max)")
    assert set(points) == {"right", "wrong", "empty", "raising"}
    first, second = ([e for e in best if e.startswith(name[:2])] for name in CHAPTERS)
    assert len(first) == len(second) == 2 and best["total"] == sum(best[e] for e in first + second)
    assert points["right"] == best, "the folded solutions earn every point"
    for student in ("wrong", "empty"):
        assert [points[student][e] for e in first] == [0, 0] and points[student]["total"] == 0
    assert points["wrong"][second[0]] is None, "a chapter not handed in is left empty in the CSV"
    raising = points["raising"]
    assert raising[first[0]] == 0 and raising[first[1]] == best[first[1]] == raising["total"]
    # The printed table: a line per student, its total last.
    for student, row in table.items():
        assert re.search(rf"^{re.escape(student)}\s.*\s{re.escape(row['total'])}$", printed, re.M), printed


@pytest.mark.slow
def test_the_student_version_hides_solutions_and_tests_and_self_checks_as_the_chapter(graded):
    from nbclient import NotebookClient

    course = graded[0]
    for name in CHAPTERS:
        student = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
        chapter = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        assert not any(SOLUTION in c.source or "BEGIN HIDDEN" in c.source or "evaluate" in c.source
                       for c in student.cells)
        assert [c.source for c in exercise_cells(student)] == [c.source for c in exercise_cells(chapter)]
        assert all(c.metadata["editable"] is False for c in graded_cells(student)), "test cells are locked"
        if name != CHAPTERS[0]:
            continue  # one chapter run top to bottom is enough: the second is built the same way
        NotebookClient(student, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(course)}}).execute()
        outputs = [o for c in student.cells if c.cell_type == "code" for o in c.outputs]
        assert not [o for o in outputs if o.output_type == "error"]
        for cell in exercise_cells(student):
            shown = "".join(o.get("text", "") for o in cell.outputs)
            assert "Not answered yet" in shown, shown


def test_where_nbgrader_is_installed_its_jupyterlab_parts_are_off(tmp_path):
    import json

    from tools.install_jupyter_config import install

    learner, lecturer = tmp_path / "learner", tmp_path / "lecturer"
    install(learner, grading=False)
    install(lecturer, grading=True)
    assert not (learner / "etc/jupyter/labconfig").exists()
    page = json.loads((lecturer / "etc/jupyter/labconfig/page_config.json").read_text())
    assert page["disabledExtensions"]["@jupyter/nbgrader"] is True
    server = json.loads((lecturer / "etc/jupyter/jupyter_server_config.json").read_text())["ServerApp"]
    assert "kernel_manager_class" in server, "the learners' settings stay"
    assert not any(server["jpserver_extensions"].values())
    assert any(name.startswith("nbgrader.") for name in server["jpserver_extensions"])


def test_a_chapter_column_sums_its_exercises_and_keeps_their_marks():
    from tools.grade import NOT_HANDED_IN, UNGRADED, table_rows

    columns = {"01_one": [("01-a", 1), ("01-b", 2)], "02_two": [("02-a", 1)]}
    table = {"ann": {"01-a": 1, "01-b": 0, "02-a": NOT_HANDED_IN},
             "ben": {"01-a": UNGRADED, "01-b": UNGRADED, "02-a": 1}}
    by_exercise, by_chapter = table_rows(columns, table), table_rows(columns, table, by_chapter=True)
    assert by_chapter[0] == ["student", "01", "02", "total"]
    for exercises, chapters in zip(by_exercise[1:], by_chapter[1:], strict=True):
        assert exercises[-1] == chapters[-1], "the same total either way"
    assert by_chapter[1][1:3] == [sum(by_exercise[1][1:3]), by_exercise[1][3]]
    assert by_chapter[2][1:3] == [1, NOT_HANDED_IN] and by_chapter[3][1:3] == [UNGRADED, 1]
