"""Install the course's JupyterLab and Jupyter server settings into the running environment.

    python tools/install_jupyter_config.py

`make lab`, `make test` and Binder's postBuild run this, so the JupyterLab a learner opens (in
.venv, in conda or on Binder) behaves the same everywhere. The files live in jupyter-config/:
  overrides.json               -> <prefix>/share/jupyter/lab/settings/overrides.json
  jupyter_server_config.json   -> <prefix>/etc/jupyter/jupyter_server_config.d/autodiff-course.json
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "jupyter-config"
TARGETS = {
    "overrides.json": Path("share/jupyter/lab/settings/overrides.json"),
    "jupyter_server_config.json": Path("etc/jupyter/jupyter_server_config.d/autodiff-course.json"),
}


def install(prefix: Path = Path(sys.prefix)) -> list[Path]:
    written = []
    for name, relative in TARGETS.items():
        target = prefix / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SOURCE / name, target)
        written.append(target)
    return written


if __name__ == "__main__":
    install()
