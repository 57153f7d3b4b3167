"""Parquet shards: analyses on disk between a Ray cluster and a store.

``claimgraph ingest --engine ray --shards DIR`` writes them; ``claimgraph load DIR`` writes
them into any store. They exist because the machines that analyse are not always the ones
that may write: a cluster may not reach the database, a store may be loaded later or twice
(a test copy, then production), and a file per batch is a checkpoint a crashed writer can
start again from.

One row per input, in input order: ``source`` (the input's key), ``analysis`` (the contract
JSON of :meth:`claimgraph.model.Analysis.to_json`, as text) or ``error`` (why the input was
rejected). Files are named ``part-<UTC time>-<run>-<n>.parquet``, so sorting their names
gives the order they were written in; each is written to a temporary name and renamed, so a
half-written file is never read. Loading is idempotent (documents the store has, by content
hash, are counted as present: an old input name with new content is stored, #20) and counts
like ingest.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from claimgraph.corpus.ingest import Ingest, Summary
from claimgraph.corpus.link import Linker
from claimgraph.corpus.store import Store
from claimgraph.errors import ClaimgraphError
from claimgraph.settings import Settings

#: rows per shard file: big enough for Parquet to compress well, small enough to checkpoint often
ROWS_PER_SHARD = 256
PYARROW_MISSING = "Parquet shards need pyarrow: pip install 'claimgraph[ray]'"


class ShardError(ClaimgraphError):
    """The shard folder cannot be read or written (or pyarrow is missing)."""


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ShardError(PYARROW_MISSING) from exc
    return pa, pq


def shard_schema() -> Any:
    pa, _ = _pyarrow()
    return pa.schema([("source", pa.string()), ("analysis", pa.large_string()), ("error", pa.string())])


class ShardWriter:
    """Buffers rows and writes them, ``ROWS_PER_SHARD`` at a time, as Parquet files."""

    def __init__(self, folder: Path, *, rows_per_shard: int = ROWS_PER_SHARD) -> None:
        _pyarrow()
        self.folder = folder
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ShardError(f"cannot create the shard folder {folder}: {exc.strerror or exc}") from exc
        self.prefix = f"part-{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.rows_per_shard = rows_per_shard
        self.rows: list[dict[str, str | None]] = []
        self.files: list[Path] = []

    def add(self, source: str, analysis: str | None, error: str | None) -> None:
        self.rows.append({"source": source, "analysis": analysis, "error": error})
        if len(self.rows) >= self.rows_per_shard:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        pa, pq = _pyarrow()
        path = self.folder / f"{self.prefix}-{len(self.files):06d}.parquet"
        tmp = path.with_name(path.name + ".tmp")
        pq.write_table(pa.Table.from_pylist(self.rows, schema=shard_schema()), tmp, compression="zstd")
        os.replace(tmp, path)
        self.files.append(path)
        self.rows = []

    def close(self) -> None:
        self.flush()


def shard_files(folder: Path) -> list[Path]:
    """The finished shards in a folder, in the order they were written."""
    if not folder.is_dir():
        raise ShardError(f"no shard folder at {folder}")
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(".parquet"))


def read_shard(path: Path) -> Iterator[dict[str, Any]]:
    """A shard's rows, a batch at a time."""
    _, pq = _pyarrow()
    pfile = pq.ParquetFile(path)
    missing = {"source", "analysis", "error"} - set(pfile.schema_arrow.names)
    if missing:
        raise ShardError(f"{path} is not a claimgraph shard (no column {', '.join(sorted(missing))})")
    for batch in pfile.iter_batches(batch_size=ROWS_PER_SHARD, columns=["source", "analysis", "error"]):
        yield from batch.to_pylist()


class ShardLoad(Ingest):
    """Shards into a store, with the local ingest's writing, linking and counting: each
    analysis is written and linked, each reject recorded, each input the store has counted as
    present. A shard that cannot be read is itself a reject (keyed by its path)."""

    def __init__(self, store: Store, *, on_progress: Callable[[Summary, str], None] | None = None) -> None:
        super().__init__(store, Settings(), workers=1, on_progress=on_progress)

    def load(self, folder: Path) -> Summary:
        self.linker = Linker(self.store)
        self.linker.link_pending()  # documents a killed load wrote but did not link
        for path in shard_files(folder):
            try:
                for row in read_shard(path):
                    self._row(row)
            except ShardError as exc:
                self._record(str(path), "rejected", str(exc))
            except Exception as exc:  # pyarrow's errors for a damaged file have no common base
                self._record(str(path), "rejected", f"unreadable shard: {type(exc).__name__}: {exc}")
        return self.summary

    def _row(self, row: dict[str, Any]) -> None:
        source = str(row.get("source") or "")
        if row.get("analysis") is None:
            self._record(source, "rejected", row.get("error") or "shard row has neither analysis nor error")
        else:  # present by content (the document id), not by the input's name alone (#20)
            try:
                self._record(source, "ok", json.loads(row["analysis"]))
            except (ValueError, KeyError, TypeError) as exc:  # not JSON, or not an analysis: nothing was written
                self._record(source, "rejected", f"corrupt analysis in shard: {type(exc).__name__}: {exc}")
