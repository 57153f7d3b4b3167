"""The embedded store: open or create it, write one analysed document atomically, and read
documents back.

Every document is written in one transaction with all its layers, or not at all, so a
killed ingest never leaves half a document: a re-run finds it absent and writes it whole.
On SQLite, writes come from one process (the ingest's parent; workers only analyse), which is
what SQLite wants; WAL mode lets readers query while an ingest runs, and a writer waits up to
:data:`SQLITE_BUSY_S` seconds for another rather than failing with "database is locked". Two
ingests into one SQLite file take turns: :meth:`Store.ingest_lock` makes the second wait (and
say so) or, asked not to wait, stop with "the store is busy" (#19, #20). On PostgreSQL several
processes may write at once (:mod:`claimgraph.corpus.postgres`): the document's content hash
is its primary key, so the same article written twice is stored once and the loser is told
"present".
"""

from __future__ import annotations

import json
import os
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, event, insert, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from claimgraph.corpus import aggregates
from claimgraph.corpus import postgres as pg
from claimgraph.corpus import schema as s
from claimgraph.corpus.group_summaries import refresh
from claimgraph.corpus.groups import STOP
from claimgraph.errors import ClaimgraphError
from claimgraph.model import Analysis, Claim, Event
from claimgraph.pipeline import PIPELINE_VERSION


