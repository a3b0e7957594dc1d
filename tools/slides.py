"""Slide metadata for presenting chapters live and exporting them as reveal.js decks.

    python tools/slides.py            # (re)write every notebook's slide metadata from its structure
    python tools/slides.py --check    # report notebooks whose metadata is stale (the tests do this)
    python tools/slides.py --export build/slides   # one self-contained .html deck per chapter

The slide types follow the chapter anatomy, so a new chapter needs no hand-made metadata:
title and `##` sections start slides, `###` starts a sub-slide, each exercise gets its own slide
with its solution as a fragment, and the setup goes to the speaker notes. What does not fit on a
slide of 16:9 continues on a sub-slide, judged by an estimate of each cell's height (`slide_plan`).

Each deck is one file that carries everything (reveal.js, MathJax 3, the pictures), so it can be
copied alone and opens offline; explorers appear as a still of their stored first picture.
"""

from __future__ import annotations

import base64
import copy
import html
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
from pathlib import Path

import nbformat

from helpers.translation import N_, _, speaking
from tools import regenerate
from tools.project import EXERCISE_STARTS, NOTEBOOKS, ROOT, SETUP_HEADINGS, edition_of, every_chapter

# Fetched once from the npm registry into build/vendor, then inlined into every deck.
VENDOR = {"reveal.js": "reveal.js@4.0.2", "mathjax": "mathjax@3.2.2"}
INLINED = {
    "reveal_css": "reveal.js/dist/reveal.css",
    "theme_css": "reveal.js/dist/theme/simple.css",
    "reveal_js": "reveal.js/dist/reveal.js",
    "notes_js": "reveal.js/plugin/notes/notes.js",
    # tex-svg-full: every TeX extension and the glyphs in one file, nothing loaded later
    "mathjax_js": "mathjax/es5/tex-svg-full.js",
}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
STILL_NOTE = N_("A still of what the notebook stored: run it in JupyterLab to move the controls.")
# Heights in CSS pixels of a deck slide (`SLIDE`, with nbconvert's reveal fonts: 20px text, 19px
# code), fitted to the decks' measured cells and rounded up. A text line holds about 110
# characters, a code line about 95.
BUDGET = 620  # of the slide's 700px: 40px padding, the rest a margin for the estimate (and for the live deck)
TEXT_CHARS, CODE_CHARS = 110, 95
IMAGE_MAX = 560  # taller pictures are scaled down to this in the deck (`TEMPLATE`)
CONTENT_WIDTH = 1200


def _width(line: str) -> int:
    """A line's width in Latin characters: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def _lines(text: str, chars: int) -> int:
    """Screen lines of `text`: every source line, wrapped at `chars` characters."""
    return sum(max(1, -(-_width(line) // chars)) for line in text.splitlines())


def png_size(png: str) -> tuple[int, int]:
    """(width, height) in pixels of a base64 PNG, read from its header."""
    header = base64.b64decode(png[:44])
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def _picture_size(png: str) -> tuple[int, int]:
    """The size a base64 PNG takes on a slide: its own, narrowed to the slide, at most IMAGE_MAX high."""
    width, height = png_size(png)
    scale = min(1.0, CONTENT_WIDTH / width, IMAGE_MAX / height)
    return round(width * scale), round(height * scale)


def _markdown_height(source: str) -> int:
    height = 30
    for block in re.split(r"\n\s*\n", source.strip()):
        if block.startswith(("```", "<details>", "</details>")):
            height += 30 + 20 * _lines(block, CODE_CHARS) if block.startswith("```") else 30
            continue
        heading = {"# ": 100, "## ": 80, "### ": 60}.get(block[: block.find(" ") + 1], 0)
        text = block.partition("\n")[2] if heading else block
        rows = [line for line in text.splitlines() if line.startswith("|") and "---" not in line]
        height += heading + sum(20 + 25 * _lines(row, 90) for row in rows)  # cells wrap in columns
        text = "\n".join(line for line in text.splitlines() if not line.startswith(("|", "<!--")))
        if text.strip():
            items = len(re.findall(r"^\s*(?:[*-]|\d+\.) ", text, re.M))
            height += 10 + 25 * _lines(text, TEXT_CHARS) + 14 * items
            height += 90 * text.count("$$") // 2 + 5 * text.count("\\frac")  # displayed and built-up math
    return height


def _output_height(output: dict, state: dict) -> int:
    data = output.get("data", {})
    if WIDGET_VIEW in data and data[WIDGET_VIEW]["model_id"] in state:
        return still(state, data[WIDGET_VIEW]["model_id"])[1]
    if "image/png" in data:
        return 55 + _picture_size(data["image/png"])[1]
    text = output.get("text") or "\n".join(output.get("traceback", [])) or data.get("text/plain", "")
    return 10 + 22 * _lines(text, CODE_CHARS)


def heights(cell: dict, state: dict) -> tuple[int, int]:
    """The estimated height of a cell's input and of its outputs on a deck slide."""
    if cell["cell_type"] != "code":
        return _markdown_height(cell["source"]), 0
    outputs = sum(_output_height(output, state) for output in cell["outputs"])
    return 50 + 23 * _lines(cell["source"], CODE_CHARS), outputs


