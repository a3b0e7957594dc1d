"""The package lists, read the way pip, conda and repo2docker read them: requirements.txt (learners),
requirements-dev.txt (`make test`), environment.yml (conda and Binder), and the base environment that
repo2docker builds before it adds environment.yml (from the installed repo2docker package)."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tools.project import ROOT

# conda-forge name -> PyPI name, where they differ
CONDA_TO_PIP = {
    "pytorch-cpu": "torch",
    "python-graphviz": "graphviz",
    "matplotlib-base": "matplotlib",
    "nbconvert-core": "nbconvert",
}
# conda packages with no PyPI counterpart in requirements.txt (conda's graphviz is the `dot` program)
CONDA_ONLY = {"python", "pip", "graphviz"}
CONDA_SPEC = re.compile(r"^([A-Za-z0-9_.-]+)\s*(.*)$")


def pip_name(name: str) -> str:
    """One name per package: tensorflow-cpu (Linux) and tensorflow (elsewhere) are one package."""
    return canonicalize_name(name).removesuffix("-cpu")


def requirements(filename: str = "requirements.txt") -> dict[str, str]:
    """{name: pinned version} of the file's own requirement lines (an `-r` include is not followed)."""
    pins = {}
    for line in (ROOT / filename).read_text().splitlines():
        spec = line.split("#")[0].strip()
        if not spec or spec.startswith("-"):
            continue
        requirement = Requirement(spec)
        (pin,) = [s.version for s in requirement.specifier if s.operator == "=="] or [None]
        assert pin, f"{filename}: {line!r} is not pinned with =="
        pins[pip_name(requirement.name)] = pin
    return pins


# What requirements-dev.txt includes besides requirements.txt: the grading tool and the hub.
DEV_INCLUDES = ["requirements-grading.txt", "deploy/hub/requirements.txt"]


def dev_tools() -> set[str]:
    """What requirements-dev.txt adds to requirements.txt: the test tools, the grading tool, the hub."""
    added = set(requirements("requirements-dev.txt"))
    for included in DEV_INCLUDES:
        added |= set(requirements(included))
    return added - set(requirements())


def environment() -> list[tuple[str | None, str, str]]:
    """(conda name, or None in the pip section; PyPI name; version spec in PEP 440 form) for each
    package of environment.yml, conda-only packages left out."""
    found = []
    for dep in yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]:
        if isinstance(dep, dict):
            for spec in dep["pip"]:
                requirement = Requirement(spec)
                found.append((None, pip_name(requirement.name), str(requirement.specifier)))
            continue
        conda, version = CONDA_SPEC.match(dep).groups()
        if conda not in CONDA_ONLY:
            # conda's `=X` means version X (or X.*): a pin; ranges read as in PEP 440
            if re.match(r"^=[^=]", version):
                version = "=" + version
            found.append((conda, pip_name(CONDA_TO_PIP.get(conda, conda)), version))
    return found


def binder_base() -> dict[str, str]:
    """{conda name: version} of repo2docker's base environment for Python 3.11 on linux-64, the
    environment Binder runs `env update --file environment.yml` on."""
    import repo2docker

    lock = Path(repo2docker.__file__).parent / "buildpacks" / "conda" / "environment.py-3.11-linux-64.lock"
    base = {}
    for line in lock.read_text().splitlines():
        if line.startswith("https://"):
            filename = line.split("#")[0].rsplit("/", 1)[1].removesuffix(".conda").removesuffix(".tar.bz2")
            name, version, _build = filename.rsplit("-", 2)
            base[name] = version
    return base


def needed_by_the_chapters() -> set[str]:
    """requirements.txt's packages and everything they need, as installed here."""
    todo, needed = list(requirements()), set()
    while todo:
        name = pip_name(todo.pop())
        if name in needed:
            continue
        needed.add(name)
        for installed in (name, f"{name}-cpu"):
            try:
                requires = metadata.requires(installed) or []
                break
            except metadata.PackageNotFoundError:
                requires = []
        for spec in requires:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return needed
