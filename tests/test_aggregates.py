"""The page aggregates (#18) against the same figures computed from the base tables: after an
ingest, after each correction (merge, split, undo), after a document is deleted, and on a store
migrated from schema version 2. Two ingests at once: tests/test_crash_safety.py."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text

from claimgraph.corpus import aggregates
from claimgraph.corpus import schema as s
from claimgraph.corpus.link import Linker
from claimgraph.corpus.store import Store
from tests.conftest import BACKENDS, copy_store, open_backend

TABLES = ("entity_docs", "co_mentions", "entity_stats")


def mismatches(store: Store) -> dict[str, int]:
    """Per aggregate, how many rows differ from what the base tables say (0 everywhere: right)."""
    out = {}
    with store.engine.connect() as conn:
        for table in TABLES:
            kept, derived = aggregates.kept(conn, table), aggregates.derived(conn, table)
            out[table] = len(kept ^ derived)
    return out


RIGHT = dict.fromkeys(TABLES, 0)


@pytest.fixture(params=BACKENDS)
def small(request: pytest.FixtureRequest, sample_corpus_db: Path, tmp_path: Path) -> Iterator[Store]:
    """Twelve of the sample's documents written and linked into a fresh store of each backend."""
    target = open_backend(request, request.param, tmp_path)
    copy_store(sample_corpus_db, target, limit=12)
    store = Store.open(target)
    yield store
    store.close()


def test_aggregates_after_ingest_corrections_and_deletion(small: Store) -> None:
    store = small
    assert mismatches(store) == RIGHT
    with store.engine.connect() as conn:
        assert aggregates.kept(conn, "co_mentions"), "the sample's documents share entities"
        top = [r[0] for r in conn.execute(select(s.entity_stats.c.entity_id)
                                          .order_by(s.entity_stats.c.documents.desc(), s.entity_stats.c.entity_id)
                                          .limit(2))]
    linker = Linker(store)
    merged = linker.merge(top[0], top[1], "test")
    assert mismatches(store) == RIGHT
    with store.engine.connect() as conn:  # the merged entity's members, as merge and split name them
        de = s.doc_entities
        members = sorted(f"{d}#{m}" for d, m in conn.execute(
            select(de.c.doc_id, de.c.local_id).where(de.c.entity_id == top[0])))
    linker.split(top[0], members[:2], "test")
    assert mismatches(store) == RIGHT
    linker.undo(merged, "test")
    assert mismatches(store) == RIGHT
    with store.engine.connect() as conn:  # the entity counts the linker keeps agree with the kept ones
        linked = {r[0]: (r[1], r[2]) for r in conn.execute(select(s.entities.c.id, s.entities.c.documents,
                                                                  s.entities.c.mentions))}
        stats = {r[0]: (r[1], r[2]) for r in conn.execute(select(s.entity_stats.c.entity_id,
                                                                 s.entity_stats.c.documents,
                                                                 s.entity_stats.c.mentions))}
    assert {k: v for k, v in linked.items() if v[0] > 0} == stats
    with store.engine.begin() as conn:  # a document deleted with its layers (what a reprocess does first)
        doc_id = conn.execute(select(s.documents.c.id).order_by(s.documents.c.id).limit(1)).scalar_one()
        store._delete_layers(conn, doc_id)
        conn.execute(delete(s.documents).where(s.documents.c.id == doc_id))
    assert mismatches(store) == RIGHT


def test_a_version_2_store_gets_its_aggregates_when_opened(sample_corpus_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "v2.db"
    shutil.copy(sample_corpus_db, db)
    with sqlite3.connect(db) as conn:  # what a store written by schema version 2 looks like
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        for table in TABLES:
            conn.execute(f"DROP TABLE {table}")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store = Store.open(db, create=False)
    try:
        with store.engine.connect() as conn:
            version = conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar_one()
            assert int(version) == s.SCHEMA_VERSION
            assert conn.execute(text("SELECT count(*) FROM co_mentions")).scalar_one() > 0
        assert mismatches(store) == RIGHT
        copy = Store.open(db, create=False)  # and keeps them from then on: the triggers were made
        Linker(copy).link_pending()
        copy.close()
        with store.engine.connect() as conn:
            triggers = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                                         "AND name LIKE 'agg_%'")).scalar_one()
        assert triggers >= 6
    finally:
        store.close()


def test_claims_of_one_entity_read_by_slices_are_the_whole_query_s(small: Store,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The claims filter on one entity reads its documents a slice at a time (#18): the same rows
    in the same order as the query over all of them, at every offset."""
    from claimgraph.corpus import queries

    with small.engine.connect() as conn:
        top = [r[0] for r in conn.execute(select(s.entity_stats.c.entity_id)
                                          .order_by(s.entity_stats.c.documents.desc()).limit(3))]
    asked = [{"about": eid} for eid in top] + [{"source": eid} for eid in top] + [
        {"about": top[0], "multi_word": True}]
    monkeypatch.setattr(queries, "FIRST_SLICE", 2)
    sliced = {(str(a), o): queries.claims(small, offset=o, limit=4, **a) for a in asked for o in (0, 3)}
    monkeypatch.setattr(queries, "_driver", lambda *_args: None)
    whole = {(str(a), o): queries.claims(small, offset=o, limit=4, **a) for a in asked for o in (0, 3)}
    assert any(rows for rows in whole.values())
    assert {k: [(r["doc_id"], r["local_id"]) for r in v] for k, v in sliced.items()} == \
        {k: [(r["doc_id"], r["local_id"]) for r in v] for k, v in whole.items()}
