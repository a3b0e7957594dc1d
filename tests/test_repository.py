"""The repository keeps its promises: generated tables are fresh, the two package lists agree,
every notebook follows the chapter anatomy, every folded solution solves its exercise, lint is clean."""

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from packaging.specifiers import SpecifierSet

from tests import package_lists
from tools import contents
from tools.project import ROOT, chapter_paths, is_solution

CHAPTERS = chapter_paths()
LESSONS = [p for p in CHAPTERS if not p.name.startswith("00_")]


def test_generated_contents_are_fresh():
    assert contents.stale() == [], "run `make contents` (python tools/contents.py)"


def test_every_chapter_is_in_the_readme_and_the_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = (ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8")
    for path in LESSONS:
        assert f"notebooks/{path.name}" in readme
        assert f"]({path.name})" in start


def test_requirements_and_environment_agree():
    # The same packages; environment.yml pins requirements.txt's version, or (for packages Binder's
    # base environment already has, see test_binder.py) takes a range that contains it.
    pins = package_lists.requirements()
    listed = {name: spec for _, name, spec in package_lists.environment()}
    assert set(listed) == set(pins)
    for name, spec in listed.items():
        assert pins[name] in SpecifierSet(spec), f"environment.yml {name}{spec}, requirements {pins[name]}"
        assert spec.startswith(("==", ">=")), f"environment.yml: {name} needs a version or a range"


def test_dev_requirements_are_the_learner_list_plus_test_tools():
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements-dev.txt").read_text().splitlines()]
    includes = [f"-r {name}" for name in ["requirements.txt", *package_lists.DEV_INCLUDES]]
    assert [line for line in lines if line][:3] == includes
    for name in package_lists.DEV_INCLUDES:
        tools = set(package_lists.requirements(name))
        assert not tools & set(package_lists.requirements()), f"{name} stays out of learners' installs"
    assert package_lists.dev_tools() >= set(package_lists.requirements("requirements-dev.txt"))


@pytest.mark.parametrize(
    "filename",
    ["requirements.txt", "requirements-dev.txt", "requirements-grading.txt", "deploy/hub/requirements.txt",
     "environment.yml"],
)
def test_every_package_says_which_chapter_or_purpose_needs_it(filename):
    # A package line: a requirement (not a comment or an -r include), or a YAML item but python and pip.
    package = re.compile(r"^[A-Za-z]" if filename.endswith(".txt") else r"^\s*- (?!(python=|pip\b))[A-Za-z]")
    purpose = re.compile(r"#\s*(\d\d(-\d\d)?|all|lecturers|hubs|tools|tests):")
    text = (ROOT / filename).read_text()
    text = text.partition("dependencies:")[2] or text  # environment.yml: its packages, not its channels
    lines = [line for line in text.splitlines() if package.match(line)]
    assert lines
    for line in lines:
        assert purpose.search(line), f"{filename}: {line.strip()!r} does not name its chapter or purpose"


def test_environment_is_cpu_only_with_graphviz():
    listed = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    deps = [d for d in listed if isinstance(d, str)]
    assert "python=3.11" in deps and "graphviz" in deps
    assert not any(d.startswith(("pytorch=", "pytorch-gpu", "cuda")) for d in deps)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make lab" in readme
    assert re.search(r"^make test$", ci, re.M)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_chapter_anatomy(path):
    cells = nbformat.read(path, as_version=4).cells
    title = cells[0].source
    assert cells[0].cell_type == "markdown" and re.match(rf"# {path.name[:2]} · \S", title)
    assert "mybinder.org/badge_logo.svg" in title and path.name in title
    headings = [c.source.splitlines()[0] for c in cells if c.cell_type == "markdown" and c.source]
    for required in ("## Setup", "## Your turn", "## Summary"):
        assert required in headings, f"{path.name} has no {required!r} section"
    assert any("The same in PyTorch" in h for h in headings)
    setup = next(c for c in cells if c.cell_type == "code")
    assert 'helpers.setup(language="en"' in setup.source  # where a learner switches the language
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "helpers.check(" in code and "_explorer(" in code
    assert not any("sys.path" in c.source for c in cells)


def _solutions(path: Path) -> list[str]:
    blocks = []
    for cell in nbformat.read(path, as_version=4).cells:
        if is_solution(cell):
            blocks.append(re.findall(r"```python\n(.*?)```", cell.source, re.S))
    return [code for group in blocks for code in group]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_folded_solution_solves_its_exercise(path):
    import numpy as np
    import tensorflow as tf
    import torch

    import helpers

    solutions = _solutions(path)
    assert solutions, f"{path.name} has no folded solution"
    for code in solutions:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(code, {"tf": tf, "torch": torch, "np": np, "helpers": helpers})
        printed = out.getvalue()
        assert "✔ Correct!" in printed and "Not yet" not in printed, f"{code}\n{printed}"


def test_lint_is_clean():
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "helpers", "tools", "tests", "notebooks"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
