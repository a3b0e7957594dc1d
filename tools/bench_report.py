"""The benchmark's arithmetic and its Markdown: medians, percentiles, per-pair ratios, the tables, the
targets, and the README block it rewrites. Pure functions, so tests/test_bench.py can check them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"

# The targets.
CHAPTER_RATIO = 2.0  # each chapter at most this many times the import floor
PEAK_MB = 1200.0  # peak resident memory of a chapter's kernel, in MB (10⁶ bytes)
UPDATE_MS = 25.0  # median time of an explorer update in the kernel
SPEEDUP = 5.0  # naive re-render ÷ explorer update, at least
SCREEN_MS = 150.0  # median time from a slider move to the new figure on screen


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0 ≤ q ≤ 100), interpolating linearly between the two nearest values."""
    if not values:
        raise ValueError("percentile of no values: time at least one change first.")
    if not 0 <= q <= 100:
        raise ValueError(f"q is a percentage between 0 and 100, not {q}.")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count)."""
    return percentile(values, 50)


def ratio(numerator: float, denominator: float) -> float:
    """numerator ÷ denominator; infinity when the denominator is zero (a free floor cannot be beaten)."""
    return math.inf if denominator == 0 else numerator / denominator


def mark(met: bool) -> str:
    return "✔" if met else "✘"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub Markdown table; numbers are expected already formatted as text."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"a row has {len(row)} cells but the table has {len(headers)} columns: {row}")
        lines.append("| " + " | ".join(str(cell) for cell in row) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------ results of one run


@dataclass
class Run:
    """One notebook executed in a fresh kernel: wall time (kernel start to last cell), peak RSS, and the
    CPU time the kernel process (and what it started) spent."""

    seconds: float
    peak_mb: float
    cpu_seconds: float = 0.0


@dataclass
class Pair:
    """A chapter's run and the floor run right next to it: both see the same load, so their ratio holds
    on a busy machine where either time alone does not."""

    chapter: Run
    floor: Run
    floor_first: bool

    @property
    def ratio(self) -> float:
        return ratio(self.chapter.seconds, self.floor.seconds)

    @property
    def cpu_ratio(self) -> float:
        return ratio(self.chapter.cpu_seconds, self.floor.cpu_seconds)


@dataclass
class Explorer:
    """One explorer: per-change times (ms) of its update and of the naive re-render, same run."""

    name: str
    chapter: str
    control: str
    update_ms: list[float]
    naive_ms: list[float]
    note: str = ""

    @property
    def speedup(self) -> float:
        return ratio(median(self.naive_ms), median(self.update_ms))

    @property
    def met(self) -> bool:
        return median(self.update_ms) <= UPDATE_MS and self.speedup >= SPEEDUP


@dataclass
class Results:
    """Everything one run of tools/bench.py measured."""

    date: str
    machine: str
    chapters: dict[str, list[Pair]]
    suite_seconds: float
    suite_workers: int
    explorers: list[Explorer]
    browser_ms: list[float] | None = None
    browser_note: str = ""
    test_seconds: float | None = None
    test_summary: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def floor(self) -> list[Run]:
        return [pair.floor for pairs in self.chapters.values() for pair in pairs]

    @property
    def floor_seconds(self) -> float:
        return median([run.seconds for run in self.floor])

    @property
    def pairs(self) -> int:
        return min(len(pairs) for pairs in self.chapters.values())

    def chapter_seconds(self, name: str) -> float:
        return median([pair.chapter.seconds for pair in self.chapters[name]])

    def chapter_ratio(self, name: str) -> float:
        """The median of the chapter's per-pair ratios of CPU time (not the ratio of the medians): what
        the chapter costs against the floor, whatever else the machine is doing."""
        return median([pair.cpu_ratio for pair in self.chapters[name]])

    def chapter_spread(self, name: str) -> tuple[float, float]:
        """The lowest and the highest of the chapter's per-pair CPU-time ratios."""
        ratios = [pair.cpu_ratio for pair in self.chapters[name]]
        return min(ratios), max(ratios)

    def wall_ratio(self, name: str) -> float:
        """The median of the per-pair ratios of wall time: what a learner waits, on this machine as loaded
        as it was during the run."""
        return median([pair.ratio for pair in self.chapters[name]])

    def wall_spread(self, name: str) -> tuple[float, float]:
        ratios = [pair.ratio for pair in self.chapters[name]]
        return min(ratios), max(ratios)

    def chapter_peak(self, name: str) -> float:
        return max(pair.chapter.peak_mb for pair in self.chapters[name])

    @property
    def floor_sum(self) -> float:
        return self.floor_seconds * len(self.chapters)


def _s(seconds: float) -> str:
    return f"{seconds:.1f}"


def _ms(milliseconds: float) -> str:
    return f"{milliseconds:.1f}"


