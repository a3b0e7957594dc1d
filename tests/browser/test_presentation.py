"""A lecturer presents every chapter live in JupyterLab (jupyterlab-slideshow's deck mode) as the
README says: Run All, Alt+R. The deck opens at the title, every slide fits a 1280×720 projector,
and on the explorer's slide the controls move the picture."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import pytest

from tests.browser import slideshow  # noqa: E402
from tests.browser.jupyterlab import (  # noqa: E402
    WIDGET_OUTPUT,
    changed,
    chromium,
    lab_server,
    nudge,
    open_and_run,
    require_chromium,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import slides  # noqa: E402

NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SCREENSHOTS = ROOT / "build" / "screenshots" / "presentation"

sync_api = require_chromium()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with lab_server(ROOT / "notebooks", tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium(sync_api) as headless:
        yield headless


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_lecturer_presents_the_chapter_and_moves_its_explorer(browser, lab, name):
    cells = nbformat.read(ROOT / "notebooks" / name, as_version=4).cells
    kinds = [slides.slide_type(c) for c in cells]
    page = open_and_run(browser, lab, name)
    try:
        shown = slideshow.start(page)
        assert 0 in shown, f"the deck opened at cells {shown}, not at the title"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}-00.png"))
        overflowing, moved = {}, set()
        last = max(i for i, kind in enumerate(kinds) if kind not in ("skip", "notes"))
        for step in range(len(cells)):
            if step:
                if page.evaluate(slideshow.ACTIVE) == last:
                    break
                shown = slideshow.advance(page, f"{name}, step {step}")
            if found := slideshow.overflow(page):
                overflowing[f"step {step} (cells {shown})"] = found
                page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}-{step:02d}-overflow.png"))
            for index in set(shown) - moved:
                explorer = page.locator(".jp-Deck .jp-Cell").nth(index).locator(f"{WIDGET_OUTPUT}:has(img)")
                if explorer.count():
                    picture = explorer.first.locator("img").first
                    before = picture.screenshot()
                    nudge(page, explorer.first)
                    changed(picture, before)
                    moved.add(index)
                    page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}-{step:02d}-explorer.png"))
        assert last in shown, "Space did not reach the last slide"
        assert not overflowing, f"{name}: slides that do not fit 1280×720: {overflowing}"
        assert moved or name.startswith("00_"), f"{name}: no slide showed an explorer that moves"
    finally:
        slideshow.stop(page)
        page.close()
