"""Libraries a chapter can do without (PyTorch, torchviz): when one is missing, the cells that need it
say in one sentence what to install, and the TensorFlow cells still run.

    torch = helpers.optional_import("torch")   # in a setup cell, instead of `import torch`
    torch = require("torch")                   # inside a helper that cannot work without it
"""

from __future__ import annotations

import ast
import functools
import importlib
import importlib.util
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from helpers.translation import _

__all__ = ["MissingLibrary", "optional_import"]

# import name -> (the name a learner knows, the pinned requirement from requirements.txt)
OPTIONAL = {
    "torch": ("PyTorch", "torch==2.13.0"),
    "torchviz": ("torchviz", "torchviz==0.0.3"),
}


class MissingLibrary(ImportError):
    """A library this cell needs is not installed; the message says how to install it."""

    def _render_traceback_(self) -> list[str]:
        # IPython's protocol for an exception that says itself: the sentence is the whole traceback.
        return [str(self)]


def missing_sentence(name: str, needs: str | None = None) -> str:
    """What is missing, the one command that installs it, and that the TensorFlow cells still run.

    `needs` names a variable this cell uses that a cell above could not make without the library.
    """
    title, requirement = OPTIONAL.get(name, (name, name))
    if needs:
        sentence = _(
            "{title} is not installed, so this cell cannot run (it needs `{needs}`, which a {title} cell "
            "above could not make): install it with `%pip install {requirement}` in a new cell and "
            "restart the kernel; the TensorFlow cells still run without it."
        )
    else:
        sentence = _(
            "{title} is not installed, so this cell cannot run: install it with "
            "`%pip install {requirement}` in a new cell and restart the kernel; "
            "the TensorFlow cells still run without it."
        )
    return sentence.format(title=title, needs=needs, requirement=requirement)


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


def needs(name: str) -> Callable[[Callable], Callable]:
    """Mark a helper that cannot work without the library `name`: called without it, the helper says at
    once what to install. The mark (`.needs`) tells the tests which cells need that library."""

    def mark(helper: Callable) -> Callable:
        @functools.wraps(helper)
        def checked(*args: Any, **kwargs: Any) -> Any:
            require(name)
            return helper(*args, **kwargs)

        checked.needs = name
        return checked

    return mark


class MissingModule:
    """Stands in for a library that is not installed: using anything from it raises MissingLibrary."""

    def __init__(self, error: MissingLibrary) -> None:
        self._error = error

    def __getattr__(self, attribute: str) -> Any:
        # Private names are what IPython, copy and pickle probe for; they must stay plain AttributeErrors.
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        # Said afresh, in the language of the moment (the error was made when the setup cell ran).
        raise MissingLibrary(missing_sentence(self._error.name), name=self._error.name)

    def __repr__(self) -> str:
        return _("<not installed: {sentence}>").format(sentence=missing_sentence(self._error.name))


def optional_import(name: str) -> Any:
    """The module `name` if it is installed, else a MissingModule whose every use says what to install."""
    try:
        return require(name)
    except MissingLibrary as error:
        return MissingModule(error)


# Names that cells stopped by a missing library would have made -> that library. A later cell that
# uses one gets the same sentence instead of a NameError.
_unmade: dict[str, str] = {}


def names_made(code: str | ast.Module) -> set[str]:
    """The global names a cell's code binds (assignments, loops, defs, imports), read without running it."""
    try:
        tree = ast.parse(code) if isinstance(code, str) else code
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


class CellState:
    """Whether the running cell has already stopped at a missing library (then its last line is skipped)."""

    stopped = False


def said(error: BaseException, made: tuple[str, ...]) -> bool:
    """Show `error` as the install sentence and return True when a missing library caused it (the cell then
    counts as done); False for any other error, which the cell raises as usual."""
    if isinstance(error, MissingLibrary):
        library = error.name
    elif isinstance(error, NameError) and error.name in _unmade:
        library = _unmade[error.name]
        error = MissingLibrary(missing_sentence(library, needs=error.name), name=library)
    else:
        return False
    for name in made:
        _unmade.setdefault(name, library)
    CellState.stopped = True
    from IPython import get_ipython

    get_ipython().showtraceback((MissingLibrary, error, error.__traceback__))
    return True


def last_value(expression: Callable[[], Any], made: tuple[str, ...]) -> Any:
    """The value of a cell's last line, for IPython to show; None when the cell stopped before it or when
    a missing library stops it."""
    if CellState.stopped:
        return None
    try:
        return expression()
    except (MissingLibrary, NameError) as error:
        if said(error, made):
            return None
        raise


_GUARD = """
helpers_optional_.CellState.stopped = False
try:
    pass
except (helpers_optional_.MissingLibrary, NameError) as helpers_missing_:
    if not helpers_optional_.said(helpers_missing_, MADE):
        raise
"""


class CarryOn(ast.NodeTransformer):
    """Rewrites each cell so that a missing library stops it with the install sentence but the cell still
    counts as done, and Run All goes on to the TensorFlow cells below. IPython applies it to every cell
    (`shell.ast_transformers`); it is only installed when a library is missing."""

    def visit_Module(self, module: ast.Module) -> ast.Module:
        made = ast.Constant(tuple(sorted(names_made(module))))
        body = list(module.body)
        last = body.pop() if body and _can_wrap(body[-1]) else None
        guard = ast.parse(_GUARD).body
        guard[1].body = body or [ast.Pass()]
        guard[1].handlers[0].body[0].test.operand.args[1] = made
        # The module's name, bound where the cell runs, so the cell needs no import of its own.
        setup = ast.parse("helpers_optional_ = __import__('helpers.optional').optional").body
        module.body = setup + guard
        if last is not None:
            call = ast.parse("helpers_optional_.last_value(lambda: None, None)", mode="eval").body
            call.args[0].body, call.args[1] = last.value, made
            module.body.append(ast.Expr(call))
        return ast.fix_missing_locations(module)


def _can_wrap(node: ast.stmt) -> bool:
    """A last line IPython shows (an expression) that a lambda can hold."""
    unwrappable = (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)
    return isinstance(node, ast.Expr) and not any(isinstance(n, unwrappable) for n in ast.walk(node))


def register_with_ipython() -> bool:
    """Under IPython, when an optional library is missing, let a cell that needs it say what to install and
    count as done; False outside IPython. With every library installed, cells run untouched."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return False
    missing = [name for name in OPTIONAL if importlib.util.find_spec(name) is None]
    if missing and not any(isinstance(t, CarryOn) for t in shell.ast_transformers):
        shell.ast_transformers.append(CarryOn())
    return True
