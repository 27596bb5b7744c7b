# Two commands from a fresh clone: `make run` and `make test`. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TEST_INSTALLED := $(VENV)/.installed-test
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: run test lint test-postgresql clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(INSTALLED): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_INSTALLED): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(INSTALLED)

## run: install lcpg into .venv and run the demo on the default SQLite database (lcpg.db)
run: $(INSTALLED)
	$(BIN)/lcpg demo
	@echo
	@echo "The lcpg command is $(BIN)/lcpg: run '. $(BIN)/activate' to type plain 'lcpg'."

## lint: ruff and mypy, as `make test` runs them
lint: $(TEST_INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## test: install the test extras, then lint, type-check and run the whole suite
test: lint
	$(BIN)/pytest

## test-postgresql: the integration tests again, against PostgreSQL ($(PG_TEST_URL))
test-postgresql: $(TEST_INSTALLED)
	LCPG_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -m integration

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache .pytest_cache .hypothesis
