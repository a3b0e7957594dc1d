"""Missing pieces cost a sentence, not a crash.

* Without PyTorch (and torchviz): every chapter runs in a kernel that cannot import them
  (tests/without_torch/sitecustomize.py hides them from every import finder and from package metadata).
  The TensorFlow cells run; each cell that needs PyTorch shows the one-sentence install advice as a
  MissingLibrary, never another error, and counts as done so that Run All goes on.
* Without Graphviz's dot program: chapters 00 and 07 run in a kernel whose PATH has no `dot` (the
  folders that held it are replaced by copies made of symlinks to everything else), and say so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import helpers
from helpers import MissingLibrary, optional_import
from helpers.graphs import INSTALL_GRAPHVIZ
from helpers.optional import OPTIONAL, MissingModule, missing_sentence, names_made
from tools.project import ROOT, chapter_names

pytestmark = pytest.mark.slow  # runs chapters without PyTorch or dot: `-m 'not slow'` skips it

CHAPTERS = chapter_names()
WITHOUT_TORCH = Path(__file__).parent / "without_torch" / "sitecustomize.py"
# A cell needs PyTorch when it names it, a helper marked as needing it, or autograd's own tensor methods.
NEEDS_TORCH = re.compile("|".join(
    [r"torch|PyTorch", r"\.backward\(|\.grad\b|grad_fn|\.detach\("]
    + [name for name in helpers.__all__ if getattr(getattr(helpers, name), "needs", None) == "torch"]
))


def execute(name: str, env: dict[str, str]) -> tuple[nbformat.NotebookNode, dict[int, str]]:
    """Run a chapter in a fresh kernel with this environment; the notebook and each cell's reply status."""
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    status: dict[int, str] = {}

    def record(cell, cell_index, execute_reply):
        status[cell_index] = execute_reply["content"]["status"]

    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
        on_cell_executed=record,
    )
    client.execute(env=env)
    return nb, status


def text_of(output) -> str:
    if output.output_type == "stream":
        return output.text
    if output.output_type == "error":
        return "\n".join(output.traceback)
    return "\n".join(str(v) for k, v in output.get("data", {}).items() if k.startswith("text/"))


def code_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


# --------------------------------------------------------------------------- without PyTorch


