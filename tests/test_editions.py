"""The German and Chinese editions stay in step with the English chapters (tools/editions.py).

- Every catalog and edition chapter is what `make editions` would write now, and nothing is left
  untranslated or fuzzy.
- Code is the same in every edition, token for token: only comments, the string literals the catalogs
  translate and the setup cell's language differ. Solutions' code blocks too.
- A translated markdown cell keeps its formulas, inline code, code, links and headings.
- The glossaries' words are the seeds' own and are used wherever the English term is.
- Every code cell prints the same numbers and the same ✔ and ✘ in every edition.
- Chinese figures draw every character: the shipped font covers the catalogs, and matplotlib warns of
  no missing glyph for any Chinese message.
"""

from __future__ import annotations

import collections
import io
import re
import tokenize
import warnings
from pathlib import Path

import nbformat
import pytest

from helpers.translation import speaking
from tests.test_notebook_runs import printed
from tools import cjk_font, editions
from tools.project import EDITIONS, EXERCISE_STARTS, ROOT, SETUP_HEADINGS, SOLUTIONS, chapter_paths

CHAPTERS = chapter_paths()
PAIRS = [(chapter, code) for code in EDITIONS for chapter in CHAPTERS]
SEEDS = ROOT.parent / "shared" / "seeds"
CODE_BLOCK = re.compile(r"```[a-z]*\n(.*?)```", re.S)
INLINE = re.compile(r"`[^`\n]+`|\$\$.*?\$\$|\$[^$\n]+\$", re.S)
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[+-]?\d+)?")


def pair_id(pair) -> str:
    return f"{pair[1]}-{pair[0].stem}"


def test_catalogs_and_editions_are_up_to_date():
    stale = [p.relative_to(ROOT).as_posix() for p in editions.stale(editions.expected_files())]
    stale += [p.relative_to(ROOT).as_posix() for p in editions.stale(editions.expected_editions())]
    assert stale == [], "run `make editions` (python tools/editions.py): these are stale: " + ", ".join(stale)


def test_nothing_is_left_untranslated():
    left = {p.relative_to(ROOT).as_posix(): texts[:3] for p, texts in editions.missing_translations().items()}
    assert left == {}, f"translate these (first three of each catalog shown): {left}"


def code_tokens(source: str) -> list[tokenize.TokenInfo]:
    """A cell's tokens without comments and layout."""
    layout = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)
    return [tok for tok in tokenize.generate_tokens(io.StringIO(source).readline) if tok.type not in layout]


def fields(body: str) -> list[str]:
    return sorted(re.findall(r"\{[^{}]*\}", body))


def same_code(english: str, translated: str) -> bool:
    """The same tokens, but for the string literals the catalogs translate: those keep their prefix,
    quotes and (in an f-string) replacement fields."""
    mine, theirs = code_tokens(english), code_tokens(translated)
    if len(mine) != len(theirs):
        return False
    for a, b in zip(mine, theirs, strict=True):
        parts = editions.STRING_PARTS.match(a.string) if a.type == tokenize.STRING else None
        if parts and editions.PROSE.search(parts["body"]):
            other = editions.STRING_PARTS.match(b.string) if b.type == tokenize.STRING else None
            if not other or (other["prefix"], other["quote"]) != (parts["prefix"], parts["quote"]):
                return False
            if "f" in parts["prefix"].lower() and fields(other["body"]) != fields(parts["body"]):
                return False
        elif (a.type, a.string) != (b.type, b.string):
            return False
    return True


def solution_code(markdown: str) -> list[str]:
    return CODE_BLOCK.findall(markdown)


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_code_is_the_same_in_every_edition(pair):
    chapter, code = pair
    english = nbformat.read(chapter, as_version=4).cells
    translated = nbformat.read(editions.edition_path(chapter, code), as_version=4).cells
    assert [c.cell_type for c in translated] == [c.cell_type for c in english]
    for mine, theirs in zip(english, translated, strict=True):
        if mine.cell_type == "code":
            expected = editions.SETUP_LANGUAGE.sub(rf"\g<1>{code}\g<2>", mine.source)
            assert same_code(expected, theirs.source), f"{chapter.name}: code differs:\n{theirs.source}"
        elif mine.cell_type == "markdown" and not editions.is_generated(mine):
            blocks, found = solution_code(mine.source), solution_code(theirs.source)
            assert len(blocks) == len(found) and all(map(same_code, blocks, found)), (
                f"{chapter.name}: a code block of this cell differs:\n{theirs.source}")


