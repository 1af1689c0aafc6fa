# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test test-sqlite test-postgres demo worker clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/podium run

# Type-checks podium (mypy with django-stubs, configured in pyproject.toml), then runs the whole suite
# on SQLite, then again on PostgreSQL when PODIUM_TEST_DATABASE_URL is set.
test: $(STAMP)
	$(BIN)/mypy
	PODIUM_DATABASE_URL= $(BIN)/python -m pytest
	@if [ -n "$$PODIUM_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL: $$PODIUM_TEST_DATABASE_URL"; \
		PODIUM_DATABASE_URL="$$PODIUM_TEST_DATABASE_URL" $(BIN)/python -m pytest; \
	fi

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
