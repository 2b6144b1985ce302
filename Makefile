# Lantern's one task file. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SPARK  := $(VENV)/.spark-stamp

.DEFAULT_GOAL := help
.PHONY: help setup assets run test lint format bench clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Spark is an optional extra (about 450 MB): the tests need it, `make run` does not.
$(SPARK): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	touch $@

setup: $(STAMP) ## Create the virtual environment and install Lantern into it

assets: ## Build the web front-end (GOV.UK Frontend, HTMX) from npm into lantern/web/static
	scripts/build-assets.sh

run: setup assets ## Set everything up, load the demo data and start Lantern on 127.0.0.1:8000
	$(BIN)/lantern demo
	$(BIN)/lantern serve

test: $(SPARK) assets ## Set everything up and run the whole test suite
	scripts/ensure-test-deps.sh
	$(BIN)/python -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

lint: setup ## ruff check, ruff format --check, mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: setup ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(SPARK) ## Run the benchmarks; figures go to bench/results/
	$(BIN)/python bench/run.py

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
