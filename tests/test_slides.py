"""Every chapter can be presented: slide metadata follows the anatomy, and the exported reveal.js
decks have one slide per marked cell and load nothing from the internet."""

import re
from collections import Counter
from html.parser import HTMLParser

import nbformat
import pytest

from tools import slides
from tools.project import EXERCISE_STARTS, NOTEBOOKS, SOLUTIONS, every_chapter, is_solution

CHAPTERS = every_chapter()  # the English chapters, then the German and Chinese editions'


def name(path) -> str:
    """"01_gradient_tape", "de/01_gradient_tape": a chapter's deck and handout, relative to their folder."""
    return path.relative_to(NOTEBOOKS).with_suffix("").as_posix()


# A lecturer reads a code cell from the screen to the back row: longer cells are split, or their detail
# moves into a helper that the chapter shows once.
LONGEST_CODE_CELL = 25


@pytest.mark.parametrize("path", CHAPTERS, ids=name)
def test_no_code_cell_on_a_slide_is_longer_than_a_lecturer_can_show(path):
    cells = nbformat.read(path, as_version=4).cells
    long = {i: len(c.source.splitlines()) for i, c in enumerate(cells)
            if c.cell_type == "code" and slides.slide_type(c) not in ("skip", "notes")
            and len(c.source.splitlines()) > LONGEST_CODE_CELL}
    assert long == {}, f"code cells longer than {LONGEST_CODE_CELL} lines (cell: lines): {long}"


def test_slide_metadata_is_fresh():
    assert slides.stale() == [], "run `make contents` (python tools/slides.py)"


@pytest.mark.parametrize("path", CHAPTERS, ids=name)
def test_slides_follow_the_lecture_plan(path):
    cells = nbformat.read(path, as_version=4).cells
    kinds = [slides.slide_type(c) for c in cells]
    assert kinds[0] == "slide", "the title is a slide of its own"
    for cell, kind in zip(cells, kinds, strict=True):
        text = cell.source.lstrip()
        if cell.cell_type == "markdown" and text.startswith(tuple(EXERCISE_STARTS.values())):
            assert kind == "slide", "every exercise starts its own slide"
        if cell.cell_type == "code" and "helpers.setup(" in cell.source:
            assert kind == "notes", "the setup cell goes to the speaker notes"
        if text.startswith("<!-- generated: navigation -->"):
            assert kind == "skip"
        # a section heading opens its own cell, or it cannot open a slide
        inner = re.findall(r"\n(#{2,3} .*)", cell.source) if cell.cell_type == "markdown" else []
        assert "<details>" in cell.source or not inner, f"{path.name}: start a new cell at {inner[0]!r}"
    # one idea per slide: no slide or sub-slide runs on for more than a handful of cells
    runs, current = [], 0
    for kind in kinds:
        current = 1 if kind in ("slide", "subslide") else current + 1
        runs.append(current)
    assert max(runs) <= 12, f"{path.name} has a slide of {max(runs)} cells"


class _Sections(HTMLParser):
    """Counts reveal.js slides (top-level <section>) and all vertical slides (nested ones)."""

    def __init__(self):
        super().__init__()
        self.depth = self.top = self.nested = 0
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.depth += 1
            self.top += self.depth == 1
            self.nested += self.depth == 2
        if tag in ("script", "link") and (attrs.get("src") or attrs.get("href")):
            self.sources.append(attrs.get("src") or attrs.get("href"))

    def handle_endtag(self, tag):
        self.depth -= tag == "section"


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    target = tmp_path_factory.mktemp("slides")
    built = slides.export(target)
    return target, {deck.relative_to(target).as_posix().removesuffix(".slides.html"): deck for deck in built}


def test_one_deck_per_chapter_with_one_slide_per_marked_cell(decks):
    target, built = decks
    assert sorted(built) == sorted(name(p) for p in CHAPTERS)
    for path in CHAPTERS:
        # the deck's cells: the notebook's, with the outputs of an overlong code cell as a cell of their own
        cells = slides.deck_notebook(nbformat.read(path, as_version=4)).cells
        counts = Counter(slides.slide_type(c) for c in cells)
        parsed = _Sections()
        parsed.feed(built[name(path)].read_text(encoding="utf-8"))
        assert parsed.top == counts["slide"], path.name
        assert parsed.nested == counts["slide"] + counts["subslide"], path.name


