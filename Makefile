# jurisgraph — two set-up commands for a fresh machine:
#   make demo   installs everything and runs the main job on the embedded default (http://127.0.0.1:8000)
#   make test   installs everything (system packages too) and runs the whole test suite
#   make check  the edit-test loop: lint, types, import contracts and the tests that need no service,
#               no browser and little time (under 2 minutes)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STATE ?= .ci-state

.PHONY: demo test check install system lint pytest lock services-start services-stop bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip uv

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/jurisgraph demo

system:
	bash scripts/install-system.sh

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

pytest: install
	set -a; source <(bash scripts/services.sh start $(STATE)); set +a; \
	status=0; $(BIN)/pytest $(PYTEST_ARGS) || status=$$?; \
	bash scripts/services.sh stop $(STATE); exit $$status

test: system install lint pytest

# The fast loop: the tests that need no MariaDB, no browser and no long run (`make test` runs them all),
# a test file per worker on every core (each worker ingests the shared sample once).
check: lint
	$(BIN)/pytest -q -n auto --dist loadfile -m "not mariadb and not browser and not slow" $(PYTEST_ARGS)

lock: $(BIN)/python
	$(BIN)/uv pip compile -q --python-version 3.11 --extra dev --extra chroma pyproject.toml -o requirements.lock

# Every benchmark under bench/, one table of figures beside their targets (bench/README.md);
# e.g. `make bench ARGS="--quick --only embed,errors"`.
bench: install
	$(BIN)/python bench/all.py $(ARGS)
