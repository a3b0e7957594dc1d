"""A private JupyterLab server and a headless Chromium driven by Playwright, for the browser tests
and the benchmark.

The server serves a temporary copy of the notebooks, so autosave can never touch the repository,
listens on 127.0.0.1 with a random token, and uses settings that keep every cell in the page.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import shutil
import sys
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tools.processes import running
from tools.project import ROOT
from tools.wait import until

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# JupyterLab user settings: all cells rendered (no virtual scrolling), no autosave. Nothing about
# notifications: the course's own overrides.json keeps the news question away, as learners see it.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


# CSS selectors of the outputs the tests look at (JupyterLab shows errors as stderr).
WIDGET_OUTPUT = ".jp-OutputArea-output:has(.jupyter-widgets)"
ERROR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
# The notebook in the tab shown; other tabs stay in the page, hidden.
CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# JavaScript: its input prompts ("[ ]:" before a run, "[7]:" after, "[*]:" while queued or running).
PROMPTS = f"[...document.querySelectorAll('{CURRENT} .jp-CodeCell .jp-InputPrompt')]"
IDLE = f"document.querySelector(\"{CURRENT} .jp-Notebook-ExecutionIndicator[data-status='idle']\")"
# The tab has its kernel once the toolbar names it: before that, Run All runs nothing.
KERNEL_NAME = f"document.querySelector('{CURRENT} .jp-Toolbar-kernelName')?.textContent"
HAS_KERNEL = f"{KERNEL_NAME}?.includes('Python 3')"
# The status bar says "Python 3 (ipykernel) | Idle" only once the kernel is connected. The toolbar
# alone is not enough: its indicator reads "idle" before any kernel exists, and its kernel name is
# written before the kernel connects; Run All in that moment runs nothing.
STATUS_IDLE = (
    "[...document.querySelectorAll('.jp-StatusBar-TextItem')]"
    ".some(e => /^Python 3.*\\| Idle$/.test(e.textContent.trim()))"
)
KERNEL_READY = f"{HAS_KERNEL} && {IDLE} && {STATUS_IDLE}"
RAN_ALL = f"{PROMPTS}.length > 0 && {PROMPTS}.every(p => /\\[\\d+\\]/.test(p.textContent))"
# JavaScript: what the page shows when a run did not finish, to say why.
RUN_STATE = f"""() => ({{
  kernel: {KERNEL_NAME},
  statusBar: [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(e => e.textContent).join(' / '),
  status: document.querySelector("{CURRENT} .jp-Notebook-ExecutionIndicator")?.dataset.status,
  prompts: {PROMPTS}.map(p => p.textContent.trim()),
  errors: [...document.querySelectorAll("{CURRENT} .jp-OutputArea-output[data-mime-type*='error'],"
    + " {CURRENT} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")]
    .map(e => e.innerText.slice(-400)),
  dialogs: [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText),
  notices: [...document.querySelectorAll('.Toastify__toast')].map(t => t.innerText),
}})"""
SCREENSHOTS = ROOT / "build" / "screenshots"


# JavaScript: widget labels and menus in the page whose words are cut (shown shorter than written).
CUT_LABELS = """() => {
  const cut = [];
  for (const label of document.querySelectorAll('.jupyter-widgets .widget-label')) {
    if (label.offsetParent && label.scrollWidth > label.clientWidth + 1) cut.push(label.textContent);
  }
  // A menu is as wide as it needs when a copy of it, free to size itself, is no wider.
  for (const menu of document.querySelectorAll('.jupyter-widgets select')) {
    if (!menu.offsetParent) continue;
    const copy = menu.cloneNode(true);
    Object.assign(copy.style, {width: 'max-content', position: 'absolute', visibility: 'hidden'});
    menu.parentNode.appendChild(copy);
    const needed = copy.offsetWidth;
    copy.remove();
    if (menu.offsetWidth < needed - 1) cut.push(menu.options[menu.selectedIndex]?.text || '');
  }
  return cut;
}"""


def chromium_missing() -> str:
    """Why Chromium cannot be driven here (no Chromium, no Playwright), or '' when it can."""
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        return f"no Chromium at {CHROMIUM} (sudo apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (make setup-dev)"
    return ""


@contextmanager
def chromium(sync_api: Any):
    """A headless Chromium, closed afterwards."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def menu(page: Any, top: str, item: str) -> None:
    page.get_by_role("menuitem", name=top, exact=True).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(rf"^{re.escape(item)}$")).first.click()


