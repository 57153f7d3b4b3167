"""Corpus entities in the store: each stored document's entities linked to the actors of the
whole corpus by :class:`claimgraph.corpus.resolve.EntityResolver`, and a user's merges,
splits and undos applied and recorded.

The store is the resolver's memory (#18): its members are the rows of ``doc_entities`` that
carry an ``entity_id``, its key index and the counts it decides by are the resolver tables
(:mod:`claimgraph.corpus.resolver_store`), and its log is the ``merges`` table, one row per log
entry in order. A linker holds nothing of the corpus: each link reads the candidates of one
document, so starting one costs the same on any store, and a document written by a run that
was killed before linking is simply linked by the next one.

Several processes may link into one PostgreSQL store at once. Each link (and each correction)
then runs under one advisory lock (:func:`claimgraph.corpus.postgres.lock_link`) and reads the
store as the others left it; on SQLite the write lock is taken before the first read.
"""

from __future__ import annotations

import json

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from claimgraph.corpus import postgres as pg
from claimgraph.corpus import schema as s
from claimgraph.corpus.groups import group_claims, group_events
from claimgraph.corpus.resolve import LogEntry, undoable
from claimgraph.corpus.resolver_store import LoadedResolver, StoreResolver, members_of, write_state
from claimgraph.corpus.store import Store, now


class Linker:
    """Links documents and applies corrections against one store; holds no corpus state, so any
    number may run (one at a time per store, by the lock) and none goes stale."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _begin(self, conn: Connection) -> None:
        """Start a transaction that changes corpus entities: one at a time (an advisory lock on
        PostgreSQL, the write lock on SQLite, taken before reading, so no other writer can link
        between this transaction's reads and its commit: #20)."""
        if not self.store.sqlite:
            pg.lock_link(conn)
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    # -- linking documents ----------------------------------------------------------------------

    def link_pending(self) -> int:
        """Link every stored document that has unlinked entities; returns how many."""
        with self.store.engine.connect() as conn:
            pending = [r[0] for r in conn.execute(select(s.doc_entities.c.doc_id)
                                                  .where(s.doc_entities.c.entity_id.is_(None)).distinct())]
        for doc_id in pending:
            self.link(doc_id)
        return len(pending)

    def link(self, doc_id: str) -> None:
        """Resolve one document's entities, store the corpus entities they touch, and group
        its claims and events with those of other documents — one transaction."""
        with self.store.engine.begin() as conn:
            self._begin(conn)
            members = members_of(conn, s.doc_entities.c.doc_id == doc_id).get(doc_id, [])
            if members and all(eid is not None for _, eid in members):
                return  # another process linked it (its pending documents) before this one could
            resolver = StoreResolver(conn)
            resolver.know({m.key: eid for m, eid in members if eid is not None})
            decisions = resolver.resolve([m for m, _ in members])
            resolver.flush()
            if decisions:  # one statement for the whole document
                conn.execute(update(s.doc_entities).where(and_(
                    s.doc_entities.c.doc_id == doc_id, s.doc_entities.c.local_id == bindparam("member")))
                    .values(entity_id=bindparam("eid"), link_reason=bindparam("why"), link_score=bindparam("score")),
                    [{"member": d.doc_entity.id, "eid": d.corpus_id, "why": d.reason, "score": d.score}
                     for d in decisions])
            self._log(conn, resolver.log, by="auto", index=False)
            group_claims(conn, doc_id, sqlite=self.store.sqlite)
            group_events(conn, doc_id)

    # -- corrections ------------------------------------------------------------------------------

    def merge(self, a: str, b: str, reason: str = "user") -> int:
        """Fold corpus entity ``b`` into ``a``; returns the log index (for ``undo``)."""
        with self.store.engine.begin() as conn:
            self._begin(conn)
            resolver = LoadedResolver(conn, {a, b})
            resolver.merge(a, b, reason)
            write_state(conn, resolver, {a, b})
            return self._log(conn, resolver.log, by="user")

    def split(self, corpus_id: str, members: list[str], reason: str = "user") -> str:
        """Move members (``doc#id``) of an entity into a new one; returns the new corpus id."""
        with self.store.engine.begin() as conn:
            self._begin(conn)
            resolver = LoadedResolver(conn, {corpus_id})
            new_id = resolver.split(corpus_id, members, reason)
            write_state(conn, resolver, {corpus_id, new_id})
            self._log(conn, resolver.log, by="user", index=False)
        return new_id

    def undo(self, index: int, reason: str = "user") -> int:
        """Reverse log entry ``index`` (see :meth:`EntityResolver.undo`); returns the undo's index."""
        with self.store.engine.begin() as conn:
            self._begin(conn)
            row_id, entry = self._entry(conn, index)
            entry = undoable(entry, index, self._size(conn))
            data = entry.data
            touched = {str(data[k]) for k in ("into", "from") if k in data}
            touched |= {str(d["corpus_id"]) for d in data.get("decisions", ())}
            resolver = LoadedResolver(conn, touched)
            resolver.reverse(entry)
            write_state(conn, resolver, touched)
            conn.execute(update(s.merges).where(s.merges.c.id == row_id).values(undone=1))
            return self._log(conn, [LogEntry("undo", reason, {"target": index})], by="user")

    # -- the log ------------------------------------------------------------------------------------

    @staticmethod
    def _size(conn: Connection) -> int:
        return int(conn.execute(select(func.count()).select_from(s.merges)).scalar_one())

    @staticmethod
    def _entry(conn: Connection, index: int) -> tuple[int, LogEntry | None]:
        if index < 0:
            return 0, None
        row = conn.execute(select(s.merges).order_by(s.merges.c.id).offset(index).limit(1)).first()
        if row is None:
            return 0, None
        return int(row.id), LogEntry(row.action, row.reason or "", json.loads(row.detail or "{}"), bool(row.undone))

    def log_size(self) -> int:
        """How many entries the log has (the next entry's index)."""
        with self.store.engine.connect() as conn:
            return self._size(conn)

    def log_entry(self, index: int) -> LogEntry | None:
        """Log entry ``index``, as ``undo`` takes it; None past the end."""
        with self.store.engine.connect() as conn:
            return self._entry(conn, index)[1]

    def _log(self, conn: Connection, entries: list[LogEntry], *, by: str, index: bool = True) -> int:
        """Append entries to the log; returns the last one's index (with ``index``: it counts the log)."""
        for entry in entries:
            data = entry.data
            conn.execute(insert(s.merges).values(
                at=now(), action=entry.op, by=by, entity_id=data.get("into"), other_id=data.get("from"),
                doc_id=data.get("doc"), local_id=None, reason=entry.reason, score=None,
                detail=json.dumps(data, ensure_ascii=False), undone=int(entry.undone)))
        return self._size(conn) - 1 if index else -1