@pytest.fixture(scope="module")
def no_torch_env(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("without_torch")
    shutil.copy(WITHOUT_TORCH, folder / "sitecustomize.py")
    path = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    return dict(os.environ, PYTHONPATH=path)


@pytest.mark.parametrize("name", CHAPTERS)
def test_without_pytorch_each_chapter_runs_its_tensorflow_cells(no_torch_env, name):
    nb, status = execute(name, no_torch_env)
    cells = code_cells(nb)
    setup = next(c for _, c in cells if "helpers.setup(" in c.source)
    assert "PyTorch not installed" in "".join(text_of(o) for o in setup.outputs)
    told = 0
    for i, cell in cells:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        # Every cell counts as done, so Run All in JupyterLab does not stop at the first PyTorch cell.
        assert status[i] == "ok", f"cell {i} of {name} stopped the run: {[text_of(e) for e in errors]}"
        if not NEEDS_TORCH.search(cell.source):
            assert not errors, f"cell {i} of {name} needs no PyTorch but failed:\n{cell.source}"
        for error in errors:
            assert error.ename == "MissingLibrary", f"cell {i} of {name}: {error.ename}"
            assert len(error.traceback) == 1, "one sentence, no traceback"
            assert re.search(r"`%pip install torch(viz)?==[\d.]+`", error.traceback[0])
            assert "the TensorFlow cells still run" in error.traceback[0]
            told += 1
    if any("optional_import(\"torch\")" in c.source for _, c in cells):
        assert told, f"no PyTorch cell of {name} said what to install"


def test_without_pytorch_the_helpers_say_what_to_install(no_torch_env):
    code = """
import helpers
from helpers import pitfalls
from helpers.graphs import torch_graph, compare_graphs
from helpers.derivatives import torch_jacobian

helpers.setup()
square = lambda x: x * x
calls = {
    "torch_derivative": lambda: helpers.torch_derivative(square, 2.0),
    "torch_partials": lambda: helpers.torch_partials(lambda x, y: x * y, (1.0, 2.0)),
    "torch_nth_derivative": lambda: helpers.torch_nth_derivative(square, 2.0, 2),
    "torch_jacobian": lambda: torch_jacobian(lambda v: v * v, [1.0, 2.0]),
    "torch_graph": lambda: torch_graph(2.0),
    "compare_graphs": lambda: compare_graphs(square, 2.0),
    "graph_explorer": lambda: helpers.graph_explorer(),
    "a PyTorch pitfall": lambda: pitfalls.run_pitfall("1 integer dtype · PyTorch", "fixed"),
    "torch.tensor": lambda: helpers.optional_import("torch").tensor(1.0),
}
for name, call in calls.items():
    try:
        call()
    except helpers.MissingLibrary as err:
        assert "`%pip install torch==2.13.0`" in str(err), (name, err)
    else:
        raise AssertionError(name + " ran without PyTorch")
try:
    helpers.optional_import("torchviz").make_dot  # torchviz is there, but it needs torch
except helpers.MissingLibrary as err:
    assert str(err).startswith("PyTorch is not installed"), err
else:
    raise AssertionError("torchviz worked without PyTorch")
print(helpers.tf_derivative(square, 3.0), pitfalls.run_pitfall("1 integer dtype · TensorFlow", "fixed").grad)
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=dict(no_torch_env, HIDDEN_MODULES="torch"),  # torchviz stays, as if installed without torch
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "PyTorch not installed" in lines[0]
    assert lines[-1].split() == ["6.0", "6.0"]  # TensorFlow still differentiates x² and x² at 3


def test_in_a_notebook_a_missing_library_is_a_sentence_and_other_errors_stay_errors(no_torch_env):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(source)
        for source in [
            "import helpers.optional\nhelpers.optional.register_with_ipython()",
            "shown = 1\ntorch = helpers.optional.optional_import('torch')\nx = torch.ones(2)",
            "x + 1",  # x was never made: the same sentence, not a NameError
            "shown + 1",  # made before the error: fine
            "never_defined_anywhere",  # a learner's own slip: the ordinary NameError
        ]
    ]
    status: dict[int, str] = {}
    NotebookClient(
        nb, timeout=120, kernel_name="python3", allow_errors=True,
        on_cell_executed=lambda cell, cell_index, execute_reply: status.update(
            {cell_index: execute_reply["content"]["status"]}
        ),
    ).execute(env=no_torch_env)
    outputs = [cell.outputs for cell in nb.cells]
    assert [status[i] for i in range(5)] == ["ok", "ok", "ok", "ok", "error"]
    assert [o.ename for o in outputs[1] + outputs[2]] == ["MissingLibrary", "MissingLibrary"]
    assert outputs[1][0].traceback == [missing_sentence("torch")]
    assert outputs[2][0].traceback == [missing_sentence("torch", needs="x")]
    assert outputs[3][0].data["text/plain"] == "2"
    assert outputs[4][0].ename == "NameError" and len(outputs[4][0].traceback) > 1


def test_a_missing_module_stands_in_until_it_is_used():
    stand_in = optional_import("no_such_library_here")
    assert isinstance(stand_in, MissingModule)
    with pytest.raises(MissingLibrary, match="`%pip install no_such_library_here`") as caught:
        stand_in.tensor(1.0)
    assert isinstance(caught.value, ImportError) and caught.value.name == "no_such_library_here"
    with pytest.raises(AttributeError):  # what IPython's display and copy probe for
        stand_in._repr_html_  # noqa: B018
    assert "not installed" in repr(stand_in)
    import torch

    assert optional_import("torch") is torch


def test_install_commands_pin_the_versions_of_requirements_txt():
    text = (ROOT / "requirements.txt").read_text()
    pinned = dict(line.split("==") for line in re.findall(r"^[\w-]+==[\d.]+", text, re.M))
    for name, (_title, requirement) in OPTIONAL.items():
        package, version = requirement.split("==")
        assert pinned[package] == version, f"{name} {requirement} but requirements.txt pins {pinned[package]}"
        assert f"%pip install {requirement}" in missing_sentence(name)


def test_names_made_reads_what_a_cell_binds():
    code = "import numpy as np\nx, y = 1, 2\nfor k in range(3):\n    z = k\ndef f(a):\n    b = a\n"
    code += "[q for q in y]\nlambda w: w"
    assert names_made(code) == {"np", "x", "y", "k", "z", "f"}
    assert names_made("%pip install torch") == set()


# --------------------------------------------------------------------------- without Graphviz


def path_without(program: str, folder: Path) -> str:
    """PATH as it is, except that each folder holding `program` is replaced by symlinks to the rest."""
    parts = []
    for i, entry in enumerate(os.environ["PATH"].split(os.pathsep)):
        original = Path(entry)
        if not (original / program).exists():
            parts.append(entry)
            continue
        mirror = folder / f"path{i}"
        mirror.mkdir()
        for item in original.iterdir():
            if item.name != program:
                (mirror / item.name).symlink_to(item)
        parts.append(str(mirror))
    return os.pathsep.join(parts)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("00_start_here.ipynb", "✘ Graphviz's dot program is missing"),
        ("07_pytorch_autograd.ipynb", INSTALL_GRAPHVIZ),
    ],
)
def test_without_dot_the_graph_chapters_run_and_say_so(tmp_path, name, says):
    path = path_without("dot", tmp_path)
    assert shutil.which("dot", path=path) is None and shutil.which("sh", path=path) is not None
    nb, status = execute(name, dict(os.environ, PATH=path))
    shown = []
    for i, cell in code_cells(nb):
        assert status[i] == "ok", f"cell {i} of {name} failed without dot"
        assert not [o for o in cell.outputs if o.output_type == "error"]
        assert not [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"], cell.source
        shown += [text_of(o) for o in cell.outputs]
    assert any(says in text for text in shown), f"{name} never said: {says}"