def slide_plan(nb: nbformat.NotebookNode) -> list[tuple[str, bool]]:
    """Every cell's slide type, and whether its outputs go on a sub-slide of their own.

    The anatomy decides where slides start (title, `##`, each exercise; `###` starts a sub-slide;
    a solution is a fragment; the setup goes to the notes). Within a slide, a text and the code
    cells after it form a group that stays together when it fits: a group that does not fit in
    what is left of the slide starts a sub-slide, and so does a cell that does not fit within an
    overlong group. A code cell too tall for any slide shows its outputs on the next sub-slide.
    """
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    kinds, in_setup = [], False
    for i, cell in enumerate(nb.cells):
        text = cell.source.lstrip() if cell.cell_type == "markdown" else ""
        setup = text.startswith(tuple(SETUP_HEADINGS.values()))
        if i == 0 or text.startswith("## ") or text.startswith(tuple(EXERCISE_STARTS.values())):
            kind = "skip" if setup else "slide"
            in_setup = setup
        elif text.startswith("<!-- generated: navigation -->"):
            kind = "skip"
        elif in_setup and cell.cell_type == "code":
            kind = "notes"  # the lecturer runs it before presenting; it is in the speaker view
        elif text.startswith("### "):
            kind = "subslide"
        elif text.startswith("<details>"):
            kind = "fragment"  # a solution appears on a click, below its exercise
        else:
            kind = "-"
        if kind != "notes" and cell.cell_type == "markdown":
            in_setup = in_setup and kind == "skip"
        kinds.append(kind)

    plan, used = [], BUDGET
    for i, (cell, kind) in enumerate(zip(nb.cells, kinds, strict=True)):
        if kind in ("skip", "notes"):
            plan.append((kind, False))
            continue
        source, outputs = heights(cell, state)
        apart = outputs > 0 and source + outputs > BUDGET
        if kind in ("slide", "subslide"):
            used = 0
        elif kind == "-" and _is_explorer(cell):
            kind = "subslide"  # an explorer gets a slide of its own: in JupyterLab it is shown whole
        elif cell.cell_type == "markdown" and kind == "-":
            group = source + sum(sum(heights(c, state)) for c in _followers(nb.cells, kinds, i))
            kind = "subslide" if used + min(group, BUDGET) > BUDGET else kind
        elif used + source + (0 if apart else outputs) > BUDGET:
            kind = "subslide"  # a fragment too: its solution would not fit below the exercise
        used = (0 if kind in ("slide", "subslide") else used) + (outputs if apart else source + outputs)
        plan.append((kind, apart))
    return plan


def _is_explorer(cell: dict) -> bool:
    """A code cell that shows a widget: an explorer."""
    return cell["cell_type"] == "code" and any(
        WIDGET_VIEW in output.get("data", {}) for output in cell["outputs"]
    )


def _followers(cells: list, kinds: list[str], i: int) -> list:
    """The code cells that follow cell `i` on its slide (the code a text introduces)."""
    following = []
    for cell, kind in zip(cells[i + 1 :], kinds[i + 1 :], strict=True):
        if cell.cell_type != "code" or kind != "-":
            break
        following.append(cell)
    return following


def slide_types(nb: nbformat.NotebookNode) -> list[str]:
    """The slide type of every cell (`slide_plan`)."""
    return [kind for kind, _ in slide_plan(nb)]


