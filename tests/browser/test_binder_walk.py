"""A learner on Binder opens 00, runs it (Run All), clicks its "Next" link, runs that chapter, and so
on through every chapter, leaving each tab open; then goes back to 00's tab, whose kernel has been
shut down, and runs it again as the note under "Next" says. The Jupyter server and its kernels must
never hold more than the ~2 GB a Binder session has.

The server runs with the course's own settings (jupyter-config/, installed into this environment by
tools/install_jupyter_config.py) and MEM_LIMIT set as JupyterHub and Binder set it. A thread samples
the memory of the server's process tree every 0.2 s; the test prints, for each step, the moment of
its largest total (also written to build/binder-walk.md), and fails when any moment is above 2 GB.

Memory is counted as the session's memory limit (its cgroup) charges it (tools/memory.py).
"""

from __future__ import annotations

import psutil

from tests.browser import require_chromium
from tools.jupyterlab import (
    CURRENT,
    KERNEL_NAME,
    KERNEL_READY,
    RAN_ALL,
    chromium,
    clear_outputs,
    lab_server,
    menu,
    run_all,
    wait_for_cells,
)
from tools.memory import MB, Moment, measure
from tools.project import ROOT, chapter_names
from tools.wait import Every

CHAPTERS = chapter_names()
SCREENSHOTS = ROOT / "build" / "screenshots"
REPORT = ROOT / "build" / "binder-walk.md"
BINDER_MEMORY = 2 * 1024**3  # MEM_LIMIT of a mybinder.org session: 2G, which JupyterHub reads as GiB
LIMIT_MB = 2000  # 2 GB, a little below it

sync_api = require_chromium()


class Peaks:
    """The largest moment of each step of the walk, sampled by tools.wait.Every."""

    def __init__(self, server: psutil.Process) -> None:
        self.server, self.step, self.peaks = server, "", {}

    def sample(self) -> None:
        step, moment = self.step, measure(self.server)
        if step and (step not in self.peaks or moment.total > self.peaks[step].total):
            self.peaks[step] = moment

    def enter(self, step: str) -> None:
        self.step = step
        self.peaks.setdefault(step, measure(self.server))


def follow_next(page, name: str) -> None:
    """Click the rendered "Next" link at the end of the current chapter, as a learner does."""
    navigation = page.locator(f"{CURRENT} .jp-MarkdownCell").last
    link = navigation.locator("p", has_text="Next:").locator(f"a[href*='{name}']")
    link.scroll_into_view_if_needed()
    link.click()
    page.locator(".lm-TabBar-tab.lm-mod-current", has_text=name).wait_for(timeout=60_000)


def rerun_first_tab(page) -> None:
    """Back in 00's tab, whose kernel the server shut down, do what the note under "Next" says."""
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=CHAPTERS[0]).click()
    page.wait_for_function(f"() => {KERNEL_NAME}?.includes('No Kernel')", timeout=60_000)
    assert page.locator(f"{CURRENT} .jp-OutputArea-output").count(), "the tab kept its outputs"
    clear_outputs(page)
    menu(page, "Kernel", "Restart Kernel and Run All Cells…")
    ran = f"{RAN_ALL} && {KERNEL_READY}"
    wait_for_cells(page, ran, CHAPTERS[0], "every cell to run again", 300_000)


def table(peaks: dict[str, Moment]) -> str:
    rows = [
        "| Step | Chapter | Server MB | Kernels MB | Mapped files MB | Total MB | Running kernels |",
        "|---" * 7 + "|",
    ]
    for i, (step, m) in enumerate(peaks.items()):
        sizes = " | ".join(f"{size / MB:.0f}" for size in (m.server, m.kernels, m.files, m.total))
        rows.append(f"| {i} | {step} | {sizes} | {m.running} |")
    return "\n".join(rows)


def test_following_next_through_every_chapter_stays_within_binder_memory(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MEM_LIMIT", str(BINDER_MEMORY))  # as JupyterHub tells the server on Binder
    with lab_server(ROOT / "notebooks", tmp_path) as (base, token), chromium(sync_api) as browser:
        # The server is the child started on this test's folder (it picked its own port).
        root = f"--ServerApp.root_dir={tmp_path / 'notebooks'}"
        server = next(p for p in psutil.Process().children() if root in p.cmdline())
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        peaks = Peaks(server)
        with Every(0.2, peaks.sample):
            peaks.enter("JupyterLab started, nothing open")
            peaks.enter(CHAPTERS[0])
            page.goto(f"{base}/lab/workspaces/binder-walk/tree/{CHAPTERS[0]}?reset&token={token}")
            run_all(page, CHAPTERS[0])
            for name in CHAPTERS[1:]:
                peaks.enter(name)
                follow_next(page, name)
                run_all(page, name)
            peaks.enter(f"back to {CHAPTERS[0]}")
            rerun_first_tab(page)
        # The note under every "Next" link names this menu entry: it must be there.
        page.get_by_role("menuitem", name="File", exact=True).click()
        assert page.locator(".lm-Menu-itemLabel", has_text="Close and Shut Down Notebook").count() == 1
        page.keyboard.press("Escape")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "binder_walk.png"))
        tabs = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab").all_inner_texts()
    step, worst = max(peaks.peaks.items(), key=lambda item: item[1].total)
    report = (
        "Memory of the Jupyter server and its kernels (anonymous, and mapped files once), largest moment "
        "of each step (MB = 10^6 bytes):\n\n"
        f"{table(peaks.peaks)}\n\nPeak: {worst.total / MB:.0f} MB at {step}; limit {LIMIT_MB} MB.\n"
    )
    REPORT.write_text(report, encoding="utf-8")
    with capsys.disabled():
        print("\n" + report)
    assert [t.strip() for t in tabs] == CHAPTERS, "the learner's tabs stay open"
    assert worst.total <= LIMIT_MB * MB, (
        f"{worst.total / MB:.0f} MB at {step} with {worst.running} kernels running: above {LIMIT_MB} MB. "
        "Does the server use helpers.kernels.ChapterKernelManager (set in jupyter-config/"
        "jupyter_server_config.json, installed by tools/install_jupyter_config.py where ServerApp reads it)?"
        f"\n{report}"
    )
