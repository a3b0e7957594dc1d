"""Slide metadata for presenting chapters live (RISE) and exporting them as reveal.js decks.

    python tools/slides.py            # (re)write every notebook's slide metadata from its structure
    python tools/slides.py --check    # report notebooks whose metadata is stale (the tests do this)
    python tools/slides.py --export build/slides   # self-contained decks that open offline

The slide types follow the chapter anatomy, so a new chapter needs no hand-made metadata:
title and `##` sections start slides, `###` and long sections start sub-slides, each exercise gets
its own slide with its solution as a fragment, and the setup goes to the speaker notes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import nbformat
import regenerate

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CELLS_PER_SLIDE = 4  # more than this and a section continues on a sub-slide
# JavaScript the decks need, fetched once from the npm registry and copied beside them.
VENDOR = {
    "reveal.js": "reveal.js@4.0.2",
    "jquery": "jquery@3.5.1",
    "requirejs": "requirejs@2.3.6",
    "mathjax": "mathjax@2.7.7",
}


def slide_types(cells: list) -> list[str]:
    """The RISE slide type of every cell, derived from the headings and the exercises."""
    types, in_setup, on_slide = [], False, 0
    for i, cell in enumerate(cells):
        text = cell.source.lstrip() if cell.cell_type == "markdown" else ""
        if i == 0 or text.startswith("## ") or text.startswith("**Exercise"):
            kind = "skip" if text.startswith("## Setup") else "slide"
            in_setup = text.startswith("## Setup")
        elif text.startswith("<!-- generated: navigation -->"):
            kind = "skip"
        elif in_setup and cell.cell_type == "code":
            kind = "notes"  # the lecturer runs it before presenting; it is in the speaker view
        elif text.startswith("### "):
            kind = "subslide"
        elif text.startswith("<details>"):
            kind = "fragment"  # a solution appears on a click, below its exercise
        elif cell.cell_type == "markdown" and on_slide >= CELLS_PER_SLIDE:
            kind = "subslide"
        else:
            kind = "-"
        if kind != "notes" and cell.cell_type == "markdown":
            in_setup = in_setup and kind == "skip"
        on_slide = 1 if kind in ("slide", "subslide") else on_slide + 1
        types.append(kind)
    return types


def expected(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    for cell, kind in zip(nb.cells, slide_types(nb.cells), strict=True):
        cell.metadata["slideshow"] = {"slide_type": kind}
    return nbformat.writes(nb) + "\n"


def notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def expected_files() -> dict[Path, str]:
    return {p: expected(p) for p in notebooks()}


def stale() -> list[str]:
    return regenerate.stale(expected_files())


def vendor(target: Path) -> dict[str, str]:
    """Copy the decks' JavaScript beside them (from npm); return nbconvert's options for it."""
    if shutil.which("npm") is None:
        print("npm not found: the decks will load reveal.js and MathJax from the internet.")
        return {}
    cache = ROOT / "build" / "vendor"
    for folder, spec in VENDOR.items():
        if not (cache / folder).is_dir():
            with tempfile.TemporaryDirectory() as tmp:
                subprocess.run(["npm", "pack", "--silent", spec], cwd=tmp, check=True, capture_output=True)
                (archive,) = Path(tmp).glob("*.tgz")
                with tarfile.open(archive) as tar:
                    tar.extractall(tmp, filter="data")
                shutil.copytree(Path(tmp) / "package", cache / folder)
    shutil.copytree(cache, target / "vendor", dirs_exist_ok=True)
    return {
        "SlidesExporter.reveal_url_prefix": "vendor/reveal.js",
        "HTMLExporter.jquery_url": "vendor/jquery/dist/jquery.min.js",
        "HTMLExporter.require_js_url": "vendor/requirejs/require.js",
        "HTMLExporter.mathjax_url": "vendor/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    }


def export(target: Path) -> list[Path]:
    """One reveal.js deck per chapter in `target`, with stored outputs and no network needed."""
    target.mkdir(parents=True, exist_ok=True)
    options = [f"--{key}={value}" for key, value in vendor(target).items()]
    command = [sys.executable, "-m", "nbconvert", "--to", "slides", f"--output-dir={target}", *options]
    subprocess.run([*command, *map(str, notebooks())], check=True, capture_output=True,
                   env=dict(os.environ, PYDEVD_DISABLE_FILE_VALIDATION="1"))
    return sorted(target.glob("*.slides.html"))


def main(argv: list[str]) -> int:
    if "--export" in argv:
        for deck in export(Path(argv[argv.index("--export") + 1])):
            print(f"wrote {deck}")
        return 0
    return regenerate.apply(expected_files(), "--check" in argv, "python tools/slides.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
