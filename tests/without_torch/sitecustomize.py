"""Put this folder on PYTHONPATH and Python behaves as if PyTorch and torchviz were not installed.

Every import finder is wrapped so that it does not find them (`import torch` raises
ModuleNotFoundError, `importlib.util.find_spec("torch")` is None) and metadata lookups do not list
them (`importlib.metadata.version("torch")` raises PackageNotFoundError), as on a machine without them.
"""

import os
import sys

# HIDDEN_MODULES="torch" hides PyTorch alone, as if torchviz were installed without it.
HIDDEN = set(os.environ.get("HIDDEN_MODULES", "torch torchviz").split())


class _HidingFinder:
    """A meta-path finder that sees everything the wrapped one sees, except the hidden libraries."""

    def __init__(self, finder):
        self._finder = finder

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in HIDDEN:
            return None
        return self._finder.find_spec(name, path, target)

    def find_distributions(self, *args, **kwargs):
        find = getattr(self._finder, "find_distributions", None)
        for distribution in find(*args, **kwargs) if find else ():
            name = (distribution.metadata or {}).get("Name") or ""
            if name.lower() not in HIDDEN:
                yield distribution

    def __getattr__(self, name):  # invalidate_caches and anything else a finder may offer
        return getattr(self._finder, name)


sys.meta_path[:] = [_HidingFinder(finder) for finder in sys.meta_path if hasattr(finder, "find_spec")]
