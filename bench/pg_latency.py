"""PostgreSQL against SQLite: the same store on both, the same questions, their latency.

Usage:
  python bench/pg_latency.py --sqlite PATH [--pg postgresql://...]

``PATH`` is a store that ``bench/scale.py store`` built (say, 100,000 synthetic documents). Its
rows are copied table by table into a fresh PostgreSQL database (the same schema through
SQLAlchemy Core; PostgreSQL computes its own full-text columns as the rows arrive), so both
stores hold exactly the same corpus without linking it twice. Without ``--pg`` a throwaway
server is started the way the test suite starts one (Debian's binaries, a temporary cluster on
a free local port). Then ``bench/scale.py``'s latency questions run on each store with the same
seed: entity profile (person, group), search, claims filter, timeline; p50 and p95 each.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from sqlalchemy import func, insert, select, text

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from scale import measure, pools  # noqa: E402

from claimgraph.corpus import schema as s  # noqa: E402
from claimgraph.corpus.store import Store  # noqa: E402

#: parents before children, so foreign keys hold at every commit
TABLES = (s.documents, s.rejected, s.entities, s.entity_keys, s.doc_entities, s.mentions, s.claims, s.events,
          s.relations, s.claim_groups, s.merges)
BATCH = 5000


def copy_store(src: Store, dst: Store) -> None:
    """Every row of every table, in batches of ``BATCH`` (in rowid order on the SQLite side)."""
    for table in TABLES:
        started = time.monotonic()
        columns = [c for c in table.columns if c.name in _sqlite_columns(src, table.name)]
        with src.engine.connect() as read:
            total = read.execute(select(func.count()).select_from(table)).scalar_one()
            result = read.execution_options(stream_results=True).execute(select(*columns))
            copied = 0
            while rows := result.fetchmany(BATCH):
                with dst.engine.begin() as write:
                    write.execute(insert(table), [dict(r._mapping) for r in rows])
                copied += len(rows)
        print(f"  {table.name}: {copied:,}/{total:,} rows in {time.monotonic() - started:.0f} s")
        sys.stdout.flush()


def _sqlite_columns(store: Store, table: str) -> set[str]:
    """The columns the source store has (a store built by an older development version may lack
    a late one; its default then applies)."""
    with store.engine.connect() as conn:
        return {r[1] for r in conn.execute(text(f"PRAGMA table_info({table})"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sqlite", required=True, help="a store bench/scale.py built")
    parser.add_argument("--pg", help="an empty PostgreSQL database URL (default: a throwaway server)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    server = None
    url = args.pg
    if url is None:
        sys.path.insert(0, str(REPO / "tests"))
        import pg_server

        started = pg_server.start()
        if isinstance(started, str):
            sys.exit(f"no PostgreSQL server: {started}")
        server = started
        url = server.create_database("bench")
    try:
        src = Store.open(args.sqlite, create=False)
        dst = Store.open(url)
        n = src.count("documents")
        if dst.count("documents") == 0:
            print(f"copying {n:,} documents' rows into PostgreSQL")
            copy_store(src, dst)
            with dst.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        names = pools(random.Random(7))
        with src.engine.connect() as conn:
            words = sorted(r[0] for r in conn.execute(text("SELECT term FROM claims_vocab WHERE length(term) >= 5")))
        for label, store in (("SQLite", src), ("PostgreSQL", dst)):
            print(f"=== {label}")
            measure(store, random.Random(args.seed), names, words, n)
        src.close()
        dst.close()
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
