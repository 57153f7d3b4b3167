"""The resolver's corpus in the store (#18): what :class:`~claimgraph.corpus.resolve.EntityResolver`
decides by, read per document from indexed tables instead of held in memory.

The linker of schema 2 rebuilt the whole resolver (every linked document entity) when it
started: half a minute and 600 MB at 10,000 documents, linear in the corpus. The decisions
need far less: the corpus entities filed under the keys one document probes (and how many
share each key), each candidate's name, type, aliases and document count, and two numbers per
candidate — how many of the document's names its articles co-mention, how often it was written
by a name. :mod:`claimgraph.corpus.schema` keeps these in ``resolver_keys`` (with
``resolver_key_counts``), ``resolver_tallies`` and ``resolver_entities``, written as each
document is linked.

:class:`StoreResolver` is the in-memory resolver with its lookups answered from those tables
for one document, inside the link transaction, and its changes written back at the end of it:
the same decision code, so the same decisions. Corrections (merge, split, undo) load the
entities they touch with every member (:class:`LoadedResolver`), run the in-memory operation
and rewrite those entities' rows (:func:`write_state`); the schema migration builds the tables
the same way for a store linked before them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from claimgraph.corpus import schema as s
from claimgraph.corpus.resolve import MAX_HITS, CorpusEntity, DocEntity, EntityResolver
from claimgraph.corpus.resolve_keys import filed_keys, probes, type_group
from claimgraph.pipeline.names import name_key

#: ids per ``IN (...)`` list (SQLite allows 32,766 variables; PostgreSQL's plans prefer fewer)
CHUNK = 500
#: documents per batch when the migration builds the tables
BUILD_BATCH = 1000


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def members_of(conn: Connection, where: Any) -> dict[str, list[tuple[DocEntity, str | None]]]:
    """Document entities (with each one's co-mentioned names) by document in document order,
    and their corpus ids."""
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


def member_tallies(ent: DocEntity) -> list[tuple[str, str]]:
    """(kind, key) of what one member adds to its corpus entity's ``resolver_tallies`` (each once,
    as :meth:`CorpusEntity.add` counts them)."""
    out = [("co", k) for k in sorted({name_key(n) for n in ent.cooccurring})]
    out += [("form", k) for k in sorted({name_key(n) for n in (ent.name, *ent.aliases)})]
    out.append(("name", ent.name))
    out += [("alias", a) for a in sorted(set(ent.aliases))]
    return out


def _upsert_add(conn: Connection, table: Table, rows: list[dict[str, Any]], keys: tuple[str, ...],
                column: str) -> None:
    """Insert rows, or add their ``column`` to the rows already there (one statement for all)."""
    if not rows:
        return
    ins = sqlite_insert(table) if conn.dialect.name == "sqlite" else pg_insert(table)
    conn.execute(ins.on_conflict_do_update(index_elements=list(keys),
                                           set_={column: table.c[column] + ins.excluded[column]}), rows)


def _count_keys(conn: Connection, deltas: Counter[str]) -> None:
    """Move ``resolver_key_counts`` by these deltas; a key no entity holds any more goes."""
    changed = {k: n for k, n in deltas.items() if n}
    t = s.resolver_key_counts
    _upsert_add(conn, t, [{"key": k, "entities": n} for k, n in sorted(changed.items())], ("key",), "entities")
    dropped = sorted(k for k, n in changed.items() if n < 0)
    for part in _chunks(dropped):
        conn.execute(delete(t).where(and_(t.c.key.in_(part), t.c.entities <= 0)))


def _entity_key_rows(eid: str, name: str, aliases: Iterable[str]) -> list[dict[str, str]]:
    """``entity_keys``: the normalised names a corpus entity is found by (lookups by name)."""
    return [{"key": k, "entity_id": eid} for k in sorted({name_key(n) for n in (name, *aliases)} - {""})]


class StoreResolver(EntityResolver):
    """The resolver for one document's link, its corpus read from the store through ``conn``
    (the link transaction, under the link lock) and written back by :meth:`flush`.

    Holds the candidates of one document, never the corpus. Only :meth:`resolve` is meant to be
    called; corrections go through :class:`LoadedResolver`."""

    def __init__(self, conn: Connection) -> None:
        super().__init__()
        self.conn = conn
        #: documents per loaded corpus entity (``entities.documents``)
        self._docs_n: dict[str, int] = {}
        #: as stored: (name, aliases, mentions) per loaded entity, None for one made here
        self._stored: dict[str, tuple[str, frozenset[str], int] | None] = {}
        #: per probed key, how many entities hold it, and the ids where few enough do
        self._counts: dict[str, int] = {}
        self._ids: dict[str, list[str]] = {}
        #: members attached in this document, per corpus entity, and the keys to file and unfile
        self._attached: dict[str, list[DocEntity]] = {}
        self._file: dict[str, set[str]] = defaultdict(set)
        self._unfile: dict[str, set[str]] = defaultdict(set)

    def know(self, linked: dict[str, str]) -> None:
        """Members of the document already linked (``doc#id`` -> corpus id): "already resolved"."""
        self._where.update(linked)

    # -- reading ---------------------------------------------------------------------------------

    def _load(self, ids: Iterable[str]) -> None:
        want = sorted(set(ids) - self.entities.keys())
        e, r = s.entities, s.resolver_entities
        for part in _chunks(want):
            weights = {row[0]: json.loads(row[1]) for row in self.conn.execute(
                select(r.c.entity_id, r.c.type_weights).where(r.c.entity_id.in_(part)))}
            for row in self.conn.execute(select(e.c.id, e.c.name, e.c.type, e.c.aliases, e.c.documents,
                                                e.c.mentions).where(e.c.id.in_(part))):
                aliases = frozenset(json.loads(row.aliases))
                self.entities[row.id] = CorpusEntity(row.id, row.name, row.type, set(aliases),
                                                     type_weights=Counter(weights.get(row.id, {row.type: 1})))
                self._docs_n[row.id] = int(row.documents)
                self._stored[row.id] = (row.name, aliases, int(row.mentions))

    def _prepare(self, entities: Sequence[DocEntity]) -> None:
        """Read, for every key the document probes, how many entities hold it, the ids where few
        enough do, and those entities (plus the ones its linked members belong to)."""
        keys = sorted({p.key for ent in entities for p in probes(ent.name, ent.aliases, ent.type)})
        t, k = s.resolver_key_counts, s.resolver_keys
        self._counts = dict.fromkeys(keys, 0)
        for part in _chunks(keys):
            self._counts.update({row[0]: int(row[1]) for row in self.conn.execute(
                select(t.c.key, t.c.entities).where(t.c.key.in_(part)))})
        few = [key for key in keys if 0 < self._counts[key] <= MAX_HITS]
        ids: dict[str, list[str]] = defaultdict(list)
        for part in _chunks(few):
            for row in self.conn.execute(select(k.c.key, k.c.entity_id).where(k.c.key.in_(part))):
                ids[row[0]].append(row[1])
        self._ids = {key: sorted(v) for key, v in ids.items()}
        self._load({cid for v in self._ids.values() for cid in v} | set(self._where.values()))

    def _candidates_found(self) -> None:
        # later lookups (an exact name across types) read the store as it is now
        self._counts, self._ids = {}, {}

    def _hits(self, key: str, limit: int | None) -> Collection[str] | None:
        if key in self._counts:
            n = self._counts[key]
            if limit is not None and n > limit:
                return None
            if n == 0 or key in self._ids:
                return self._ids.get(key, [])
        row = self.conn.execute(select(s.resolver_key_counts.c.entities)
                                .where(s.resolver_key_counts.c.key == key)).first()
        if limit is not None and row is not None and int(row[0]) > limit:
            return None
        k = s.resolver_keys
        found = sorted(r[0] for r in self.conn.execute(select(k.c.entity_id).where(k.c.key == key)))
        self._load(found)
        return [cid for cid in found if cid in self.entities]

    def _shared(self, cid: str, context: set[str]) -> int:
        if not context:
            return 0
        t = s.resolver_tallies
        n = 0
        for part in _chunks(sorted(context)):
            n += len(self.conn.execute(select(t.c.key).where(and_(
                t.c.entity_id == cid, t.c.kind == "co", t.c.key.in_(part)))).all())
        return n

    def _form_count(self, cid: str, key: str) -> int:
        t = s.resolver_tallies
        row = self.conn.execute(select(t.c.n).where(and_(t.c.entity_id == cid, t.c.kind == "form",
                                                         t.c.key == key))).first()
        return int(row[0]) if row else 0

    def _doc_count(self, cid: str) -> int:
        return self._docs_n[cid]

    def _exists(self, cid: str) -> bool:
        if cid in self.entities:
            return True
        return self.conn.execute(select(s.entities.c.id).where(s.entities.c.id == cid)).first() is not None

    # -- changing ---------------------------------------------------------------------------------

    def _add_entity(self, corpus_id: str) -> None:
        self.entities[corpus_id] = CorpusEntity(corpus_id)
        self._docs_n[corpus_id] = 0
        self._stored[corpus_id] = None

    def _attach(self, ent: DocEntity, corpus_id: str) -> None:
        """What :meth:`EntityResolver._attach` does, against the stored entity: the member joins,
        the derived fields move, and the keys it brings are filed — all of them again when the
        entity's canonical name or type group changed."""
        ce = self.entities[corpus_id]
        before = (ce.name, type_group(ce.type)) if self._docs_n[corpus_id] else None
        ce.add(ent)
        ce.members.clear()  # the member is written, not kept
        self._docs_n[corpus_id] += 1  # a document never has two members in one entity (see ``resolve``)
        self._where[ent.key] = corpus_id
        self._attached.setdefault(corpus_id, []).append(ent)
        k, t = s.resolver_keys, s.resolver_tallies
        if before != (ce.name, type_group(ce.type)):
            forms: dict[str, set[str]] = {"name": {ent.name}, "alias": set(ent.aliases)}
            if self._stored[corpus_id] is not None:
                for row in self.conn.execute(select(t.c.kind, t.c.key).where(and_(
                        t.c.entity_id == corpus_id, t.c.kind.in_(("name", "alias"))))):
                    forms[row[0]].add(row[1])
            wanted = filed_keys(ce.name, ce.type, sorted(forms["name"]), sorted(forms["alias"]))
            filed = {r[0] for r in self.conn.execute(select(k.c.key).where(k.c.entity_id == corpus_id))}
            self._file[corpus_id] = wanted - filed
            self._unfile[corpus_id] = filed - wanted
            return
        keys = filed_keys(ce.name, ce.type, [ent.name], ent.aliases)
        filed = {r[0] for part in _chunks(sorted(keys)) for r in self.conn.execute(
            select(k.c.key).where(and_(k.c.entity_id == corpus_id, k.c.key.in_(part))))}
        self._file[corpus_id] |= keys - filed

    def flush(self) -> None:
        """Write what this document changed: the corpus entities it touched (``entities`` and
        ``entity_keys``, as the linker always did) and the resolver's tables."""
        if not self._attached:
            return
        conn, e = self.conn, s.entities
        updates: list[dict[str, Any]] = []
        inserts: list[dict[str, Any]] = []
        rekeyed: list[str] = []
        names: list[dict[str, str]] = []
        tallies: Counter[tuple[str, str, str]] = Counter()
        weights: list[dict[str, str]] = []
        deltas: Counter[str] = Counter()
        filed: list[dict[str, str]] = []
        unfiled: list[dict[str, str]] = []
        for cid in sorted(self._attached):
            ce, attached, stored = self.entities[cid], self._attached[cid], self._stored[cid]
            row: dict[str, Any] = dict(name=ce.name, type=ce.type, documents=self._docs_n[cid],
                                       aliases=json.dumps(sorted(ce.aliases), ensure_ascii=False),
                                       mentions=(stored[2] if stored else 0) + sum(m.mentions for m in attached))
            if stored is None:
                inserts.append({"id": cid, **row})
            else:
                updates.append({"eid": cid, **{f"v_{c}": v for c, v in row.items()}})
            if stored is None or (stored[0], stored[1]) != (ce.name, frozenset(ce.aliases)):
                rekeyed.append(cid)
                names += _entity_key_rows(cid, ce.name, ce.aliases)
            for m in attached:
                tallies.update((cid, kind, key) for kind, key in member_tallies(m))
            weights.append({"entity_id": cid, "type_weights": json.dumps(dict(ce.type_weights), ensure_ascii=False)})
            filed += [{"key": key, "entity_id": cid} for key in sorted(self._file.get(cid, ()))]
            unfiled += [{"k": key, "eid": cid} for key in sorted(self._unfile.get(cid, ()))]
            deltas.update(self._file.get(cid, ()))
            deltas.subtract(self._unfile.get(cid, ()))
        if updates:
            conn.execute(update(e).where(e.c.id == bindparam("eid")).values(
                **{c: bindparam(f"v_{c}") for c in ("name", "type", "documents", "aliases", "mentions")}), updates)
        if inserts:
            conn.execute(insert(e), inserts)
        if rekeyed:
            conn.execute(delete(s.entity_keys).where(s.entity_keys.c.entity_id.in_(rekeyed)))
        if names:
            conn.execute(insert(s.entity_keys), names)
        _upsert_add(conn, s.resolver_tallies, [{"entity_id": c, "kind": kd, "key": ky, "n": n}
                                               for (c, kd, ky), n in sorted(tallies.items())],
                    ("entity_id", "kind", "key"), "n")
        r = s.resolver_entities
        ins = sqlite_insert(r) if conn.dialect.name == "sqlite" else pg_insert(r)
        conn.execute(ins.on_conflict_do_update(index_elements=["entity_id"],
                                               set_={"type_weights": ins.excluded.type_weights}), weights)
        k = s.resolver_keys
        if unfiled:
            conn.execute(delete(k).where(and_(k.c.key == bindparam("k"), k.c.entity_id == bindparam("eid"))), unfiled)
        if filed:
            conn.execute(insert(k), filed)
        _count_keys(conn, deltas)
        self._attached.clear()
        self._file.clear()
        self._unfile.clear()


class LoadedResolver(EntityResolver):
    """Some corpus entities with every member, read from the store, for a correction (merge,
    split, undo) or the migration: the in-memory operations run on them, and
    :func:`write_state` writes them back. New ids are checked against the whole store."""

    def __init__(self, conn: Connection, ids: Collection[str]) -> None:
        super().__init__()
        self.conn = conn
        #: every member these entities had when loaded (``doc#id``)
        self.loaded: set[str] = set()
        wanted = set(ids)
        de = s.doc_entities
        docs = select(de.c.doc_id).where(de.c.entity_id.in_(sorted(wanted))).distinct().scalar_subquery()
        for members in members_of(conn, de.c.doc_id.in_(docs)).values():
            for m, eid in members:
                if eid is None or eid not in wanted:
                    continue
                if eid not in self.entities:
                    self._add_entity(eid)
                self._attach(m, eid)
                self.loaded.add(m.key)

    def _exists(self, cid: str) -> bool:
        return cid in self.entities or \
            self.conn.execute(select(s.entities.c.id).where(s.entities.c.id == cid)).first() is not None

    def filed(self, cid: str) -> set[str]:
        return self._filed.get(cid, set())


def write_state(conn: Connection, resolver: LoadedResolver, ids: Collection[str], *, members: bool = True) -> None:
    """Rewrite these corpus entities from ``resolver`` (which holds every member of each): their
    ``entities`` and ``entity_keys`` rows, their rows in the resolver's tables, and with
    ``members`` their members' links (a merge, split or undo moves members of other documents;
    a member no entity holds any more is unlinked). An entity left without members is deleted."""
    ids = sorted(ids)
    e, k, t, r = s.entities, s.resolver_keys, s.resolver_tallies, s.resolver_entities
    deltas: Counter[str] = Counter()
    for part in _chunks(ids):
        deltas.subtract(row[0] for row in conn.execute(select(k.c.key).where(k.c.entity_id.in_(part))))
        for table in (k, t, r):
            conn.execute(delete(table).where(table.c.entity_id.in_(part)))
        conn.execute(delete(s.entity_keys).where(s.entity_keys.c.entity_id.in_(part)))
    gone = [eid for eid in ids if not (eid in resolver.entities and resolver.entities[eid].members)]
    live = [eid for eid in ids if eid not in set(gone)]
    for part in _chunks(gone):
        conn.execute(update(s.doc_entities).where(s.doc_entities.c.entity_id.in_(part)).values(entity_id=None))
        conn.execute(delete(e).where(e.c.id.in_(part)))
    stored = {row[0] for part in _chunks(live) for row in conn.execute(select(e.c.id).where(e.c.id.in_(part)))}
    rows: list[dict[str, Any]] = []
    names: list[dict[str, str]] = []
    tallies: list[dict[str, Any]] = []
    weights: list[dict[str, str]] = []
    filed: list[dict[str, str]] = []
    for eid in live:
        ce = resolver.entities[eid]
        rows.append(dict(id=eid, name=ce.name, type=ce.type, documents=len(ce.docs),
                         aliases=json.dumps(sorted(ce.aliases), ensure_ascii=False),
                         mentions=sum(m.mentions for m in ce.members.values())))
        names += _entity_key_rows(eid, ce.name, ce.aliases)
        counts: Counter[tuple[str, str]] = Counter()
        for m in ce.members.values():
            counts.update(member_tallies(m))
        tallies += [{"entity_id": eid, "kind": kd, "key": ky, "n": n} for (kd, ky), n in sorted(counts.items())]
        weights.append({"entity_id": eid, "type_weights": json.dumps(dict(ce.type_weights), ensure_ascii=False)})
        keys = resolver.filed(eid)
        filed += [{"key": key, "entity_id": eid} for key in sorted(keys)]
        deltas.update(keys)
    updates = [{"eid": row["id"], **{f"v_{c}": v for c, v in row.items() if c != "id"}}
               for row in rows if row["id"] in stored]
    if updates:
        conn.execute(update(e).where(e.c.id == bindparam("eid")).values(
            **{c: bindparam(f"v_{c}") for c in ("name", "type", "documents", "aliases", "mentions")}), updates)
    inserts = [row for row in rows if row["id"] not in stored]
    for table, batch in ((e, inserts), (s.entity_keys, names), (t, tallies), (r, weights), (k, filed)):
        for part in _chunks(batch, 5000):
            conn.execute(insert(table), list(part))
    _count_keys(conn, deltas)
    if members:
        moved = [{"d": m.doc, "l": m.id, "eid": eid} for eid in live for m in resolver.entities[eid].members.values()]
        held = {m["d"] + "#" + m["l"] for m in moved}
        freed = [{"d": key.split("#", 1)[0], "l": key.split("#", 1)[1]} for key in sorted(resolver.loaded - held)]
        de = s.doc_entities
        where = and_(de.c.doc_id == bindparam("d"), de.c.local_id == bindparam("l"))
        if moved:
            conn.execute(update(de).where(where).values(entity_id=bindparam("eid")), moved)
        if freed:
            conn.execute(update(de).where(where).values(entity_id=None, link_reason=None, link_score=None), freed)


def build_index(conn: Connection) -> int:
    """Fill the resolver's tables from the linked document entities of a store made before them
    (the migration to schema 4); returns how many corpus entities were filed.

    Members are taken in document order, as the linker of schema 2 rebuilt its resolver, so each
    entity's canonical name and type come out as that linker had them. Documents are read a batch
    at a time and the tallies summed in the database; what stays in memory per corpus entity is
    its name, type weights and aliases, not its members."""
    de = s.doc_entities
    entities: dict[str, CorpusEntity] = {}
    docs_n: Counter[str] = Counter()
    last_doc: dict[str, str] = {}
    mentions: Counter[str] = Counter()
    doc_ids = [r[0] for r in conn.execute(select(de.c.doc_id).where(de.c.entity_id.is_not(None))
                                          .distinct().order_by(de.c.doc_id))]
    for part in _chunks(doc_ids, BUILD_BATCH):
        tallies: Counter[tuple[str, str, str]] = Counter()
        for members in members_of(conn, de.c.doc_id.in_(list(part))).values():
            for m, eid in members:
                if eid is None:
                    continue
                ce = entities.setdefault(eid, CorpusEntity(eid))
                ce.add(m)
                ce.members.clear()
                ce.docs.clear()
                ce.cooccurring.clear()
                ce.forms.clear()
                ce.roles.clear()
                if last_doc.get(eid) != m.doc:  # a merge may have put two members of one document in it
                    docs_n[eid] += 1
                    last_doc[eid] = m.doc
                mentions[eid] += m.mentions
                tallies.update((eid, kind, key) for kind, key in member_tallies(m))
        for rows in _chunks([{"entity_id": c, "kind": kd, "key": ky, "n": n}
                             for (c, kd, ky), n in sorted(tallies.items())], 5000):
            _upsert_add(conn, s.resolver_tallies, list(rows), ("entity_id", "kind", "key"), "n")
    t, e = s.resolver_tallies, s.entities
    deltas: Counter[str] = Counter()
    for part in _chunks(sorted(entities)):
        forms: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"name": set(), "alias": set()})
        for row in conn.execute(select(t.c.entity_id, t.c.kind, t.c.key).where(and_(
                t.c.entity_id.in_(part), t.c.kind.in_(("name", "alias"))))):
            forms[row[0]][row[1]].add(row[2])
        stored = {row[0]: (row[1], row[2]) for row in conn.execute(select(e.c.id, e.c.name, e.c.type)
                                                                   .where(e.c.id.in_(part)))}
        filed, weights, rows, names = [], [], [], []
        for eid in part:
            ce = entities[eid]
            _keep_stored(ce, stored.get(eid), forms[eid]["name"] | forms[eid]["alias"])
            keys = filed_keys(ce.name, ce.type, sorted(forms[eid]["name"]), sorted(forms[eid]["alias"]))
            filed += [{"key": key, "entity_id": eid} for key in sorted(keys)]
            deltas.update(keys)
            weights.append({"entity_id": eid, "type_weights": json.dumps(dict(ce.type_weights), ensure_ascii=False)})
            rows.append({"eid": eid, "v_name": ce.name, "v_type": ce.type, "v_documents": docs_n[eid],
                         "v_aliases": json.dumps(sorted(ce.aliases), ensure_ascii=False),
                         "v_mentions": mentions[eid]})
            names += _entity_key_rows(eid, ce.name, ce.aliases)
        if filed:
            conn.execute(insert(s.resolver_keys), filed)
        conn.execute(insert(s.resolver_entities), weights)
        # the entities' rows as that linker would have rewritten them at their next link
        conn.execute(update(e).where(e.c.id == bindparam("eid")).values(
            **{c: bindparam(f"v_{c}") for c in ("name", "type", "documents", "aliases", "mentions")}), rows)
        conn.execute(delete(s.entity_keys).where(s.entity_keys.c.entity_id.in_(list(part))))
        if names:
            conn.execute(insert(s.entity_keys), names)
    _count_keys(conn, deltas)
    return len(entities)


def _keep_stored(ce: CorpusEntity, stored: tuple[str, str] | None, forms: set[str]) -> None:
    """Where members in document order tie differently from the order they were linked in ("Mohammed
    Idris Ghazanfar" and "Mohammad Idris Ghazanfar" are equally good names), keep the name and type
    the store shows, which the linker chose in linking order."""
    if stored is None:
        return
    name, entity_type = stored
    if name in forms and name != ce.name:
        ce.name = name
        ce.aliases = forms - {name, ""}
    weight = ce.type_weights.get(entity_type, 0)
    if entity_type != ce.type and weight and weight == max(ce.type_weights.values()):
        ce.type_weights = Counter({entity_type: weight, **{k: v for k, v in ce.type_weights.items()
                                                           if k != entity_type}})
        ce.type = entity_type


def rebuild_index(conn: Connection) -> int:
    """Empty the resolver's tables and build them again from the linked document entities (after
    a reprocess has re-written documents, whose old members left their entities)."""
    for table in s.RESOLVER_TABLES:
        conn.execute(delete(table))
    return build_index(conn)


__all__ = ["LoadedResolver", "StoreResolver", "build_index", "member_tallies", "members_of", "rebuild_index",
           "write_state"]
