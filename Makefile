# Two commands on a fresh machine with Python 3.11+ and make:
#   make run    create .venv from the lock, install, solve the main example (results in out/)
#   make test   the same with the test tools, then ruff and the whole suite
# Installs come from the lock files requirements.lock (test) and requirements-run.lock
# (run), exact versions with hashes; the
# bounds in pyproject.toml are for people who `pip install` the package. `make lock`
# refreshes the locks, `make test-latest` tests the newest releases the bounds allow.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXAMPLE ?= examples/copper_oxide_leach_ew.yaml
LOCK_RUN  := requirements-run.lock
LOCK_TEST := requirements.lock
UV_VERSION := 0.13.10
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --quiet --custom-compile-command "make lock"

.PHONY: run test lint bench clean lock test-latest test-lowest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml $(LOCK_RUN)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK_RUN)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed $(LOCK_TEST)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK_TEST)
	touch $@

run: $(VENV)/.installed
	FLOWSHEET_RUNS=out/runs.sqlite $(BIN)/flowsheet run $(EXAMPLE) -o out --format json,csv,xlsx
	$(BIN)/flowsheet diagram $(EXAMPLE) -o out/flowsheet.svg --results out/results.json
	$(BIN)/flowsheet sankey $(EXAMPLE) -o out/sankey.html --results out/results.json
	$(BIN)/flowsheet psd $(EXAMPLE) -o out/psd.png --results out/results.json \
		--streams ore-\>leach_mix,ccd3.underflow-\>tailings

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python bench/run_bench.py

# Refresh the locks to the newest releases the bounds in pyproject.toml allow.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) --upgrade -o $(LOCK_RUN)
	$(UV_COMPILE) --upgrade --extra test -c $(LOCK_RUN) -o $(LOCK_TEST)

# The suite against the newest allowed releases, in a separate environment.
test-latest:
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e ".[test]"
	.venv-latest/bin/python -m pytest

# The suite against the lowest releases the bounds allow (their own dependencies newest),
# which is what keeps the lower bounds in pyproject.toml honest.
test-lowest: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra test --resolution lowest-direct --quiet \
		-o .venv-lowest.txt
	$(PYTHON) -m venv .venv-lowest
	.venv-lowest/bin/python -m pip install --quiet -r .venv-lowest.txt
	.venv-lowest/bin/python -m pip install --quiet --no-deps -e .
	.venv-lowest/bin/python -m pytest

clean:
	rm -rf $(VENV) .venv-latest .venv-lowest .venv-lowest.txt out .pytest_cache *.egg-info
