"""`make lab` as a newcomer runs it: a first set-up that shows its steps and pip's progress without
warning boxes and without the test tools, signed personal copies that survive updates, a server
that only answers on loopback to whoever has the token, and a printed link that opens the course
map with nothing noisy in the terminal or over the notebook."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat.sign import NotebookNotary

from tests import package_lists
from tests.browser import require_chromium
from tests.repo_copy import copy_tracked
from tools import my_notebooks
from tools.jupyterlab import chromium
from tools.project import ROOT
from tools.wait import until

pytestmark = pytest.mark.slow  # sets up and starts make lab: `-m 'not slow'` skips it

SCREENSHOTS = ROOT / "build" / "screenshots"
COURSE_MAP = "/lab/tree/00_start_here.ipynb"
# What a newcomer must not meet in the terminal: setuptools' editable-install box, jupyter-lsp's
# list of absent language servers, JupyterLab's complaint about unsigned notebooks.
NOISE = ("Editable installation", "Skipped non-installed server", "is not trusted")
# pip names each package it installs or finds installed on lines like these.
PIP_REPORTS = re.compile(r"^(?:Requirement already satisfied:|Collecting) ([A-Za-z0-9_.-]+)", re.M)


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def _trusted(path: Path) -> bool:
    with NotebookNotary() as notary:
        return notary.check_signature(nbformat.read(path, as_version=4))


def test_edits_survive_an_update_and_new_chapters_arrive(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))  # a newcomer's signatures
    # The collection as published, and a learner's clone of it.
    origin = tmp_path / "origin"
    (origin / "notebooks").mkdir(parents=True)
    for name in ("00_start_here.ipynb", "01_gradient_tape.ipynb"):
        shutil.copy2(ROOT / "notebooks" / name, origin / "notebooks" / name)
    (origin / ".gitignore").write_text("my-notebooks/\n")
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "-c", "user.name=course", "-c", "user.email=course@example.org", "commit", "-qm", "v1")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))

    first = my_notebooks.prepare(clone / "notebooks", clone / "my-notebooks")
    assert [p.name for p in first] == ["00_start_here.ipynb", "01_gradient_tape.ipynb"]
    assert all(_trusted(p) for p in first), "new copies must be signed"
    mine = clone / "my-notebooks" / "01_gradient_tape.ipynb"
    nb = nbformat.read(mine, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("My own note: the tape runs backwards."))
    nbformat.write(nb, mine)
    assert not _trusted(mine), "an edited notebook is no longer the signed one"

    # The course changes chapter 01 and adds chapter 02; the learner pulls.
    published = nbformat.read(origin / "notebooks" / "01_gradient_tape.ipynb", as_version=4)
    published.cells[1].source += "\n\nA correction from the course."
    nbformat.write(published, origin / "notebooks" / "01_gradient_tape.ipynb")
    shutil.copy2(ROOT / "notebooks" / "02_multiple_sources.ipynb", origin / "notebooks")
    git(origin, "add", "-A")
    git(origin, "-c", "user.name=course", "-c", "user.email=course@example.org", "commit", "-qm", "v2")
    git(clone, "pull", "-q")
    assert git(clone, "status", "--porcelain") == "", "the learner's work shows up in git"

    second = my_notebooks.prepare(clone / "notebooks", clone / "my-notebooks")
    assert [p.name for p in second] == ["02_multiple_sources.ipynb"]
    assert _trusted(second[0])
    kept = nbformat.read(mine, as_version=4)
    assert kept.cells[-1].source == "My own note: the tape runs backwards."
    assert "A correction from the course." not in kept.cells[1].source
    assert not _trusted(mine), "make lab signs only the copies it makes"
    assert my_notebooks.prepare(clone / "notebooks", clone / "my-notebooks") == []
    # make lab names the copy whose chapter changed upstream, and only that one.
    assert my_notebooks.outdated(clone / "notebooks", clone / "my-notebooks") == [mine]
    mine.rename(mine.with_name("01_gradient_tape-mine.ipynb"))
    fresh = my_notebooks.prepare(clone / "notebooks", clone / "my-notebooks")
    assert [p.name for p in fresh] == ["01_gradient_tape.ipynb"]
    assert "A correction from the course." in nbformat.read(fresh[0], as_version=4).cells[1].source
    assert my_notebooks.outdated(clone / "notebooks", clone / "my-notebooks") == []


def test_each_edition_gets_its_own_copies_and_make_lab_opens_its_map(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    course = tmp_path / "notebooks"
    for code in ("", "de", "zh"):
        (course / code).mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "notebooks" / code / "00_start_here.ipynb", course / code)
    pairs = my_notebooks.editions(course, tmp_path / "my-notebooks")
    copies = [copy for chapters, mine in pairs for copy in my_notebooks.prepare(chapters, mine)]
    assert [c.relative_to(tmp_path / "my-notebooks").as_posix() for c in copies] == [
        "00_start_here.ipynb", "de/00_start_here.ipynb", "zh/00_start_here.ipynb"]
    assert "Erste Schritte" in copies[1].read_text(encoding="utf-8")
    for edition, opens in (("", "/lab/tree/00_start_here.ipynb"), ("de", "/lab/tree/de/00_start_here.ipynb"),
                           ("zh", "/lab/tree/zh/00_start_here.ipynb")):
        planned = subprocess.run(["make", "-n", "lab", f"EDITION={edition}"], cwd=ROOT, capture_output=True,
                                 text=True, check=True).stdout
        assert f"--LabApp.default_url={opens}" in planned
    wrong = subprocess.run(["make", "-n", "lab", "EDITION=fr"], cwd=ROOT, capture_output=True, text=True)
    assert wrong.returncode != 0 and "EDITION must be de (Deutsch), zh (中文) or left out" in wrong.stderr


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_first_setup_shows_each_step_and_pip_progress_without_a_warning_box(tmp_path):
    # A real first set-up in a fresh virtual environment, made fast by letting it see the installed
    # packages of .venv through a .pth line: pip then reports them as satisfied and really builds
    # and installs only the helpers package, as on a first run.
    repo = copy_tracked(tmp_path / "repo")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (site / "course-venv.pth").write_text(sysconfig.get_path("purelib") + "\n")
    output = _run(["make", "--no-print-directory", "setup", f"VENV={venv}"], repo, dict(os.environ))

    steps = [line for line in output.splitlines() if line.startswith("==> ")]
    assert [step.split()[1] for step in steps] == ["Setting", "Updating", "Installing"], output
    assert "Requirement already satisfied: numpy==" in output, "pip's own progress is hidden"
    assert "Successfully installed autodiff-helpers" in output
    for noise in NOISE:
        assert noise not in output, output
    assert "!!" not in output, "a warning box"
    # Every package pip reports (asked for, or needed by one asked for): no test tool, except what
    # the chapters' own packages need anyway (pyyaml, for jupyter_server's event log).
    reported = {package_lists.pip_name(name) for name in PIP_REPORTS.findall(output)}
    assert "jupyterlab" in reported and "jupyterlab-slideshow" in reported
    tools = package_lists.dev_tools() - package_lists.needed_by_the_chapters()
    assert "pytest" in tools
    assert not reported & tools, f"make lab's set-up installs test tools: {reported & tools}"


def _wait_for_link(log: Path, server: subprocess.Popen) -> tuple[int, str, str]:
    """The port, path and token of the link the server prints."""

    def link() -> re.Match | None:
        found = re.search(r"http://127\.0\.0\.1:(\d+)(/\S*)\?token=([0-9a-f]+)", log.read_text())
        if not found and server.poll() is not None:
            raise AssertionError(f"make lab stopped without an address:\n{log.read_text()[-3000:]}")
        return found

    found = until(link, lambda: f"make lab to print an address with a token:\n{log.read_text()[-3000:]}",
                  180, every=0.5)
    return int(found.group(1)), found.group(2), found.group(3)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.fixture(scope="module")
def newcomer_lab(tmp_path_factory):
    """`make lab` in a fresh copy of the repository, with a newcomer's empty Jupyter folders (no
    signatures, settings or workspaces yet), reusing .venv; yields (log, port, path, token)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    tmp = tmp_path_factory.mktemp("newcomer")
    repo = copy_tracked(tmp / "repo")
    log = tmp / "lab.log"
    env = dict(
        os.environ,
        JUPYTER_DATA_DIR=str(tmp / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
    )
    with log.open("w") as out:
        server = subprocess.Popen(
            # The shared .venv as it is (-o: never reinstall it from this copy, which would point its
            # editable install of helpers at a folder deleted after the test).
            ["make", "--no-print-directory", "-o", str(ROOT / ".venv" / ".installed"), "lab",
             f"VENV={ROOT / '.venv'}",
             "LAB_ARGS=--port=0 --no-browser"],  # a free port the system picks: no race
            cwd=repo, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
    try:
        port, path, token = _wait_for_link(log, server)
        yield log, port, path, token
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_make_lab_listens_on_loopback_and_needs_its_token(newcomer_lab):
    _, port, _, token = newcomer_lab
    base = f"http://127.0.0.1:{port}"
    assert _status(f"{base}/api/contents") == 403
    assert _status(f"{base}/api/contents?token=wrong{token}") == 403
    assert _status(f"{base}/api/contents?token={token}") == 200
    # Every socket on this machine listening on the server's port (make's short-lived children
    # come and go, so look at the sockets rather than at the processes).
    listening = {
        conn.laddr.ip
        for conn in psutil.net_connections(kind="inet")
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port
    }
    assert listening == {"127.0.0.1"}


def test_the_printed_link_opens_the_course_map_without_noise(newcomer_lab):
    sync_api = require_chromium()
    log, port, path, token = newcomer_lab
    assert path == COURSE_MAP, "the printed link does not open the course map"
    with chromium(sync_api) as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"http://127.0.0.1:{port}{path}?token={token}")
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
        _wait_for_a_connected_idle_kernel(f"http://127.0.0.1:{port}", token)
        current = page.locator(".jp-mod-current .lm-TabBar-tabLabel")
        assert current.inner_text() == "00_start_here.ipynb"
        assert page.locator(".jp-NotebookPanel h1", has_text="Start here").first.is_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "make_lab_course_map.png"))
        # JupyterLab's news question ("get notified about official Jupyter news?") is a toast
        # posted once the app is restored; the idle kernel above comes later.
        assert page.locator(".Toastify__toast").count() == 0, "a notification covers the notebook"
        assert page.locator(".jp-Notification-Status").inner_text().strip() == "0"
        # jupyter-lsp answers its status only once it has looked for language servers (and logged it).
        assert _status(f"http://127.0.0.1:{port}/lsp/status?token={token}") == 200
        # What the terminal shows while the learner works, read before the test closes the browser:
        # a tab closed while the kernel still answers makes jupyter_server log a WebSocketClosedError
        # (upstream, jupyter/notebook#6721), which is the test leaving, not noise a learner meets.
        printed = log.read_text()
    for noise in NOISE:
        assert noise not in printed, f"make lab printed {noise!r}:\n{printed}"
    assert "[E " not in printed, printed


def _wait_for_a_connected_idle_kernel(base: str, token: str) -> None:
    """Until the server reports the notebook's kernel idle with the page connected to it."""
    kernels = []

    def connected_and_idle() -> bool:
        nonlocal kernels
        try:
            with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=30) as answer:
                kernels = json.load(answer)
        except urllib.error.HTTPError as error:
            # jupyter_server answers 500 while a kernel it lists is still starting (its last_activity
            # is not set yet); that kernel is not ready, so ask again.
            if error.code != 500:
                raise
        return any(k["connections"] > 0 and k["execution_state"] == "idle" for k in kernels)

    until(connected_and_idle, lambda: f"a kernel connected and idle: {kernels}", 120)