def headings(markdown: str) -> list[str]:
    text = CODE_BLOCK.sub("", markdown)
    return [line.split(" ")[0] for line in text.splitlines() if re.match(r"#+ ", line)]


@pytest.mark.parametrize("pair", PAIRS, ids=pair_id)
def test_translated_text_keeps_formulas_code_links_and_headings(pair):
    chapter, code = pair
    english = nbformat.read(chapter, as_version=4).cells
    translated = nbformat.read(editions.edition_path(chapter, code), as_version=4).cells
    problems = []
    for mine, theirs in zip(english, translated, strict=True):
        if mine.cell_type != "markdown" or editions.is_generated(mine):
            continue
        for name, find in (("formulas and inline code", INLINE.findall), ("links", LINK_TARGET.findall),
                           ("headings", headings)):
            want, got = find(CODE_BLOCK.sub("", mine.source)), find(CODE_BLOCK.sub("", theirs.source))
            if name == "links":
                want = [t.replace("notebooks%2F", f"notebooks%2F{code}%2F") for t in want]
            # A translation loses none of the English formulas and code (it may say `x` once where the
            # English says it twice, or add one), and has the same links and headings.
            lost = set(want) - set(got) if name.startswith("formulas") else set(want) ^ set(got)
            if lost or (name == "headings" and want != got):
                problems.append(f"{name} differ in {mine.get('id')}: {sorted(lost)}")
    assert not problems, f"{chapter.name} ({code}):\n" + "\n".join(problems)


def glossary(code: str) -> list[dict[str, str]]:
    rows = []
    for line in (ROOT / "docs" / f"glossary.{code}.md").read_text(encoding="utf-8").splitlines()[2:]:
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 4 and cells[0] not in ("English", "---"):
            rows.append(dict(zip(("english", "term", "forms", "seed"), cells, strict=True)))
    return rows


def heading_lines(markdown: str) -> list[str]:
    return [line for line in CODE_BLOCK.sub("", markdown).splitlines() if re.match(r"#+ ", line)]


@pytest.mark.parametrize("code", EDITIONS)
def test_a_heading_is_translated_the_same_in_every_chapter(code):
    """"## Your turn", "## Summary", "## The same in PyTorch", …: one wording per edition."""
    said: dict[str, set[str]] = collections.defaultdict(set)
    for chapter in CHAPTERS:
        catalog = editions.chapter_catalog(chapter, code)
        for english, translated in editions.translations(catalog, code).items():
            for mine, theirs in zip(heading_lines(english), heading_lines(translated), strict=False):
                said[mine].add(theirs)
    varied = {english: sorted(ways) for english, ways in said.items() if len(ways) > 1}
    assert varied == {}, f"headings translated in more than one way: {varied}"


@pytest.mark.parametrize("code", EDITIONS)
def test_setup_exercises_and_solutions_start_as_the_slides_and_handouts_expect(code):
    """tools/project.py's words for the setup heading, an exercise and a solution are the catalogs'."""
    for chapter in CHAPTERS:
        catalog = editions.chapter_catalog(chapter, code)
        for english, translated in editions.translations(catalog, code).items():
            for words in (SETUP_HEADINGS, EXERCISE_STARTS, SOLUTIONS):
                if words["en"] in english:
                    assert words[code] in translated, f"{chapter.name}: {translated[:80]!r}"


def forms(row: dict[str, str]) -> str:
    return row["forms"].replace("\\|", "|")  # a table cell writes the regular expression's | as \|


@pytest.mark.parametrize("code", EDITIONS)
def test_the_glossary_uses_the_seeds_own_words(code):
    rows = glossary(code)
    assert len(rows) >= 25
    for row in rows:
        if row["seed"]:
            seed = (SEEDS / row["seed"]).read_text(encoding="utf-8")
            assert re.search(forms(row), seed, re.I), f"{row['term']} is not in {row['seed']}"


