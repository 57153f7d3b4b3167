"""``claimgraph export FORMAT``: the store in the formats users' tools read.

Each exporter takes the store and a destination (a path, or an open text stream such as
stdout) and returns a short description of what it wrote.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select

from claimgraph.corpus import schema as s
from claimgraph.corpus.store import Store

Destination = Path | IO[str]


def _open(dest: Destination) -> tuple[IO[str], bool]:
    if isinstance(dest, Path):
        return dest.open("w", encoding="utf-8", newline=""), True
    return dest, False


def export_jsonl(store: Store, dest: Destination) -> str:
    """One claimgraph.document/1 object per line, exactly as analysed."""
    fh, close = _open(dest)
    n = 0
    try:
        for obj in store.iter_analyses():
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
            n += 1
    finally:
        if close:
            fh.close()
    return f"{n} documents as JSON lines"


_CSV_TABLES = ("entities", "doc_entities", "claims", "events", "relations", "documents")


def export_csv(store: Store, dest: Destination) -> str:
    """One CSV file per table in a folder (documents without their text and analysis)."""
    if not isinstance(dest, Path):
        raise ValueError("csv export writes several files: give --out FOLDER")
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    with store.engine.connect() as conn:
        for name in _CSV_TABLES:
            table = s.metadata.tables[name]
            cols = [c for c in table.c if c.name not in ("text", "analysis")]
            with (dest / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([c.name for c in cols])
                rows = 0
                for row in conn.execute(select(*cols)):
                    writer.writerow(["" if v is None else v for v in row])
                    rows += 1
            written.append(f"{name} {rows}")
    return f"CSV files in {dest}: " + ", ".join(written)


def _graph(name: str) -> Callable[[Store, Any], str]:
    def run(store: Store, dest: Any) -> str:
        from claimgraph.corpus import export_graph

        exporter: Callable[[Store, Any], str] = getattr(export_graph, f"export_{name}")
        return exporter(store, dest)

    return run


EXPORTERS: dict[str, Callable[[Store, Any], str]] = {
    "jsonl": export_jsonl,
    "csv": export_csv,
    "gexf": _graph("gexf"),
    "graphml": _graph("graphml"),
    "ftm": _graph("ftm"),
    "geojson": _graph("geojson"),
    "events-table": lambda store, dest: _event_table(store, dest),
}


def _event_table(store: Store, dest: Any) -> str:
    from claimgraph.corpus.export_events import export_event_table

    return export_event_table(store, dest)
