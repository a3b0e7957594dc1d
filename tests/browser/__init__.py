"""Browser tests: JupyterLab, the slideshow and the offline decks, as learners and lecturers meet them.

Without Chromium they are skipped with a reason, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import pytest

from tools.jupyterlab import chromium_missing


def require_chromium() -> Any:
    """Playwright's sync API; skips the calling test module without Chromium (fails it under CI)."""
    reason = chromium_missing()
    if reason and os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must install it (.ci/run)", pytrace=False)
    if reason:
        pytest.skip(f"browser tests skipped: {reason}", allow_module_level=True)
    return importlib.import_module("playwright.sync_api")
