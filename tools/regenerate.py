"""What the generators share: compare generated text with the files, report or rewrite them."""

from __future__ import annotations

from pathlib import Path

from tools.project import ROOT


def stale(expected: dict[Path, str]) -> list[str]:
    """Files (relative paths) whose text differs from what the generator would write."""
    return [str(p.relative_to(ROOT)) for p, text in expected.items() if p.read_text(encoding="utf-8") != text]


def apply(expected: dict[Path, str], check: bool, command: str) -> int:
    """With check, list stale files and return 1 if any; otherwise rewrite the stale ones."""
    for name in stale(expected):
        if check:
            print(f"stale: {name} (run `{command}`)")
        else:
            (ROOT / name).write_text(expected[ROOT / name], encoding="utf-8")
            print(f"updated {name}")
    return 1 if check and stale(expected) else 0
