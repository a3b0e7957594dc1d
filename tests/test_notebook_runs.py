"""Chapters are independent and repeatable: run again, in reverse order, each in a fresh kernel in a
clean copy of the repository, they give the stored outputs and write no file."""

from __future__ import annotations

import configparser
import re

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
