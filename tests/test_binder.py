"""Binder: every launch link opens an existing notebook, and repo2docker would build our environment.

We cannot reach Binder from here; `repo2docker --no-build --debug` prints the build it would run,
which is the strongest offline check.
"""

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from tests.repo_copy import copy_tracked

ROOT = Path(__file__).resolve().parent.parent
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


def test_repo2docker_builds_the_conda_environment_and_installs_helpers(tmp_path):
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
    assert re.search(r"pip install .*-e \.", (ROOT / "postBuild").read_text())
