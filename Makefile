# The two commands a learner or maintainer needs:
#   make lab    set everything up (first run only) and open the course in JupyterLab
#   make test   set everything up (first run only) and run every test, notebooks included
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# JupyterLab refuses to run as root unless told to (containers, Binder-like machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
# pytest-xdist workers; each notebook stays on one worker (--dist loadscope).
WORKERS ?= 2

.PHONY: lab test setup notebooks contents slides handouts lint bench clean

setup: $(STAMP)
	@sh tools/install_dot.sh
	@$(BIN)/python tools/install_jupyter_config.py

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $@

# Extra JupyterLab options, e.g. make lab LAB_ARGS="--port=9999 --no-browser"
LAB_ARGS ?=

# Opens your own copies in my-notebooks/ (made on first run, new chapters added later, never
# overwritten), on 127.0.0.1 only, with a token JupyterLab prints.
lab: setup
	$(BIN)/python tools/my_notebooks.py
	$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)/my-notebooks" $(ALLOW_ROOT) $(LAB_ARGS) \
		my-notebooks/00_start_here.ipynb

test: setup
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadscope

# Maintainers: regenerate tables, links and slide metadata, then re-run every notebook from a
# clean kernel and store its outputs.
notebooks: contents
	$(BIN)/python tools/run_notebooks.py notebooks/*.ipynb

contents: setup
	$(BIN)/python tools/contents.py
	$(BIN)/python tools/slides.py

# Lecturers: reveal.js decks that open offline (build/slides), and copies without solutions.
slides: setup
	$(BIN)/python tools/slides.py --export build/slides

handouts: setup
	$(BIN)/python tools/handouts.py build/handouts

# Maintainers: the performance benchmark, printed and written to docs/benchmark.md and the README.
# FULL=1 also times `make test` end to end (a few minutes more).
bench: setup
	$(BIN)/python tools/bench.py $(if $(FULL),--test-command,)

lint: setup
	$(BIN)/ruff check helpers tools tests notebooks

clean:
	rm -rf $(VENV) .pytest_cache
