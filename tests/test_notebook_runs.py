"""Chapters are independent and repeatable: run again, in reverse order, each in a fresh kernel in a
clean copy of the repository, they give the stored outputs and write no file; and every cell, run
twice in a row as learners do, prints the same the second time."""

from __future__ import annotations

import configparser
import difflib
import re
import shutil
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from tests.repo_copy import ROOT, copy_tracked, snapshot

CHAPTERS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# What nbval compares: text outputs, sanitized by the same rules (tests/sanitize.cfg).
COMPARED = ("text/plain", "text/html", "text/markdown", "text/latex", "image/svg+xml")


def _sanitizers() -> list[tuple[re.Pattern, str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "sanitize.cfg")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def visible_outputs(nb) -> list[list[tuple[str, str]]]:
    """Per code cell, the compared outputs as (kind, sanitized text)."""
    rules = _sanitizers()

    def clean(text: str) -> str:
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        return text

    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        shown: list[tuple[str, str]] = []
        for out in cell.outputs:
            if out.output_type == "stream":
                # A stream may arrive in several pieces; only the joined text is what a learner sees.
                if shown and shown[-1][0] == out.name:
                    shown[-1] = (out.name, shown[-1][1] + out.text)
                else:
                    shown.append((out.name, out.text))
            elif out.output_type == "error":
                shown.append(("error", out.ename))
            else:
                shown += [(k, str(v)) for k, v in out.get("data", {}).items() if k in COMPARED]
        cells.append([(kind, clean(text)) for kind, text in shown])
    return cells


@pytest.fixture(scope="module")
def rerun(tmp_path_factory):
    """Every chapter executed again, last chapter first, in a clean copy; plus the files before/after."""
    repo = copy_tracked(tmp_path_factory.mktemp("repo"))
    before = snapshot(repo)
    results = {}
    for name in reversed(CHAPTERS):
        nb = nbformat.read(repo / "notebooks" / name, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(repo / "notebooks")}}).execute()
        results[name] = nb
    return results, before, snapshot(repo)


@pytest.mark.parametrize("name", CHAPTERS)
def test_a_second_run_in_any_order_gives_the_stored_outputs(rerun, name):
    results, _, _ = rerun
    stored = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    assert visible_outputs(results[name]) == visible_outputs(stored)


def test_chapters_write_no_files(rerun):
    _, before, after = rerun
    created = sorted(set(after) - set(before))
    changed = sorted(p for p in before if after.get(p) != before[p])
    assert not created and not changed, f"created {created}, changed {changed}"


def test_the_working_tree_is_checked_after_the_suite(pytestconfig):
    # tests/conftest.py compares `git status` before and after the whole session (notebooks
    # included) and fails the run on any change; make sure that guard is active.
    assert pytestconfig.pluginmanager.has_plugin("working_tree_guard")


# Explorers, static figures and self-checks (01); PyTorch objects printed (07).
@pytest.mark.parametrize("name", ["01_gradient_tape.ipynb", "07_pytorch_autograd.ipynb"])
def test_running_a_chapter_twice_writes_the_same_bytes(tmp_path, name):
    """Restart & Run All twice, as `make notebooks` does, gives byte-identical files: no widget id or
    other per-run value changes, so a `git pull` or an nbgitpuller merge over a learner's edited
    notebook meets conflicts only where the chapter itself changed."""
    sys.path.insert(0, str(ROOT / "tools"))
    from run_notebooks import run

    copies = []
    for run_number in (1, 2):
        copy = tmp_path / str(run_number) / name
        copy.parent.mkdir()
        shutil.copy(ROOT / "notebooks" / name, copy)
        run(copy)
        copies.append(copy.read_bytes())
    assert b"IPY_MODEL_" in copies[0], "the chapter stored no widget state to check"
    assert copies[0] == copies[1]


# A cell whose point is that state changes (it may print differently when run again) carries this tag
# and prints a sentence with the word "again", such as "run the cell above again first".
CHANGES_STATE = "changes-state"
PRINTED = ("text/plain", "stdout", "stderr")


def printed(cell) -> list[str]:
    """What a learner reads under a code cell: its text outputs (sanitized) and any error with its message."""
    rules = _sanitizers()
    shown = [f"[{kind}] {text}" for kind, text in visible_outputs(nbformat.v4.new_notebook(cells=[cell]))[0]
             if kind in PRINTED]
    for out in cell.outputs:
        if out.output_type == "error":
            message = f"[error] {out.ename}: {out.evalue}"
            for pattern, replacement in rules:
                message = pattern.sub(replacement, message)
            shown.append(message)
    return shown


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_cell_can_be_run_twice(name):
    """Learners run a cell again: each code cell, run twice in a row in one kernel, prints the same the
    second time and raises no error. A cell tagged "changes-state" may differ, if it tells the learner
    what to run again first."""
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    problems, tagged = [], []
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)
            first = printed(cell)
            again = nbformat.from_dict(cell)  # a copy: the second run's outputs replace nothing
            client.execute_cell(again, index)
            second = printed(again)
            tags = cell.metadata.get("tags", [])
            where = f"{name} cell {index} ({(cell.source.splitlines() or [''])[0]!r})"
            if CHANGES_STATE in tags:
                tagged.append(index)
                if not all("again" in "".join(run).lower() for run in (first, second)):
                    problems.append(f"{where} is tagged {CHANGES_STATE!r} but does not print a sentence "
                                    "with 'again' that says what to run first")
            elif "raises-exception" not in tags and any(line.startswith("[error]") for line in first):
                problems.append(f"{where} fails on its first run: {first}")
            elif first != second:
                diff = difflib.unified_diff("".join(first).splitlines(), "".join(second).splitlines(),
                                            "first run", "second run", lineterm="", n=1)
                problems.append(f"{where} prints differently when run again:\n" + "\n".join(diff))
    assert len(tagged) <= 2, f"{name}: too many cells tagged {CHANGES_STATE!r} ({tagged}); make them safe"
    assert not problems, "\n\n".join(problems)
