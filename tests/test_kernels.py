"""The server's kernel manager keeps at most as many kernels as the memory limit holds, shutting down
the least recently active one when another starts (real ipykernels, no browser)."""

from __future__ import annotations

import asyncio
import time

import pytest

from helpers.kernels import KERNEL_BYTES, ChapterKernelManager, kernels_that_fit

GIB = 1024**3


async def _start_three_after_using_the_first(manager: ChapterKernelManager) -> tuple[list[str], list[str]]:
    """Start kernels a and b, run a line in a, start c; return ([a, b, c], the ids still running)."""
    first = await manager.start_kernel(kernel_name="python3")
    second = await manager.start_kernel(kernel_name="python3")
    client = manager.get_kernel(first).client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        reply = await client.execute_interactive("1 + 1", timeout=60)
        assert reply["content"]["status"] == "ok"
        # The manager records activity from the kernel's messages; wait until it has seen them.
        deadline = time.monotonic() + 30
        while manager.get_kernel(first).last_activity <= manager.get_kernel(second).last_activity:
            assert time.monotonic() < deadline, "the manager never saw the first kernel run code"
            await asyncio.sleep(0.05)
    finally:
        client.stop_channels()
    third = await manager.start_kernel(kernel_name="python3")
    return [first, second, third], manager.list_kernel_ids()


def test_starting_a_third_kernel_shuts_down_the_least_recently_active():
    async def run():
        manager = ChapterKernelManager(max_kernels=2)
        try:
            return await _start_three_after_using_the_first(manager)
        finally:
            await manager.shutdown_all(now=True)

    (first, second, third), running = asyncio.run(run())
    # b was started after a, but a ran code since: b is the one the learner left longest ago.
    assert sorted(running) == sorted([first, third])
    assert second not in running


def test_without_a_limit_every_kernel_stays():
    async def run():
        manager = ChapterKernelManager(max_kernels=0)
        try:
            ids = [await manager.start_kernel(kernel_name="python3") for _ in range(3)]
            return ids, manager.list_kernel_ids()
        finally:
            await manager.shutdown_all(now=True)

    ids, running = asyncio.run(run())
    assert sorted(ids) == sorted(running)


@pytest.mark.parametrize(
    ("limit", "kernels"), [(str(2 * GIB), 2), (str(4 * GIB), 4), (str(GIB), 1), (None, 0)]
)
def test_the_limit_follows_the_memory_jupyterhub_announces(monkeypatch, limit, kernels):
    if limit is None:
        monkeypatch.delenv("MEM_LIMIT", raising=False)
    else:
        monkeypatch.setenv("MEM_LIMIT", limit)
    assert ChapterKernelManager().max_kernels == kernels


def test_as_many_kernels_as_fit_and_never_none():
    assert kernels_that_fit(2 * GIB) * KERNEL_BYTES < 2 * GIB
    assert (kernels_that_fit(2 * GIB) + 1) * KERNEL_BYTES > 2 * GIB
    assert kernels_that_fit(100 * 10**6) == 1  # a tiny limit still lets one chapter run

