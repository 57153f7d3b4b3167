"""Corpus entities in the store: each stored document's entities linked to the actors of the
whole corpus by :class:`claimgraph.corpus.resolve.EntityResolver`, and a user's merges,
splits and undos applied and recorded.

The store is the resolver's memory: its members are the rows of ``doc_entities`` that carry
an ``entity_id``, and its log is the ``merges`` table, one row per log entry in order. The
linker rebuilds the resolver from them when it starts, so a document written by a run that
was killed before linking is simply linked by the next one.

Several processes may link into one PostgreSQL store at once. Each link (and each correction)
then runs under one advisory lock (:func:`claimgraph.corpus.postgres.lock_link`), and first
catches up with what the others linked since this linker last looked — the ``merges`` rows
past the last one it has seen — so it never makes a second corpus entity for an actor another
process has just made one for.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from claimgraph.corpus import postgres as pg
from claimgraph.corpus import schema as s
from claimgraph.corpus.groups import group_claims, group_events
from claimgraph.corpus.resolve import DocEntity, EntityResolver, LogEntry
from claimgraph.corpus.store import Store, now
from claimgraph.pipeline.names import name_key


def _members(conn: Connection, where: Any) -> dict[str, list[tuple[DocEntity, str | None]]]:
    """Document entities (with each one's co-mentioned names) by document, and their corpus ids."""
    rows = conn.execute(select(s.doc_entities).where(where).order_by(s.doc_entities.c.doc_id)).mappings().all()
    by_doc: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        by_doc[r["doc_id"]].append(r)
    out: dict[str, list[tuple[DocEntity, str | None]]] = {}
    for doc_id, ents in by_doc.items():
        names = [e["name"] for e in ents]
        out[doc_id] = [(DocEntity(doc=doc_id, id=e["local_id"], name=e["name"], type=e["type"],
                                  aliases=tuple(json.loads(e["aliases"])), roles=tuple(json.loads(e["roles"])),
                                  mentions=int(e["mentions"]),
                                  cooccurring=tuple(n for j, n in enumerate(names) if j != i)), e["entity_id"])
                       for i, e in enumerate(ents)]
    return out


class Linker:
    """The resolver of one store, kept in step with it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        #: the name keys last written to ``entity_keys`` per corpus entity (rewritten when they change)
        self._keys: dict[str, frozenset[str]] = {}
        #: the last ``merges`` row this linker's resolver reflects
        self._seen = 0
        with store.engine.connect() as conn:
            self.resolver = self._load(conn)

    def _load(self, conn: Connection) -> EntityResolver:
        """The resolver as the store has it. The log is read first: a document another process
        links in between is then among the members without its log entry, which catching up
        adds, rather than the other way round."""
        rows = conn.execute(select(s.merges).order_by(s.merges.c.id)).all()
        log = [{"op": r.action, "reason": r.reason or "", "data": json.loads(r.detail or "{}"),
                "undone": bool(r.undone)} for r in rows]
        self._seen = int(rows[-1].id) if rows else 0
        linked = _members(conn, s.doc_entities.c.entity_id.is_not(None))
        entities: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for members in linked.values():
            for ent, eid in members:
                entities[str(eid)].append(ent.to_json())
        self._keys = {}
        return EntityResolver.restore(
            {"version": 1, "entities": [{"id": k, "members": v} for k, v in entities.items()], "log": log})

    def _catch_up(self, conn: Connection) -> None:
        """Take in what other processes linked since this linker last looked. Documents they
        linked are attached as they were (one query for their members); a merge, split or undo
        made elsewhere reloads the whole resolver, as those move members of any document."""
        rows = conn.execute(select(s.merges).where(s.merges.c.id > self._seen).order_by(s.merges.c.id)).all()
        if not rows:
            return
        if any(r.action != "resolve" or r.undone for r in rows):
            self.resolver = self._load(conn)
            return
        entries = [json.loads(r.detail or "{}") for r in rows]
        docs = sorted({str(e["doc"]) for e in entries})
        members = {m.key: m for ms in _members(conn, s.doc_entities.c.doc_id.in_(docs)).values() for m, _ in ms}
        resolver = self.resolver
        for row, data in zip(rows, entries, strict=True):
            for d in data.get("decisions", ()):
                member, cid = members.get(d["member"]), str(d["corpus_id"])
                if member is None or resolver.corpus_id_of(member.key) is not None:
                    continue
                resolver.adopt(member, cid)
                self._keys.pop(cid, None)  # the other process may have rewritten its keys
            resolver.log.append(LogEntry(row.action, row.reason or "", data, bool(row.undone)))
        self._seen = int(rows[-1].id)

    def _begin(self, conn: Connection) -> None:
        """Start a transaction that changes corpus entities: one at a time (an advisory lock on
        PostgreSQL, the write lock on SQLite), and with the resolver up to date."""
        if not self.store.sqlite:
            pg.lock_link(conn)
        else:
            # take SQLite's write lock before reading: the catch-up then sees every other writer's
            # links, and none can link between it and this commit (#20: two writers at once left
            # per-entity document and mention counts wrong)
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        self._catch_up(conn)

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
            members = _members(conn, s.doc_entities.c.doc_id == doc_id).get(doc_id, [])
            if members and all(eid is not None for _, eid in members):
                return  # another process linked it (its pending documents) before this one could
            before = len(self.resolver.log)
            decisions = self.resolver.resolve([m for m, _ in members])
            # the corpus entities first (members point at them); only this document's members move
            delta: dict[str, int] = defaultdict(int)
            for d in decisions:
                if d.reason != "already resolved":
                    delta[d.corpus_id] += d.doc_entity.mentions
            self._sync(conn, {d.corpus_id for d in decisions}, members=False, mention_delta=delta)
            if decisions:  # one statement for the whole document
                conn.execute(update(s.doc_entities).where(and_(
                    s.doc_entities.c.doc_id == doc_id, s.doc_entities.c.local_id == bindparam("member")))
                    .values(entity_id=bindparam("eid"), link_reason=bindparam("why"), link_score=bindparam("score")),
                    [{"member": d.doc_entity.id, "eid": d.corpus_id, "why": d.reason, "score": d.score}
                     for d in decisions])
            self._log(conn, before, by="auto")
            group_claims(conn, doc_id, sqlite=self.store.sqlite)
            group_events(conn, doc_id)

    # -- corrections ------------------------------------------------------------------------------

    def merge(self, a: str, b: str, reason: str = "user") -> int:
        with self.store.engine.begin() as conn:
            self._begin(conn)
            before = len(self.resolver.log)
            index = self.resolver.merge(a, b, reason)
            self._commit(conn, before, {a, b})
        return index

    def split(self, corpus_id: str, members: list[str], reason: str = "user") -> str:
        with self.store.engine.begin() as conn:
            self._begin(conn)
            before = len(self.resolver.log)
            new_id = self.resolver.split(corpus_id, members, reason)
            self._commit(conn, before, {corpus_id, new_id})
        return new_id

    def undo(self, index: int, reason: str = "user") -> int:
        with self.store.engine.begin() as conn:
            self._begin(conn)
            entry = self.resolver.log[index] if 0 <= index < len(self.resolver.log) else None
            touched: set[str] = set()
            if entry is not None:
                data = entry.data
                touched |= {str(data[k]) for k in ("into", "from") if k in data}
                touched |= {str(d["corpus_id"]) for d in data.get("decisions", ())}
            before = len(self.resolver.log)
            new = self.resolver.undo(index, reason)
            self._commit(conn, before, touched, undone=index)
        return new

    def _commit(self, conn: Connection, before: int, touched: set[str], undone: int | None = None) -> None:
        """Write a correction the resolver has just made (in the caller's transaction, which
        :meth:`_begin` opened: under the lock, with the resolver caught up)."""
        self._sync(conn, touched)
        self._log(conn, before, by="user")
        if undone is not None:
            ids = [r[0] for r in conn.execute(select(s.merges.c.id).order_by(s.merges.c.id))]
            conn.execute(update(s.merges).where(s.merges.c.id == ids[undone]).values(undone=1))

    # -- the store side -------------------------------------------------------------------------------

    def _sync(self, conn: Connection, ids: set[str], *, members: bool = True,
              mention_delta: dict[str, int] | None = None) -> None:
        """Rewrite the rows of these corpus entities from the resolver, and with ``members``
        their members' links too (a merge, split or undo moves members of other documents;
        linking one document moves only its own, which the caller writes). A few statements for
        all of them: linking touches a dozen entities per document, at every document."""
        if not ids:
            return
        e, k = s.entities, s.entity_keys
        gone = sorted(eid for eid in ids if not (eid in self.resolver.entities and self.resolver.entities[eid].members))
        live = sorted(set(ids) - set(gone))
        if gone:
            conn.execute(delete(k).where(k.c.entity_id.in_(gone)))
            conn.execute(update(s.doc_entities).where(s.doc_entities.c.entity_id.in_(gone)).values(entity_id=None))
            conn.execute(delete(e).where(e.c.id.in_(gone)))
            for eid in gone:
                self._keys.pop(eid, None)
        stored = {r[0]: int(r[1]) for r in conn.execute(select(e.c.id, e.c.mentions).where(e.c.id.in_(live)))}
        updates: list[dict[str, Any]] = []
        inserts: list[dict[str, Any]] = []
        rekeyed: list[str] = []
        keys: list[dict[str, str]] = []
        for eid in live:
            ce = self.resolver.entities[eid]
            row: dict[str, Any] = dict(name=ce.name, type=ce.type, documents=len(ce.docs),
                                       aliases=json.dumps(sorted(ce.aliases), ensure_ascii=False))
            if eid in stored and mention_delta is not None:
                # linking one document: add its mentions (summing every member of a hub entity such
                # as a country on each new article would make ingest quadratic)
                row["mentions"] = stored[eid] + mention_delta.get(eid, 0)
            else:
                row["mentions"] = sum(m.mentions for m in ce.members.values())
            if eid in stored:
                updates.append({"eid": eid, **{f"v_{c}": v for c, v in row.items()}})
            else:
                inserts.append({"id": eid, **row})
            wanted = frozenset(name_key(n) for n in (ce.name, *ce.aliases)) - {""}
            if self._keys.get(eid) != wanted:  # keys change only when a name or alias does
                rekeyed.append(eid)
                keys += [{"key": key, "entity_id": eid} for key in sorted(wanted)]
                self._keys[eid] = wanted
        if updates:
            conn.execute(update(e).where(e.c.id == bindparam("eid")).values(
                **{c: bindparam(f"v_{c}") for c in ("name", "type", "documents", "aliases", "mentions")}), updates)
        if inserts:
            conn.execute(insert(e), inserts)
        if rekeyed:
            conn.execute(delete(k).where(k.c.entity_id.in_(rekeyed)))
        if keys:
            conn.execute(insert(k), keys)
        if members:
            moved = [{"d": m.doc, "l": m.id, "eid": eid} for eid in live
                     for m in self.resolver.entities[eid].members.values()]
            if moved:
                conn.execute(update(s.doc_entities).where(and_(
                    s.doc_entities.c.doc_id == bindparam("d"), s.doc_entities.c.local_id == bindparam("l")))
                    .values(entity_id=bindparam("eid")), moved)

    def _log(self, conn: Connection, before: int, *, by: str) -> None:
        for entry in self.resolver.log[before:]:
            data = entry.data
            conn.execute(insert(s.merges).values(
                at=now(), action=entry.op, by=by, entity_id=data.get("into"), other_id=data.get("from"),
                doc_id=data.get("doc"), local_id=None, reason=entry.reason, score=None,
                detail=json.dumps(data, ensure_ascii=False), undone=int(entry.undone)))
        if len(self.resolver.log) > before:
            self._seen = int(conn.execute(select(func.max(s.merges.c.id))).scalar_one() or 0)