def slide_type(cell) -> str:
    """The slide type a cell carries in its metadata ("-" when it has none: continue the slide)."""
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def expected(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    for cell, kind in zip(nb.cells, slide_types(nb), strict=True):
        if kind == "-":
            # No type means "continue the slide" to nbconvert and to JupyterLab's deck mode alike;
            # the deck does not read an explicit "-" and would leave the cell off every slide.
            cell.metadata.pop("slideshow", None)
        else:
            cell.metadata["slideshow"] = {"slide_type": kind}
    return nbformat.writes(nb) + "\n"


def expected_files() -> dict[Path, str]:
    return {p: expected(p) for p in every_chapter()}


def stale() -> list[str]:
    return regenerate.stale(expected_files())


# The deck: nbconvert's reveal template with every script and style sheet inlined, no jQuery or
# require.js (nothing left needs them), code that wraps instead of running off the right edge.
TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block header -%}
<!DOCTYPE html>
<html lang="{{ resources.deck.lang }}">
<head>
<meta charset="utf-8" />
<title>{{ nb.metadata.get('title', resources['metadata']['name']) | escape_html_keep_quotes }} slides</title>
<style>{{ resources.deck.reveal_css }}</style>
{% for css in resources.inlining.css -%}<style>{{ css }}</style>{% endfor %}
{{ self.notebook_css() }}
<style>{{ resources.deck.theme_css }}</style>
<style>
/* Long lines wrap rather than run off the slide; the font sizes stay those of the template. */
.reveal pre, .reveal code { white-space: pre-wrap; overflow-wrap: anywhere; }
.reveal pre { box-sizing: border-box; }
.reveal .jp-OutputArea-output pre { overflow: visible; }
.reveal section img { max-width: 100%; max-height: {{ resources.deck.image_max }}px; height: auto; }
.reveal .explorer-still { display: flex; flex-direction: column; gap: 0.3em; }
.reveal .explorer-still .still-controls { display: flex; gap: 1.5em; flex-wrap: wrap; }
.reveal .explorer-still .still-body { display: flex; gap: 30px; flex-wrap: wrap; align-items: flex-start; }
.reveal .explorer-still .still-readout { flex: 1 1 300px; }
.reveal .explorer-still pre { font-size: var(--jp-code-font-size); }
.reveal .explorer-still .still-control { color: #555; }
.reveal .explorer-still .still-note { color: #777; font-style: italic; }
</style>
<script>
window.MathJax = {
  tex: {inlineMath: [["$", "$"], ["\\(", "\\)"]], processEscapes: true, processEnvironments: true},
  svg: {fontCache: "global"},
};
</script>
<script>{{ resources.deck.mathjax_js }}</script>
</head>
{%- endblock header -%}

{% block footer_js %}
<script>{{ resources.deck.reveal_js }}</script>
<script>{{ resources.deck.notes_js }}</script>
<script>
Reveal.initialize({
  controls: true, progress: true, history: true, transition: "slide",
  width: {{ resources.deck.width }}, height: {{ resources.deck.height }},
  plugins: [RevealNotes],
});
</script>
{% endblock footer_js %}
"""
# The slide in CSS pixels: 16:9 at the template's height, so text is as large as before on a
# projector and a wide screen is used to its edges.
SLIDE = (1244, 700)


def vendor() -> dict[str, str]:
    """The decks' JavaScript and CSS (from npm, cached in build/vendor), ready to inline."""
    cache = ROOT / "build" / "vendor"
    for folder, spec in VENDOR.items():
        package = cache / folder / "package.json"
        if package.is_file() and json.loads(package.read_text())["version"] == spec.rpartition("@")[2]:
            continue
        if shutil.which("npm") is None:
            sys.exit(f"npm is needed once to fetch {spec} for the decks (it is cached in build/vendor).")
        with tempfile.TemporaryDirectory() as tmp:
            command = ["npm", "pack", "--silent", spec]
            fetched = subprocess.run(command, cwd=tmp, capture_output=True, text=True)
            if fetched.returncode != 0:
                last = (fetched.stderr.strip().splitlines() or ["no message"])[-1]
                sys.exit(
                    f"npm could not fetch {spec} for the decks ({last}). The decks inline it, so it is "
                    "needed once, from the npm registry; check the network and run `make slides` again."
                )
            (archive,) = Path(tmp).glob("*.tgz")
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data")
            shutil.rmtree(cache / folder, ignore_errors=True)
            shutil.copytree(Path(tmp) / "package", cache / folder)
    assets = {}
    for key, path in INLINED.items():
        text = (cache / path).read_text(encoding="utf-8")
        if key.endswith("_css"):
            text = re.sub(r"@import url\([^)]*\);", "", text)  # web fonts: the fallback fonts do
        else:
            text = re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)  # safe inside <script>
        assets[key] = text
    return assets


def _widgets(state: dict, model_id: str) -> list[dict]:
    """The models of a stored widget view, depth first: boxes, then what they hold, in order."""
    model = state[model_id.removeprefix("IPY_MODEL_")]
    return [model, *(m for child in model["state"].get("children", []) for m in _widgets(state, child))]


def _control(values: dict) -> str:
    if "_options_labels" in values:
        value = values["_options_labels"][values["index"]]
    elif isinstance(values["value"], float):
        value = format(values["value"], values.get("readout_format", ".2f"))
    else:
        value = values["value"]
    return html.escape(f"{values.get('description', '')} {value}".strip())


def still(state: dict, model_id: str) -> tuple[str, int]:
    """A stored widget view as a still and its estimated height: the controls' values on a line,
    then the picture with the readout beside it (below it when the picture is wide), scaled down
    to what is left of a slide. What an explorer first shows, with nothing that looks movable."""
    models = _widgets(state, model_id)
    controls = [_control(m["state"]) for m in models if m["model_name"].endswith(
        ("SliderModel", "DropdownModel", "ToggleButtonsModel", "CheckboxModel", "TextModel"))]
    texts = [m for m in models if m["model_name"] in ("HTMLModel", "HTMLMathModel", "LabelModel")]
    readouts = [(v if m["model_name"].startswith("HTML") else html.escape(v))
                for m in texts if (v := m["state"]["value"])]
    pictures = [(m["state"]["format"], b["data"]) for m in models if m["model_name"] == "ImageModel"
                for b in m.get("buffers", []) if b["path"] == ["value"]]
    widths = [_picture_size(data)[0] for _, data in pictures]
    beside = CONTENT_WIDTH - min(CONTENT_WIDTH, sum(widths)) - 30  # room for the readout, in pixels
    text = "\n".join(re.sub(r"<[^>]+>", "", part) for r in readouts for part in re.split(r"<br>|<tr>", r))
    if beside >= 300:
        readout_height, below = 28 * _lines(text, beside // 10), 0
    else:
        readout_height = below = 28 * _lines(text, TEXT_CHARS) if text else 0
    picture_max = min(IMAGE_MAX, BUDGET - 175 - below)
    picture_height = sum(min(picture_max, _picture_size(data)[1]) for _, data in pictures)
    style = f"max-height: {picture_max}px"
    body = "".join(f'<img src="data:image/{kind};base64,{data}" alt="the stored picture" style="{style}">'
                   for kind, data in pictures)
    body += f'<div class="still-readout">{"".join(f"<div>{r}</div>" for r in readouts)}</div>'
    spans = "".join(f'<span class="still-control">{c}</span>' for c in controls)
    shown = f'<div class="still-controls">{spans}</div><div class="still-body">{body}</div>'
    return shown, 175 + (max(picture_height, readout_height) if not below else picture_height + below)


def deck_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as the deck shows it: widgets as stills of their stored state, pictures from
    the web (the Binder badge) as their link text, and the outputs of a code cell too tall for a
    slide on a sub-slide of their own (`slide_plan`)."""
    plan = slide_plan(nb)
    nb = copy.deepcopy(nb)
    state = nb.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    cells = []
    for cell, (_kind, apart) in zip(nb.cells, plan, strict=True):
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"!\[([^\]]*)\]\(https?://[^)]*\)", r"\1", cell.source)
        for output in cell.get("outputs", []):
            view = output.get("data", {}).pop(WIDGET_VIEW, None)
            if view and view["model_id"] in state:
                shown = still(state, view["model_id"])[0] + f'<div class="still-note">{_(STILL_NOTE)}</div>'
                output.data = {"text/html": f'<div class="explorer-still">{shown}</div>'}
        cells.append(cell)
        if apart and cell.get("outputs"):
            shown = nbformat.v4.new_code_cell(outputs=cell.outputs, id=f"{cell.id}-outputs")
            shown.metadata = {"slideshow": {"slide_type": "subslide"}, "transient": {"remove_source": True}}
            cell.outputs = []
            cells.append(shown)
    nb.cells = cells
    return nb


def export(target: Path) -> list[Path]:
    """One self-contained reveal.js deck per chapter in `target`, with the stored outputs."""
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter

    target.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(target / "vendor", ignore_errors=True)  # what decks before these needed beside them
    exporter = SlidesExporter(
        extra_loaders=[DictLoader({"deck.html.j2": TEMPLATE})], template_file="deck.html.j2",
        exclude_input_prompt=True, exclude_output_prompt=True,
    )
    deck = {**vendor(), "width": SLIDE[0], "height": SLIDE[1], "image_max": IMAGE_MAX}
    written = []
    for path in every_chapter():
        with speaking(edition_of(path)):  # the note under each explorer's still, in the edition's language
            nb = deck_notebook(nbformat.read(path, as_version=4))
        # (nbconvert sets its own resources["language_code"], so the deck carries its language itself)
        resources = {"metadata": {"name": path.stem}, "deck": {**deck, "lang": edition_of(path)}}
        body, _resources = exporter.from_notebook_node(nb, resources=resources)
        # An edition's decks go to its own folder: target/de/01_gradient_tape.slides.html.
        written.append(target / path.relative_to(NOTEBOOKS).with_suffix(".slides.html"))
        written[-1].parent.mkdir(parents=True, exist_ok=True)
        written[-1].write_text(body, encoding="utf-8")
    return written


def main(argv: list[str]) -> int:
    if "--export" in argv:
        for deck in export(Path(argv[argv.index("--export") + 1])):
            print(f"wrote {deck}")
        return 0
    return regenerate.apply(expected_files(), "--check" in argv, "python tools/slides.py")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
