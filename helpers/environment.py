"""Notebook set-up (quiet logs, seeds, plot style) and the environment check of chapter 00."""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import logging
import os
import random
import re
import shutil
import subprocess
import sys
import warnings

from helpers.optional import register_with_ipython
from helpers.translation import N_, _, set_language
from helpers.values import to_whole

__all__ = ["environment_report", "setup"]

# Both must be set before TensorFlow is first imported: the oneDNN notice and the C++ info
# lines are written to the process's stderr at import time, where Jupyter shows them in red.
QUIET_TENSORFLOW = {"TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}

SEED = 42

PLOT_STYLE = {
    "figure.figsize": (6.0, 4.0),
    "figure.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 11,
}


# Presentation mode: everything drawn this many times larger, for the back of a lecture hall.
PRESENTATION_SCALE = 1.6
# CSS that enlarges the widgets' labels, readouts and slider handles to match.
_PRESENTATION_CSS = """<style>
.jp-OutputArea .widget-label, .jp-OutputArea .widget-readout, .jp-OutputArea .widget-html-content,
.jp-OutputArea .widget-dropdown select, .jp-OutputArea .widget-label-basic { font-size: 1.5em !important; }
.jp-OutputArea .widget-inline-hbox { min-height: 2.2em; }
.jp-OutputArea .noUi-handle { transform: scale(1.5); }
</style>"""

_display_scale = 1.0


def display_scale() -> float:
    """1.0 normally, larger after setup(presentation=True); explorers size their figures by it."""
    return _display_scale


def setup(
    seed: int = SEED,
    quiet: bool = True,
    presentation: bool = False,
    load_libraries: bool = True,
    language: str = "en",
) -> None:
    """Quieten TensorFlow, fix every random seed, set the plot style and print the versions.

    language: "en", "de" or "zh", the language of everything the helpers print and draw.
    presentation=True makes figures, fonts and widgets readable from the back of a lecture hall.
    load_libraries=False, for a notebook that uses neither TensorFlow nor PyTorch (chapter 00), only
    reads their versions: importing them would hold ~750 MB of a Binder session's ~2 GB.
    """
    global _display_scale
    set_language(language)
    to_whole(seed, "seed", "the random seed, from 0 to 2**32 − 1", "42", highest=2**32 - 1)
    if quiet:
        already_quiet = all(os.environ.get(k) == v for k, v in QUIET_TENSORFLOW.items())
        if "tensorflow" in sys.modules and not already_quiet:
            warnings.warn(
                _("TensorFlow was imported before helpers.setup(); its start-up messages may "
                  "already have been printed. Call helpers.setup() first."),
                stacklevel=2,
            )
        os.environ.update(QUIET_TENSORFLOW)
    import matplotlib as mpl
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    mpl.rcParams.update(PLOT_STYLE)
    _display_scale = PRESENTATION_SCALE if presentation else 1.0
    if presentation:
        mpl.rcParams.update(
            {
                "figure.dpi": PLOT_STYLE["figure.dpi"] * PRESENTATION_SCALE,
                "lines.linewidth": 2.5,
                "lines.markersize": 9,
            }
        )
        from IPython.display import HTML, display

        display(HTML(_PRESENTATION_CSS))
    names = []
    if load_libraries:
        tf = _optional("tensorflow")
        if tf is not None:
            tf.random.set_seed(seed)
            if quiet:
                tf.get_logger().setLevel(logging.ERROR)
        torch = _optional("torch")
        if torch is not None:
            torch.manual_seed(seed)
        found = {"TensorFlow": tf and tf.__version__, "PyTorch": torch and torch.__version__}
    else:
        found = {"TensorFlow": _tensorflow_version(), "PyTorch": _installed("torch")}
    if found["TensorFlow"]:
        names.append(f"TensorFlow {found['TensorFlow']}")
    names.append(f"PyTorch {found['PyTorch']}" if found["PyTorch"] else _("PyTorch not installed"))
    names.append(f"NumPy {np.__version__}")
    register_with_ipython()  # a missing PyTorch shows as one sentence, not a traceback
    names.append(_("seed {seed}").format(seed=seed))
    if presentation:
        names.append(_("presentation mode"))
    print(_("Using {parts}").format(parts=" · ".join(names)))
    if not load_libraries:
        print(_("TensorFlow and PyTorch are not loaded in this notebook, to leave memory for the chapters."))


def _optional(module: str):
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _installed(distribution: str, module: str | None = None) -> str | None:
    """The installed version of `distribution`, or None when it or its module (`module`, by default
    named like it) is missing.

    Read without importing the module: importing TensorFlow and PyTorch takes ~750 MB.
    """
    try:
        version = importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
    # Metadata can outlive a half-removed package; the module must be importable too.
    return version if importlib.util.find_spec(module or distribution) is not None else None


def _tensorflow_version() -> str | None:
    return _installed("tensorflow-cpu", "tensorflow") or _installed("tensorflow", "tensorflow")


def _dot_version() -> str | None:
    dot = shutil.which("dot")
    if dot is None:
        return None
    done = subprocess.run([dot, "-V"], capture_output=True, text=True, check=False)
    words = (done.stderr or done.stdout).split()
    return words[words.index("version") + 1] if "version" in words else "unknown"


# In the folder of the collection: `make lab` installs requirements.txt only when the file changes.
_PIP = N_(
    "run `.venv/bin/pip install -r requirements.txt` in the collection's folder (conda: "
    "`pip install -r requirements.txt`), then Kernel → Restart Kernel"
)

# (what is checked, how to find its version, the oldest version the chapters work with, the fix)
_REQUIREMENTS = [
    ("TensorFlow", _tensorflow_version, (2, 16), _PIP),
    ("PyTorch", lambda: _installed("torch"), (2, 0), _PIP),
    (N_("ipywidgets, the explorers' controls"), lambda: _installed("ipywidgets"), (8, 0), _PIP),
    (N_("the widgets front end (jupyterlab_widgets)"), lambda: _installed("jupyterlab_widgets"), (3, 0),
     N_("run `.venv/bin/pip install -r requirements.txt` in the collection's folder (conda: "
        "`pip install -r requirements.txt`), then Kernel → Restart Kernel, and reload JupyterLab in "
        "the browser")),
    (N_("Graphviz's dot program"), _dot_version, (0,),
     N_("install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), "
        "`brew install graphviz` (macOS) or `conda install graphviz`")),
    (N_("the helpers package"), lambda: _installed("autodiff-helpers", "helpers"), (0,),
     N_("run `pip install -e .` in the folder of the collection")),
]


def _too_old(version: str, oldest: tuple[int, ...]) -> bool:
    numbers = tuple(int(part) for part in re.findall(r"\d+", version)[: len(oldest)])
    return bool(numbers) and numbers < oldest


def environment_report() -> None:
    """Print, in words, what is present and what is missing or too old, with the fix for each gap."""
    missing = 0
    for name, find_version, oldest, fix in _REQUIREMENTS:
        found = find_version()
        if found and not _too_old(found, oldest):
            print(_("✔ {name}: version {version}").format(name=_(name), version=found))
        elif found:
            missing += 1
            wanted = ".".join(map(str, oldest))
            too_old = _("✘ {name}: version {version} is too old, the chapters need {wanted} or newer: {fix}.")
            print(too_old.format(name=_(name), version=found, wanted=wanted, fix=_(fix)))
        else:
            missing += 1
            print(_("✘ {name} is missing: {fix}.").format(name=_(name), fix=_(fix)))
    print(_("Fix the lines marked ✘, then run this cell again.") if missing else _("Everything is in place."))