def test_decks_are_single_files_that_load_nothing(decks):
    target, built = decks
    assert sorted(p for p in target.rglob("*") if p.is_file()) == sorted(built.values())
    for name, deck in built.items():
        html = deck.read_text(encoding="utf-8")
        parsed = _Sections()
        parsed.feed(html)
        assert parsed.sources == [], f"{name} loads {parsed.sources}: a deck must carry everything"
        assert "Reveal.initialize(" in html and "window.MathJax = {" in html, name
        assert not re.search(r"<img[^>]+src=[\"']https?:", html), f"{name} shows a picture from the web"
        assert slides.WIDGET_VIEW not in html, f"{name} has a widget view that needs a widget manager"


def test_an_overlong_code_cell_shows_its_outputs_on_a_sub_slide_of_their_own():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title"),
        nbformat.v4.new_markdown_cell("## A section\n\nSome text."),
        nbformat.v4.new_code_cell("for i in range(40):\n    print(i)", outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="".join(f"{i}\n" for i in range(40)))]),
        nbformat.v4.new_markdown_cell("Short text after it."),
    ])
    # the text after it does not fit below forty lines of output either
    assert slides.slide_types(nb) == ["slide", "slide", "-", "subslide"]
    for cell, kind in zip(nb.cells, slides.slide_types(nb), strict=True):
        cell.metadata["slideshow"] = {"slide_type": kind}
    deck = slides.deck_notebook(nb).cells
    assert [slides.slide_type(c) for c in deck] == ["slide", "slide", "-", "subslide", "subslide"]
    code, shown = deck[2], deck[3]
    assert code.outputs == [] and shown.outputs == nb.cells[2].outputs
    assert shown.metadata["transient"] == {"remove_source": True}


def test_handouts_drop_the_solutions_and_keep_the_exercises(tmp_path):
    from tools.handouts import write_handouts

    written = write_handouts(tmp_path)
    assert [copy.relative_to(tmp_path) for copy in written] == [p.relative_to(NOTEBOOKS) for p in CHAPTERS]
    for copy in written:
        original = nbformat.read(NOTEBOOKS / copy.relative_to(tmp_path), as_version=4).cells
        kept = nbformat.read(copy, as_version=4).cells
        solutions = [c for c in original if is_solution(c)]
        # Only the solution cells go: no other cell (a code cell, say) may hold a marker.
        assert not any(marker in c.source for c in kept for marker in SOLUTIONS.values())
        assert kept == [c for c in original if not is_solution(c)], "every other cell stays as it is"
        exercise_cells = [
            [c.source for c in cells if c.cell_type == "code" and "helpers.check(" in c.source]
            for cells in (kept, original)
        ]
        assert exercise_cells[0] == exercise_cells[1]
        if not copy.name.startswith("00_"):
            assert solutions, f"{copy.name} had no solution to remove"


def test_without_the_npm_registry_make_slides_says_what_failed(tmp_path, monkeypatch):
    """The decks inline reveal.js and MathJax, fetched once with npm: when that fails, a sentence
    names the package and npm's own reason instead of a CalledProcessError."""
    import subprocess

    monkeypatch.setattr(slides, "ROOT", tmp_path)  # an empty cache in build/vendor
    monkeypatch.setattr(slides.shutil, "which", lambda _name: "/usr/bin/npm")
    npm_says = "npm error network request failed, reason: getaddrinfo EAI_AGAIN\n"
    refused = subprocess.CompletedProcess([], 1, "", npm_says)
    monkeypatch.setattr(slides.subprocess, "run", lambda *args, **kwargs: refused)
    with pytest.raises(SystemExit) as exit_:
        slides.vendor()
    message = str(exit_.value.code)
    assert message.startswith("npm could not fetch reveal.js@4.0.2 for the decks (npm error network request")
    assert "run `make slides` again" in message