# Where terms stay in English: HTML tags, replacement fields, and code outside backticks in a comment or
# a string (dotted names such as tape.gradient, calls, snake_case names).
NOT_PROSE = re.compile(r"<[^>]+>|\{[^{}]*\}|\b\w+(?:\.\w+)+(?:\([^)]*\))?|\b\w+\([^)]*\)|\b\w+_\w+\b")


def prose(text: str) -> str:
    """Text without code blocks, inline code, formulas and code names (where terms stay in English)."""
    return NOT_PROSE.sub(" ", INLINE.sub(" ", CODE_BLOCK.sub(" ", text)))


@pytest.mark.parametrize("code", EDITIONS)
def test_the_glossary_is_used_everywhere(code):
    rows = glossary(code)
    catalogs = [editions.catalog_path(code)] + [editions.chapter_catalog(ch, code) for ch in CHAPTERS]
    problems = []
    for path in catalogs:
        for english, translated in editions.translations(path, code).items():
            if isinstance(english, tuple):
                english, translated = english[0], translated[0]
            for row in rows:
                said = re.search(rf"\b{re.escape(row['english'])}(s|es)?\b", prose(english), re.I)
                if said and not re.search(forms(row), prose(translated), re.I):
                    problems.append(f"{path.name}: {row['english']!r} is not {row['term']!r} in "
                                    f"{translated[:90]!r}")
    assert not problems, (f"{len(problems)} translations miss the glossary's word:\n"
                          + "\n".join(problems[:40]))


def numbers(cell) -> collections.Counter:
    """The numbers and ticks a code cell prints, in any order (a translation may reorder a sentence)."""
    text = "".join(line.split(" ", 1)[1] for line in printed(cell) if not line.startswith("[error]"))
    return collections.Counter(NUMBER.findall(text) + re.findall("[✔✘]", text))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_edition_prints_the_same_numbers(chapter):
    english = [c for c in nbformat.read(chapter, as_version=4).cells if c.cell_type == "code"]
    for code in EDITIONS:
        translated = [c for c in nbformat.read(editions.edition_path(chapter, code), as_version=4).cells
                      if c.cell_type == "code"]
        for mine, theirs in zip(english, translated, strict=True):
            assert numbers(theirs) == numbers(mine), (
                f"{chapter.name} ({code}) prints other numbers under\n{mine.source}")


def test_the_chinese_font_has_every_character_the_catalogs_use():
    missing = sorted(cjk_font.needed() - cjk_font.covered())
    assert missing == [], f"run `make editions` to add {''.join(map(chr, missing))!r} to the font"


def test_chinese_figures_warn_of_no_missing_glyph(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    texts = []
    for path in cjk_font.catalogs():
        texts += [t for t in editions.translations(path, "zh").values() if isinstance(t, str)]
    assert len(texts) > 100
    with speaking("zh"), warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib: "Glyph … missing from font(s) …"
        fig = plt.figure()
        for k, text in enumerate(texts):
            fig.text(0, 0, text[:200].replace("$", r"\$"))
            if k % 50 == 49:
                fig.savefig(tmp_path / "text.png")
                fig.clear()
        fig.savefig(tmp_path / "text.png")
        plt.close(fig)


@pytest.mark.parametrize("code", EDITIONS)
def test_stored_edition_outputs_hold_no_missing_glyph_warning(code):
    for chapter in CHAPTERS:
        stored = Path(editions.edition_path(chapter, code)).read_text(encoding="utf-8")
        assert "missing from font" not in stored, f"{chapter.name} ({code}) drew a character its font lacks"


def test_the_setup_cell_switches_the_helpers_language(capsys):
    import helpers

    said = {}
    try:
        for code in ("de", "zh", "en"):
            helpers.setup(language=code, load_libraries=False)
            helpers.check("01-derivative", 6.0)
            helpers.check("01-derivative", 5.0)
            said[code] = capsys.readouterr().out
    finally:
        helpers.setup(language="en", load_libraries=False)
    assert "TensorFlow und PyTorch" in said["de"]
    assert "✔ Richtig!" in said["de"] and "✘ Noch nicht" in said["de"]
    assert "✔ 正确！" in said["zh"] and "✘ 还不对" in said["zh"]
    assert "✔ Correct!" in said["en"] and "✘ Not yet" in said["en"]
