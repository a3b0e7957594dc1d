"""The performance benchmark: `make bench` (`make bench FULL=1` also times `make test`).

    python tools/bench.py                   # chapters, import floor, suite, explorers, browser
    python tools/bench.py --test-command    # ... and the README's `make test`, end to end (minutes)

Prints one report, writes it to docs/benchmark.md and puts it in the README between
<!-- bench:start --> and <!-- bench:end -->, dated. Every figure comes from this one run: medians,
and ratios taken within pairs of runs side by side, because timings on a shared machine are noisy
(nothing here is asserted in a test).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

from tools import bench_browser, bench_kernel
from tools.bench_report import README_END, README_START, Results, median, report
from tools.project import README, ROOT, replace_block

OUTPUT = ROOT / "docs" / "benchmark.md"
TEST_LOG = ROOT / "build" / "bench" / "make-test.log"

METHOD = """\
## How it is measured

- **Chapters**: each notebook is executed from a copy (nothing is written back) with nbclient in a fresh
  `python3` kernel; the time runs from starting the kernel to the end of the last cell, the memory is the
  kernel process's peak resident set size (Linux's VmHWM, and psutil polled every 20 ms). The floor is a
  one-cell notebook that imports TensorFlow, PyTorch, matplotlib.pyplot and ipywidgets, timed the same way.
  Every chapter run is paired with a floor run right before or after it, so both see the same load; each
  round runs every chapter's pair once, floor first in odd rounds and chapter first in even ones, so a
  machine speeding up or slowing down favours neither side (`--rounds`, 3 by default). A pair's ratio is
  its chapter's CPU time ÷ its floor's: the user and system time the kernel process and what it started
  spent (psutil). CPU time does not count the waiting for a core that another program holds, so the ratio
  holds on a busy machine, where wall-time ratios swing both ways (a floor run slowed by a burst of load
  makes a chapter look cheap). "× floor" is the median of a chapter's ratios, and "min–max" the lowest
  and the highest of them, so two runs are compared by whether each median lies in the other's range. On
  a quiet machine CPU and wall time agree (the chapters run on one core); the wall-time ratio is shown
  beside it, with its range, as what a learner waits there. The times shown are medians over all runs
  (the floor's: over every pair's floor run); the memory is the largest of the runs.
- **Suite**: all chapters at once, as many kernels in parallel as the machine has cores, against the sum
  of the floors (the median floor time, once per chapter).
- **Explorers**: inside one fresh kernel, each explorer moves the control a learner moves first (the first
  slider, else its menu) one step at a time; the time is the callback (gradients, drawing, PNG sent over the
  widget's comm), after 5 warm-up steps. A step that changes an axis range (06 once the learning rate
  diverges) redraws the whole figure, ticks and layout included: that is what a high p95 shows. The naive
  way is timed in the same kernel: a new explorer built from scratch for every change (new figure, every
  artist, layout and PNG: what an `interact` function that redraws everything does), after one warm-up build.
- **Browser**: chapter 01 run in JupyterLab in headless Chromium (tests/browser's server and browser); the
  time runs from the arrow key going down on the tangent explorer's slider to the first frame painted
  after the new picture was decoded, after 3 warm-up moves.
- **`make test`**: the README's command from a ready environment (`make setup` done first, untimed).
"""


def machine() -> str:
    """Cores, processor, memory and the library versions, in one line."""
    import psutil

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = names[0] if names else cpu
    from importlib.metadata import version

    libraries = f"TensorFlow {version('tensorflow-cpu')}, PyTorch {version('torch')}"
    memory = psutil.virtual_memory().total / 2**30
    return f"{os.cpu_count()} cores, {cpu}, {memory:.0f} GiB, Python {platform.python_version()}, {libraries}"


def time_test_command() -> tuple[float, str]:
    """Seconds for `make test` from a ready environment, and pytest's closing summary (its output is
    kept in build/bench/make-test.log)."""
    subprocess.run(["make", "setup"], cwd=ROOT, check=True, capture_output=True)
    started = time.perf_counter()
    done = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    TEST_LOG.parent.mkdir(parents=True, exist_ok=True)
    TEST_LOG.write_text(done.stdout + done.stderr, encoding="utf-8")
    found = re.findall(r"=+ (.*?) in [\d.]+s", done.stdout)
    summary = found[-1] if found else f"exit status {done.returncode}"
    failed = re.findall(r"^FAILED (\S+)", done.stdout, re.M)
    if failed:
        summary += "; failed: " + ", ".join(f"`{name}`" for name in failed[:3])
    return seconds, f"({summary})"


def say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--test-command", action="store_true", help="also time `make test`, end to end")
    parser.add_argument("--rounds", type=int, default=3,
                        help="pairs per chapter: a chapter run next to a floor run (a quiet round: ~75 s)")
    parser.add_argument("--moves", type=int, default=50, help="timed changes per explorer")
    parser.add_argument("--naive-moves", type=int, default=20, help="timed naive re-renders per explorer")
    parser.add_argument("--browser-moves", type=int, default=25, help="timed slider moves in Chromium")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="kernels in parallel")
    parser.add_argument("--no-write", action="store_true", help="print only; leave the README and docs alone")
    args = parser.parse_args(argv)

    # As tests/conftest.py does: TensorFlow quiet in every kernel, the floor's included.
    from helpers.environment import QUIET_TENSORFLOW

    os.environ.update(QUIET_TENSORFLOW)
    started = time.perf_counter()
    say(f"chapters, each next to an import floor run, {args.rounds} rounds")
    chapters = bench_kernel.time_chapters(args.rounds, say)
    say(f"all chapters, {args.workers} kernels in parallel")
    suite = bench_kernel.time_suite(args.workers)
    say(f"explorers in a kernel, {args.moves} changes each")
    explorers = bench_kernel.time_explorers(args.moves, args.naive_moves)
    results = Results(
        date=datetime.date.today().isoformat(), machine=machine(), chapters=chapters,
        suite_seconds=suite, suite_workers=args.workers, explorers=explorers,
    )
    results.browser_note = bench_browser.missing()
    if not results.browser_note:
        say(f"slider to screen in Chromium, {args.browser_moves} moves")
        results.browser_ms = bench_browser.slider_to_screen(args.browser_moves)
    if args.test_command:
        say("make test, end to end")
        results.test_seconds, results.test_summary = time_test_command()
    for e in explorers:
        if e.note:
            timing = f"update {median(e.update_ms):.1f} ms, naive {median(e.naive_ms):.1f} ms"
            results.notes.append(f"`{e.name}` ({timing}): {e.note}.")
    detail = " FULL=1" if args.test_command else ""
    text = report(results, detail)
    print(text)
    say(f"done in {time.perf_counter() - started:.0f} s")
    if not args.no_write:
        OUTPUT.parent.mkdir(exist_ok=True)
        OUTPUT.write_text(f"# Performance benchmark\n\n{text}\n\n{METHOD}", encoding="utf-8")
        readme = README.read_text(encoding="utf-8")
        block = f"{text}\n\nHow each figure is measured: [docs/benchmark.md](docs/benchmark.md)."
        README.write_text(replace_block(readme, block, README_START, README_END), encoding="utf-8")
        say(f"wrote {OUTPUT.relative_to(ROOT)} and the table in README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
