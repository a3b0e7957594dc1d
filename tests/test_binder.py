"""Binder: every launch link opens an existing notebook, and repo2docker would build the learners'
environment: the chapters' packages on top of its own base environment, keeping the base's JupyterLab
and notebook server, and no test tool.

We cannot reach Binder from here; `repo2docker --no-build --debug` prints the build it would run,
which is the strongest offline check, and the installed repo2docker package holds the lock file of
the base environment that build starts from.
"""

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from tests import package_lists
from tests.repo_copy import copy_tracked
from tools.project import ROOT

BINDER_LINK = re.compile(r"https://mybinder\.org/v2/gh/[^)\s\"']+")


def _links() -> list[tuple[str, str]]:
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "notebooks").glob("*.ipynb"))]:
        found += [(path.name, link) for link in BINDER_LINK.findall(path.read_text(encoding="utf-8"))]
    return found


def test_every_chapter_has_a_launch_link():
    linked = {unquote(parse_qs(urlparse(link).query)["labpath"][0]) for _, link in _links()}
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"notebooks/{notebook.name}" in linked


@pytest.mark.parametrize(("where", "link"), _links())
def test_launch_links_open_an_existing_notebook_in_jupyterlab(where, link):
    query = parse_qs(urlparse(link).query)
    assert "labpath" in query, f"{where}: {link} does not open JupyterLab at a notebook"
    assert (ROOT / unquote(query["labpath"][0])).is_file(), f"{where}: {link} names a missing notebook"


@pytest.mark.slow
def test_repo2docker_builds_the_learner_environment_and_installs_helpers(tmp_path):
    copy_tracked(tmp_path)  # as Binder would clone it: no .venv, no caches
    repo2docker = Path(sys.executable).with_name("repo2docker")
    done = subprocess.run(
        [str(repo2docker), "--no-build", "--debug", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    plan = done.stdout + done.stderr
    assert done.returncode == 0, plan
    assert "Building conda environment for python=3.11" in plan
    assert re.search(r"env update .*--file \"environment\.yml\"", plan)
    assert "RUN ./postBuild" in plan
    # What gets installed: environment.yml and postBuild; repo2docker picks up no requirements file.
    assert "requirements" not in plan, plan
    post_build = (ROOT / "postBuild").read_text().splitlines()
    installs = [line.strip() for line in post_build if "pip install" in line]
    assert installs == ["python -m pip install --no-deps ."], "postBuild installs more than helpers"


def test_no_test_tool_lands_in_the_binder_image():
    tools = package_lists.dev_tools()
    assert "pytest" in tools
    listed = {name for _, name, _ in package_lists.environment()}
    assert not listed & tools, f"environment.yml installs test tools: {listed & tools}"


def test_binder_keeps_the_jupyterlab_and_notebook_of_its_base_environment():
    base = package_lists.binder_base()
    assert "jupyterlab" in base and "notebook" in base
    for conda, _, spec in package_lists.environment():
        if conda in base:
            assert base[conda] in SpecifierSet(spec), f"Binder would replace {conda} {base[conda]}: {spec}"
        elif conda:
            assert spec.startswith("=="), f"{conda} is not in Binder's base: pin it as requirements.txt does"
    # The pip section must not make pip replace a base package either (as far as the installed
    # packages' own requirements tell).
    base_pip = {package_lists.pip_name(package_lists.CONDA_TO_PIP.get(c, c)): v for c, v in base.items()}
    for conda, name, _ in package_lists.environment():
        if conda is None:
            installed = next(d for d in (name, f"{name}-cpu") if _installed(d))
            for spec in metadata.requires(installed) or []:
                needs = Requirement(spec)
                have = base_pip.get(package_lists.pip_name(needs.name))
                if have and (needs.marker is None or needs.marker.evaluate({"extra": ""})):
                    assert have in needs.specifier, f"{installed} needs {needs}; Binder's base has {have}"


def _installed(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True
