"""Install the course's JupyterLab and Jupyter server settings into the running environment.

    python tools/install_jupyter_config.py

`make lab`, `make test` and Binder's postBuild run this, so the JupyterLab a learner opens (in
.venv, in conda or on Binder) behaves the same everywhere. The files live in jupyter-config/ and
are merged into what the environment already has (ours win):
  overrides.json               -> <prefix>/share/jupyter/lab/settings/overrides.json
  jupyter_server_config.json   -> <prefix>/etc/jupyter/jupyter_server_config.json
Where the grading tool (nbgrader, requirements-grading.txt) is installed, jupyter-config/grading/ turns
off its JupyterLab and server parts and those of Jupyter Notebook 7, which it brings: JupyterLab there
(lecturers, maintainers) looks as learners see it, with no Nbgrader menu or panel and no log lines:
  grading/jupyter_server_config.json -> <prefix>/etc/jupyter/jupyter_server_config.json
  grading/page_config.json           -> <prefix>/etc/jupyter/labconfig/page_config.json
Learners' and Binder's environments have no nbgrader and get neither file.
The server file is not dropped into jupyter_server_config.d/: the server reads only the extensions
to enable from there and would ignore the kernel manager and the other settings.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "jupyter-config"
TARGETS = {
    "overrides.json": Path("share/jupyter/lab/settings/overrides.json"),
    "jupyter_server_config.json": Path("etc/jupyter/jupyter_server_config.json"),
}
GRADING_TARGETS = {
    "jupyter_server_config.json": TARGETS["jupyter_server_config.json"],
    "page_config.json": Path("etc/jupyter/labconfig/page_config.json"),
}


def merged(old: dict, new: dict) -> dict:
    """`old` with every key of `new` set, sections merged key by key."""
    out = dict(old)
    for key, value in new.items():
        out[key] = merged(out.get(key, {}), value) if isinstance(value, dict) else value
    return out


def install(prefix: Path = Path(sys.prefix), grading: bool | None = None) -> list[Path]:
    """Merge the settings into `prefix`; `grading` (default: whether nbgrader is installed) adds grading/."""
    if grading is None:
        grading = importlib.util.find_spec("nbgrader") is not None
    files = [(SOURCE / name, relative) for name, relative in TARGETS.items()]
    if grading:
        files += [(SOURCE / "grading" / name, relative) for name, relative in GRADING_TARGETS.items()]
    written = []
    for source, relative in files:
        target = prefix / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        before = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
        settings = merged(before, json.loads(source.read_text(encoding="utf-8")))
        target.write_text(json.dumps(settings, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    install()
