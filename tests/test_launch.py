"""`make lab` as a learner runs it: personal copies that survive updates, and a server that only
answers on loopback to whoever has the token."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import my_notebooks  # noqa: E402

from tests.browser.jupyterlab import free_port  # noqa: E402


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def test_edits_survive_an_update_and_new_chapters_arrive(tmp_path):
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
    mine = clone / "my-notebooks" / "01_gradient_tape.ipynb"
    nb = nbformat.read(mine, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("My own note: the tape runs backwards."))
    nbformat.write(nb, mine)

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
    kept = nbformat.read(mine, as_version=4)
    assert kept.cells[-1].source == "My own note: the tape runs backwards."
    assert "A correction from the course." not in kept.cells[1].source
    assert my_notebooks.prepare(clone / "notebooks", clone / "my-notebooks") == []


def _wait_for_token(log: Path, server: subprocess.Popen) -> tuple[str, int]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/lab\?token=([0-9a-f]+)", log.read_text())
        if found:
            return found.group(2), int(found.group(1))
        if server.poll() is not None:
            break
        time.sleep(0.5)
    raise AssertionError(f"make lab printed no address with a token:\n{log.read_text()[-3000:]}")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_listens_on_loopback_and_needs_its_token(tmp_path):
    port = free_port()
    log = tmp_path / "lab.log"
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    with log.open("w") as out:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "lab", f"LAB_ARGS=--port={port} --no-browser"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
    try:
        token, answered_port = _wait_for_token(log, server)
        assert answered_port == port
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
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
