"""What deploy/ and README's lecturer section say about a class on a hub, read for the tests that
check them against each other (tests/test_deploy.py) and against a running hub (tests/hub/)."""

from __future__ import annotations

import re

import yaml
from traitlets.config import Config

from tools.project import README, ROOT

SHIPPED_CONFIG = ROOT / "deploy" / "hub" / "jupyterhub_config.py"
VALUES = ROOT / "deploy" / "z2jh" / "values.yaml"


def shipped_settings() -> Config:
    """The settings deploy/hub/jupyterhub_config.py makes, read as JupyterHub reads them."""
    config = Config()
    exec(compile(SHIPPED_CONFIG.read_text(), str(SHIPPED_CONFIG), "exec"), {"get_config": lambda: config})
    return config


def values() -> dict:
    return yaml.safe_load(VALUES.read_text())


def byte_size(text: str) -> int:
    """JupyterHub's reading of a memory size such as 1.2G (K, M, G, T are powers of 1024)."""
    from jupyterhub.traitlets import ByteSpecification

    return ByteSpecification().validate(None, text)


def readme_link() -> str:
    """The nbgitpuller link README's lecturer section gives."""
    found = re.findall(r"https://YOUR-HUB/hub/user-redirect/git-pull\?[^\s`)]+", README.read_text())
    assert len(found) == 1, f"README must give one nbgitpuller link, found {len(found)}"
    return found[0]
