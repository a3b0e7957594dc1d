"""Where the course's pieces are, in one place: the chapters, the solution marker, README blocks."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
# A chapter is a notebook whose name starts with its two-digit number.
CHAPTER_PATTERN = "[0-9][0-9]_*.ipynb"
# Every worked solution is folded under this summary line (handouts leave these cells out), in each
# edition's language.
SOLUTIONS = {
    "en": "<summary><b>Solution</b>",
    "de": "<summary><b>Lösung</b>",
    "zh": "<summary><b>参考答案</b>",
}
SOLUTION = SOLUTIONS["en"]
# What starts the setup section and an exercise, in each edition (slides go by them;
# tests/test_editions.py checks that the catalogs translate them so).
SETUP_HEADINGS = {"en": "## Setup", "de": "## Einrichtung", "zh": "## 准备工作"}
EXERCISE_STARTS = {"en": "**Exercise", "de": "**Übung", "zh": "**练习"}
# The German and Chinese editions: notebooks/<code>/, made by tools/editions.py.
EDITIONS = tuple(code for code in SOLUTIONS if code != "en")


def chapter_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """Every chapter notebook in `folder`, in teaching order."""
    return sorted(folder.glob(CHAPTER_PATTERN))


def edition_folder(code: str) -> Path:
    """Where an edition's chapters are: notebooks/ for English, notebooks/<code>/ for the others."""
    return NOTEBOOKS if code == "en" else NOTEBOOKS / code


def edition_of(path: Path) -> str:
    """The language code of the edition a chapter belongs to."""
    return path.parent.name if path.parent.name in EDITIONS else "en"


def every_chapter() -> list[Path]:
    """The chapters of every edition: the English ones, then each edition's."""
    return [path for code in ("en", *EDITIONS) for path in chapter_paths(edition_folder(code))]


def chapter_names(folder: Path = NOTEBOOKS) -> list[str]:
    """The file names of every chapter, in teaching order."""
    return [path.name for path in chapter_paths(folder)]


def is_solution(cell) -> bool:
    """A folded worked solution (a markdown cell under the solution summary)."""
    return cell.cell_type == "markdown" and any(marker in cell.source for marker in SOLUTIONS.values())


def replace_block(text: str, block: str, start: str, end: str) -> str:
    """Put `block` between the start and end markers of `text`, keeping the markers."""
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if len(pattern.findall(text)) != 1:
        raise ValueError(f"the text must hold exactly one {start} … {end} pair; add the markers first.")
    return pattern.sub(lambda _: f"{start}\n{block.strip()}\n{end}", text)


def explorers_shown(path: Path) -> list[str]:
    """The registered explorers a chapter calls, in the order its code first calls them."""
    import nbformat

    from helpers.explorer import EXPLORERS

    code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    calls = {name: code.find(f"helpers.{name}(") for name in EXPLORERS}
    return sorted((name for name, at in calls.items() if at >= 0), key=calls.get)


def explorer_chapters() -> dict[str, str]:
    """Each registered explorer -> the number of the first chapter that shows it, in chapter order."""
    found: dict[str, str] = {}
    for path in chapter_paths():
        for name in explorers_shown(path):
            found.setdefault(name, path.name[:2])
    return found
