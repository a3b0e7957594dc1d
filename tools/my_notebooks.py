"""Your own copies of the chapters, in my-notebooks/ (ignored by git), for `make lab` to open.

Edits live in the copies, so `git pull` never meets a conflict and never touches your work:
a first run copies every chapter, later runs add the chapters that are new and overwrite nothing.
For a fresh copy of one chapter, rename or delete your copy and run `make lab` again.
New copies are signed as trusted on this machine (nbformat's notary, the same record JupyterLab
reads), so their stored outputs show in full and JupyterLab does not log "not trusted" for them.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat
from nbformat.sign import NotebookNotary

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "notebooks"
PERSONAL = ROOT / "my-notebooks"


def prepare(source: Path = SOURCE, personal: Path = PERSONAL) -> list[Path]:
    """Copy every chapter that is not in `personal` yet; return the new copies."""
    personal.mkdir(exist_ok=True)
    added = []
    with NotebookNotary() as notary:
        for chapter in sorted(source.glob("*.ipynb")):
            copy = personal / chapter.name
            if not copy.exists():
                shutil.copy2(chapter, copy)
                # Only the course's own chapters: copies the learner already has keep their trust.
                notary.sign(nbformat.read(copy, as_version=4))
                added.append(copy)
    return added


if __name__ == "__main__":
    new = prepare()
    if new:
        print(f"Copied {len(new)} chapter(s) into my-notebooks/: " + ", ".join(p.name for p in new))
    print("Your notebooks are in my-notebooks/; your edits stay there when you update the course.")
    sys.exit(0)
