# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make repro   set up .venv if needed, then run the pipeline
#   make test    set up .venv if needed, then run the tests
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
# dvc.yaml runs `python -m stages.<name>`: the venv's python must come first on PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: repro test lint format bench dag clean-venv

$(STAMP): requirements.lock
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --disable-pip-version-check --quiet -r requirements.lock
	touch $(STAMP)

# Repair what an interrupted dvc left (an empty dvc.lock or rwlock), then check params.yaml:
# that also catches what DVC itself cannot read (YAML that does not parse, a matrix key that
# is not a list) with the loader's one-line message. Last, put dvc.lock's entries in
# dvc.yaml's order, as a run from scratch writes them (DVC appends a new stage's at the end).
repro: $(STAMP)
	python -m nndl.repair
	python -m stages.validate
	dvc repro
	python -m nndl.lockfile

test: $(STAMP)
	pytest

lint: $(STAMP)
	ruff check .
	ruff format --check .

format: $(STAMP)
	ruff check --fix .
	ruff format .

bench: $(STAMP)
	python -m benchmarks

dag: $(STAMP)
	dvc dag --md

clean-venv:
	rm -rf $(VENV)
