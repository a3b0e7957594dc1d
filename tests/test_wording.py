"""The words a learner reads: every example is named by what it computes, never by where it came from
("the seed example", "the blog example", "the course's example"), and "seed" means the random seed only."""

import re

import nbformat
import pytest

from helpers.exercises import EXERCISES
from tools.project import chapter_paths

# "seed" before a number, "=" or as a plural ("random seeds") is the random seed; else it names a source.
SOURCE_NAMES = re.compile(r"(?i)\bseed(?!s\b|\s?=|\s?\d)|\bblog\b|\bcourse's example|\bthe post\b")


def learner_text(path):
    """Each cell's source and the text of its outputs, as (where, text)."""
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
        yield f"cell {index}", cell.source
        for output in cell.get("outputs", []):
            yield f"output of cell {index}", "".join(output.get("text", "")) + "".join(
                output.get("data", {}).get("text/plain", ""))


@pytest.mark.parametrize("path", chapter_paths(), ids=lambda p: p.name)
def test_chapters_name_examples_by_what_they_compute(path):
    found = [f"{where}: …{text[max(0, m.start() - 40):m.end() + 40]}…"
             for where, text in learner_text(path) for m in SOURCE_NAMES.finditer(text)]
    assert found == [], "name the example by what it computes:\n" + "\n".join(found)


def test_exercise_questions_and_hints_name_examples_by_what_they_compute():
    found = [f"{key}: {text}" for key, exercise in EXERCISES.items()
             for text in (exercise.question, exercise.hint) if SOURCE_NAMES.search(text)]
    assert found == []


@pytest.mark.parametrize("wrong", ["The seed example $x^3$", "the seed's x values", "The blog example:",
                                   "The course's example again", "The post opens a tape"])
def test_the_rule_catches_each_way_of_naming_a_source(wrong):
    assert SOURCE_NAMES.search(wrong)


@pytest.mark.parametrize("fine", ["fixes the random seeds so", "NumPy 2.4.6 · seed 42", "setup(seed=7)"])
def test_the_rule_leaves_the_random_seed_alone(fine):
    assert not SOURCE_NAMES.search(fine)
