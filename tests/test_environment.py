"""setup() quietens, seeds and styles; importing helpers does none of that; the report says what to do."""

import importlib.metadata
import subprocess
import sys

import numpy as np

import helpers
from helpers import environment


def test_import_has_no_side_effects():
    code = (
        "import os, sys, matplotlib as mpl; before = dict(mpl.rcParams); import helpers; "
        "assert 'tensorflow' not in sys.modules and 'torch' not in sys.modules; "
        "assert 'TF_CPP_MIN_LOG_LEVEL' not in os.environ; assert dict(mpl.rcParams) == before"
    )
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("TF_")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_setup_prints_versions_and_fixes_seeds(capsys):
    helpers.setup(seed=7)
    first = np.random.rand(3)
    helpers.setup(seed=7)
    assert np.array_equal(first, np.random.rand(3))
    out = capsys.readouterr().out
    assert "TensorFlow 2." in out and "PyTorch 2." in out and "seed 7" in out


def test_setup_leaves_no_tensorflow_noise_in_a_fresh_process():
    code = "import helpers; helpers.setup(); import tensorflow as tf; tf.constant(1.0) * 2"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == ""


def test_report_names_what_is_missing_and_the_fix(monkeypatch, capsys):
    monkeypatch.setattr(environment.shutil, "which", lambda _name: None)
    helpers.environment_report()
    out = capsys.readouterr().out
    assert "✘ Graphviz's dot program is missing" in out and "apt-get install graphviz" in out
    assert "✔ TensorFlow" in out and "Fix the lines marked ✘" in out


def test_report_says_when_a_version_is_too_old(monkeypatch, capsys):
    version = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda d: "7.8.5" if d == "ipywidgets" else version(d))
    helpers.environment_report()
    out = capsys.readouterr().out
    assert "✘ ipywidgets, the explorers' controls: version 7.8.5 is too old" in out
    assert "the chapters need 8.0 or newer: run `.venv/bin/pip install -r requirements.txt`" in out
    assert "Everything is in place" not in out


def test_report_all_present(capsys):
    helpers.environment_report()
    assert capsys.readouterr().out.endswith("Everything is in place.\n")


def test_presentation_mode_enlarges_figures_and_widgets(capsys):
    import matplotlib as mpl

    from helpers.widget_figure import MAX_WIDTH_PX, FigureImage

    normal = FigureImage().figure.dpi
    helpers.setup(presentation=True)
    try:
        assert "presentation mode" in capsys.readouterr().out
        scale = environment.PRESENTATION_SCALE
        assert mpl.rcParams["figure.dpi"] == environment.PLOT_STYLE["figure.dpi"] * scale
        assert FigureImage().figure.dpi == normal * scale
        # A wide figure keeps its dpi (large text) but narrows to what a slide shows unshrunk.
        wide = FigureImage(figsize=(12.0, 3.8)).figure
        assert wide.dpi == normal * scale and wide.get_size_inches()[0] * wide.dpi <= MAX_WIDTH_PX
    finally:
        helpers.setup()
    assert FigureImage().figure.dpi == normal


def test_chapter_00_setup_and_report_load_neither_library():
    # Chapter 00 must stay small: importing TensorFlow and PyTorch would hold ~750 MB of Binder's ~2 GB.
    code = (
        "import sys, helpers; helpers.setup(load_libraries=False); helpers.environment_report(); "
        "print(sorted({'tensorflow', 'torch'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    assert lines[-1] == "[]", "chapter 00 imported " + lines[-1]
    assert "TensorFlow 2." in lines[0] and "PyTorch 2." in lines[0] and "not loaded" in lines[1]
    assert "✔ TensorFlow: version 2." in done.stdout and "Everything is in place." in done.stdout


def test_report_calls_a_library_missing_when_only_its_metadata_is_left(monkeypatch, capsys):
    find_spec = environment.importlib.util.find_spec
    monkeypatch.setattr(
        environment.importlib.util, "find_spec", lambda name: None if name == "torch" else find_spec(name)
    )
    helpers.environment_report()
    out = capsys.readouterr().out
    assert "✘ PyTorch is missing: run `.venv/bin/pip install -r requirements.txt`" in out
    assert "✔ TensorFlow" in out
    helpers.setup(load_libraries=False)
    assert "PyTorch not installed" in capsys.readouterr().out
