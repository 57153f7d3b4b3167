# Two commands: `make run` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# one article's report, then the sample corpus into a fresh store, the corpus report, and the web UI
# on http://127.0.0.1:8000 until Ctrl-C (SERVE=no stops after the report)
SERVE ?= yes
PORT ?= 8000
run: $(STAMP)
	$(BIN)/claimgraph analyze claimgraph/samples/kashmir_rally.txt --format text
	rm -rf build/corpus.db build/corpus.db-wal build/corpus.db-shm && mkdir -p build
	$(BIN)/claimgraph ingest claimgraph/samples/corpus --db build/corpus.db
	$(BIN)/claimgraph report --db build/corpus.db
	@if [ "$(SERVE)" != "no" ]; then $(BIN)/claimgraph serve --db build/corpus.db --port $(PORT); fi

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
