"""The Ray engine on a local Ray (2 CPUs): the store it builds equals a single-process local
ingest of the same inputs — documents, per-document layers, corpus entities, rejects — and
Parquet shards loaded later give that same store again. Real Ray, real pipeline, real SQLite.

Skipped, with the reason, when Ray is not installed or cannot start on this machine.
"""

from __future__ import annotations

import json
import logging
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from claimgraph.cli import app
from claimgraph.corpus import schema as s
from claimgraph.corpus.ingest import Ingest, Summary
from claimgraph.corpus.store import Store
from claimgraph.settings import Settings
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow
ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'claimgraph[ray]'")
pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed: pip install 'claimgraph[ray]'")
runner = CliRunner()


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One local Ray for the module; the engine reuses a running session and leaves it up."""
    try:
        ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level=logging.WARNING)
    except Exception as exc:
        pytest.skip(f"Ray cannot start on this machine: {type(exc).__name__}: {exc}")
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Six sample articles (text and HTML), a JSONL file and a Parquet file made from four
    more, and bad inputs of every kind: empty and binary files (rejected in the workers), a
    JSONL line that is not JSON and a Parquet row without text (rejected while expanding)."""
    root = tmp_path_factory.mktemp("ray_inputs")
    files = sorted(p for p in (SAMPLES / "corpus").iterdir() if p.suffix in (".txt", ".html"))
    articles = root / "articles"
    articles.mkdir()
    for path in [*[p for p in files if p.suffix == ".txt"][:4], *[p for p in files if p.suffix == ".html"][:2]]:
        shutil.copy(path, articles / path.name)
    (articles / "empty.txt").write_text("", encoding="utf-8")
    (articles / "binary.html").write_bytes(bytes(range(256)) * 8)
    rest = [p for p in files if p.suffix == ".txt"][4:8]
    lines = [json.dumps({"text": rest[0].read_text(encoding="utf-8"), "url": "https://a.example/1", "site": "A"}),
             "{not json",
             json.dumps({"text": rest[1].read_text(encoding="utf-8"), "published": "2025-02-01"})]
    (root / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = [{"text": rest[2].read_text(encoding="utf-8"), "html": None, "title": "Third", "url": None},
            {"text": None, "html": None, "title": "no body", "url": None},
            {"text": None, "html": f"<html><body><article><p>{rest[3].read_text(encoding='utf-8')}</p></article>"
                                   "</body></html>", "title": None, "url": "https://b.example/2"}]
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), root / "rows.parquet")
    return [str(articles), str(root / "batch.jsonl"), str(root / "rows.parquet")]


def snapshot(db: Path) -> dict[str, Any]:
    """What must not depend on the engine: documents by id with their source and layer counts,
    the corpus entities' names and types, the claim groups' sizes, the rejects and reasons."""
    store = Store.open(db, create=False)

    def per_doc(table: Any) -> dict[str, int]:
        rows = conn.execute(select(table.c.doc_id, func.count()).group_by(table.c.doc_id))
        return {r[0]: int(r[1]) for r in rows}

    with store.engine.connect() as conn:
        docs = {r[0]: r[1] for r in conn.execute(select(s.documents.c.id, s.documents.c.source))}
        layers = {name: per_doc(table) for name, table in (("entities", s.doc_entities), ("claims", s.claims),
                                                            ("events", s.events), ("relations", s.relations))}
        entities = sorted((r[0], r[1]) for r in conn.execute(select(s.entities.c.name, s.entities.c.type)))
        groups = sorted(int(r[0]) for r in conn.execute(
            select(func.count()).select_from(s.claims).where(s.claims.c.group_id.is_not(None))
            .group_by(s.claims.c.group_id)))
    rejected = sorted(store.rejected_rows())
    store.close()
    return {"documents": docs, "layers": layers, "entities": entities, "claim_groups": groups, "rejected": rejected}


@pytest.fixture(scope="module")
def local(sources: list[str], tmp_path_factory: pytest.TempPathFactory) -> tuple[Summary, dict[str, Any]]:
    db = tmp_path_factory.mktemp("local") / "local.db"
    store = Store.open(db)
    summary = Ingest(store, Settings(), workers=1).run(sources)
    store.close()
    return summary, snapshot(db)


def test_local_reference_is_meaningful(local: tuple[Summary, dict[str, Any]]) -> None:
    summary, snap = local
    assert summary.ingested == 10 and summary.present == 0
    reasons = dict(summary.rejected)
    assert len(reasons) == 4, reasons
    assert any(k.endswith("rows.parquet#2") for k in reasons) and any(k.endswith("batch.jsonl#2") for k in reasons)
    assert any(k.endswith("empty.txt") for k in reasons) and any(k.endswith("binary.html") for k in reasons)
    assert len(snap["documents"]) == 10 and snap["entities"] and sum(snap["layers"]["claims"].values()) > 0


