# The two commands a learner or maintainer needs:
#   make lab    set everything up (first run only) and open the course in JupyterLab
#   make test   set everything up, test tools included (first run only), and run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
GRADING_STAMP := $(VENV)/.installed-grading
PROXY := deploy/hub/node_modules/.bin/configurable-http-proxy
# JupyterLab refuses to run as root unless told to (containers, Binder-like machines).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
# A package index for PyTorch's CPU build on Linux without a GPU (README), e.g.
# make lab TORCH_INDEX=https://download.pytorch.org/whl/cpu
TORCH_INDEX ?=
# pytest-xdist workers; each notebook stays on one worker (--dist loadscope).
WORKERS ?= 2

.PHONY: lab test setup setup-dev notebooks editions contents slides handouts assignment grade lint bench clean

# What learners and lecturers need: requirements.txt, the helpers package, dot, the course's settings.
setup: $(STAMP)
	@sh tools/install_dot.sh
	@$(BIN)/python tools/install_jupyter_config.py

# Tests, lint and the benchmark also need the test tools of requirements-dev.txt, and the hub test
# needs JupyterHub's proxy (from npm; Node.js 18 or later).
setup-dev: setup $(DEV_STAMP) $(PROXY)

# One line per step, and pip's own progress: the first run downloads TensorFlow and PyTorch.
$(STAMP): requirements.txt pyproject.toml
	@echo "==> Setting up $(VENV) (first run, or the package lists changed): a few minutes"
	@test -x $(BIN)/python || { echo "==> Creating the virtual environment $(VENV)"; $(PYTHON) -m venv $(VENV); }
	@echo "==> Updating pip"
	@$(BIN)/python -m pip install --upgrade pip
	@echo "==> Installing the chapters' packages (requirements.txt) and the helpers package"
	@$(BIN)/python -m pip install -r requirements.txt -e . $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX),)
	@touch $@

$(DEV_STAMP): $(STAMP) requirements-dev.txt requirements-grading.txt deploy/hub/requirements.txt
	@echo "==> Installing the test tools (requirements-dev.txt)"
	@$(BIN)/python -m pip install -r requirements-dev.txt
	@$(BIN)/python tools/install_jupyter_config.py  # now with nbgrader: its JupyterLab parts off
	@touch $@

$(PROXY): deploy/hub/package.json deploy/hub/package-lock.json
	@echo "==> Installing JupyterHub's proxy (deploy/hub/package.json) with npm"
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js 18 or later (sudo apt-get install nodejs npm)"; exit 1; }
	@npm ci --prefix deploy/hub --no-audit --no-fund --loglevel=error
	@touch $@

# Extra JupyterLab options, e.g. make lab LAB_ARGS="--port=9999 --no-browser"
LAB_ARGS ?=
# The edition to open: empty for English, de (Deutsch) or zh (中文), e.g. make lab EDITION=de
EDITION ?=
ifneq ($(filter-out de zh,$(EDITION)),)
$(error EDITION must be de (Deutsch), zh (中文) or left out for English, not "$(EDITION)")
endif

# Opens your own copies in my-notebooks/ (made on first run, new chapters added later, never
# overwritten), on 127.0.0.1 only, with a token JupyterLab prints; its link opens the course map.
lab: setup
	@$(BIN)/python tools/my_notebooks.py
	@echo "==> Starting JupyterLab: open the link it prints below (Ctrl-C stops it)"
	@$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)/my-notebooks" \
		--LabApp.default_url=/lab/tree/$(if $(EDITION),$(EDITION)/,)00_start_here.ipynb $(ALLOW_ROOT) $(LAB_ARGS)

# Extra pytest options, e.g. make test PYTEST_ARGS="-m 'not slow'" for the fast tests only.
PYTEST_ARGS ?=

test: setup-dev
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadscope $(PYTEST_ARGS)

# Maintainers: regenerate tables, links and slide metadata, then re-run every notebook from a
# clean kernel and store its outputs; the same for the German and Chinese editions.
notebooks: contents
	$(BIN)/python tools/run_notebooks.py notebooks/*.ipynb
	$(MAKE) editions

# Maintainers: bring the translation catalogs and the editions (notebooks/de, notebooks/zh) up to date
# with the English chapters and the helpers, then run the edition chapters and plan their slides.
# Needs requirements-dev.txt (Babel). Untranslated text is listed; the tests fail until it is translated.
editions: setup-dev
	$(BIN)/python tools/editions.py
	$(BIN)/python tools/contents.py
	$(BIN)/python tools/run_notebooks.py $(wildcard notebooks/de/*.ipynb notebooks/zh/*.ipynb)
	$(BIN)/python tools/slides.py  # slides are planned by the heights of the new outputs

contents: setup
	$(BIN)/python tools/contents.py
	$(BIN)/python -m tests.learner_mistakes  # docs/learner-mistakes.md
	$(BIN)/python tools/slides.py

# Lecturers: reveal.js decks that open offline (build/slides), and copies without solutions.
slides: setup
	$(BIN)/python tools/slides.py --export build/slides

handouts: setup
	$(BIN)/python tools/handouts.py build/handouts

# Lecturers: nbgrader, for the graded exercises below (requirements-grading.txt; learners never need it).
$(GRADING_STAMP): $(STAMP) requirements-grading.txt
	@echo "==> Installing the grading tool (requirements-grading.txt)"
	@$(BIN)/python -m pip install -r requirements-grading.txt
	@$(BIN)/python tools/install_jupyter_config.py  # now with nbgrader: its JupyterLab parts off
	@touch $@

# Chapters to make assignments of, e.g. make assignment CHAPTERS="01 02" (default: all with exercises).
CHAPTERS ?=

# Lecturers: the exercises as nbgrader assignments in build/grading, student versions in its release/.
assignment: setup $(GRADING_STAMP)
	$(BIN)/python tools/assignment.py $(CHAPTERS)

# Lecturers: grade a folder holding one folder per student, e.g. make grade SUBMISSIONS=~/collected
grade: setup $(GRADING_STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "Say which folder to grade: make grade SUBMISSIONS=<folder>"; exit 2; }
	$(BIN)/python tools/grade.py "$(SUBMISSIONS)"

# Maintainers: the performance benchmark, printed and written to docs/benchmark.md and the README.
# FULL=1 also times `make test` end to end (a few minutes more).
bench: setup-dev
	$(BIN)/python tools/bench.py $(if $(FULL),--test-command,)

lint: setup-dev
	$(BIN)/ruff check helpers tools tests notebooks

clean:
	rm -rf $(VENV) .pytest_cache
