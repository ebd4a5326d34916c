# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make repro   set up .venv if needed, then run the pipeline
#   make test    set up .venv if needed, then run the tests
PYTHON ?= python3
# More pip options for the install, e.g. where pip would otherwise take torch's CUDA build:
#   make setup PIP_EXTRA="--extra-index-url https://download.pytorch.org/whl/cpu"
PIP_EXTRA ?=
VENV := .venv
STAMP := $(VENV)/.installed
# dvc.yaml runs `python -m stages.<name>`: the venv's python must come first on PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.DEFAULT_GOAL := help
.PHONY: help setup repro pdf test test-fast mutate lint format bench bench-scale bench-bounds dag plots-page clean-venv

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /  make \1\t/' | expand -t 20

$(STAMP): requirements.lock
	@echo "Installing the pinned dependencies (dvc, torch 2.13.0 CPU, numpy, scipy, matplotlib, ...) into $(VENV): a few minutes, once."
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@# pip's warnings (a machine's pip config may name index folders it lacks) go to a log,
	@# shown only if the install fails
	@$(VENV)/bin/pip install --disable-pip-version-check --quiet $(PIP_EXTRA) -r requirements.lock 2>$(VENV)/pip.log \
		|| { cat $(VENV)/pip.log; exit 1; }
	@touch $(STAMP)

setup: $(STAMP) ## install .venv with the pinned dependencies, and run nothing

# Before DVC: repair what an interrupted dvc left (an empty dvc.lock or rwlock); check
# params.yaml, which also catches what DVC itself cannot read (YAML that does not parse, a matrix
# key that is not a list) with the loader's one-line message; drop what DVC keeps of removed
# step sizes and seeds (their fits and lock entries), so that no stage reads a stale fit
# (nndl/pipeline/tidy.py). If dvc repro fails, put back the cached data outputs DVC removed
# before the stage that failed (dvc checkout). After it, dvc.lock in DVC's order of the stages.
repro: $(STAMP) ## run the pipeline (dvc repro), installing .venv first if needed
	@python -m nndl.pipeline.repair
	@python -m nndl.pipeline.params
	@python -m nndl.pipeline.tidy
	@dvc repro || { dvc checkout -q 2>/dev/null; exit 1; }
	@python -m nndl.pipeline.tidy
	@echo "Results: REPORT.md and REPORT.html (make pdf prints it), metrics/ (dvc metrics show), plots/ (dvc plots show)"

# REPORT.html printed to REPORT.pdf by headless Chromium, with a throw-away profile, no header
# or footer, and every connection refused (the page needs none). Not a stage of dvc repro: a PDF
# carries its creation date, so its bytes differ at every print. Written to a temporary file
# and renamed, so that a failed print leaves the last REPORT.pdf as it was.
CHROMIUM ?= chromium
CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --disable-extensions --disable-quic \
	--proxy-server=127.0.0.1:9 --host-resolver-rules="MAP * ~NOTFOUND" --no-pdf-header-footer
pdf: ## print REPORT.html to REPORT.pdf with headless Chromium, to hand in
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { echo "make pdf needs Chromium: apt-get install chromium (Debian), or CHROMIUM=<path of chrome> make pdf" >&2; exit 1; }
	@test -f REPORT.html || { echo "no REPORT.html: make repro writes it" >&2; exit 1; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	HOME="$$tmp" $(CHROMIUM) $(CHROMIUM_FLAGS) --user-data-dir="$$tmp/profile" \
		--print-to-pdf="$$tmp/REPORT.pdf" "$(CURDIR)/REPORT.html" >"$$tmp/log" 2>&1; \
	test -s "$$tmp/REPORT.pdf" || { cat "$$tmp/log" >&2; echo "make pdf: Chromium wrote no PDF" >&2; exit 1; }; \
	mv "$$tmp/REPORT.pdf" REPORT.pdf && echo "REPORT.pdf: REPORT.html printed"

test: $(STAMP) ## run the test suite (about two minutes on 2 cores)
	pytest

test-fast: $(STAMP) ## run the unit tests alone, no dvc (seconds): the inner loop
	pytest --ignore=tests/func

# mutmut (config in pyproject.toml) copies the project into mutants/ and runs there, from scratch
# each time: it would keep a survivor's result after a new test. One worker on a shared 2-core
# machine; OMP_NUM_THREADS=1 because mutmut forks a worker per mutant from a process that has run
# the tests, and torch's OpenMP threads started before a fork hang in the child. The score per
# module is tools/mutation_score.py's, which fails on a survivor docs/development.md does not list.
mutate: $(STAMP) ## mutation testing: every mutant of nndl/numerics against the unit tests, scored per module (minutes)
	@rm -rf mutants && mkdir mutants
	@echo "mutmut run: the mutants of nndl/numerics against the unit tests, one at a time (log: mutants/run.log)"
	@OMP_NUM_THREADS=1 mutmut run --max-children 1 >mutants/run.log 2>&1 || { tail -c 2000 mutants/run.log; exit 1; }
	@python tools/mutation_score.py

lint: $(STAMP) ## check the code with ruff
	ruff check .
	ruff format --check .

format: $(STAMP) ## format the code with ruff
	ruff check --fix .
	ruff format .

bench: $(STAMP) ## time the pipeline, against a null copy of it too, the SGD kernel, and SGD iterations up to 10^6
	python -m benchmarks

bench-scale: $(STAMP) ## time and memory of dvc repro at 10^4 to 10^7 SGD iterations (minutes)
	python -m benchmarks.scale

bench-bounds: $(STAMP) ## time and memory of each stage at the largest params the loader accepts (minutes)
	python -m benchmarks.bounds

dag: $(STAMP) ## print the pipeline graph (dvc dag --md)
	dvc dag --md

plots-page: $(STAMP) ## rebuild .dvc/plots/page.html, the offline page of dvc plots, from vendor/vega
	python -m nndl.pipeline.plots_page

clean-venv: ## remove .venv
	rm -rf $(VENV)
