"""The memory of a Jupyter server and its kernels, counted as a memory limit (a cgroup) charges it.

Every process's anonymous memory counts, plus each mapped file's resident pages once, however many
processes map it. Summed resident sizes would count the TensorFlow and PyTorch libraries that two
kernels map twice, and proportional sizes would share those pages with processes outside the
server (other tests running beside it). The Binder walk and the hub test both measure this way.
"""

from __future__ import annotations

from dataclasses import dataclass

import psutil

MB = 10**6


@dataclass(frozen=True)
class Moment:
    server: int  # anonymous bytes of the Jupyter server and any helper it started
    kernels: int  # anonymous bytes of its kernels and their children
    files: int  # resident bytes of the files they map (libraries), each file once
    running: int  # kernels alive

    @property
    def total(self) -> int:
        return self.server + self.kernels + self.files


def is_kernel(process: psutil.Process) -> bool:
    return any("ipykernel_launcher" in part for part in process.cmdline())


def add_process(process: psutil.Process, files: dict[str, int]) -> int:
    """The process's anonymous bytes; its resident bytes of each mapped file go into `files`, where a
    file several processes map keeps the largest, since they share its pages."""
    anonymous = 0
    for mapping in process.memory_maps(grouped=True):
        anonymous += mapping.anonymous
        if mapping.path.startswith("/"):
            files[mapping.path] = max(files.get(mapping.path, 0), mapping.rss - mapping.anonymous)
    return anonymous


def measure(server: psutil.Process) -> Moment:
    """Memory of the server's whole process tree, split into server, kernels and mapped files."""
    files: dict[str, int] = {}
    server_bytes, kernel_bytes, running = add_process(server, files), 0, 0
    for child in server.children():
        try:
            size = sum(add_process(p, files) for p in [child, *child.children(recursive=True)])
            kernel = is_kernel(child)
        except psutil.NoSuchProcess:  # a kernel that has just been shut down
            continue
        if kernel:
            kernel_bytes, running = kernel_bytes + size, running + 1
        else:
            server_bytes += size
    return Moment(server_bytes, kernel_bytes, sum(files.values()), running)
