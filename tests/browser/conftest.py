"""What the browser tests share: one headless Chromium and one JupyterLab on the chapters per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import require_chromium
from tools.jupyterlab import chromium, lab_server
from tools.project import ROOT

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)  # every browser test runs chapters in JupyterLab


@pytest.fixture(scope="module")
def browser():
    with chromium(require_chromium()) as headless:
        yield headless


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a temporary copy of the chapters."""
    with lab_server(ROOT / "notebooks", tmp_path_factory.mktemp("lab")) as server:
        yield server
