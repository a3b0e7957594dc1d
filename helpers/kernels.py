"""Jupyter server side: keep only as many chapter kernels as the memory limit holds (Binder gives ~2 GB).

Each chapter's kernel holds TensorFlow and PyTorch (~800-900 MB). A learner who follows the "Next"
links leaves every earlier chapter open, each with its kernel, and on Binder the fourth kernel would
run the session out of memory. jupyter-config/jupyter_server_config.json makes the server use
`ChapterKernelManager`: before a new kernel starts, it shuts down the least recently active ones so
that at most `max_kernels` run. Their tabs stay open with their outputs; running a cell there asks
for a kernel again.
"""

from __future__ import annotations

import asyncio
import os

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer, default

# What one chapter's kernel needs at its peak (make bench: at most 889 MB) and what the Jupyter
# server holds (160 MB in tests/browser/test_binder_walk.py, with room to spare), in bytes.
KERNEL_BYTES = 900 * 10**6
SERVER_BYTES = 250 * 10**6


def kernels_that_fit(limit_bytes: int) -> int:
    """How many chapter kernels fit next to the server in `limit_bytes` of memory (at least one)."""
    return max(1, (limit_bytes - SERVER_BYTES) // KERNEL_BYTES)


class ChapterKernelManager(AsyncMappingKernelManager):
    """JupyterLab's default kernel manager that shuts down the least recently active kernels
    before starting one more than `max_kernels`."""

    max_kernels = Integer(
        config=True,
        help="Most kernels running at once; 0 for no limit. By default, as many as fit in the memory "
        "limit that JupyterHub and Binder announce in MEM_LIMIT (bytes); no limit without it.",
    )

    @default("max_kernels")
    def _max_kernels_from_memory_limit(self) -> int:
        limit = os.environ.get("MEM_LIMIT", "")
        return kernels_that_fit(int(limit)) if limit.isdigit() and int(limit) > 0 else 0

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        # Two tabs opened at once must not both count the same free place.
        self._starting = asyncio.Lock()

    async def start_kernel(self, *, kernel_id: str | None = None, path: str | None = None, **kwargs) -> str:
        if kernel_id is not None and kernel_id in self:  # reconnecting to a running kernel
            return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)
        async with self._starting:
            await self._make_room()
            return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)

    async def _make_room(self) -> None:
        if not self.max_kernels:
            return
        # Oldest activity first: the chapter the learner left longest ago goes first.
        running = sorted(self.list_kernel_ids(), key=lambda k: self.get_kernel(k).last_activity)
        for kernel_id in running[: max(0, len(running) - self.max_kernels + 1)]:
            self.log.info(
                "Shutting down kernel %s, the least recently active, to keep at most %d running",
                kernel_id,
                self.max_kernels,
            )
            await self.shutdown_kernel(kernel_id)
