"""Notebooks in fresh kernels for the benchmark: wall time and the kernel's peak resident memory,
each chapter paired with an import floor run, the whole suite in parallel, and the explorer timings
run inside a kernel."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

from tools.bench_report import Explorer, Pair, Run
from tools.project import NOTEBOOKS, ROOT, chapter_paths
from tools.wait import Every

LOG = ROOT / "build" / "bench" / "kernels.log"
# The floor: what every chapter pays before its first line of teaching.
FLOOR_CODE = "import tensorflow, torch, matplotlib.pyplot, ipywidgets"


class PeakMemory:
    """The largest resident set size a process reaches, in MB: sampled (`sample`, called by
    tools.wait.Every), and the kernel's own high-water mark (VmHWM) where Linux keeps one, which
    catches peaks between samples."""

    def __init__(self, pid: int) -> None:
        self.pid, self.process, self.peak = pid, psutil.Process(pid), 0

    def sample(self) -> None:
        with contextlib.suppress(psutil.Error):  # the process has ended: its peak is known
            self.peak = max(self.peak, self.process.memory_info().rss)

    def megabytes(self) -> float:
        status = Path(f"/proc/{self.pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak = max(self.peak, int(line.split()[1]) * 1024)
        return self.peak / 1e6


async def run_notebook(nb: nbformat.NotebookNode, timeout: int = 600) -> tuple[Run, nbformat.NotebookNode]:
    """Execute a copy of `nb` in a fresh kernel in the notebooks folder; nothing is written back."""
    client = NotebookClient(
        nbformat.from_dict(nb), timeout=timeout, kernel_name="python3", shutdown_kernel="immediate",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    LOG.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # The kernel's own chatter (a notice per start) goes to a log, not between the progress lines.
    with LOG.open("a") as log:
        async with client.async_setup_kernel(stderr=log):  # returns once the kernel answers
            memory = PeakMemory(client.km.provisioner.pid)
            with Every(0.02, memory.sample):
                for index, cell in enumerate(client.nb.cells):
                    count = client.code_cells_executed + 1
                    await client.async_execute_cell(cell, index, execution_count=count)
                seconds = time.perf_counter() - started
            cpu = memory.process.cpu_times()
            peak = memory.megabytes()
    return Run(seconds, peak, cpu.user + cpu.system + cpu.children_user + cpu.children_system), client.nb


def floor_notebook() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CODE)])


def chapters() -> dict[str, nbformat.NotebookNode]:
    return {p.stem: nbformat.read(p, as_version=4) for p in chapter_paths()}


def time_chapters(rounds: int, say=print) -> dict[str, list[Pair]]:
    """Every chapter once a round, each run right next to a floor run of its own (a pair), so the
    load a ratio sees is the same on both sides. The order within the pairs flips every round (floor
    first, then chapter first): a machine speeding up or slowing down favours neither side."""
    books, floor_nb = chapters(), floor_notebook()

    def execute(nb: nbformat.NotebookNode) -> Run:
        return asyncio.run(run_notebook(nb))[0]

    execute(floor_nb)  # warm the disk cache; not counted
    pairs: dict[str, list[Pair]] = {name: [] for name in books}
    for round_ in range(1, rounds + 1):
        floor_first = round_ % 2 == 1
        for name, nb in books.items():
            if floor_first:
                floor = execute(floor_nb)
                chapter = execute(nb)
            else:
                chapter = execute(nb)
                floor = execute(floor_nb)
            pairs[name].append(pair := Pair(chapter, floor, floor_first))
            say(f"  round {round_}/{rounds}: {name} {chapter.seconds:.1f} s, "
                f"floor {floor.seconds:.1f} s, ratio {pair.ratio:.2f}")
    return pairs


async def _suite(workers: int) -> float:
    gate = asyncio.Semaphore(workers)

    async def one(nb: nbformat.NotebookNode) -> None:
        async with gate:
            await run_notebook(nb)

    started = time.perf_counter()
    await asyncio.gather(*(one(nb) for nb in chapters().values()))
    return time.perf_counter() - started


def time_suite(workers: int) -> float:
    """Wall time to run every chapter, `workers` kernels at a time."""
    return asyncio.run(_suite(workers))


def time_explorers(moves: int, naive_moves: int) -> list[Explorer]:
    """Run tools/bench_explorers.py inside a fresh kernel and read back what it measured."""
    code = (ROOT / "tools" / "bench_explorers.py").read_text(encoding="utf-8")
    call = f"import json\nprint(json.dumps(measure_all({moves}, {naive_moves})))"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code), nbformat.v4.new_code_cell(call)])
    _, done = asyncio.run(run_notebook(nb, timeout=1800))
    printed = "".join(o.get("text", "") for o in done.cells[1].outputs if o.output_type == "stream")
    return [Explorer(**entry) for entry in json.loads(printed.strip().splitlines()[-1])]
