"""Waiting on a condition, never on a fixed time: the machines tests run on are shared and slow at times."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def until(condition: Callable[[], T], what: str | Callable[[], str], timeout: float, every: float = 0.2) -> T:
    """The first truthy answer of `condition()`, asked every `every` seconds.

    After `timeout` seconds it raises AssertionError saying what it waited for (`what`, or its answer
    when it is a function, so the message can show the state at that moment). `condition` may raise
    to stop the wait early, for example when the process it waits on has exited.
    """
    deadline = time.monotonic() + timeout
    while True:
        answer = condition()
        if answer:
            return answer
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"waited {timeout:.0f} s for {said}")
        time.sleep(every)


class Every:
    """Calls `sample()` every `seconds` in a background thread while the `with` block runs (and once
    more as it ends), for measurements that must see what happens between a test's own steps."""

    def __init__(self, seconds: float, sample: Callable[[], object]) -> None:
        self.seconds, self.sample = seconds, sample
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Every:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.seconds)