def _minutes(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


def _spread(low_high: tuple[float, float]) -> str:
    return f"{low_high[0]:.2f}–{low_high[1]:.2f}"


def chapter_table(results: Results) -> str:
    floor = results.floor_seconds
    floor_peak = max(run.peak_mb for run in results.floor)
    rows = [["floor: a kernel that imports TensorFlow, PyTorch, matplotlib, ipywidgets", _s(floor),
             "1.00", "", "1.00", f"{floor_peak:.0f}", ""]]
    for name in results.chapters:
        share, peak = results.chapter_ratio(name), results.chapter_peak(name)
        wall = f"{results.wall_ratio(name):.2f} ({_spread(results.wall_spread(name))})"
        rows.append([name, _s(results.chapter_seconds(name)), f"{share:.2f}",
                     _spread(results.chapter_spread(name)), wall, f"{peak:.0f}",
                     mark(share <= CHAPTER_RATIO and peak <= PEAK_MB)])
    # The suite has no floor run of its own beside it: it is set against the median floor.
    rows.append([f"all {len(results.chapters)} chapters at once ({results.suite_workers} in parallel)",
                 _s(results.suite_seconds), "", "", f"{ratio(results.suite_seconds, floor):.2f}", "",
                 mark(results.suite_seconds <= results.floor_sum)])
    headers = ["Notebook, fresh kernel", "Wall time (s), median", "× floor, CPU time, median of pairs",
               f"CPU × floor, min–max of {results.pairs} pairs", "× floor, wall time, median (min–max)",
               "Peak memory (MB)", "Target"]
    return markdown_table(headers, rows)


def explorer_table(results: Results) -> str:
    rows = []
    for e in results.explorers:
        rows.append([f"{e.chapter} `{e.name}`", e.control, _ms(median(e.update_ms)),
                     _ms(percentile(e.update_ms, 95)), _ms(median(e.naive_ms)), f"{e.speedup:.1f}×",
                     mark(e.met)])
    headers = ["Explorer", "Control moved", "Update median (ms)", "Update p95 (ms)", "Naive median (ms)",
               "Naive ÷ update", "Target"]
    return markdown_table(headers, rows)


def targets(results: Results) -> list[tuple[str, str, str, bool | None]]:
    """(target, limit, measured, met) for every target of the issue; met is None when not measured."""
    worst = max(results.chapters, key=results.chapter_ratio)
    worst_ratio = results.chapter_ratio(worst)
    worst_peak = max(results.chapter_peak(n) for n in results.chapters)
    slowest = max(results.explorers, key=lambda e: median(e.update_ms))
    slowest_ms = median(slowest.update_ms)
    least = min(results.explorers, key=lambda e: e.speedup)
    rows: list[tuple[str, str, str, bool | None]] = [
        ("every chapter's CPU time ÷ import floor's, median of pairs", f"≤ {CHAPTER_RATIO:g}",
         f"at most {worst_ratio:.2f} ({worst}, pairs {_spread(results.chapter_spread(worst))})",
         worst_ratio <= CHAPTER_RATIO),
        ("whole suite, in parallel", f"≤ sum of floors ({_s(results.floor_sum)} s)",
         f"{_s(results.suite_seconds)} s", results.suite_seconds <= results.floor_sum),
        ("peak kernel memory of every chapter", f"≤ {PEAK_MB:.0f} MB", f"at most {worst_peak:.0f} MB",
         worst_peak <= PEAK_MB),
        ("explorer update in the kernel, median", f"≤ {UPDATE_MS:g} ms",
         f"at most {slowest_ms:.1f} ms ({slowest.name})", slowest_ms <= UPDATE_MS),
        ("naive re-render ÷ explorer update", f"≥ {SPEEDUP:g}×",
         f"at least {least.speedup:.1f}× ({least.name})", least.speedup >= SPEEDUP),
    ]
    if results.browser_ms:
        screen = median(results.browser_ms)
        rows.append(("slider to screen in Chromium (01), median", f"≤ {SCREEN_MS:g} ms", f"{screen:.0f} ms",
                     screen <= SCREEN_MS))
    else:
        rows.append(("slider to screen in Chromium (01), median", f"≤ {SCREEN_MS:g} ms",
                     results.browser_note or "not measured", None))
    return rows


def summary_table(results: Results) -> str:
    rows = [[name, limit, measured, "–" if met is None else mark(met)]
            for name, limit, measured, met in targets(results)]
    if results.test_seconds is not None:
        rows.append(["`make test`, end to end, ready environment", "(reported)",
                     f"{_minutes(results.test_seconds)} {results.test_summary}".strip(), "–"])
    return markdown_table(["Target", "Limit", "Measured", "Met"], rows)


def report(results: Results, detail: str = "") -> str:
    """The Markdown the command prints and writes: date, machine, the three tables and the notes."""
    browser = ""
    if results.browser_ms:
        ms = results.browser_ms
        browser = (f"\n\nSlider to screen (chapter 01, tangent explorer, JupyterLab in headless Chromium): "
                   f"median {median(ms):.0f} ms, p95 {percentile(ms, 95):.0f} ms over {len(ms)} moves.")
    notes = "".join(f"\n- {note}" for note in results.notes)
    return (
        f"Measured on {results.date} ({results.machine}) with `make bench{detail}`."
        f"\n\n{summary_table(results)}\n\n{chapter_table(results)}\n\n{explorer_table(results)}{browser}"
        + (f"\n\nNotes:{notes}" if notes else "")
    )
