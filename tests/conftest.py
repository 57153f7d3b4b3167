"""Shared fixtures: the spaCy-backed pipeline loads once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.analyzer import Analyzer
from claimgraph.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "claimgraph" / "samples"
EXPECTED = REPO / "tests" / "fixtures" / "expected"
SHARED_DATA = REPO.parent / "shared" / "data"
SCHEMA = REPO / "claimgraph" / "schema" / "document.schema.json"


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer(Settings())


def shared_data(relative: str) -> Path:
    """A benchmark file from ../shared/data, or a clean skip when this checkout has none."""
    path = SHARED_DATA / relative
    if not path.is_file():
        pytest.skip(f"benchmark data {relative} not present")
    return path


WEB_FIXTURES = REPO / "tests" / "fixtures" / "web"


@pytest.fixture(scope="session")
def sample_corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample corpus (plus the web fixtures' hostile articles) ingested once per
    session into a real SQLite file; tests open it read-only through their own Store."""
    from claimgraph.corpus.ingest import Ingest
    from claimgraph.corpus.store import Store

    path = tmp_path_factory.mktemp("sample_corpus") / "corpus.db"
    store = Store.open(path)
    sources = [str(SAMPLES / "corpus")] + ([str(WEB_FIXTURES)] if WEB_FIXTURES.is_dir() else [])
    summary = Ingest(store, Settings(), workers=2).run(sources)
    store.close()
    assert not summary.rejected, summary.rejected
    return path
