"""Shared fixtures: the spaCy-backed pipeline loads once per test session; the sample corpus
is ingested once per session on each backend (SQLite, and PostgreSQL on a throwaway server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claimgraph.analyzer import Analyzer
from claimgraph.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "claimgraph" / "samples"
EXPECTED = REPO / "tests" / "fixtures" / "expected"
SHARED_DATA = REPO.parent / "shared" / "data"
SCHEMA = REPO / "claimgraph" / "schema" / "document.schema.json"


@pytest.fixture(autouse=True)
def _no_store_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands in tests name their store; a developer's $CLAIMGRAPH_DB never leaks into them."""
    monkeypatch.delenv("CLAIMGRAPH_DB", raising=False)


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
    path = tmp_path_factory.mktemp("sample_corpus") / "corpus.db"
    ingest_sample(path)
    return path


# -- PostgreSQL: the same suites on a real server --------------------------------------------------

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """A throwaway PostgreSQL cluster for the session (see tests/pg_server.py), or a skip that
    says why there is none."""
    from tests import pg_server as server_module

    server = server_module.start()
    if isinstance(server, str):
        pytest.skip(f"PostgreSQL leg skipped: {server}")
    yield server
    server.stop()


@pytest.fixture()
def pg_url(pg_server: Any) -> str:
    """A new, empty PostgreSQL database for one test."""
    return str(pg_server.create_database())


def ingest_sample(target: str | Path) -> None:
    """The sample corpus and the web fixtures' articles, ingested into a store."""
    from claimgraph.corpus.ingest import Ingest
    from claimgraph.corpus.store import Store

    store = Store.open(target)
    sources = [str(SAMPLES / "corpus")] + ([str(WEB_FIXTURES)] if WEB_FIXTURES.is_dir() else [])
    summary = Ingest(store, Settings(), workers=2).run(sources)
    store.close()
    assert not summary.rejected, summary.rejected


@pytest.fixture(scope="session")
def sample_corpus_pg(pg_server: Any) -> str:
    """The same corpus as :func:`sample_corpus_db`, ingested once per session into PostgreSQL."""
    url = str(pg_server.create_database("sample"))
    ingest_sample(url)
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def sample_corpus(request: pytest.FixtureRequest) -> str:
    """The sample corpus on each backend in turn: a SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sample_corpus_db"))
    return str(request.getfixturevalue("sample_corpus_pg"))


def open_backend(request: pytest.FixtureRequest, backend: str, folder: Path) -> str:
    """Where a test's own store goes on this backend: a file in ``folder`` or a new database."""
    if backend == "sqlite":
        return str(folder / "corpus.db")
    return str(request.getfixturevalue("pg_server").create_database())


def copy_store(source: str | Path, target: str, limit: int | None = None) -> None:
    """Every stored analysis of one store (or its first ``limit``) written into another and
    linked there, in the order they were ingested: a private copy without running the pipeline."""
    from sqlalchemy import select

    from claimgraph.corpus import schema as s
    from claimgraph.corpus.link import Linker
    from claimgraph.corpus.store import Store, unpack
    from claimgraph.model import Analysis

    src, dst = Store.open(source, create=False), Store.open(target)
    with src.engine.connect() as conn:
        rows = conn.execute(select(s.documents.c.source, s.documents.c.analysis, s.documents.c.text)
                            .order_by(s.documents.c.ingested_at, s.documents.c.id).limit(limit)).all()
    linker = Linker(dst)
    for source_key, blob, body in rows:
        linker.link(dst.write(Analysis.from_json(unpack(blob, body)), source_key).doc_id)
    src.close()
    dst.close()
