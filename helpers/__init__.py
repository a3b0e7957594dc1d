"""Shared code for the automatic-differentiation notebooks.

Importing the package only defines functions; call `helpers.setup()` at the top of a notebook
to quieten TensorFlow, fix the seeds and set the plot style.

Every module lists what learners call from it in its `__all__`; the package offers all of them, so a
new chapter's module is picked up without an edit here.
"""

import importlib
import pkgutil

# Run by the Jupyter server, not in a learner's kernel (it imports jupyter_server).
SERVER_SIDE = {"kernels"}


def _gather() -> list[str]:
    names = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in SERVER_SIDE:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name in getattr(module, "__all__", ()):
            globals()[name] = getattr(module, name)
            names.append(name)
    return names


__all__ = _gather()