def pack(obj: dict[str, Any]) -> bytes:
    """The contract JSON for the ``analysis`` column: without the text, compressed."""
    slim = {**obj, "document": {k: v for k, v in obj["document"].items() if k != "text"}}
    return zlib.compress(json.dumps(slim, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 6)


def unpack(blob: bytes, text: str) -> dict[str, Any]:
    obj: dict[str, Any] = json.loads(zlib.decompress(blob).decode("utf-8"))
    obj["document"]["text"] = text
    return obj


class StoreError(ClaimgraphError):
    """The store cannot be opened or is of a version this code cannot use."""


class StoreBusy(StoreError):
    """Another ingest holds the store's writer lock, and the caller chose not to wait."""


#: seconds a SQLite writer waits for another writer's transaction before "database is locked"
SQLITE_BUSY_S = 60.0


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def database_url(target: str | Path) -> str:
    """A SQLAlchemy URL for a path (SQLite file) or a database URL. A plain ``postgresql://``
    (or ``postgres://``) URL gets the psycopg 3 driver, the one the ``postgres`` extra installs;
    a URL naming its driver (``postgresql+psycopg://``) is used as is."""
    target = str(target)
    if "://" not in target:
        return f"sqlite:///{target}"
    for scheme in ("postgresql://", "postgres://"):
        if target.startswith(scheme):
            return "postgresql+psycopg://" + target[len(scheme):]
    return target


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


_FTS = (
    # external content: the index reads title and text from the documents table (no second copy)
    "CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(title, text, content='documents', "
    "content_rowid='rowid')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS claims_fts USING fts5(doc_id UNINDEXED, local_id UNINDEXED, content)",
    # how many claims use each word: claim grouping looks up a claim's rarest words here
    "CREATE VIRTUAL TABLE IF NOT EXISTS claims_vocab USING fts5vocab(claims_fts, 'row')",
)


@dataclass(frozen=True, slots=True)
class WriteResult:
    doc_id: str
    status: str  # "ingested" | "present" | "reprocessed"


class Store:
    """One store (a SQLite file or a database URL)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"

    @classmethod
    def open(cls, target: str | Path, *, create: bool = True) -> Store:
        url = database_url(target)
        if url.startswith("sqlite:///") and not create and not Path(url[len("sqlite:///"):]).exists():
            raise StoreError(f"no store at {target} (run `claimgraph ingest` first)")
        try:
            engine = create_engine(url, future=True,
                                   connect_args={"timeout": SQLITE_BUSY_S} if url.startswith("sqlite") else {})
        except ModuleNotFoundError as exc:
            raise StoreError(f"{target}: the database driver is not installed ({exc.name}); for PostgreSQL: "
                             "pip install 'claimgraph[postgres]'") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        try:
            if not create and not inspect(engine).has_table("meta"):
                raise StoreError(f"{target} is not a claimgraph store (run `claimgraph ingest` first)")
            store._prepare()
        except DatabaseError as exc:  # also "file is not a database": one line, not a traceback
            engine.dispose()
            if store.sqlite and "not a database" in str(exc.orig):
                raise StoreError(f"{target} is not a claimgraph store (not a SQLite database)") from None
            raise StoreError(f"cannot open the store at {engine.url!r}: {str(exc.orig).strip()}") from None
        except StoreError:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def ingest_lock(self, *, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[int | None]:
        """Hold the store's ingest lock (SQLite only: PostgreSQL takes concurrent ingests, see
        :mod:`claimgraph.corpus.postgres`). A lock file beside the database, locked with
        ``flock``: the kernel releases it when the holder dies, even by ``kill -9``, so a crashed
        ingest never leaves the store locked. Yields the lock file's descriptor (worker processes
        close it), or None where there is nothing to lock."""
        database = self.engine.url.database if self.sqlite else None
        try:
            import fcntl
        except ImportError:  # not POSIX: SQLite's own locking is all there is
            fcntl = None  # type: ignore[assignment]
        if not database or database == ":memory:" or fcntl is None:
            yield None
            return
        path = f"{database}-ingest.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                message = f"the store {database} is busy: another ingest (process {holder}) is writing to it"
                if not wait:
                    raise StoreBusy(message) from None
                if on_wait is not None:
                    on_wait(message + "; waiting for it to finish")
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            yield fd
        finally:
            os.close(fd)

    # ORDER BY a nullable column (a date) the way SQLite orders it: NULL sorts lowest there, but
    # highest on PostgreSQL. The SQLite clause is left bare, so its query plans do not change.

    def latest_first(self, column: Any) -> Any:
        """``column DESC``, undated rows last."""
        return column.desc() if self.sqlite else column.desc().nulls_last()

    def earliest_first(self, column: Any) -> Any:
        """``column ASC``, undated rows first."""
        return column if self.sqlite else column.asc().nulls_first()

    def _prepare(self) -> None:
        """Create or upgrade the schema. On SQLite a transaction that began by reading and then
        writes (the idempotent DDL) fails at once with "database is locked" when another process
        committed in between — SQLite's busy timeout does not apply to that upgrade — so it is
        started again on a fresh snapshot, for as long as the busy timeout would have waited."""
        deadline = time.monotonic() + SQLITE_BUSY_S
        while True:
            try:
                self._prepare_once()
                return
            except OperationalError as exc:
                if not self.sqlite or "locked" not in str(exc.orig) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _prepare_once(self) -> None:
        with self.engine.begin() as conn:
            if not self.sqlite:
                pg.lock_prepare(conn)
            elif not inspect(conn).has_table("meta"):
                # two processes creating one store at once take turns ("table meta already exists");
                # an existing store is not locked here, so a read-only one still opens
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            s.metadata.create_all(conn)
            if self.sqlite:
                for ddl in _FTS:
                    conn.execute(text(ddl))
            self._migrate(conn)
            if not self.sqlite:  # after the migrations: its indexes use their columns
                pg.prepare(conn, STOP)
            # after the migrations too: a migrated store's aggregates are filled in bulk, not row by row
            aggregates.install(conn, sqlite=self.sqlite)

    def _migrate(self, conn: Connection) -> None:
        row = conn.execute(select(s.meta.c.value).where(s.meta.c.key == "schema_version")).first()
        if row is None:
            conn.execute(insert(s.meta).values(key="schema_version", value=str(s.SCHEMA_VERSION)))
            return
        version = int(row[0])
        if version > s.SCHEMA_VERSION:
            raise StoreError(f"the store has schema version {version}; this claimgraph knows up to "
                             f"{s.SCHEMA_VERSION}: upgrade claimgraph")
        while version < s.SCHEMA_VERSION:
            s.MIGRATIONS[version](conn)
            version += 1
            conn.execute(update(s.meta).where(s.meta.c.key == "schema_version").values(value=str(version)))

    # -- writing ------------------------------------------------------------------------------

    def known_source(self, source: str) -> bool:
        """Whether an input was already stored under this name (rejected inputs are tried again:
        a dead URL or a pipeline error may be gone next time)."""
        with self.engine.connect() as conn:
            return conn.execute(select(s.documents.c.id).where(s.documents.c.source == source).limit(1)).first() \
                is not None

    def known_input(self, source: str, fingerprint: str | None) -> bool:
        """Whether this input, with this content, was already stored. Without a fingerprint (a URL,
        whose content is known only by fetching it) the name decides, as :meth:`known_source`."""
        if fingerprint is None:
            return self.known_source(source)
        with self.engine.connect() as conn:
            row = conn.execute(select(s.inputs.c.fingerprint).where(s.inputs.c.source == source)).first()
        return row is not None and row[0] == fingerprint

    def _remember_input(self, conn: Connection, source: str, fingerprint: str | None, doc_id: str) -> None:
        if fingerprint is None:
            return
        conn.execute(delete(s.inputs).where(s.inputs.c.source == source))
        conn.execute(insert(s.inputs).values(source=source, fingerprint=fingerprint, doc_id=doc_id))

    def stale_documents(self) -> list[tuple[str, str]]:
        """(id, source) of documents an older pipeline version analysed."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(s.documents.c.id, s.documents.c.source)
                                .where(s.documents.c.pipeline_version != PIPELINE_VERSION))
            return [(r[0], r[1]) for r in rows]

    def reject(self, source: str, reason: str) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(delete(s.rejected).where(s.rejected.c.source == source))
                conn.execute(insert(s.rejected).values(source=source, reason=reason, at=now()))
        except IntegrityError:
            pass  # another writer recorded this input's rejection at the same moment

    def write(self, analysis: Analysis, source: str, *, reprocess: bool = False,
              fingerprint: str | None = None, packed: bytes | None = None) -> WriteResult:
        """Store one analysed document with every layer, in one transaction. Another process
        storing the same document at the same moment makes this one's insert collide on the
        content hash: the document is then present, which is what this returns. ``fingerprint``
        (the input's content hash) is remembered with the input's name in the same transaction.
        ``packed``: the analysis as :func:`pack` makes it, when a worker has made it already (the
        single writer then does not serialise it again)."""
        try:
            return self._write(analysis, source, reprocess=reprocess, fingerprint=fingerprint, packed=packed)
        except IntegrityError:
            with self.engine.connect() as conn:
                if conn.execute(select(s.documents.c.id).where(s.documents.c.id == analysis.document.id)).first():
                    return WriteResult(analysis.document.id, "present")
            raise

    def _write(self, analysis: Analysis, source: str, *, reprocess: bool, fingerprint: str | None,
               packed: bytes | None) -> WriteResult:
        doc = analysis.document
        with self.engine.begin() as conn:
            row = conn.execute(select(s.documents.c.pipeline_version).where(s.documents.c.id == doc.id)).first()
            self._remember_input(conn, source, fingerprint, doc.id)
            if row is not None and not (reprocess and row[0] != PIPELINE_VERSION):
                return WriteResult(doc.id, "present")
            if row is not None:
                self._delete_layers(conn, doc.id)
                conn.execute(delete(s.documents).where(s.documents.c.id == doc.id))
            conn.execute(delete(s.rejected).where(s.rejected.c.source == source))
            self._insert(conn, analysis, source, packed)
        return WriteResult(doc.id, "reprocessed" if row is not None else "ingested")

    def _delete_layers(self, conn: Connection, doc_id: str) -> None:
        groups = [r[0] for r in conn.execute(select(s.claims.c.group_id).where(
            s.claims.c.doc_id == doc_id, s.claims.c.group_id.is_not(None)).distinct())]
        contents = [] if self.sqlite else [r[0] for r in conn.execute(
            select(s.claims.c.content).where(s.claims.c.doc_id == doc_id))]
        for table in (s.mentions, s.claims, s.events, s.relations, s.doc_entities):
            conn.execute(delete(table).where(table.c.doc_id == doc_id))
        if self.sqlite:
            conn.execute(text("INSERT INTO documents_fts (documents_fts, rowid, title, text) SELECT 'delete', rowid, "
                              "coalesce(title, ''), text FROM documents WHERE id = :d"), {"d": doc_id})
            conn.execute(text("DELETE FROM claims_fts WHERE doc_id = :d"), {"d": doc_id})
        else:
            pg.add_terms(conn, pg.claim_terms_of(contents, STOP), sign=-1)
        refresh(conn, groups)  # the groups it reported in lose its reports

    def _insert(self, conn: Connection, analysis: Analysis, source: str, packed: bytes | None = None) -> None:
        doc = analysis.document
        conn.execute(insert(s.documents).values(
            id=doc.id, url=doc.url, title=doc.title, site=doc.site, author=doc.author, published=doc.published,
            source=source, pipeline_version=PIPELINE_VERSION, ingested_at=now(), text=doc.text,
            analysis=packed if packed is not None else pack(analysis.to_json())))
        geo = analysis.places
        ents = [dict(doc_id=doc.id, local_id=e.id, entity_id=None, name=e.name, type=e.type,
                     aliases=json.dumps(list(e.aliases), ensure_ascii=False), roles=json.dumps(list(e.roles)),
                     mentions=len(e.mentions), link_reason=None, link_score=None,
                     lat=geo[e.id].lat if e.id in geo else None, lon=geo[e.id].lon if e.id in geo else None,
                     country=geo[e.id].country if e.id in geo else None, published=doc.published)
                for e in analysis.entities]
        if ents:
            conn.execute(insert(s.doc_entities), ents)
        ments = [dict(doc_id=doc.id, local_id=e.id, start=m.start, end=m.end)
                 for e in analysis.entities for m in e.mentions]
        if ments:
            conn.execute(insert(s.mentions), ments)
        if analysis.claims:
            conn.execute(insert(s.claims), [_claim_row(doc.id, c) for c in analysis.claims])
        if analysis.events:
            conn.execute(insert(s.events), [_event_row(doc.id, e) for e in analysis.events])
        if analysis.relations:
            conn.execute(insert(s.relations), [dict(
                doc_id=doc.id, subject_local=r.subject, predicate=r.predicate, object_local=r.object,
                evidence=r.evidence.text, start=r.evidence.start, end=r.evidence.end, claim_local=r.claim)
                for r in analysis.relations])
        if self.sqlite:
            conn.execute(text("INSERT INTO documents_fts (rowid, title, text) SELECT rowid, coalesce(title, ''), text "
                              "FROM documents WHERE id = :d"), {"d": doc.id})
            if analysis.claims:
                conn.execute(text("INSERT INTO claims_fts (doc_id, local_id, content) VALUES (:d, :l, :c)"),
                             [{"d": doc.id, "l": c.id, "c": " … ".join(p.text for p in c.content)}
                              for c in analysis.claims])
        else:  # the search columns fill themselves; the word counts do not
            pg.add_terms(conn, pg.claim_terms_of((" … ".join(p.text for p in c.content) for c in analysis.claims),
                                                 STOP))

    def drop_orphan_entities(self) -> int:
        """Delete corpus entities no document entity links to any more (after a reprocess)."""
        with self.engine.begin() as conn:
            used = select(s.doc_entities.c.entity_id).where(s.doc_entities.c.entity_id.is_not(None))
            orphans = [r[0] for r in conn.execute(select(s.entities.c.id).where(s.entities.c.id.not_in(used)))]
            if orphans:
                conn.execute(delete(s.entity_keys).where(s.entity_keys.c.entity_id.in_(orphans)))
                conn.execute(delete(s.entities).where(s.entities.c.id.in_(orphans)))
        return len(orphans)

    # -- reading ------------------------------------------------------------------------------

    def count(self, table_name: str) -> int:
        table = s.metadata.tables[table_name]
        with self.engine.connect() as conn:
            return int(conn.execute(select(text("count(*)")).select_from(table)).scalar_one())

    def analysis_json(self, doc_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(s.documents.c.analysis, s.documents.c.text)
                               .where(s.documents.c.id == doc_id)).first()
        return unpack(row[0], row[1]) if row else None

    def iter_analyses(self, batch: int = 500) -> Iterator[dict[str, Any]]:
        """Every stored document's contract JSON, in ingest order, a batch at a time."""
        last = ""
        while True:
            with self.engine.connect() as conn:
                rows = conn.execute(select(s.documents.c.id, s.documents.c.analysis, s.documents.c.text)
                                    .where(s.documents.c.id > last).order_by(s.documents.c.id).limit(batch)).all()
            if not rows:
                return
            for _doc_id, blob, doc_text in rows:
                yield unpack(blob, doc_text)
            last = rows[-1][0]

    def rejected_rows(self) -> list[tuple[str, str]]:
        with self.engine.connect() as conn:
            return [(r[0], r[1]) for r in conn.execute(select(s.rejected.c.source, s.rejected.c.reason))]


def _claim_row(doc_id: str, c: Claim) -> dict[str, Any]:
    src = c.source
    start = min(p.start for p in c.content)
    end = max(p.end for p in c.content)
    return dict(doc_id=doc_id, local_id=c.id, kind=c.kind, source_local=src.entity if src else None,
                source_text=src.span.text if src else None, source_type=src.type if src else None,
                cue=c.cue.text if c.cue else None, content=" … ".join(p.text for p in c.content),
                start=start, end=end, group_id=None)


def _event_row(doc_id: str, e: Event) -> dict[str, Any]:
    return dict(doc_id=doc_id, local_id=e.id, type=e.type, trigger=e.trigger.text, start=e.trigger.start,
                end=e.trigger.end, actor_local=e.actor.entity if e.actor else None,
                actor_text=e.actor.span.text if e.actor else None,
                recipient_local=e.recipient.entity if e.recipient else None,
                recipient_text=e.recipient.span.text if e.recipient else None,
                when_value=e.when.value if e.when else None, when_text=e.when.span.text if e.when else None,
                where_local=e.where.entity if e.where else None, where_text=e.where.span.text if e.where else None,
                claim_local=e.claim, modality=e.modality, group_id=None)
