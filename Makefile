# Two commands on a fresh machine with Python 3.11+ and make:
#   make run    create .venv, install, solve the main example (results in out/)
#   make test   create/update .venv with the test extra, run ruff and the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXAMPLE ?= examples/copper_oxide_leach_ew.yaml

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	FLOWSHEET_RUNS=out/runs.sqlite $(BIN)/flowsheet run $(EXAMPLE) -o out --format json,csv,xlsx
	$(BIN)/flowsheet diagram $(EXAMPLE) -o out/flowsheet.svg --solve
	$(BIN)/flowsheet sankey $(EXAMPLE) -o out/sankey.html
	$(BIN)/flowsheet psd $(EXAMPLE) -o out/psd.png --streams ore-\>leach_mix,ccd3.underflow-\>tailings

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/run_bench.py

clean:
	rm -rf $(VENV) out .pytest_cache *.egg-info
