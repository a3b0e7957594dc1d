"""Copies of the chapters without the worked solutions, for lecturers who hand out exercises.

    python tools/handouts.py build/handouts

The exercises, their self-checks and everything else stay; only the folded solution cells go.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from nbconvert.exporters import NotebookExporter
from traitlets.config import Config

from tools.project import SOLUTION, chapter_paths


def write_handouts(target: Path) -> list[Path]:
    """One solution-free copy of every chapter in `target`; returns the files written."""
    config = Config()
    # nbconvert removes every cell whose source matches from its start; only the folded solutions
    # (markdown cells) hold the marker, which tests/test_slides.py checks.
    config.RegexRemovePreprocessor.update(enabled=True, patterns=["(?s:.*)" + re.escape(SOLUTION)])
    exporter = NotebookExporter(config=config)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for path in chapter_paths():
        body, _ = exporter.from_filename(str(path))
        (target / path.name).write_text(body, encoding="utf-8")
        written.append(target / path.name)
    return written


if __name__ == "__main__":
    for written in write_handouts(Path(sys.argv[1] if len(sys.argv) > 1 else "build/handouts")):
        print(f"wrote {written}")
