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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import contents  # noqa: E402

CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LESSONS = [p for p in CHAPTERS if not p.name.startswith("00_")]

# conda-forge name -> PyPI name, where they differ
CONDA_TO_PIP = {"pytorch-cpu": "torch", "python-graphviz": "graphviz"}
CONDA_ONLY = {"python", "pip", "graphviz-dot"}


def test_generated_contents_are_fresh():
    assert contents.stale() == [], "run `make contents` (python tools/contents.py)"


def test_every_chapter_is_in_the_readme_and_the_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = (ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8")
    for path in LESSONS:
        assert f"notebooks/{path.name}" in readme
        assert f"]({path.name})" in start


def _requirements() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        spec = line.split("#")[0].split(";")[0].strip()
        if spec:
            name, _, version = spec.partition("==")
            assert version, f"requirements.txt: {line!r} is not pinned with =="
            # tensorflow-cpu on Linux and tensorflow elsewhere are one package in two builds
            pins[name.strip().lower().replace("_", "-").removesuffix("-cpu")] = version.strip()
    return pins


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            for spec in dep["pip"]:
                name, _, version = spec.partition("==")
                pins[name.strip().lower().removesuffix("-cpu")] = version.strip()
            continue
        name, _, version = dep.partition("=")
        name = name.strip().lower().replace("_", "-")
        if name not in CONDA_ONLY and name != "graphviz":
            pins[CONDA_TO_PIP.get(name, name)] = version.lstrip("=").strip()
    return pins


def test_requirements_and_environment_agree():
    assert _requirements() == _environment()


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
    assert "helpers.setup()" in setup.source
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "helpers.check(" in code and "_explorer(" in code
    assert not any("sys.path" in c.source for c in cells)


def _solutions(path: Path) -> list[str]:
    blocks = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and "<summary><b>Solution" in cell.source:
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
