"""Driving jupyterlab-slideshow's deck mode the way a lecturer does, and measuring what a slide shows.

The README's order: Run All, then Alt+R (jupyter-config/overrides.json binds it to "select the
title cell, start the deck"); Space walks down into sub-slides, then on to the next slide.
"""

from __future__ import annotations

from typing import Any

VIEWPORT = {"width": 1280, "height": 720}
ON_SCREEN = ".jp-Deck .jp-Cell.jp-deck-mod-onscreen"
# JavaScript: indices of the cells now on screen.
SHOWN = """() => [...document.querySelectorAll('.jp-Deck .jp-Cell.jp-deck-mod-onscreen')]
  .map(c => [...c.parentNode.children].indexOf(c))"""
# JavaScript: the index of the active cell, which each press of Space moves on.
ACTIVE = """() => { const cell = document.querySelector('.jp-Deck .jp-Cell.jp-mod-active');
  return [...cell.parentNode.children].indexOf(cell); }"""
# JavaScript: what on the slide now shown runs over the window: content below the bottom (the
# notebook scrolls instead of showing it), past the right edge, or code and text cut at the right
# (an editor or output that scrolls sideways).
OVERFLOW = """() => {
  const found = [], H = window.innerHeight, W = window.innerWidth;
  const notebook = document.querySelector('.jp-Deck .jp-Notebook');
  const below = notebook.scrollHeight - notebook.clientHeight;
  if (below > 2) found.push(`content ${below}px below the screen`);
  for (const cell of document.querySelectorAll('.jp-Deck .jp-Cell.jp-deck-mod-onscreen')) {
    const box = cell.getBoundingClientRect();
    const name = (cell.innerText || '').trim().split('\\n')[0].slice(0, 40);
    if (box.bottom > H + 1) found.push(`"${name}" ends ${Math.round(box.bottom - H)}px below`);
    if (box.right > W + 1) found.push(`"${name}" ends ${Math.round(box.right - W)}px past the right`);
    for (const el of cell.querySelectorAll('.cm-scroller, .jp-OutputArea-output')) {
      const cut = el.scrollWidth - el.clientWidth;
      if (cut > 2) found.push(`"${name}": ${el.className.split(' ')[0]} cut ${cut}px at the right`);
    }
  }
  return found;
}"""


def start(page: Any) -> list[int]:
    """Alt+R in the notebook, as the README says; the cells of the first slide shown."""
    page.set_viewport_size(VIEWPORT)
    # The deck's toolbar button appears once jupyterlab-slideshow has registered its commands;
    # Alt+R pressed before that would do nothing.
    page.wait_for_selector(".jp-NotebookPanel-toolbar [data-command='deck:toggle']")
    # The lecturer's click into the notebook: on the last cell, where Run All leaves the selection,
    # so Alt+R itself has to bring the title. It also makes this notebook the one commands act on.
    # Under load a fresh JupyterLab sometimes opens a dialog here; say what it said, close it.
    for dialog in page.locator(".jp-Dialog").all():
        print(f"JupyterLab dialog before the deck: {dialog.inner_text()!r}")
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")
    page.locator(".jp-NotebookPanel .jp-Cell").last.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    for _ in range(6):  # a lecturer presses again if the page was still loading the extension
        page.keyboard.press("Alt+r")
        try:
            page.wait_for_selector(ON_SCREEN, timeout=5_000)
            break
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError: no deck yet
            continue
    page.wait_for_selector(ON_SCREEN)
    return page.evaluate(SHOWN)


def advance(page: Any, where: str = "") -> list[int]:
    """Space to the next cell of the deck (the same slide, its next sub-slide, or the next slide);
    the cells on screen then."""
    active = page.evaluate(ACTIVE)
    # After a slider or menu was used, the keys go to the slide again (a lecturer clicks the slide).
    page.evaluate("() => document.querySelector('.jp-Deck .jp-Cell.jp-mod-active').focus()")
    page.keyboard.press("Space")
    try:
        page.wait_for_function(f"old => ({ACTIVE})() !== old", arg=active)
    except Exception as error:  # noqa: BLE001 - Playwright's TimeoutError, said in the deck's terms
        raise AssertionError(f"{where}: Space did not move the deck on from cell {active}") from error
    return page.evaluate(SHOWN)


def stop(page: Any) -> None:
    """Escape ends the deck, as a lecturer does. The extension remembers an active deck in the
    user's settings, so a JupyterLab opened next would otherwise start in the deck."""
    if page.locator(".jp-Deck").count():
        page.evaluate("() => document.querySelector('.jp-Deck .jp-Cell.jp-mod-active').focus()")
        page.keyboard.press("Escape")
        page.wait_for_selector(".jp-Deck", state="detached")


def overflow(page: Any) -> list[str]:
    return page.evaluate(OVERFLOW)
