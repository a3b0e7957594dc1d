"""Slider to screen in a real browser: chapter 01 run in JupyterLab in headless Chromium (tools.jupyterlab,
as the browser tests drive it), then the tangent explorer's slider moved by the arrow key, one step at a time.

Each move is timed in the page, from the key going down to the first frame painted after the new
picture arrived and was decoded: the widget's round trip to the kernel, the explorer's update there,
the PNG over the comm, and the browser drawing it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tools.jupyterlab import WIDGET_OUTPUT, chromium, chromium_missing, lab_server, open_and_run
from tools.project import ROOT

CHAPTER = "01_gradient_tape.ipynb"

# In the page: note when a key goes down on the slider, and when the picture that answers it is on screen.
WATCH = """([handle, img]) => {
  const bench = window.__bench = {start: null, times: []};
  handle.addEventListener("keydown", () => { bench.start = performance.now(); }, {capture: true});
  new MutationObserver(() => {
    const start = bench.start;
    if (start === null) return;
    bench.start = null;
    // decoded, then the next frame painted (setTimeout runs once that frame is done)
    img.decode().catch(() => {}).then(() => requestAnimationFrame(
      () => setTimeout(() => bench.times.push(performance.now() - start), 0)));
  }).observe(img, {attributes: true, attributeFilter: ["src"]});
}"""


def missing() -> str:
    """Why the browser measurement cannot run here, or '' when it can."""
    reason = chromium_missing()
    return f"not measured: {reason}" if reason else ""


def slider_to_screen(moves: int = 25, warm_up: int = 3) -> list[float]:
    """Milliseconds from each arrow key on the tangent explorer's slider to its new picture on screen."""
    import playwright.sync_api as sync_api  # maintainers' install only

    with tempfile.TemporaryDirectory() as workdir, lab_server(ROOT / "notebooks", Path(workdir)) as lab:
        with chromium(sync_api) as browser:
            page = open_and_run(browser, lab, CHAPTER)
            explorer = page.locator(WIDGET_OUTPUT).filter(has=page.locator(".noUi-handle")).filter(
                has=page.locator("img")).first
            handle, picture = explorer.locator(".noUi-handle").first, explorer.locator("img").first
            handle.scroll_into_view_if_needed()
            page.evaluate(WATCH, [handle.element_handle(), picture.element_handle()])
            handle.focus()
            for done in range(warm_up + moves):  # leftwards from x = 3.0: 70 steps before the end
                page.keyboard.press("ArrowLeft")
                page.wait_for_function(f"window.__bench.times.length > {done}", timeout=30_000)
            times = page.evaluate("window.__bench.times")
            page.close()
    return times[warm_up:]
