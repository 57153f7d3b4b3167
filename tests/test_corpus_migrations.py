"""The store's schema moves forward without losing anything: a version-1 store (made here by
taking version 2's additions off a real store of the sample corpus) opens, is migrated in
place, and answers exactly as a store written by this version does. The claim group
summaries kept at link time equal a recount from the claims. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from claimgraph.corpus import group_summaries
from claimgraph.corpus import schema as s
from claimgraph.corpus.queries import claims, corroboration
from claimgraph.corpus.store import Store
from tests.conftest import BACKENDS, copy_store


@pytest.fixture(params=BACKENDS)
def copy(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A private copy of the sample store: the SQLite file copied, or on PostgreSQL every stored
    analysis written into a new database and linked (no pipeline run needed)."""
    if request.param == "sqlite":
        dst = tmp_path / "corpus.db"
        shutil.copy(request.getfixturevalue("sample_corpus_db"), dst)
        return str(dst)
    url = str(request.getfixturevalue("pg_server").create_database("copy"))
    copy_store(request.getfixturevalue("sample_corpus_pg"), url)
    return url


def _summaries(store: Store) -> dict[str, dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(s.claim_groups)).mappings().all()
    return {r["id"]: {**r, "outlets": json.loads(r["outlets"]), "sources": json.loads(r["sources"])} for r in rows}


def test_summaries_kept_at_link_time_equal_a_recount(copy: str) -> None:
    store = Store.open(copy)
    kept = _summaries(store)
    assert kept, "the sample corpus has claims reported by several outlets"
    assert any(g["reports"] > 2 and len(g["outlets"]) > 1 for g in kept.values())
    with store.engine.begin() as conn:
        group_summaries.refresh(conn, kept)
    again = _summaries(store)
    assert {k: {f: (v[f], again[k][f]) for f in v if v[f] != again[k][f]} for k, v in kept.items()
            if v != again[k]} == {}
    store.close()


def test_a_version_1_store_is_migrated_in_place(copy: str) -> None:
    path = copy
    store = Store.open(path)
    want_groups = _summaries(store)
    want_corroboration = corroboration(store, 50)
    want_claims = claims(store, about="Adnan Sarwar", window=500)
    store.close()
    with Store.open(path).engine.begin() as conn:  # back to version 1
        if conn.dialect.name == "sqlite":  # a version 1 store has no aggregate triggers (they name the column)
            for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all():
                conn.execute(text(f"DROP TRIGGER {name}"))
        conn.execute(text("DROP TABLE claim_groups"))
        conn.execute(text("DROP INDEX ix_doc_entities_entity_published"))
        conn.execute(text("ALTER TABLE doc_entities DROP COLUMN published"))
        conn.execute(text("DROP INDEX ix_events_type_when"))
        conn.execute(text("CREATE INDEX ix_events_type ON events (type)"))
        conn.execute(text("UPDATE meta SET value = '1' WHERE key = 'schema_version'"))
    store = Store.open(path)
    with store.engine.connect() as conn:
        version = conn.execute(select(s.meta.c.value).where(s.meta.c.key == "schema_version")).scalar()
        assert version == str(s.SCHEMA_VERSION)
        assert conn.execute(select(s.doc_entities.c.published).where(s.doc_entities.c.published.is_(None))
                            .limit(1)).first() is None
        if store.sqlite:
            indexes = {r[1] for r in conn.execute(text("PRAGMA index_list(events)"))}
        else:
            indexes = {r[0] for r in conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'events'"))}
    assert "ix_events_type_when" in indexes and "ix_events_type" not in indexes
    assert _summaries(store) == want_groups
    assert corroboration(store, 50) == want_corroboration
    assert claims(store, about="Adnan Sarwar", window=500) == want_claims
    store.close()


def test_a_newer_store_is_refused(copy: str) -> None:
    from claimgraph.corpus.store import StoreError

    path = copy
    with Store.open(path).engine.begin() as conn:
        conn.execute(text("UPDATE meta SET value = '99' WHERE key = 'schema_version'"))
    with pytest.raises(StoreError, match="schema version 99"):
        Store.open(path)
