"""Restart & Run All for notebooks, in place: the stored outputs always come from one clean run.

    python tools/run_notebooks.py notebooks/*.ipynb
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def run(path: Path, timeout: int = 600) -> float:
    """Execute one notebook in a fresh kernel in its own folder; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    started = time.perf_counter()
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,  # timestamps would change every run and clutter diffs
    ).execute()
    nbformat.write(nb, path)
    return time.perf_counter() - started


def main(paths: list[str]) -> int:
    for name in paths:
        seconds = run(Path(name))
        print(f"{name}: {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