def test_ray_ingest_equals_local(local_ray: None, sources: list[str], tmp_path: Path,
                                 local: tuple[Summary, dict[str, Any]]) -> None:
    db = tmp_path / "ray.db"
    result = runner.invoke(app, ["ingest", *sources, "--db", str(db), "--engine", "ray", "--workers", "2"])
    assert result.exit_code == 2, result.output  # the bad inputs are reported, as with the local engine
    assert "ingested 10, already present 0, reprocessed 0, rejected 4" in result.output
    assert snapshot(db) == local[1]

    again = runner.invoke(app, ["ingest", *sources, "--db", str(db), "--engine", "ray", "--workers", "2"])
    assert "ingested 0, already present 10, reprocessed 0, rejected 4" in again.output, again.output
    assert snapshot(db) == local[1]

    with sqlite3.connect(db) as conn:  # as if an older pipeline had made two of the documents
        conn.execute("UPDATE documents SET pipeline_version = '0' WHERE source LIKE '%.parquet#%'")
    redo = runner.invoke(app, ["ingest", "--reprocess", "--db", str(db), "--engine", "ray", "--workers", "2"])
    assert redo.exit_code == 0, redo.output
    assert "ingested 0, already present 0, reprocessed 2, rejected 0" in redo.output
    after = snapshot(db)
    assert after["documents"] == local[1]["documents"] and after["layers"] == local[1]["layers"]


def test_shards_then_load_equals_local(local_ray: None, sources: list[str], tmp_path: Path,
                                       local: tuple[Summary, dict[str, Any]]) -> None:
    folder = tmp_path / "shards"
    result = runner.invoke(app, ["ingest", *sources, "--engine", "ray", "--workers", "2", "--shards", str(folder)])
    assert result.exit_code == 2, result.output
    assert "ingested 10, already present 0, reprocessed 0, rejected 4" in result.output
    assert not (tmp_path / "claimgraph.db").exists()
    shards = sorted(folder.glob("*.parquet"))
    assert shards and not list(folder.glob("*.tmp"))
    import pyarrow.parquet as pq

    table = pq.read_table(shards[0])
    assert table.column_names == ["source", "analysis", "error"]

    db = tmp_path / "loaded.db"
    loaded = runner.invoke(app, ["load", str(folder), "--db", str(db), "--report", str(tmp_path / "rej.tsv")])
    assert loaded.exit_code == 2, loaded.output
    assert "ingested 10, already present 0, reprocessed 0, rejected 4" in loaded.output
    assert snapshot(db) == local[1]
    assert len((tmp_path / "rej.tsv").read_text(encoding="utf-8").splitlines()) == 4

    again = runner.invoke(app, ["load", str(folder), "--db", str(db)])
    assert "ingested 0, already present 10, reprocessed 0, rejected 4" in again.output, again.output
    assert snapshot(db) == local[1]


def test_load_rejects_a_damaged_shard_and_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "shards"
    folder.mkdir()
    (folder / "part-0-broken.parquet").write_bytes(b"not parquet at all")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist([{"source": "x#1", "analysis": "{\"document\": 1}", "error": None}]),
                   folder / "part-1-bad-row.parquet")
    result = runner.invoke(app, ["load", str(folder), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2, result.output
    assert "rejected 2" in result.output and "Traceback" not in result.output
    assert "corrupt analysis in shard" in result.output and "unreadable shard" in result.output


def test_engine_options_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = str(SAMPLES / "corpus")
    result = runner.invoke(app, ["ingest", article, "--db", str(tmp_path / "a.db"), "--shards", str(tmp_path)])
    assert result.exit_code == 2 and "need --engine ray" in result.output
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    result = runner.invoke(app, ["ingest", article, "--db", str(tmp_path / "b.db"), "--engine", "ray"])
    assert result.exit_code == 2
    assert "pip install 'claimgraph[ray]'" in result.output
    assert not (tmp_path / "b.db").exists()


def test_plain_actors_give_what_ray_data_gives(local_ray: None, sources: list[str]) -> None:
    """Through Ray Client (``ray://``) Ray Data cannot run, and the engine uses plain Ray
    actors instead: the same results, in the same order."""
    from claimgraph.corpus.distributed import analyse
    from claimgraph.corpus.sources import Item, expand

    items = [e for e in expand(sources[1:]) if isinstance(e, Item)]  # the JSONL and Parquet articles
    on_data = list(analyse(items, Settings(), workers=2, batch_size=2, dataset=True))
    on_actors = list(analyse(items, Settings(), workers=2, batch_size=2, dataset=False))
    assert [r[:2] for r in on_data] == [(i.key, "ok") for i in items]
    assert on_actors == on_data


def test_a_file_named_parquet_that_is_not_one_is_a_reject(tmp_path: Path) -> None:
    from claimgraph.corpus.sources import Rejected, expand

    (tmp_path / "fake.parquet").write_text("id,text\n1,hello\n", encoding="utf-8")
    (entry,) = expand([str(tmp_path)])
    assert isinstance(entry, Rejected) and entry.reason.startswith("not a Parquet file")
