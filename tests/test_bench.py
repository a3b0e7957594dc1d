"""The benchmark's own pieces: its arithmetic, its tables and verdicts, the README block it rewrites,
and how it moves an explorer's control. Behaviour only; no timing is asserted anywhere."""

import math

import ipywidgets as widgets
import nbformat
import pytest

from tools import bench_explorers, bench_kernel
from tools import bench_report as br
from tools.project import replace_block

MARKS = (br.README_START, br.README_END)


def test_percentiles_interpolate_between_the_nearest_values():
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert br.median(values) == 3.0
    assert br.median([1.0, 2.0, 3.0, 10.0]) == 2.5
    assert br.percentile(values, 0) == 1.0 and br.percentile(values, 100) == 5.0
    assert br.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert br.percentile([7.0], 95) == 7.0


def test_percentiles_refuse_no_values_and_impossible_percentages():
    with pytest.raises(ValueError, match="no values"):
        br.median([])
    with pytest.raises(ValueError, match="between 0 and 100"):
        br.percentile([1.0], 120)


def test_ratio_of_a_zero_floor_is_infinite():
    assert br.ratio(6.0, 3.0) == 2.0
    assert math.isinf(br.ratio(1.0, 0.0))


def test_markdown_table_has_a_header_rule_and_one_line_per_row():
    table = br.markdown_table(["a", "b"], [["1", "2"], ["3", "4"]])
    assert table.splitlines() == ["| a | b |", "|---|---|", "| 1 | 2 |", "| 3 | 4 |"]
    with pytest.raises(ValueError, match="2 columns"):
        br.markdown_table(["a", "b"], [["1"]])


def test_readme_block_is_replaced_between_the_markers_only():
    text = f"intro\n{br.README_START}\nold table\n{br.README_END}\noutro\n"
    once = replace_block(text, "new table\n", *MARKS)
    assert once == f"intro\n{br.README_START}\nnew table\n{br.README_END}\noutro\n"
    assert replace_block(once, "new table", *MARKS) == once  # rerunning changes nothing
    assert replace_block(text, "a \\1 backslash", *MARKS).count("a \\1 backslash") == 1  # literal


TWO_PAIRS = f"{br.README_START} x {br.README_END} {br.README_START} y {br.README_END}"


@pytest.mark.parametrize("text", ["no markers at all", TWO_PAIRS])
def test_readme_block_needs_exactly_one_pair_of_markers(text):
    with pytest.raises(ValueError, match="exactly one"):
        replace_block(text, "table", *MARKS)


def _pairs(*seconds, peak=750.0):
    """Pairs from (chapter, floor) seconds, floor first in every other one as the benchmark runs them."""
    return [br.Pair(br.Run(chapter, peak, chapter), br.Run(floor, 700.0, floor), i % 2 == 0)
            for i, (chapter, floor) in enumerate(seconds)]


def _results(chapter_seconds=4.0, peak=800.0, update=10.0, naive=100.0, suite=6.0, browser=(60.0,)):
    c = chapter_seconds
    # 01's second pair ran under load: both sides twice as slow, its ratio the same as the first's.
    chapters = {"00_start_here": _pairs((3.5, 3.4)),
                "01_gradient_tape": _pairs((c, 3.4), (2 * c, 6.8), (0.9 * c, 3.4), peak=peak)}
    explorers = [br.Explorer("tangent_explorer", "01", "x", [update] * 50, [naive] * 20)]
    return br.Results(
        "2026-01-02", "test machine", chapters, suite, 2, explorers,
        browser_ms=list(browser) if browser else None, browser_note="" if browser else "no Chromium",
    )


def test_chapter_ratio_is_the_median_of_the_per_pair_ratios_with_their_range():
    # The third pair ran under load: both sides slow. Ratios 1.5, 1.5, 1.1; median times 4.4 and 4.0.
    results = br.Results("d", "m", {"01": _pairs((3.0, 2.0), (4.4, 4.0), (6.0, 4.0))}, 1.0, 1, [])
    assert results.chapter_ratio("01") == pytest.approx(1.5)  # the ratio of the median times is 1.1
    assert results.chapter_spread("01") == pytest.approx((1.1, 1.5))
    assert results.chapter_seconds("01") == 4.4 and results.floor_seconds == 4.0
    assert results.pairs == 3


