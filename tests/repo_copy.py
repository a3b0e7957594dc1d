"""A copy of the repository's tracked files, as a fresh clone (or Binder) would see them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tools.project import ROOT


def copy_tracked(target: Path) -> Path:
    """Copy every file git tracks into `target` (no .venv, caches or personal notebooks)."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    for name in files.stdout.splitlines():
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file below `folder` (git-ignored ones too) with its size and modification time."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }
