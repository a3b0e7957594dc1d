"""tools.wait: waiting on a condition and sampling in the background (browser tests, benchmark)."""

import itertools

import pytest

from tools.wait import Every, until


def test_until_returns_the_first_truthy_answer():
    answers = iter([None, 0, "", "ready", "later"])
    assert until(lambda: next(answers), "an answer", timeout=30, every=0) == "ready"


def test_until_says_what_it_waited_for_and_the_state_at_that_moment():
    asked = itertools.count(1)
    with pytest.raises(AssertionError, match=r"waited 0 s for the kernel: asked \d+ times"):
        until(lambda: next(asked) and False, lambda: f"the kernel: asked {next(asked)} times",
              timeout=0, every=0)


def test_until_stops_early_when_the_condition_raises():
    def server_gone():
        raise RuntimeError("JupyterLab stopped")

    with pytest.raises(RuntimeError, match="JupyterLab stopped"):
        until(server_gone, "JupyterLab to answer", timeout=30)


def test_every_samples_while_the_block_runs_and_once_as_it_ends():
    seen = []
    with Every(0.001, lambda: seen.append(len(seen))):
        until(lambda: len(seen) >= 3, "three samples", timeout=30, every=0.001)
    count = len(seen)
    assert count >= 4  # three during the block, one as it ends
    assert seen == list(range(count))
    until(lambda: True, "nothing", timeout=0)
    assert len(seen) == count, "sampling stopped with the block"
