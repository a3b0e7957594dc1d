"""A lecturer presents every chapter live in JupyterLab (jupyterlab-slideshow's deck mode) as the
README says: Run All, Alt+R. The deck opens at the title, every slide fits a 1280×720 projector,
and on the explorer's slide the controls move the picture."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from helpers.widget_figure import MAX_PRESENTED_HEIGHT_PX
from tests.browser import require_chromium, slideshow
from tools import slides
from tools.jupyterlab import CUT_LABELS, WIDGET_OUTPUT, changed, lab_server, nudge, open_and_run
from tools.project import ROOT, chapter_names, chapter_paths

NOTEBOOKS = chapter_names()
SCREENSHOTS = ROOT / "build" / "screenshots" / "presentation"

require_chromium()  # without Chromium the module is skipped (a failure under CI)


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


@pytest.fixture(scope="module")
def presenting_lab(tmp_path_factory):
    """The chapters with the README's presentation line in their setup cell."""
    copies = tmp_path_factory.mktemp("presenting") / "notebooks"
    copies.mkdir()
    for path in chapter_paths():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.source = cell.source.replace('helpers.setup(language="en"',
                                                  'helpers.setup(presentation=True, language="en"')
        nbformat.write(nb, copies / path.name)
    with lab_server(copies, tmp_path_factory.mktemp("lab")) as server:
        yield server


def stored_pictures(name: str) -> dict[str, list[int]]:
    """The formats of the explorer pictures the notebook stored from its normal-mode run, with the
    heights of its PNGs."""
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    found: dict[str, list[int]] = {}
    for model in state.values():
        if model["model_name"] == "ImageModel":
            heights = found.setdefault(model["state"]["format"], [])
            if model["state"]["format"] == "png":
                heights.append(slides.png_size(model["buffers"][0]["data"])[1])
    return found


# JavaScript: a picture's own size, its size on the page, and the room its output area gives it.
SIZES = """img => [img.naturalHeight, img.naturalWidth, img.clientWidth,
                   img.closest('.jp-OutputArea-output').clientWidth]"""
# JavaScript: font sizes of the widget labels and of the notebook's own text.
FONT_SIZES = """() => ['.jp-Deck .jupyter-widgets .widget-label', '.jp-Deck .jp-Notebook']
  .map(css => parseFloat(getComputedStyle(document.querySelector(css)).fontSize))"""


def check_enlarged(page, name: str, cell: int, stored: dict[str, list[int]]) -> None:
    """The explorer in `cell`, on its slide in presentation mode, is enlarged and cut nowhere."""
    picture = page.locator(".jp-Deck .jp-Cell").nth(cell).locator(f"{WIDGET_OUTPUT} img").first
    height, width, shown, room = size = picture.evaluate(SIZES)
    if "png" not in stored:  # a graph drawn by Graphviz (SVG): as wide as the slide lets it be
        assert shown >= 0.99 * min(width, room), f"{name}: graph shown narrower than it can be: {size}"
    else:
        # 1.6 times the stored height, or as tall as a slide leaves room for (text still enlarged).
        heights = [min(1.6 * h, MAX_PRESENTED_HEIGHT_PX) for h in stored["png"]]
        expected = f"{name}: {size}, expected heights {heights}"
        assert any(abs(height - h) <= 0.06 * h for h in heights), expected
        assert shown >= 0.98 * width, f"{name}: the slide shrinks the picture back: {size}"
    assert slideshow.overflow(page) == [], f"{name}: the explorer's slide does not fit 1280×720"
    label_px, page_px = page.evaluate(FONT_SIZES)
    assert label_px >= 1.4 * page_px, f"{name}: widget text {label_px}px beside the page's {page_px}px"
    cut = page.evaluate(CUT_LABELS)
    assert cut == [], f"{name}: widget labels or menu entries cut short: {cut}"


@pytest.mark.parametrize("name", [n for n in NOTEBOOKS if not n.startswith("00_")])
def test_presentation_mode_enlarges_every_explorer(browser, presenting_lab, name):
    """With presentation=True, on its slide: each picture drawn at 1.6 times the dpi (no taller than
    the slide leaves room for) and shown at its own size (a vector graph as wide as the slide allows),
    larger widget text, no label cut, nothing below or past the edge of a 1280×720 screen."""
    cells = nbformat.read(ROOT / "notebooks" / name, as_version=4).cells
    explorers = {i for i, c in enumerate(cells) if c.cell_type == "code" and "_explorer(" in c.source}
    stored, seen = stored_pictures(name), set()
    page = open_and_run(browser, presenting_lab, name)
    try:
        shown = slideshow.start(page)
        for step in range(len(cells)):
            for cell in explorers & set(shown) - seen:
                page.screenshot(path=str(SCREENSHOTS / f"{Path(name).stem}-presentation-mode.png"))
                check_enlarged(page, name, cell, stored)
                seen.add(cell)
            if seen == explorers:
                break
            shown = slideshow.advance(page, f"{name}, step {step}")
        assert seen == explorers, f"{name}: the deck never showed the explorers in cells {explorers - seen}"
    finally:
        slideshow.stop(page)
        page.close()
