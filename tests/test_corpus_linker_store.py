"""The linker that reads its candidates from the store (#18) decides as the in-memory resolver
does, and keeps the resolver's tables equal to what its members say — after linking, after
merges, splits and undos, and after the migration that builds them for an older store. On
SQLite and on PostgreSQL (skipped without a server)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from claimgraph.corpus import schema as s
from claimgraph.corpus.link import Linker
from claimgraph.corpus.resolve import EntityResolver
from claimgraph.corpus.resolver_store import members_of, rebuild_index
from claimgraph.corpus.store import Store
from tests.conftest import copy_store


def _linked_order(conn: Connection) -> list[str]:
    """The documents in the order they were linked (one ``resolve`` log entry each)."""
    rows = conn.execute(select(s.merges.c.detail).where(s.merges.c.action == "resolve").order_by(s.merges.c.id))
    return [json.loads(r[0])["doc"] for r in rows]


def _reference(conn: Connection) -> dict[str, tuple[str, str, float, frozenset[str]]]:
    """Every member's decision as the in-memory resolver makes it, the documents in linking order."""
    resolver = EntityResolver()
    out = {}
    for doc in _linked_order(conn):
        members = members_of(conn, s.doc_entities.c.doc_id == doc)[doc]
        for d in resolver.resolve([m for m, _ in members]):
            out[d.doc_entity.key] = (d.corpus_id, d.reason, d.score, frozenset(c for c, _ in d.candidates[:5]))
    return out


def _stored(conn: Connection) -> dict[str, tuple[str, str, float, frozenset[str]]]:
    logged = {}
    for r in conn.execute(select(s.merges.c.detail).where(s.merges.c.action == "resolve")):
        for d in json.loads(r[0])["decisions"]:
            logged[d["member"]] = frozenset(c for c, _ in d["candidates"])
    de = s.doc_entities
    return {f"{r.doc_id}#{r.local_id}": (r.entity_id, r.link_reason, r.link_score,
                                         logged.get(f"{r.doc_id}#{r.local_id}", frozenset()))
            for r in conn.execute(select(de.c.doc_id, de.c.local_id, de.c.entity_id, de.c.link_reason,
                                         de.c.link_score))}


def test_the_store_linker_decides_as_the_in_memory_resolver(sample_corpus: str) -> None:
    store = Store.open(sample_corpus, create=False)
    try:
        with store.engine.connect() as conn:
            reference, stored = _reference(conn), _stored(conn)
    finally:
        store.close()
    assert len(reference) == len(stored) > 300
    differ = {k: (reference[k], stored.get(k)) for k in reference if reference[k] != stored.get(k)}
    assert not differ, f"{len(differ)} decisions differ, e.g. {sorted(differ.items())[:3]}"
    assert len({v[0] for v in stored.values()}) < len(stored)  # it did merge across documents


def _tables(conn: Connection) -> dict[str, Any]:
    """The resolver's tables and the corpus entities, order-free."""
    k, c, t, r, e = (s.resolver_keys, s.resolver_key_counts, s.resolver_tallies, s.resolver_entities,
                     s.entities)
    return {
        "keys": sorted((x.key, x.entity_id) for x in conn.execute(select(k))),
        "counts": sorted((x.key, x.entities) for x in conn.execute(select(c))),
        "tallies": sorted((x.entity_id, x.kind, x.key, x.n) for x in conn.execute(select(t))),
        "weights": sorted((x.entity_id, sorted(json.loads(x.type_weights).items())) for x in conn.execute(select(r))),
        "entities": sorted((x.id, x.type, x.documents, x.mentions) for x in conn.execute(select(e))),
        "names": sorted(x[0] for x in conn.execute(select(e.c.name))),
        "links": sorted((x[0], x[1], x[2]) for x in conn.execute(
            select(s.doc_entities.c.doc_id, s.doc_entities.c.local_id, s.doc_entities.c.entity_id))),
    }


def _equal_to_a_rebuild(store: Store) -> None:
    """The tables as linking and corrections left them equal the tables built afresh from the
    members (what the migration does); the rebuild is rolled back."""
    with store.engine.connect() as conn:
        trans = conn.begin()
        try:
            kept = _tables(conn)
            assert kept["keys"] and kept["tallies"]
            rebuild_index(conn)
            built = _tables(conn)
        finally:
            trans.rollback()
    for name in kept:
        assert kept[name] == built[name], f"{name}: kept incrementally differs from a rebuild"


@pytest.fixture()
def private(request: pytest.FixtureRequest, sample_corpus: str, tmp_path: Path) -> Any:
    if "://" not in sample_corpus:
        target = str(tmp_path / "corpus.db")
        shutil.copy(sample_corpus, target)
    else:
        target = str(request.getfixturevalue("pg_server").create_database("linker"))
        copy_store(sample_corpus, target)
    store = Store.open(target, create=False)
    yield store
    store.close()


def _largest(conn: Connection, n: int) -> list[str]:
    e = s.entities
    return [r[0] for r in conn.execute(select(e.c.id).where(e.c.type == "PERSON")
                                       .order_by(e.c.documents.desc(), e.c.id).limit(n))]


def test_tables_stay_right_through_links_and_corrections(private: Store) -> None:
    _equal_to_a_rebuild(private)
    linker = Linker(private)
    with private.engine.connect() as conn:
        a, b = _largest(conn, 2)
        members = [f"{r[0]}#{r[1]}" for r in conn.execute(select(s.doc_entities.c.doc_id, s.doc_entities.c.local_id)
                                                          .where(s.doc_entities.c.entity_id == a)
                                                          .order_by(s.doc_entities.c.doc_id))]
    merged = linker.merge(a, b, reason="test")
    _equal_to_a_rebuild(private)
    new_id = linker.split(a, members[:1], reason="test")
    _equal_to_a_rebuild(private)
    linker.undo(merged)
    _equal_to_a_rebuild(private)
    entry = linker.log_entry(linker.log_size() - 2)
    assert entry is not None and entry.op == "split" and entry.data["into"] == new_id
    linker.undo(0)  # the first document's automatic links: its members are unlinked, then linked again
    _equal_to_a_rebuild(private)
    with private.engine.connect() as conn:
        unlinked = conn.execute(text("SELECT count(*) FROM doc_entities WHERE entity_id IS NULL")).scalar_one()
    assert unlinked > 0
    assert linker.link_pending() == 1
    _equal_to_a_rebuild(private)


def test_a_version_3_store_is_migrated_and_links_as_before(sample_corpus_db: Path, tmp_path: Path) -> None:
    """The migration builds the tables from what the store holds: the same as the linker kept."""
    target = tmp_path / "v3.db"
    shutil.copy(sample_corpus_db, target)
    store = Store.open(target, create=False)
    with store.engine.begin() as conn:
        kept = _tables(conn)
        for table in s.RESOLVER_TABLES:
            conn.execute(text(f"DROP TABLE {table.name}"))
        conn.execute(text("UPDATE meta SET value = '3' WHERE key = 'schema_version'"))
    store.close()
    store = Store.open(target, create=False)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar_one() \
                == str(s.SCHEMA_VERSION)
            migrated = _tables(conn)
    finally:
        store.close()
    for name in kept:
        assert kept[name] == migrated[name], name
