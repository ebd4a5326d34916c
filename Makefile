# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make repro   set up .venv if needed, then run the pipeline
#   make test    set up .venv if needed, then run the tests
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
OPT2 := $(VENV)/.compiled-OO
# dvc.yaml runs `python -m stages.<name>`: the venv's python must come first on PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.DEFAULT_GOAL := help
.PHONY: help repro test lint format bench bench-scale dag plots-page clean-venv

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 20

$(STAMP): requirements.lock
	@echo "Installing the pinned dependencies (dvc, torch 2.13.0 CPU, numpy, scipy, matplotlib, ...) into $(VENV): a few minutes, once."
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@# pip's warnings (a machine's pip config may name index folders it lacks) go to a log,
	@# shown only if the install fails
	@$(VENV)/bin/pip install --disable-pip-version-check --quiet -r requirements.lock 2>$(VENV)/pip.log \
		|| { cat $(VENV)/pip.log; exit 1; }
	@touch $(STAMP)

# The figure stages run `python -OO` (dvc.yaml), which reads bytecode of its own: compile it
# once for matplotlib and what it requires (nndl/bytecode.py), as pip did the plain bytecode.
$(OPT2): $(STAMP) nndl/bytecode.py
	@$(VENV)/bin/python -m nndl.bytecode
	@touch $(OPT2)

# Repair what an interrupted dvc left (an empty dvc.lock or rwlock), then check params.yaml:
# that also catches what DVC itself cannot read (YAML that does not parse, a matrix key that
# is not a list) with the loader's one-line message. Last, put dvc.lock's entries in
# dvc.yaml's order, as a run from scratch writes them (DVC appends a new stage's at the end).
repro: $(OPT2) ## run the pipeline (dvc repro), installing .venv first if needed
	python -m nndl.repair
	python -m stages.validate
	dvc repro
	python -m nndl.lockfile

test: $(OPT2) ## run the test suite
	pytest

lint: $(STAMP) ## check the code with ruff
	ruff check .
	ruff format --check .

format: $(STAMP) ## format the code with ruff
	ruff check --fix .
	ruff format .

bench: $(OPT2) ## time the pipeline, against a null copy of it too, the SGD kernel, and SGD iterations up to 10^6
	python -m benchmarks

bench-scale: $(OPT2) ## time and memory of dvc repro at 10^4 to 10^7 SGD iterations (minutes)
	python -m benchmarks.scale

dag: $(STAMP) ## print the pipeline graph (dvc dag --md)
	dvc dag --md

plots-page: $(STAMP) ## rebuild .dvc/plots/page.html, the offline page of dvc plots, from vendor/vega
	python -m nndl.plots_page

clean-venv: ## remove .venv
	rm -rf $(VENV)
