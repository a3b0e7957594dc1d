"""Adding a chapter takes a notebook, a helpers module and its entries, nothing else: in a copy of the
repository, a throwaway chapter 09 with a registered explorer (tests/throwaway_chapter/throwaway.py) is
found by the package, the notebook tests, the explorer tests, the browser tests and the benchmark."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from tests.repo_copy import copy_tracked
from tools.project import ROOT

pytestmark = pytest.mark.slow  # runs pytest in a copy of the repository: `-m 'not slow'` skips it

CHAPTER = "09_throwaway.ipynb"


def chapter_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 09 · A throwaway chapter\nThe suite finds a new chapter."),
        nbformat.v4.new_code_cell("import helpers\n\nhelpers.setup()"),
        nbformat.v4.new_code_cell("helpers.throwaway_explorer()"),
    ]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    return nb


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A copy of the repository with the throwaway chapter added, and no other edit."""
    repo = copy_tracked(tmp_path_factory.mktemp("repo"))
    shutil.copy(ROOT / "tests" / "throwaway_chapter" / "throwaway.py", repo / "helpers" / "throwaway.py")
    nbformat.write(chapter_notebook(), repo / "notebooks" / CHAPTER)
    return repo


def run(repo, *args: str) -> str:
    """A command in the copy, importing its helpers, tests and tools rather than this checkout's."""
    env = {**os.environ, "PYTHONPATH": str(repo), "CI": ""}
    done = subprocess.run([sys.executable, *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_the_package_and_the_benchmark_find_the_new_explorer(repo):
    out = run(repo, "-c", "import helpers; from tools.project import explorer_chapters as e; "
                          "print(helpers.throwaway_explorer.__module__, e()['throwaway_explorer'])")
    assert out.split() == ["helpers.throwaway", "09"]


def test_the_tests_collect_the_new_chapter_and_explorer(repo):
    files = ["tests/test_redraw.py", "tests/test_missing_pieces.py", f"notebooks/{CHAPTER}"]
    if shutil.which("chromium") or os.environ.get("CI"):
        files.append("tests/browser/test_jupyterlab.py")
    ids = run(repo, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *files)
    assert "test_every_explorer_shows_what_a_full_draw_shows[throwaway_explorer]" in ids
    assert f"test_without_pytorch_each_chapter_runs_its_tensorflow_cells[{CHAPTER}]" in ids
    assert f"notebooks/{CHAPTER}::Cell 1" in ids  # nbval re-executes it
    if "tests/browser/test_jupyterlab.py" in files:
        assert f"test_chapter_runs_in_jupyterlab_and_its_explorers_follow_their_controls[{CHAPTER}]" in ids


def test_the_new_explorer_passes_the_explorer_tests(repo):
    out = run(repo, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "-k", "throwaway",
              "tests/test_redraw.py")
    assert "1 passed" in out
