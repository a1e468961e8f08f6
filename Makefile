# rhetoric: two commands on a fresh machine with Python 3.11 and make.
#   make analysis   create .venv, install, execute the notebooks, write the figures
#   make test       create .venv if needed, run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help analysis test lab lint format docs bench calibrate lock clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

analysis: $(STAMP) ## execute notebooks 01..NN on data/ and write figures/ (byte-stable)
	$(BIN)/rhetoric run

test: $(STAMP) ## run the whole test suite (unit, CLI, notebooks and figures)
	$(BIN)/python -m pytest

lab: $(STAMP) ## open JupyterLab on the project, at notebooks/ (prints the URL; no browser needed)
	$(BIN)/jupyter lab --no-browser --ip=127.0.0.1 --ServerApp.root_dir=. \
		--LabApp.default_url=/lab/tree/notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Every module of the package. Names that rhetoric/__init__.py and measures/__init__.py load
# on first use are documented where they live; pdoc's note that it cannot resolve them in
# __all__ is the one warning allowed.
DOCS_MODULES := rhetoric rhetoric.errors rhetoric.store rhetoric.text rhetoric.data \
	rhetoric.corpus rhetoric.pipeline rhetoric.export rhetoric.measures rhetoric.measures.rates \
	rhetoric.measures.terms rhetoric.measures.keyterms rhetoric.measures.inference \
	rhetoric.measures.similarity rhetoric.measures.concordance rhetoric.measures.reuse \
	rhetoric.measures.events rhetoric.measures.sensitivity rhetoric.measures.versions \
	rhetoric.study rhetoric.cli rhetoric.cli.app rhetoric.cli.common rhetoric.cli.data \
	rhetoric.cli.measures rhetoric.cli.lexicon rhetoric.cli.files
DOCS_WARNINGS := -W error -W "ignore:Found ':UserWarning"
DOCS_OUT ?= docs/api

docs: $(STAMP) ## the API reference from the docstrings, offline, in docs/api/ (a warning fails)
	$(BIN)/python $(DOCS_WARNINGS) -m pdoc --docformat numpy -o $(DOCS_OUT) $(DOCS_MODULES)
	@echo "$(DOCS_OUT)/index.html"

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check src tests benchmarks validation
	$(BIN)/ruff format --check src tests benchmarks validation

format: $(STAMP) ## apply ruff's formatting and safe fixes
	$(BIN)/ruff format src tests benchmarks validation
	$(BIN)/ruff check --fix src tests benchmarks validation

bench: $(STAMP) ## benchmark against bare scikit-learn on the speeches corpus (about 20 minutes)
	$(BIN)/python benchmarks/bench.py --scale 1 --runs 5 --out benchmarks/results-x1.json
	$(BIN)/python benchmarks/bench.py --limit 250 --runs 3 --out benchmarks/results-q1.json
	$(BIN)/python benchmarks/bench.py --limit 500 --runs 3 --out benchmarks/results-q2.json
	$(BIN)/python benchmarks/analysis_floor.py --runs 3 --out benchmarks/results-analysis.json
	$(BIN)/python benchmarks/bench.py --scale 10 --runs 2 --out benchmarks/results-x10.json
	$(BIN)/python benchmarks/plot.py benchmarks/results-*.json --out benchmarks/scaling.png

calibrate: $(STAMP) ## measure coverage, false verdicts, power and keyness flags; writes validation/README.md (about 15 minutes)
	$(BIN)/python validation/calibrate.py --out validation/results.json --readme validation/README.md

lock: $(STAMP) ## re-pin constraints.txt to what .venv has now (then re-run make analysis)
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^rhetoric' > constraints.txt

clean: ## remove caches and build leftovers (keeps .venv)
	rm -rf .cache .pytest_cache .ruff_cache build src/*.egg-info docs/api
