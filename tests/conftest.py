"""Shared test set-up.

TensorFlow is quieted in tests/__init__.py, before anything imports it. Notebook kernels started by
nbval inherit this environment, so set nothing here that changes what a notebook shows (a matplotlib
backend, for one).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.repo_copy import snapshot
from tools.project import NOTEBOOKS, ROOT


class WorkingTreeGuard:
    """Fails the run when the suite (notebooks included) leaves the git working tree changed, or writes
    any file, git-ignored ones too, in the chapters' folder: nbval runs every chapter there, so this is
    where the guarantee "a chapter writes no file" is checked."""

    def __init__(self, active: bool, chapters: Path = NOTEBOOKS) -> None:
        self.active = active
        self.chapters = chapters
        self.before: tuple[str | None, dict] | None = None

    @staticmethod
    def status() -> str | None:
        try:
            done = subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=all"],
                cwd=ROOT, capture_output=True, text=True, check=True,
            )
        except (OSError, subprocess.CalledProcessError):
            return None  # not a git checkout: nothing to compare
        return done.stdout

    def state(self) -> tuple[str | None, dict]:
        return self.status(), snapshot(self.chapters)

    def changes(self) -> list[str]:
        """What changed since the session started: `git status` lines, then files of the chapters' folder."""
        (status_before, files_before), (status_after, files_after) = self.before, self.state()
        changed = []
        if None not in (status_before, status_after) and status_after != status_before:
            changed.append(f"git status now:\n{status_after}")
        for name in sorted(set(files_before) | set(files_after)):
            if name not in files_after:
                changed.append(f"deleted: {self.chapters / name}")
            elif files_before.get(name) != files_after[name]:
                changed.append(f"{'changed' if name in files_before else 'created'}: {self.chapters / name}")
        return changed

    def pytest_sessionstart(self, session):
        if self.active:
            self.before = self.state()

    def pytest_sessionfinish(self, session, exitstatus):
        changed = self.changes() if self.before is not None else []
        if changed:
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            reporter.write_line(
                "The test run changed the working tree (tests and notebooks must write only to temporary "
                "or ignored folders, and chapters nowhere):\n" + "\n".join(changed),
                red=True,
            )
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config):
    # Checked once, by the process that runs the whole session (not by each xdist worker).
    guard = WorkingTreeGuard(active=not hasattr(config, "workerinput"))
    config.pluginmanager.register(guard, "working_tree_guard")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.path).suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)  # nbval runs the chapter in a kernel
