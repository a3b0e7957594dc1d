"""Shared test set-up.

TensorFlow must be quiet before anything imports it. Notebook kernels started by nbval inherit this
environment, so set nothing here that changes what a notebook shows (a matplotlib backend, for one).
"""

import os
import subprocess
from pathlib import Path

import pytest

from helpers.environment import _QUIET_TENSORFLOW

os.environ.update(_QUIET_TENSORFLOW)
ROOT = Path(__file__).resolve().parent.parent


class WorkingTreeGuard:
    """Fails the run when the suite (notebooks included) leaves the git working tree changed."""

    def __init__(self, active: bool) -> None:
        self.active = active
        self.before: str | None = None

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

    def pytest_sessionstart(self, session):
        if self.active:
            self.before = self.status()

    def pytest_sessionfinish(self, session, exitstatus):
        after = self.status() if self.active and self.before is not None else None
        if after is not None and after != self.before:
            reporter = session.config.pluginmanager.get_plugin("terminalreporter")
            reporter.write_line(
                "The test run changed the working tree (tests and notebooks must write only to temporary "
                f"or ignored folders):\n{after}",
                red=True,
            )
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_configure(config):
    # Checked once, by the process that runs the whole session (not by each xdist worker).
    guard = WorkingTreeGuard(active=not hasattr(config, "workerinput"))
    config.pluginmanager.register(guard, "working_tree_guard")
