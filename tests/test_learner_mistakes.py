"""Every row of the learner-mistakes catalogue (tests/learner_mistakes.py) gets its sentence, no traceback."""

import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

import helpers as h
from helpers.checks import Verdict
from helpers.values import SaidInWords
from tests.learner_mistakes import DOC, NOT_LISTED, PRINTED, ROWS, Mistake, render


def _message(row: Mistake, capsys: pytest.CaptureFixture) -> str:
    result = row.call()
    return result.message if isinstance(result, Verdict) else capsys.readouterr().out


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.function}: {row.mistake}")
def test_each_mistake_gets_a_sentence(row, capsys):
    try:
        if row.error is PRINTED:
            assert re.search(row.says, _message(row, capsys), re.S), _message(row, capsys)
        else:
            with pytest.raises(row.error, match=row.says) as info:
                row.call()
            # Raised by the helper at its boundary, not from deep inside NumPy, TensorFlow or PyTorch.
            assert "/helpers/" in str(info.traceback[-1].path).replace("\\", "/"), info.traceback[-1]
            # A notebook shows it as the sentence and the learner's line: two lines, no traceback.
            assert isinstance(info.value, SaidInWords), f"{type(info.value).__name__} would show a traceback"
            shown = info.value._render_traceback_()
            assert len(shown) <= 2 and re.search(row.says, shown[0], re.S), shown
    finally:
        plt.close("all")


def test_every_public_function_has_rows():
    listed = {row.function for row in ROWS}
    public = (set(h.__all__) | {"check", "evaluate", "confirm"}) - set(NOT_LISTED)
    assert public - listed == set(), "add rows for these public functions (or list them in NOT_LISTED)"
    assert listed - set(h.__all__) - {"evaluate"} == set(), "rows for functions that are not public"


def test_rows_are_distinct():
    keys = [(row.function, row.mistake) for row in ROWS]
    assert len(keys) == len(set(keys))


def test_the_doc_lists_every_row():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/learner-mistakes.md is stale: run `make contents`"
    )
