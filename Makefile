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

# one article's report, then the sample corpus into a fresh store and the corpus report
run: $(STAMP)
	$(BIN)/claimgraph analyze claimgraph/samples/kashmir_rally.txt --format text
	rm -rf build/corpus.db build/corpus.db-wal build/corpus.db-shm && mkdir -p build
	$(BIN)/claimgraph ingest claimgraph/samples/corpus --db build/corpus.db
	$(BIN)/claimgraph report --db build/corpus.db

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
