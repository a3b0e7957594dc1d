"""Restart & Run All for notebooks, in place: the stored outputs always come from one clean run.

    python tools/run_notebooks.py notebooks/*.ipynb

nbconvert's ExecutePreprocessor runs each notebook; the one step of our own, stable_widget_ids, has no
equivalent in nbconvert.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ExecutePreprocessor

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def stable_widget_ids(nb: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """The notebook with its widgets' random model ids replaced by ids that follow from the notebook's
    name and the order the widgets appear in, so a run that changed nothing writes the same bytes:
    `git pull` and nbgitpuller merges then meet no conflicts in ids that changed for no reason."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    order: list[str] = []

    def visit(model_id: str) -> None:
        if model_id in state and model_id not in order:
            order.append(model_id)
            for child in re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[model_id], sort_keys=True)):
                visit(child)

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view:
                visit(view["model_id"])
    # Models no output shows (styles and layouts of widgets shown elsewhere): in order of their contents.
    for model_id in sorted(
        set(state) - set(order), key=lambda i: MODEL_ID.sub("", json.dumps(state[i], sort_keys=True))
    ):
        visit(model_id)
    new = {old: hashlib.md5(f"{name}:{n}".encode()).hexdigest() for n, old in enumerate(order)}
    text = MODEL_ID.sub(lambda m: new.get(m.group(0), m.group(0)), json.dumps(nb))
    return nbformat.from_dict(json.loads(text))


def run(path: Path, timeout: int = 600) -> float:
    """Execute one notebook in a fresh kernel in its own folder, write it back; return the seconds."""
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    # Keyword arguments, not a traitlets Config: nbclient does not mark coalesce_streams as configurable,
    # so `--ExecutePreprocessor.coalesce_streams=True` (the command line) would be ignored.
    ExecutePreprocessor(
        kernel_name="python3",
        timeout=timeout,
        record_timing=False,  # timestamps would change every run and clutter diffs
        coalesce_streams=True,  # printed text arrives in pieces that differ from run to run
    ).preprocess(nb, {"metadata": {"path": str(path.parent)}})
    nbformat.write(stable_widget_ids(nb, path.name), path)
    return time.perf_counter() - started


def main(paths: list[str]) -> int:
    for name in paths:
        seconds = run(Path(name))
        print(f"{name}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