def test_cpu_time_ratio_ignores_the_wait_for_a_busy_core():
    # Both pairs spent the same CPU time; in the second a busy machine made the chapter wait for a core.
    pairs = [br.Pair(br.Run(4.0, 800.0, 4.0), br.Run(2.0, 700.0, 2.0), True),
             br.Pair(br.Run(9.0, 800.0, 4.0), br.Run(2.5, 700.0, 2.0), False)]
    results = br.Results("d", "m", {"06": pairs}, 1.0, 1, [])
    assert results.chapter_ratio("06") == pytest.approx(2.0) and results.chapter_spread("06") == (2.0, 2.0)
    assert results.wall_ratio("06") == pytest.approx(2.8)
    assert results.wall_spread("06") == pytest.approx((2.0, 3.6))
    assert "| 06 | 6.5 | 2.00 | 2.00–2.00 | 2.80 (2.00–3.60) | 800 | ✔ |" in br.chapter_table(results)


def _verdicts(results):
    return {name: met for name, _limit, _measured, met in br.targets(results)}


def test_targets_met_when_every_figure_is_inside_its_limit():
    results = _results()
    assert results.floor_seconds == 3.4 and results.floor_sum == pytest.approx(6.8)  # one slow floor ignored
    assert all(_verdicts(results).values())
    assert results.explorers[0].speedup == 10.0


@pytest.mark.parametrize(
    "changed, target",
    [
        ({"chapter_seconds": 7.0}, "every chapter's CPU time ÷ import floor's, median of pairs"),  # 2.06 ×
        ({"peak": 1300.0}, "peak kernel memory of every chapter"),
        ({"suite": 7.0}, "whole suite, in parallel"),
        ({"update": 30.0, "naive": 300.0}, "explorer update in the kernel, median"),
        ({"naive": 40.0}, "naive re-render ÷ explorer update"),  # 4 ×
        ({"browser": (200.0,)}, "slider to screen in Chromium (01), median"),
    ],
)
def test_a_figure_outside_its_limit_fails_that_target_only(changed, target):
    verdicts = _verdicts(_results(**changed))
    assert verdicts.pop(target) is False
    assert all(verdicts.values())


def test_report_dates_the_figures_and_says_what_was_not_measured():
    text = br.report(_results(browser=()))
    assert text.startswith("Measured on 2026-01-02 (test machine)")
    assert "| 01 `tangent_explorer` | x | 10.0 | 10.0 | 100.0 | 10.0× | ✔ |" in text
    assert "| 01_gradient_tape | 4.0 | 1.18 | 1.06–1.18 | 1.18 (1.06–1.18) | 800 | ✔ |" in text
    assert "| × floor, CPU time, median of pairs | CPU × floor, min–max of 1 pairs |" in text  # 00: one pair
    assert "at most 1.18 (01_gradient_tape, pairs 1.06–1.18)" in text
    assert "no Chromium" in text and "| – |" in text
    assert "make test" not in text  # only reported when it was timed


def test_slider_steps_go_one_step_at_a_time_and_turn_at_the_end():
    slider = widgets.FloatSlider(value=0.8, min=0.0, max=1.0, step=0.1)
    assert bench_explorers.steps(slider, 5) == [0.9, 1.0, 0.9, 0.8, 0.7]
    counts = widgets.IntSlider(value=1, min=0, max=2)
    assert bench_explorers.steps(counts, 4) == [2, 1, 0, 1]


def test_menu_steps_cycle_through_the_other_entries():
    menu = widgets.Dropdown(options=["a", "b", "c"], value="b")
    assert bench_explorers.steps(menu, 4) == ["c", "a", "b", "c"]


def test_each_chapter_runs_next_to_its_own_floor_run_and_the_order_flips_every_round(monkeypatch):
    ran: list[str] = []

    async def run_notebook(nb):  # the run's number as its time, to tell which run went where
        ran.append(nb.cells[0].source)
        return br.Run(len(ran) - 1, 0.0), nb

    book = {name: nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(name)]) for name in "ab"}
    monkeypatch.setattr(bench_kernel, "chapters", lambda: book)
    monkeypatch.setattr(bench_kernel, "run_notebook", run_notebook)
    pairs = bench_kernel.time_chapters(3, say=lambda _: None)
    f = bench_kernel.FLOOR_CODE
    assert ran == [f, f, "a", f, "b", "a", f, "b", f, f, "a", f, "b"]  # a warm-up floor, then 3 rounds
    for name, runs in pairs.items():
        assert [pair.floor_first for pair in runs] == [True, False, True]
        for pair in runs:
            chapter, floor = int(pair.chapter.seconds), int(pair.floor.seconds)
            assert (ran[chapter], ran[floor]) == (name, f)
            assert chapter - floor == (1 if pair.floor_first else -1)
