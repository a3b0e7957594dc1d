"""`pip install -e .` alone gives a package that imports and works: every library the helpers import is
declared in pyproject.toml (PyTorch as the optional extra), and requirements.txt pins each of them."""

from __future__ import annotations

import ast
import re
import sys

import tomllib
from packaging.requirements import Requirement

from helpers import SERVER_SIDE  # run in the Jupyter server, which JupyterLab brings
from tools.project import ROOT

# Import name -> the declared distribution that brings it, where they differ.
DISTRIBUTION = {"tensorflow": "tensorflow-cpu", "IPython": "ipywidgets"}


def imported_libraries() -> set[str]:
    """The third-party top-level modules helpers/ imports, at module level or inside functions."""
    found = set()
    for path in (ROOT / "helpers").glob("*.py"):
        if path.stem in SERVER_SIDE:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"require", "needs"}:
                found |= {arg.value for arg in node.args if isinstance(arg, ast.Constant)}
    return {name for name in found - {"helpers"} if name not in sys.stdlib_module_names}


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + [r for extra in project["optional-dependencies"].values()
                                              for r in extra]
    return {Requirement(r).name for r in requirements}


def test_every_library_the_helpers_import_is_declared():
    missing = {name for name in imported_libraries() if DISTRIBUTION.get(name, name) not in declared()}
    assert imported_libraries() >= {"numpy", "matplotlib", "ipywidgets", "tensorflow", "torch"}
    assert not missing, f"pyproject.toml does not declare {sorted(missing)}"


def test_requirements_txt_pins_every_declared_library():
    pinned = {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9_.-]+)==", (ROOT / "requirements.txt")
                                                        .read_text(), re.M)}
    assert declared() <= pinned | {"tensorflow"}, sorted(declared() - pinned)
