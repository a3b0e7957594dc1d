"""Grade a folder of submitted notebooks with nbgrader's autograde; print a table of scores, write a CSV.

    python tools/grade.py SUBMISSIONS [--course build/grading] [--csv build/grading/scores.csv]

SUBMISSIONS holds one folder per student, named by the student's id, with their chapter notebooks
anywhere inside it (as copied from their homes on a hub, say). Every chapter `make assignment` made
an assignment of is graded where a student has it; the table has a row per student, a column per
exercise (its points, or – for a chapter not handed in) and the total. Each run grades the folder
afresh: the course's submitted/, autograded/ and gradebook then hold these students only.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

import nbformat

from tools.assignment import COURSE, nbgrader, require_nbgrader

NOT_HANDED_IN = "–"
UNGRADED = "error"  # handed in, but nbgrader could not grade it (it says why above the table)
WIDTH = 120  # the widest table printed per exercise; a wider one is printed per chapter


def exercise_columns(course: Path) -> dict[str, list[tuple[str, float]]]:
    """{assignment: [(exercise, points), ...]} from the source notebooks, in the chapters' order."""
    columns = {}
    for folder in sorted(p for p in (course / "source").iterdir() if p.is_dir()):
        cells = nbformat.read(folder / f"{folder.name}.ipynb", as_version=4).cells
        graded = [c.metadata["nbgrader"] for c in cells if c.metadata.get("nbgrader", {}).get("grade")]
        columns[folder.name] = [(meta["grade_id"], meta["points"]) for meta in graded]
    return columns


def find_notebooks(submissions: Path, assignments: list[str]) -> dict[str, dict[str, Path]]:
    """{student: {assignment: their notebook}} for every student folder, checkpoints left out."""
    found: dict[str, dict[str, Path]] = {}
    for student in sorted(p for p in submissions.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found[student.name] = {}
        for assignment in assignments:
            copies = [p for p in student.rglob(f"{assignment}.ipynb") if ".ipynb_checkpoints" not in p.parts]
            if len(copies) > 1:
                listed = "".join(f"\n  {p}" for p in copies)
                said = f"{student.name} has {len(copies)} copies of {assignment}.ipynb"
                raise SystemExit(f"{said}; keep the one to grade:{listed}")
            if copies:
                found[student.name][assignment] = copies[0]
    return found


def start_afresh(course: Path) -> None:
    """Empty submitted/ and autograded/, and drop every submission from the gradebook."""
    from nbgrader.api import Gradebook

    for folder in ("submitted", "autograded"):
        shutil.rmtree(course / folder, ignore_errors=True)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for assignment in gradebook.assignments:
            for submission in list(assignment.submissions):
                gradebook.remove_submission(assignment.name, submission.student.id)


def scores(course: Path, handed_in: dict[str, dict[str, Path]], columns) -> dict[str, dict[str, float | str]]:
    """{student: {exercise: points, NOT_HANDED_IN or UNGRADED}}."""
    from nbgrader.api import Gradebook, MissingEntry

    table: dict[str, dict[str, float | str]] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student, notebooks in handed_in.items():
            table[student] = {}
            for assignment, exercises in columns.items():
                try:
                    graded = gradebook.find_submission_notebook(assignment, assignment, student)
                    got = {grade.name: grade.score for grade in graded.grades}
                except MissingEntry:
                    got = {}
                for exercise, _ in exercises:
                    score = got.get(exercise)
                    table[student][exercise] = (
                        NOT_HANDED_IN if assignment not in notebooks else UNGRADED if score is None else score
                    )
    return table


def grade(submissions: Path, course: Path = COURSE):
    """Autograde every handed-in chapter; returns {assignment: [(exercise, points)]} of the chapters someone
    handed in, and {student: {exercise: points, NOT_HANDED_IN or UNGRADED}}."""
    require_nbgrader()
    if not (course / "source").is_dir():
        raise SystemExit(f"No assignments in {course}: run `make assignment` first.")
    columns = exercise_columns(course)
    handed_in = find_notebooks(submissions, list(columns))
    columns = {a: listed for a, listed in columns.items() if any(a in nbs for nbs in handed_in.values())}
    start_afresh(course)
    for student, notebooks in handed_in.items():
        for assignment, path in notebooks.items():
            target = course / "submitted" / student / assignment / path.name
            target.parent.mkdir(parents=True)
            shutil.copyfile(path, target)
    for assignment in columns:
        done = nbgrader(course, "autograde", assignment, "--force")
        if done.returncode != 0:  # nbgrader went on with the other notebooks; their scores stand
            print(f"nbgrader autograde {assignment} reported errors:\n{done.stdout}{done.stderr}")
    return columns, scores(course, handed_in, columns)


def table_rows(columns, table, by_chapter: bool = False) -> list[list]:
    """A header, the maximum and a row per student: a column per exercise (or per chapter), and the total."""
    if by_chapter:
        groups = {assignment[:2]: listed for assignment, listed in columns.items()}
    else:
        groups = {name: [(name, points)] for listed in columns.values() for name, points in listed}
    rows = [["student", *groups, "total"], ["(max)", *[sum(p for _, p in g) for g in groups.values()]]]
    rows[1].append(sum(rows[1][1:]))
    for student, got in table.items():
        cells = [combined([got[name] for name, _ in group]) for group in groups.values()]
        rows.append([student, *cells, sum(c for c in cells if not isinstance(c, str))])
    return rows


def combined(values: list[float | str]) -> float | str:
    """One cell for a chapter's exercises: their sum, or why there is none (a chapter is handed in whole)."""
    if any(isinstance(v, str) for v in values):
        return NOT_HANDED_IN if NOT_HANDED_IN in values else UNGRADED
    return sum(values)


def shown(cell: str | float) -> str:
    return cell if isinstance(cell, str) else f"{cell:g}"


def render(rows: list[list]) -> str:
    """The table as aligned text: names on the left, points on the right."""
    text = [[shown(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in text) for i in range(len(text[0]))]
    return "\n".join(
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        for row in text
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="one folder per student, named by their id")
    parser.add_argument("--course", type=Path, default=COURSE, help="the nbgrader course folder")
    parser.add_argument("--csv", type=Path, help="where to write the table (default: <course>/scores.csv)")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        raise SystemExit(f"{args.submissions} is not a folder of student folders.")
    course = args.course.resolve()
    columns, table = grade(args.submissions.resolve(), course)
    out = args.csv or course / "scores.csv"
    by_exercise = table_rows(columns, table)
    with out.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([["" if c == NOT_HANDED_IN else shown(c) for c in r] for r in by_exercise])
    printed, per = render(by_exercise), "exercise"
    if max(map(len, printed.splitlines())) > WIDTH:  # too wide for a terminal: the CSV keeps the detail
        printed = render(table_rows(columns, table, by_chapter=True))
        per = "chapter (per exercise in the CSV)"
    print(printed)
    print(f"\nPoints per {per}; {NOT_HANDED_IN}: chapter not handed in; {UNGRADED}: nbgrader could not grade "
          f"it (see above). Written to {out}; the graded notebooks, with each test's message, are in "
          f"{course / 'autograded'}/<student>/.")


if __name__ == "__main__":
    main()
