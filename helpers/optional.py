"""Libraries a chapter can do without (PyTorch, torchviz): when one is missing, the cells that need it
say in one sentence what to install, and the TensorFlow cells still run.

    torch = helpers.optional_import("torch")   # in a setup cell, instead of `import torch`
    torch = require("torch")                   # inside a helper that cannot work without it
"""

from __future__ import annotations

import ast
import importlib
import sys
from types import ModuleType
from typing import Any

# import name -> (the name a learner knows, the pinned requirement from requirements.txt)
OPTIONAL = {
    "torch": ("PyTorch", "torch==2.13.0"),
    "torchviz": ("torchviz", "torchviz==0.0.3"),
}


class MissingLibrary(ImportError):
    """A library this cell needs is not installed; the message says how to install it."""


def missing_sentence(name: str, needs: str | None = None) -> str:
    """What is missing, the one command that installs it, and that the TensorFlow cells still run.

    `needs` names a variable this cell uses that a cell above could not make without the library.
    """
    title, requirement = OPTIONAL.get(name, (name, name))
    because = f" (it needs `{needs}`, which a {title} cell above could not make)" if needs else ""
    return (
        f"{title} is not installed, so this cell cannot run{because}: install it with "
        f"`%pip install {requirement}` in a new cell and restart the kernel; "
        f"the TensorFlow cells still run without it."
    )


def require(name: str) -> ModuleType:
    """The module `name`, or MissingLibrary with the install sentence when it (or torch) is absent."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        # torchviz without torch: torch is what to install. Any other missing module is a broken
        # installation, whose own error says more than our sentence would.
        missing = err.name.split(".")[0] if err.name else name
        if missing != name.split(".")[0] and missing not in OPTIONAL:
            raise
        raise MissingLibrary(missing_sentence(missing), name=missing) from None


class MissingModule:
    """Stands in for a library that is not installed: using anything from it raises MissingLibrary."""

    def __init__(self, error: MissingLibrary) -> None:
        self._error = error

    def __getattr__(self, attribute: str) -> Any:
        # Private names are what IPython, copy and pickle probe for; they must stay plain AttributeErrors.
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        raise MissingLibrary(str(self._error), name=self._error.name)

    def __repr__(self) -> str:
        return f"<not installed: {self._error}>"


def optional_import(name: str) -> Any:
    """The module `name` if it is installed, else a MissingModule whose every use says what to install."""
    try:
        return require(name)
    except MissingLibrary as error:
        return MissingModule(error)


# Names that cells stopped by a missing library would have made -> that library. A later cell that
# uses one gets the same sentence instead of a NameError.
_unmade: dict[str, str] = {}


def names_made(code: str) -> set[str]:
    """The global names a cell's code binds (assignments, loops, defs, imports), read without running it."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    names: set[str] = set()
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)  # its body binds local names only
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif not isinstance(node, ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            todo.extend(ast.iter_child_nodes(node))
    return names


def _missing_behind(error: BaseException | None) -> str | None:
    """The library whose absence caused `error`, or None for any other error."""
    if isinstance(error, MissingLibrary):
        return error.name
    if isinstance(error, NameError):
        return _unmade.get(error.name)
    return None


def _show_sentence(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
    library = _missing_behind(value)
    if library is None:  # an ordinary NameError: the ordinary traceback
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
        return
    if not isinstance(value, MissingLibrary):
        value = MissingLibrary(missing_sentence(library, needs=value.name), name=library)
    # IPython's own way to show an error output (ipykernel sends it to the notebook), with the
    # sentence as the whole traceback.
    shell._showtraceback(MissingLibrary, value, [str(value)])


def _carry_on(result: Any) -> None:
    # The cell has said what to install; counting it as done lets Run All go on to the TensorFlow
    # cells below instead of stopping at the first PyTorch cell.
    library = _missing_behind(getattr(result, "error_in_exec", None))
    if library is None:
        return
    from IPython import get_ipython

    shell = get_ipython()
    for name in names_made(shell.transform_cell(result.info.raw_cell)):
        _unmade.setdefault(name, library)
    shell.set_custom_exc((MissingLibrary, NameError), _show_sentence)
    result.error_in_exec = None


def register_with_ipython() -> bool:
    """Under IPython, show MissingLibrary as its sentence and let the notebook run on; False elsewhere."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    shell.set_custom_exc((MissingLibrary, NameError) if _unmade else (MissingLibrary,), _show_sentence)
    if _carry_on not in shell.events.callbacks["post_run_cell"]:
        shell.events.register("post_run_cell", _carry_on)
    return True
