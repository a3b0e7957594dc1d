"""Every pitfall really shows its symptom when broken and the hand-derived gradient when fixed;
the explorer follows its menu and its switch."""

import math

import pytest

from helpers import finite_difference, pitfall_explorer
from helpers.pitfalls import (
    PITFALLS,
    Outcome,
    PitfallExplorer,
    plot_pitfall_summary,
    run_pitfall,
    run_snippet,
)
from helpers.values import LearnerInputError

LABELS = [p.label for p in PITFALLS]


@pytest.mark.parametrize("pitfall", PITFALLS, ids=LABELS)
def test_broken_code_shows_a_symptom(pitfall):
    outcome = run_snippet(pitfall.broken)
    wrong_number = outcome.grad is not None and not math.isclose(outcome.grad, pitfall.expected)
    assert outcome.error is not None or outcome.grad is None or wrong_number


@pytest.mark.parametrize("pitfall", PITFALLS, ids=LABELS)
def test_fixed_code_gives_the_hand_derived_gradient(pitfall):
    outcome = run_snippet(pitfall.fixed)
    assert outcome.error is None
    assert outcome.grad == pytest.approx(pitfall.expected, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("pitfall", PITFALLS, ids=LABELS)
def test_hand_derivation_agrees_with_a_finite_difference(pitfall):
    numeric = finite_difference(pitfall.function, pitfall.point)
    assert numeric == pytest.approx(pitfall.expected, rel=1e-4, abs=1e-6)


@pytest.mark.parametrize("name", sorted({p.name for p in PITFALLS}))
def test_tensorflow_and_pytorch_fixes_agree(name):
    results = [run_snippet(p.fixed).grad for p in PITFALLS if p.name == name]
    assert all(r == pytest.approx(results[0]) for r in results)


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("1 integer dtype · PyTorch", "floating point"),
        ("2 detour through NumPy · PyTorch", "detach().numpy()"),
        ("4 unconnected source · PyTorch", "not have been used in the graph"),
        ("5 asking twice · TensorFlow", "non-persistent GradientTape"),
        ("5 asking twice · PyTorch", "backward through the graph a second time"),
        ("7 in-place operation · PyTorch", "modified by an inplace operation"),
    ],
)
def test_raised_symptoms_are_the_libraries_own_messages(label, words):
    outcome = run_pitfall(label, "broken")
    assert outcome.error.startswith("RuntimeError: ") and words in outcome.error


def test_silent_symptoms():
    for label in ("1 integer dtype · TensorFlow", "2 detour through NumPy · TensorFlow",
                  "3 variable replaced by a tensor · TensorFlow", "4 unconnected source · TensorFlow"):
        assert run_pitfall(label, "broken") == Outcome(None)
    assert run_pitfall("6 gradients not zeroed · PyTorch", "broken").grad == pytest.approx(144.0)


def test_symptom_sentences():
    assert Outcome(None).symptom(6.0) == "no error, but the gradient is None"
    assert Outcome(144.0).symptom(72.0) == "gradient 144, but by hand it is 72"
    assert Outcome(72.0).symptom(72.0) == "gradient 72, as derived by hand"
    assert Outcome(None, "RuntimeError: boom").short() == "RuntimeError"


def test_switch_and_menu_change_code_readout_and_picture():
    box = pitfall_explorer()
    explorer = box.explorer
    assert explorer.current.label == LABELS[0] and explorer.outcome.grad is None
    assert "tf.Variable(3)" in explorer.readout.value and "gradient is None" in explorer.readout.value
    first_picture = bytes(explorer.image.value)
    assert first_picture.startswith(b"\x89PNG")
    assert explorer.bars[0].get_width() == 0.0

    explorer.version.value = "fixed"
    assert explorer.outcome.grad == pytest.approx(6.0)
    assert "tf.Variable(3.0)" in explorer.readout.value and "✔" in explorer.readout.value
    assert explorer.bars[0].get_width() == pytest.approx(6.0)
    assert bytes(explorer.image.value) != first_picture

    explorer.pitfall.value = "6 gradients not zeroed · PyTorch"
    assert explorer.outcome.grad == pytest.approx(72.0)
    explorer.version.value = "broken"
    assert explorer.outcome.grad == pytest.approx(144.0)
    assert "but by hand it is 72" in explorer.readout.value
    assert explorer.labels[0].get_text() == "144"


def test_explorer_can_start_anywhere_and_shows_errors():
    explorer = PitfallExplorer("7 in-place operation · PyTorch")
    assert "inplace operation" in explorer.outcome.error
    assert "raises RuntimeError" in explorer.readout.value
    assert explorer.labels[0].get_text() == "RuntimeError"


def test_text_form_explains_itself():
    assert "JupyterLab" in repr(pitfall_explorer())


def test_summary_picture_has_a_row_per_pitfall():
    import matplotlib

    matplotlib.use("Agg")
    ax = plot_pitfall_summary()
    texts = [t.get_text() for t in ax.texts]
    assert all(label in texts for label in LABELS)
    assert "144 (not 72)" in texts


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: pitfall_explorer("no such pitfall"), ValueError, "Pick one of"),
        (lambda: pitfall_explorer(version="half"), ValueError, "'broken' or 'fixed'"),
        (lambda: run_pitfall(LABELS[0], "repaired"), ValueError, "'broken' or 'fixed'"),
        (lambda: run_snippet("y = 1"), LearnerInputError, "must end by setting `grad`"),
        (lambda: run_snippet(42), LearnerInputError, "string of Python"),
    ],
)
def test_bad_requests_get_a_sentence(call, error, words):
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        call()
