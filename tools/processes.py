"""Servers the tests and the benchmark start: one way to run a process for a `with` block."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def running(command: list[str], log: Path, stop_within: float = 60, **options) -> Iterator[subprocess.Popen]:
    """A process for the `with` block, its output in `log`; asked to stop afterwards, killed if it has
    not within `stop_within` seconds."""
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, **options)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=stop_within)
            except subprocess.TimeoutExpired:
                process.kill()
