"""Chapters are repeatable: every cell, run twice in a row as learners do, prints the same the second
time, and Restart & Run All twice writes the same bytes.

Not here, and why: nbval (pyproject.toml addopts) runs every chapter in a fresh kernel in notebooks/
and compares its outputs with the stored ones; the working-tree guard of tests/conftest.py fails the
session if anything, a chapter included, writes a file in notebooks/ (git-ignored ones too) or changes
what `git status` shows. A fresh kernel per chapter and no file written leave earlier chapters no way
to change a later one's outputs, so the order xdist happens to run them in does not matter; no test
runs them in reverse any more. Unchecked: files a chapter might write outside the repository, or in
git-ignored folders outside notebooks/ (build/, say).
"""

from __future__ import annotations

import difflib
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbval.plugin import get_sanitize_patterns

from tools.project import NOTEBOOKS, ROOT, chapter_names
from tools.run_notebooks import run

pytestmark = pytest.mark.slow  # runs chapters in kernels: `-m 'not slow'` skips it

CHAPTERS = chapter_names()
# What may differ between runs (versions, memory addresses), read as nbval reads it.
SANITIZE = get_sanitize_patterns((ROOT / "tests" / "sanitize.cfg").read_text(encoding="utf-8"))


def test_the_suite_fails_when_a_chapter_writes_a_file(pytestconfig, tmp_path):
    # The guard of tests/conftest.py, pointed at a folder of our own: it sees created files (those
    # git ignores too) and changed ones.
    guard = pytestconfig.pluginmanager.get_plugin("working_tree_guard")
    assert guard is not None, "tests/conftest.py no longer registers the working-tree guard"
    assert guard.active or hasattr(pytestconfig, "workerinput"), "only xdist workers leave it inactive"
    stored = tmp_path / "chapter.ipynb"
    stored.write_text("{}")
    probe = type(guard)(active=True, chapters=tmp_path)
    probe.pytest_sessionstart(None)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "cache.pyc").write_bytes(b"")
    stored.write_text("{ }")
    changed = probe.changes()
    assert f"created: {tmp_path / '__pycache__' / 'cache.pyc'}" in changed
    assert f"changed: {stored}" in changed


# Explorers, static figures and self-checks (01); PyTorch objects printed (07).
@pytest.mark.parametrize("name", ["01_gradient_tape.ipynb", "07_pytorch_autograd.ipynb"])
def test_running_a_chapter_twice_writes_the_same_bytes(tmp_path, name):
    """Restart & Run All twice, as `make notebooks` does, gives byte-identical files: no widget id or
    other per-run value changes, so a `git pull` or an nbgitpuller merge over a learner's edited
    notebook meets conflicts only where the chapter itself changed."""
    stored = (NOTEBOOKS / name).read_bytes()  # read once: both runs start from the same file
    copies = []
    for run_number in (1, 2):
        copy = tmp_path / str(run_number) / name
        copy.parent.mkdir()
        copy.write_bytes(stored)
        run(copy)
        copies.append(copy.read_bytes())
    assert b"IPY_MODEL_" in copies[0], "the chapter stored no widget state to check"
    assert copies[0] == copies[1]


# A cell whose point is that state changes (it may print differently when run again) carries this tag
# and prints a sentence with the word "again", such as "run the cell above again first".
CHANGES_STATE = "changes-state"


def printed(cell) -> list[str]:
    """What a learner reads under a code cell, sanitized: printed text, plain values and errors."""
    shown = []
    for out in cell.outputs:  # streams come coalesced (the client's coalesce_streams)
        if out.output_type == "stream":
            text = f"[{out.name}] {out.text}"
        elif out.output_type == "error":
            text = f"[error] {out.ename}: {out.evalue}"
        elif "text/plain" in out.get("data", {}):
            text = f"[text/plain] {out.data['text/plain']}"
        else:
            continue
        for regex, replacement in SANITIZE:
            text = re.sub(regex, replacement, text)
        shown.append(text)
    return shown


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_cell_can_be_run_twice(name):
    """Learners run a cell again: each code cell, run twice in a row in one kernel, prints the same the
    second time and raises no error. A cell tagged "changes-state" may differ, if it tells the learner
    what to run again first."""
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True, coalesce_streams=True,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
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
                if not all("again" in "".join(shown).lower() for shown in (first, second)):
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
