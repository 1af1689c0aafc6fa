# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test check demo worker clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/podium run

# The gates (layers, lint, format, types), then the whole suite under coverage on SQLite and again on
# PostgreSQL when PODIUM_TEST_DATABASE_URL is set; the servers and workers the tests start are measured
# too. Coverage below the floor in pyproject.toml fails.
test: $(STAMP)
	@echo "== layers (import-linter)"; $(BIN)/lint-imports --no-cache
	@echo "== lint and format (ruff)"; $(BIN)/ruff check . && $(BIN)/ruff format --check .
	@echo "== types (mypy)"; $(BIN)/mypy
	$(BIN)/coverage erase
	PODIUM_DATABASE_URL= $(BIN)/coverage run -m pytest
	@if [ -n "$$PODIUM_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL: $$PODIUM_TEST_DATABASE_URL"; \
		PODIUM_DATABASE_URL="$$PODIUM_TEST_DATABASE_URL" $(BIN)/coverage run -m pytest; \
	fi
	@$(BIN)/coverage combine -q && $(BIN)/coverage report

# The gates alone, quickly, before a commit.
check: $(STAMP)
	$(BIN)/lint-imports --no-cache && $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

demo: $(STAMP)
	$(BIN)/podium migrate
	$(BIN)/podium demo

worker: $(STAMP)
	$(BIN)/podium worker

bench: $(STAMP)
	$(BIN)/python bench/registration_throughput.py
	$(BIN)/python bench/event_page.py

clean:
	rm -rf $(VENV) var
