"""Install the course's JupyterLab and Jupyter server settings into the running environment.

    python tools/install_jupyter_config.py

`make lab`, `make test` and Binder's postBuild run this, so the JupyterLab a learner opens (in
.venv, in conda or on Binder) behaves the same everywhere. The files live in jupyter-config/ and
are merged into what the environment already has (ours win):
  overrides.json               -> <prefix>/share/jupyter/lab/settings/overrides.json
  jupyter_server_config.json   -> <prefix>/etc/jupyter/jupyter_server_config.json
The server file is not dropped into jupyter_server_config.d/: the server reads only the extensions
to enable from there and would ignore the kernel manager and the other settings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "jupyter-config"
TARGETS = {
    "overrides.json": Path("share/jupyter/lab/settings/overrides.json"),
    "jupyter_server_config.json": Path("etc/jupyter/jupyter_server_config.json"),
}


def merged(old: dict, new: dict) -> dict:
    """`old` with every key of `new` set, sections merged key by key."""
    out = dict(old)
    for key, value in new.items():
        out[key] = merged(out.get(key, {}), value) if isinstance(value, dict) else value
    return out


def install(prefix: Path = Path(sys.prefix)) -> list[Path]:
    written = []
    for name, relative in TARGETS.items():
        target = prefix / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        before = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
        settings = merged(before, json.loads((SOURCE / name).read_text(encoding="utf-8")))
        target.write_text(json.dumps(settings, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    install()