def open_and_run(browser: Any, lab: tuple[str, str], name: str) -> Any:
    """Open a chapter in a workspace of its own, run all its cells and wait until every cell has run."""
    base, token = lab
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    # Reset: only this notebook is open, whatever ran before.
    page.goto(f"{base}/lab/workspaces/{Path(name).stem}/tree/{name}?reset&token={token}")
    run_all(page, name)
    return page


def run_all(page: Any, name: str) -> None:
    """In the notebook shown, once it has its kernel: clear the stored outputs (so a finished run
    shows), Run All, and wait until every cell has run."""
    wait_for_cells(page, KERNEL_READY, name, "its kernel to be ready", 120_000)
    clear_outputs(page)
    menu(page, "Run", "Run All Cells")
    wait_for_cells(page, f"{RAN_ALL} && {KERNEL_READY}", name, "every cell to run", 300_000)


def clear_outputs(page: Any) -> None:
    """Clear the stored outputs and prompts, so that a finished run shows."""
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(f"() => {PROMPTS}.every(p => !/\\d/.test(p.textContent))")


def wait_for_cells(page: Any, condition: str, name: str, what: str, timeout: float) -> None:
    """Wait until the JavaScript `condition` has held for a second (the page's parts update one after
    another); if it never does, fail saying what the notebook shows (kernel, prompts, errors,
    dialogs) and keep a screenshot."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    steady = f"""() => {{
      if (!({condition})) {{ window.heldSince = null; return false; }}
      window.heldSince ??= Date.now();
      return Date.now() - window.heldSince > 1000;
    }}"""
    try:
        page.evaluate("() => { window.heldSince = null; }")
        page.wait_for_function(steady, timeout=timeout)
    except PlaywrightTimeout:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"stuck-{Path(name).stem}.png"
        page.screenshot(path=str(shot))
        state = page.evaluate(RUN_STATE)
        seconds = f"{timeout / 1000:.0f} s"
        raise AssertionError(f"{name}: waited {seconds} for {what}; the page shows {state}; {shot}") from None


def changed(locator, before: bytes, timeout: float = 15.0) -> bytes:
    """Wait until the element's pixels differ from `before`; return the new picture."""
    return until(lambda: (now := locator.screenshot()) != before and now,
                 "the picture to change after the control moved", timeout)


def nudge(page, widget, presses: int = 5) -> None:
    """Move the explorer's first control as a learner would: a slider by arrow keys, else the
    next entry of a menu, else the toggle button that is not selected."""
    slider = widget.locator(".noUi-handle")
    if slider.count():
        slider.first.scroll_into_view_if_needed()
        slider.first.focus()
        for _ in range(presses):
            page.keyboard.press("ArrowRight")
        return
    menu = widget.locator("select")
    if menu.count():
        count = menu.first.locator("option").count()
        current = menu.first.evaluate("el => el.selectedIndex")
        menu.first.select_option(index=(current + 1) % count)
        return
    toggle = widget.locator(".widget-toggle-button:not(.mod-active)")
    assert toggle.count(), "the explorer has no slider, menu or toggle to move"
    toggle.first.click()


@contextmanager
def lab_server(notebooks: Path, workdir: Path, page_config: dict | None = None):
    """Start JupyterLab on a copy of `notebooks`; yield (base_url, token); stop it afterwards.

    page_config, e.g. {"disabledExtensions": {"@jupyter-widgets/jupyterlab-manager": True}}, is
    written to labconfig/page_config.json in a private Jupyter config folder that JupyterLab reads.
    """
    root = workdir / "notebooks"
    shutil.copytree(notebooks, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = workdir / "lab-settings"
    for name, value in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(value))
    token = secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        "--port=0",  # a free port the system picks: no race with another worker
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    runtime = workdir / "runtime"  # where the server writes the port it got
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTER_RUNTIME_DIR=str(runtime))
    if page_config is not None:
        config = workdir / "jupyter-config"
        (config / "labconfig").mkdir(parents=True)
        (config / "labconfig" / "page_config.json").write_text(json.dumps(page_config))
        env["JUPYTER_CONFIG_DIR"] = str(config)
    log = workdir / "jupyterlab.log"
    with running(command, log, stop_within=20, env=env) as server:
        def answering() -> str | None:
            try:
                started = json.loads(next(runtime.glob("jpserver-*.json")).read_text())
                base = f"http://127.0.0.1:{started['port']}"
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    return base
            except (OSError, StopIteration, ValueError):  # not written (or not whole) yet, or not answering
                if server.poll() is not None:
                    raise RuntimeError(f"JupyterLab stopped; see {log}") from None
                return None

        base = until(answering, f"JupyterLab to answer; see {log}", 60, every=0.5)
        yield base, token
