"""Crash safety as users meet it (#19, #20): ``kill -9`` of an ingest — parent and workers — then
a re-run gives the store an uninterrupted run gives; two ingests into one SQLite store at once
leave every per-entity count right. Real CLI processes on a real SQLite file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

ARTICLE = """Checkpoint attacked near Bannu

Gunmen attacked a police checkpoint on the Bannu-Miranshah road late on Sunday, killing {n} constables,
police said. "They came from the hills," said Inspector Rafiq Anwar. Security sources said the attackers
belonged to Harakat al-Nasr al-Islami, which the interior ministry banned in {year}.
Report {k} from {place}.
"""
PLACES = ["Peshawar", "Lahore", "Quetta", "Karachi"]


def _folder(root: Path, name: str, count: int, offset: int = 0) -> Path:
    folder = root / name
    folder.mkdir()
    for k in range(offset, offset + count):
        (folder / f"a{k:03d}.txt").write_text(
            ARTICLE.format(n=k + 2, year=2010 + k % 9, k=k, place=PLACES[k % 4]), encoding="utf-8")
    return folder


def _cmd(folder: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "claimgraph.cli", "ingest", str(folder), "--db", str(db), "--workers", "2"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def snapshot(db: Path) -> dict[str, Any]:
    """What must be equal between stores: documents, layers, and corpus entities with their counts."""
    with sqlite3.connect(db) as conn:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "documents": sorted(r[0] for r in conn.execute("SELECT id FROM documents")),
            "sources": one("SELECT count(DISTINCT source) FROM documents"),
            **{t: one(f"SELECT count(*) FROM {t}") for t in ("doc_entities", "mentions", "claims", "events",
                                                             "relations", "entities")},
            "entity_counts": sorted(conn.execute("SELECT name, type, documents, mentions FROM entities").fetchall()),
            "unlinked": one("SELECT count(*) FROM doc_entities WHERE entity_id IS NULL"),
        }


def derived_counts_mismatch(db: Path) -> int:
    """Corpus entities whose stored document or mention count differs from their members'."""
    with sqlite3.connect(db) as conn:
        return int(conn.execute(
            "SELECT count(*) FROM entities e JOIN (SELECT entity_id, count(DISTINCT doc_id) AS d, sum(mentions) AS m "
            "FROM doc_entities WHERE entity_id IS NOT NULL GROUP BY entity_id) x ON x.entity_id = e.id "
            "WHERE x.d != e.documents OR x.m != e.mentions").fetchone()[0])


def aggregates_mismatch(db: Path) -> int:
    """Rows of the page aggregates (#18) that differ from what the base tables say."""
    from sqlalchemy import create_engine

    from claimgraph.corpus import aggregates

    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return sum(len(aggregates.kept(conn, t) ^ aggregates.derived(conn, t))
                       for t in ("entity_docs", "co_mentions", "entity_stats"))
    finally:
        engine.dispose()


def kill_at(cmd: list[str], db: Path, documents: int, *, timeout: float = 180) -> None:
    """Start the ingest in its own process group and kill the whole group (parent and workers)
    with SIGKILL once ``documents`` documents are stored."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(),
                            start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        if conn.execute("SELECT count(*) FROM documents").fetchone()[0] >= documents:
                            break
                except sqlite3.OperationalError:
                    pass
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.mark.slow
def test_kill_9_of_parent_and_workers_then_rerun_equals_an_uninterrupted_store(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "in", 6)
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    done = subprocess.run(_cmd(folder, clean), capture_output=True, text=True, env=_env(), timeout=300)
    assert done.returncode == 0, done.stderr
    kill_at(_cmd(folder, killed), killed, documents=3)
    with sqlite3.connect(killed) as conn:
        assert 0 < conn.execute("SELECT count(*) FROM documents").fetchone()[0] < 6
    again = subprocess.run(_cmd(folder, killed), capture_output=True, text=True, env=_env(), timeout=300)
    assert again.returncode == 0, again.stderr
    assert snapshot(killed) == snapshot(clean)
    assert derived_counts_mismatch(killed) == 0
    assert aggregates_mismatch(killed) == 0


@pytest.mark.slow
def test_two_ingests_at_once_keep_per_entity_counts_right(tmp_path: Path) -> None:
    first, second = _folder(tmp_path, "one", 4), _folder(tmp_path, "two", 4, offset=4)
    db = tmp_path / "both.db"
    procs = [subprocess.Popen(_cmd(f, db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
             for f in (first, second)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 8
    assert derived_counts_mismatch(db) == 0
    assert aggregates_mismatch(db) == 0
