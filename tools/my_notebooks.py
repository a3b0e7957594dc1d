"""Your own copies of the chapters, in my-notebooks/ (ignored by git), for `make lab` to open.

Edits live in the copies, so `git pull` never meets a conflict and never touches your work:
a first run copies every chapter, later runs add the chapters that are new and overwrite nothing.
The German and Chinese editions are copied the same way, into my-notebooks/de/ and my-notebooks/zh/.
For a fresh copy of one chapter, rename or delete your copy and run `make lab` again; `make lab`
names the copies whose chapter has changed since they were made (each copy records which version
of its chapter's cells it started from).
New copies are signed as trusted on this machine (nbformat's notary, the same record JupyterLab
reads), so their stored outputs show in full and JupyterLab does not log "not trusted" for them.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import nbformat
from nbformat.sign import NotebookNotary

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "notebooks"
PERSONAL = ROOT / "my-notebooks"
EDITIONS = ("de", "zh")  # tools/project.py's; this script runs before the packages are installed


# Where a copy records the version of its chapter it was made from.
RECORD = "copied_from"


def version(nb: nbformat.NotebookNode) -> str:
    """A fingerprint of a chapter's cells (sources only: re-running it changes nothing here)."""
    text = "\x00".join(f"{cell.cell_type}:{cell.source}" for cell in nb.cells)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def prepare(source: Path = SOURCE, personal: Path = PERSONAL) -> list[Path]:
    """Copy every chapter that is not in `personal` yet; return the new copies."""
    personal.mkdir(exist_ok=True)
    added = []
    with NotebookNotary() as notary:
        for chapter in sorted(source.glob("*.ipynb")):
            copy = personal / chapter.name
            if not copy.exists():
                nb = nbformat.read(chapter, as_version=4)
                nb.metadata[RECORD] = version(nb)
                # Only the course's own chapters: copies the learner already has keep their trust.
                notary.sign(nb)
                nbformat.write(nb, copy)
                added.append(copy)
    return added


def outdated(source: Path = SOURCE, personal: Path = PERSONAL) -> list[Path]:
    """The copies whose chapter has changed since they were made."""
    found = []
    for copy in sorted(personal.glob("*.ipynb")):
        chapter = source / copy.name
        if not chapter.exists():
            continue
        made_from = nbformat.read(copy, as_version=4).metadata.get(RECORD)
        if made_from and made_from != version(nbformat.read(chapter, as_version=4)):
            found.append(copy)
    return found


def editions(source: Path = SOURCE, personal: Path = PERSONAL) -> list[tuple[Path, Path]]:
    """(chapters' folder, copies' folder) of English and of every edition present."""
    pairs = [(source, personal)] + [(source / code, personal / code) for code in EDITIONS]
    return [(chapters, copies) for chapters, copies in pairs if chapters.is_dir()]


def main() -> int:
    pairs = editions()
    new = [copy for chapters, copies in pairs for copy in prepare(chapters, copies)]
    if new:
        print(f"Copied {len(new)} chapter(s) into my-notebooks/: "
              + ", ".join(copy.relative_to(PERSONAL).as_posix() for copy in new))
    print("Your notebooks are in my-notebooks/; your edits stay there when you update the course.")
    for copy in (found for chapters, copies in pairs for found in outdated(chapters, copies)):
        print(
            f"Chapter {copy.relative_to(PERSONAL)} has changed since your copy was made. For the new "
            f"version, rename your copy (for example to {copy.stem}-mine.ipynb) and run `make lab` again: "
            f"you get a fresh copy beside yours."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
