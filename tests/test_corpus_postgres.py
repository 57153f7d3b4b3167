"""The store on a real PostgreSQL server: the same corpus gives the same entities, claim groups,
corroboration, event groups, search hits and export as on SQLite; its own full-text search and
word counts are in place; and several processes writing one database at once store every
article once and make no duplicate corpus entities.

The server is the session's throwaway cluster (tests/pg_server.py); without one these tests skip.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from claimgraph.corpus import group_summaries as summaries
from claimgraph.corpus import postgres as pg
from claimgraph.corpus import queries
from claimgraph.corpus import schema as s
from claimgraph.corpus.export import EXPORTERS
from claimgraph.corpus.groups import STOP
from claimgraph.corpus.store import Store, database_url
from claimgraph.model import Analysis
from tests.conftest import SAMPLES, WEB_FIXTURES, copy_store


@pytest.fixture(scope="module")
def both(sample_corpus_db: Path, sample_corpus_pg: str) -> Any:
    """The sample corpus on SQLite and on PostgreSQL, ingested alike."""
    lite, post = Store.open(sample_corpus_db, create=False), Store.open(sample_corpus_pg, create=False)
    yield lite, post
    lite.close()
    post.close()


def _claim_groups(store: Store) -> set[frozenset[tuple[str, str]]]:
    members: dict[str, set[tuple[str, str]]] = defaultdict(set)
    with store.engine.connect() as conn:
        for doc_id, local_id, gid in conn.execute(select(s.claims.c.doc_id, s.claims.c.local_id, s.claims.c.group_id)
                                                  .where(s.claims.c.group_id.is_not(None))):
            members[gid].add((doc_id, local_id))
    return {frozenset(m) for m in members.values()}


def _entities(store: Store) -> set[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return {(r.id, r.name, r.type, r.documents, r.mentions, r.aliases) for r in conn.execute(select(s.entities))}


def test_urls_get_the_psycopg_driver() -> None:
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("corpus.db") == "sqlite:///corpus.db"


# -- the same corpus, the same answers ---------------------------------------------------------------

def test_same_entities_and_links(both: Any) -> None:
    lite, post = both
    assert _entities(lite) == _entities(post)
    with lite.engine.connect() as a, post.engine.connect() as b:
        q = select(s.doc_entities.c.doc_id, s.doc_entities.c.local_id, s.doc_entities.c.entity_id,
                   s.doc_entities.c.link_reason)
        assert set(a.execute(q).all()) == set(b.execute(q).all())


def test_same_claim_groups_and_corroboration(both: Any) -> None:
    lite, post = both
    groups = _claim_groups(lite)
    assert groups and groups == _claim_groups(post)
    assert queries.corroboration(lite, 1000) == queries.corroboration(post, 1000)
    assert queries.corpus_stats(lite) == queries.corpus_stats(post)


def test_same_event_groups(both: Any) -> None:
    lite, post = both

    def norm(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**r, "outlets": sorted(r["outlets"].split(","))} for r in rows]

    found = norm(queries.event_groups(lite, 1000))
    assert found and found == norm(queries.event_groups(post, 1000))


def test_claim_group_summaries_equal_a_recount(both: Any) -> None:
    _, post = both
    with post.engine.connect() as conn:  # recounted in a transaction that is rolled back
        kept = {r.id: dict(r._mapping) for r in conn.execute(select(s.claim_groups))}
        summaries.refresh(conn, list(kept))
        recount = {r.id: dict(r._mapping) for r in conn.execute(select(s.claim_groups))}
        conn.rollback()
    assert kept and kept == recount


@pytest.mark.parametrize("query", ["ceasefire", "police station", "Ghazanfar video", '"security sources"',
                                   "jirga NOT Bannu", "drone OR airstrike"])
def test_search_finds_the_same_documents_and_claims(both: Any, query: str) -> None:
    lite, post = both
    a, b = queries.search(lite, query, limit=500), queries.search(post, query, limit=500)
    key = {"document": "doc_id", "claim": "claim"}

    def hits(rows: list[dict[str, Any]]) -> set[tuple[str, ...]]:
        return {(r["kind"], r["doc_id"], r[key[r["kind"]]] if r["kind"] == "claim" else "") for r in rows}

    assert hits(a) == hits(b)
    for row in b:
        assert "[" in row["snippet"] and "]" in row["snippet"], row


def test_export_jsonl_is_the_same(both: Any, tmp_path: Path) -> None:
    lite, post = both
    EXPORTERS["jsonl"](lite, tmp_path / "lite.jsonl")
    EXPORTERS["jsonl"](post, tmp_path / "post.jsonl")
    lines = (tmp_path / "lite.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines and sorted(lines) == sorted((tmp_path / "post.jsonl").read_text(encoding="utf-8").splitlines())


def test_cli_report_stats_search_export(sample_corpus_pg: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from claimgraph.cli import app

    runner = CliRunner()
    report = runner.invoke(app, ["report", "--db", sample_corpus_pg], env={"COLUMNS": "200"})  # names unwrapped
    assert report.exit_code == 0 and "Harakat al-Nasr al-Islami" in report.output, report.output
    stats = runner.invoke(app, ["stats", "--db", sample_corpus_pg, "--json"])
    assert stats.exit_code == 0 and json.loads(stats.output)["documents"] > 30
    found = runner.invoke(app, ["search", "ceasefire", "--db", sample_corpus_pg])
    assert found.exit_code == 0 and "ceasefire" in found.output.lower()
    assert runner.invoke(app, ["entity", "HNI", "--db", sample_corpus_pg]).exit_code == 0
    out = tmp_path / "all.jsonl"
    exported = runner.invoke(app, ["export", "jsonl", "--db", sample_corpus_pg, "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == json.loads(stats.output)["documents"]


def test_a_missing_database_is_a_clear_error(pg_server: Any) -> None:
    from claimgraph.corpus.store import StoreError

    with pytest.raises(StoreError, match="cannot open the store"):
        Store.open(f"{pg_server.base_url}/no_such_database")
    with pytest.raises(StoreError, match="is not a claimgraph store"):
        Store.open(pg_server.create_database(), create=False)


# -- PostgreSQL's own structures ------------------------------------------------------------------------

def test_search_columns_indexes_and_word_counts(both: Any) -> None:
    _, post = both
    with post.engine.connect() as conn:
        indexes = {r[0]: r[1] for r in conn.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('documents', 'claims')"))}
        assert "USING gin (fts)" in indexes["ix_documents_fts"] and "USING gin (fts)" in indexes["ix_claims_fts"]
        version = conn.execute(select(s.meta.c.value).where(s.meta.c.key == "schema_version")).scalar_one()
        assert int(version) == s.SCHEMA_VERSION
        stored = {r[0]: int(r[1]) for r in conn.execute(select(pg.claim_terms)) if r[1]}
        contents = [r[0] for r in conn.execute(select(s.claims.c.content))]
    assert stored == dict(pg.claim_terms_of(contents, STOP))


def test_word_counts_are_made_for_a_store_that_lacks_them(sample_corpus_pg: str, pg_url: str) -> None:
    """A store written before the counts existed gets them, counted from its claims, when opened."""
    copy_store(sample_corpus_pg, pg_url, limit=8)
    with Store.open(pg_url).engine.begin() as conn:
        conn.execute(text("DROP TABLE claim_terms"))
    store = Store.open(pg_url)
    with store.engine.connect() as conn:
        stored = {r[0]: int(r[1]) for r in conn.execute(select(pg.claim_terms))}
        contents = [r[0] for r in conn.execute(select(s.claims.c.content))]
    store.close()
    assert stored and stored == dict(pg.claim_terms_of(contents, STOP))


def test_opening_again_changes_nothing(sample_corpus_pg: str, both: Any) -> None:
    _, post = both
    before = _entities(post)
    Store.open(sample_corpus_pg).close()  # the PostgreSQL-only DDL is idempotent
    assert _entities(post) == before


def _analysis(store: Store) -> Analysis:
    from claimgraph.corpus.store import unpack

    with store.engine.connect() as conn:
        blob, body = conn.execute(select(s.documents.c.analysis, s.documents.c.text).limit(1)).one()
    return Analysis.from_json(unpack(blob, body))


def test_the_loser_of_a_write_race_is_told_present(both: Any, pg_url: str) -> None:
    """Another writer holds the same document uncommitted; ours waits on the key, then finds
    it there and reports "present" instead of failing."""
    _, post = both
    analysis = _analysis(post)
    store = Store.open(pg_url)
    other = Store.open(pg_url)
    results: list[Any] = []
    with other.engine.connect() as conn:
        trans = conn.begin()
        other._insert(conn, analysis, "elsewhere")
        writer = threading.Thread(target=lambda: results.append(store.write(analysis, "here")))
        writer.start()
        time.sleep(0.5)
        assert writer.is_alive()  # blocked on the other's uncommitted row
        trans.commit()
    writer.join(10)
    assert [r.status for r in results] == ["present"]
    assert store.count("documents") == 1
    store.close()
    other.close()


# -- two processes, one database ----------------------------------------------------------------------------

def _ingest(url: str, files: list[str]) -> None:
    from claimgraph.corpus.ingest import Ingest
    from claimgraph.settings import Settings

    store = Store.open(url)
    summary = Ingest(store, Settings(), workers=1).run(files)
    store.close()
    if summary.rejected or summary.unlinked:
        raise SystemExit(f"rejected {summary.rejected} unlinked {summary.unlinked}")


def test_two_processes_ingesting_at_once_store_each_article_once_and_merge_alike(
        both: Any, pg_url: str) -> None:
    lite, _ = both
    files = sorted(str(p) for folder in (SAMPLES / "corpus", WEB_FIXTURES) for p in folder.iterdir()
                   if p.is_file() and p.suffix != ".md")  # as a folder expands (STORY.md is not an article)
    third = len(files) // 3
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_ingest, args=(pg_url, part))
             for part in (files[:2 * third], files[third:])]  # the middle third by both
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0, 0]
    store = Store.open(pg_url, create=False)
    try:
        with store.engine.connect() as conn, lite.engine.connect() as ref:
            ids = [r[0] for r in conn.execute(select(s.documents.c.id))]
            assert sorted(ids) == sorted(r[0] for r in ref.execute(select(s.documents.c.id)))
            assert conn.execute(select(func.count()).select_from(s.doc_entities)
                                .where(s.doc_entities.c.entity_id.is_(None))).scalar_one() == 0
            names = Counter((r.name, r.type) for r in conn.execute(select(s.entities)))
            single = Counter((r.name, r.type) for r in ref.execute(select(s.entities)))
            # every entity's counts agree with its members (no lost update between the writers)
            members = {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(
                select(s.doc_entities.c.entity_id, func.count(func.distinct(s.doc_entities.c.doc_id)),
                       func.sum(s.doc_entities.c.mentions)).group_by(s.doc_entities.c.entity_id))}
            stored = {r.id: (r.documents, r.mentions) for r in conn.execute(select(s.entities))}
            merges = conn.execute(select(func.count()).select_from(s.merges)).scalar_one()
    finally:
        store.close()
    assert stored == members
    assert merges == len(ids)  # one log entry per linked document: none linked twice
    twice = {k for k, n in names.items() if n > 1 and single[k] < n}
    assert not twice, f"entities made twice by concurrent writers: {sorted(twice)}"
    assert abs(sum(names.values()) - sum(single.values())) <= max(3, sum(single.values()) // 50)
