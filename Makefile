# Two commands: `make run` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# `make run` installs what running needs (the library and the web UI); `make test` the whole
# development set (Ray, PostgreSQL driver, Playwright, linters) on top of it.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-dev

.PHONY: run test lint bench clean

$(VENV)/bin/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[web]'
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(RUN_STAMP)

# one article's report, then the sample corpus into a fresh store, the corpus report, and the web UI
# on http://127.0.0.1:8000 until Ctrl-C (SERVE=no stops after the report)
SERVE ?= yes
PORT ?= 8000
# the store every corpus command and `serve` use (README quick start: export CLAIMGRAPH_DB=build/corpus.db)
DB ?= build/corpus.db
run: export CLAIMGRAPH_DB = $(DB)
run: $(RUN_STAMP)
	$(BIN)/claimgraph analyze claimgraph/samples/kashmir_rally.txt --format text
	rm -rf $(DB) $(DB)-wal $(DB)-shm && mkdir -p $(dir $(DB))
	$(BIN)/claimgraph ingest claimgraph/samples/corpus
	$(BIN)/claimgraph report
	@if [ "$(SERVE)" != "no" ]; then $(BIN)/claimgraph serve --port $(PORT); fi

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check claimgraph tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/accuracy.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
