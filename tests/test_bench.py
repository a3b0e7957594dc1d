"""The benchmark's own pieces: its arithmetic, its tables and verdicts, the README block it rewrites,
and how it moves an explorer's control. Behaviour only; no timing is asserted anywhere."""

import math
import sys
from pathlib import Path

import ipywidgets as widgets
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import bench_explorers  # noqa: E402
import bench_report as br  # noqa: E402


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
    once = br.replace_block(text, "new table\n")
    assert once == f"intro\n{br.README_START}\nnew table\n{br.README_END}\noutro\n"
    assert br.replace_block(once, "new table") == once  # rerunning changes nothing
    assert br.replace_block(text, "a \\1 backslash").count("a \\1 backslash") == 1  # block taken literally


TWO_PAIRS = f"{br.README_START} x {br.README_END} {br.README_START} y {br.README_END}"


@pytest.mark.parametrize("text", ["no markers at all", TWO_PAIRS])
def test_readme_block_needs_exactly_one_pair_of_markers(text):
    with pytest.raises(ValueError, match="exactly one"):
        br.replace_block(text, "table")


def _results(chapter_seconds=4.0, peak=800.0, update=10.0, naive=100.0, suite=6.0, browser=(60.0,)):
    floor = [br.Run(3.0, 700.0), br.Run(3.4, 710.0), br.Run(9.0, 705.0)]  # median 3.4: one slow round ignored
    chapters = {"00_start_here": [br.Run(3.5, 750.0)], "01_gradient_tape": [br.Run(chapter_seconds, peak)]}
    explorers = [br.Explorer("tangent_explorer", "01", "x", [update] * 50, [naive] * 20)]
    return br.Results(
        "2026-01-02", "test machine", floor, chapters, suite, 2, explorers,
        browser_ms=list(browser) if browser else None, browser_note="" if browser else "no Chromium",
    )


def _verdicts(results):
    return {name: met for name, _limit, _measured, met in br.targets(results)}


def test_targets_met_when_every_figure_is_inside_its_limit():
    results = _results()
    assert results.floor_seconds == 3.4 and results.floor_sum == pytest.approx(6.8)
    assert all(_verdicts(results).values())
    assert results.explorers[0].speedup == 10.0


@pytest.mark.parametrize(
    "changed, target",
    [
        ({"chapter_seconds": 7.0}, "every chapter's time ÷ import floor"),  # 2.06 × the floor
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
    assert "| 01_gradient_tape | 4.0 | 1.18 | 800 | ✔ |" in text
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


def test_the_control_moved_first_is_a_slider_before_a_menu():
    menu = widgets.Dropdown(options=["a"])
    slider = widgets.FloatSlider()
    box = widgets.VBox([widgets.HBox([menu, slider]), widgets.HTML()])
    assert bench_explorers.first_control(box) is slider
    assert bench_explorers.first_control(widgets.VBox([menu])) is menu
