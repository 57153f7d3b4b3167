"""The read queries a browser and a REST client need that the CLI did not: pages of documents
and entities, one document or entity by its id, the home page's summaries, and the actor graph.

Why a module of its own: :mod:`claimgraph.corpus.queries` answers a user's questions (who
says what about whom); this one serves navigation (page 3 of the entities, the document
behind a link), which wants ``offset`` and a total, and ids instead of names. Everything is
SQLAlchemy Core over ``store.engine`` with no dialect-specific SQL, so the web layer runs
unchanged on PostgreSQL (#7).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.sql import Select

from claimgraph.corpus import schema as s
from claimgraph.corpus.profile import entity_profile
from claimgraph.corpus.queries import ENTITY_ID
from claimgraph.corpus.store import Store

#: orders ``list_entities`` knows; the first is its default
ENTITY_ORDERS = ("documents", "mentions", "name")


# -- documents --------------------------------------------------------------------------------------

def _count_in(table: Any) -> Any:
    """A correlated count of a layer's rows for the outer document row (portable SQL: no
    window functions, no dialect aggregates)."""
    return (select(func.count()).select_from(table).where(table.c.doc_id == s.documents.c.id)
            .scalar_subquery())


def list_documents(store: Store, *, limit: int = 50, offset: int = 0, site: str | None = None) -> list[dict[str, Any]]:
    """A page of documents, latest publication first, with how many entities, claims and
    events each holds (what a list needs to show, without reading any article text)."""
    d = s.documents
    query = select(d.c.id, d.c.title, d.c.site, d.c.url, d.c.published, d.c.source,
                   _count_in(s.doc_entities).label("entities"), _count_in(s.claims).label("claims"),
                   _count_in(s.events).label("events"))
    if site is not None:
        query = query.where(d.c.site == site)
    query = query.order_by(d.c.published.is_(None), d.c.published.desc(), d.c.id).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        return [{**dict(r), "entities": int(r["entities"]), "claims": int(r["claims"]), "events": int(r["events"])}
                for r in conn.execute(query).mappings()]


def count_documents(store: Store, site: str | None = None) -> int:
    query = select(func.count()).select_from(s.documents)
    if site is not None:
        query = query.where(s.documents.c.site == site)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def latest_document_ids(store: Store, limit: int) -> list[str]:
    """The ids of the ``limit`` latest documents (by publication date, undated last): one index range."""
    d = s.documents
    with store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(d.c.id).order_by(store.latest_first(d.c.published))
                                           .limit(limit))]


def latest_documents(store: Store, limit: int = 10) -> list[dict[str, Any]]:
    return list_documents(store, limit=limit)


def get_document(store: Store, doc_id: str) -> dict[str, Any] | None:
    """The stored contract object (``claimgraph.document/1``) plus what the store knows about
    where it came from: ``source`` (the input), ``site``, ``ingested_at``, ``pipeline_version``
    as top-level fields (the contract allows added fields)."""
    obj = store.analysis_json(doc_id)
    if obj is None:
        return None
    d = s.documents
    with store.engine.connect() as conn:
        row = conn.execute(select(d.c.source, d.c.site, d.c.ingested_at, d.c.pipeline_version)
                           .where(d.c.id == doc_id)).mappings().one()
    return {**obj, **dict(row)}


#: documents whose sentences are kept in memory (see :func:`sentences`)
SENTENCE_CACHE = 2000
_sentences: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
_sentences_lock = threading.Lock()


def sentences(store: Store, doc_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Per document, its sentences (``{"sentences": [{start, end, text}], "document": {"text"}}``,
    the part of the contract object an event's evidence is cut from): the events map shows a
    sentence for each of hundreds of events, and unpacking each document's whole analysis for
    it was most of that page's time. Kept for the last :data:`SENTENCE_CACHE` documents, keyed
    by document and pipeline version (a document reprocessed by another version is read again)."""
    d = s.documents
    with store.engine.connect() as conn:
        versions = {r[0]: str(r[1]) for r in conn.execute(select(d.c.id, d.c.pipeline_version)
                                                           .where(d.c.id.in_(list(doc_ids))))}
    out: dict[str, dict[str, Any]] = {}
    for doc_id, version in versions.items():
        with _sentences_lock:
            found = _sentences.get((doc_id, version))
            if found is not None:
                _sentences.move_to_end((doc_id, version))
        if found is None:
            obj = store.analysis_json(doc_id)
            if obj is None:
                continue
            sents = [{"start": x["start"], "end": x["end"], "text": x["text"]} for x in obj.get("sentences") or []]
            found = {"sentences": sents, "document": {"text": obj["document"]["text"]}}
            with _sentences_lock:
                _sentences[(doc_id, version)] = found
                while len(_sentences) > SENTENCE_CACHE:
                    _sentences.popitem(last=False)
        out[doc_id] = found
    return out


# -- entities ------------------------------------------------------------------------------------------

def _entity(row: Any) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "type": row["type"], "aliases": json.loads(row["aliases"]),
            "documents": int(row["documents"]), "mentions": int(row["mentions"])}


def _entity_filter(query: Select[Any], q: str | None, type: str | None) -> Select[Any]:
    e = s.entities
    if q:
        # the name or any alias (aliases are a JSON list in a text column: a substring of it is
        # a substring of one alias, or harmlessly of two adjacent ones)
        like = f"%{q}%"
        query = query.where(e.c.name.ilike(like) | e.c.aliases.ilike(like))
    if type:
        query = query.where(e.c.type == type.upper())
    return query


def list_entities(store: Store, *, q: str | None = None, type: str | None = None, limit: int = 50, offset: int = 0,
                  order: str = "documents") -> list[dict[str, Any]]:
    """A page of corpus entities whose name or an alias contains ``q``, of one type, the most
    documented first (or by ``order``: documents | mentions | name)."""
    if order not in ENTITY_ORDERS:
        raise ValueError(f"no order {order!r}; one of {', '.join(ENTITY_ORDERS)}")
    e = s.entities
    keys = {"documents": (e.c.documents.desc(), e.c.mentions.desc()), "mentions": (e.c.mentions.desc(),
            e.c.documents.desc()), "name": (e.c.name,)}[order]
    query = _entity_filter(select(e), q, type).order_by(*keys, e.c.id).limit(limit).offset(offset)
    with store.engine.connect() as conn:
        return [_entity(r) for r in conn.execute(query).mappings()]


def count_entities(store: Store, *, q: str | None = None, type: str | None = None) -> int:
    query = _entity_filter(select(func.count()).select_from(s.entities), q, type)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def entity_by_id(store: Store, entity_id: str) -> dict[str, Any] | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(s.entities).where(s.entities.c.id == entity_id)).mappings().first()
    return _entity(row) if row is not None else None


def entity_documents(store: Store, entity_id: str, limit: int = 100) -> list[dict[str, Any]]:
    """The documents one corpus entity (by id, not by a name two entities may share) appears in."""
    d, ed = s.documents, s.entity_docs
    with store.engine.connect() as conn:  # the latest first, from the kept index: stops after ``limit``
        rows = conn.execute(select(d.c.id, d.c.title, d.c.site, d.c.published, d.c.url)
                            .select_from(ed.join(d, ed.c.doc_id == d.c.id)).where(ed.c.entity_id == entity_id)
                            .order_by(store.latest_first(ed.c.published), ed.c.doc_id.desc())
                            .limit(limit)).mappings().all()
    return [dict(r) for r in rows]


def entity_profile_by_id(store: Store, entity_id: str) -> dict[str, Any] | None:
    """The profile of one corpus entity by its id: two people called Reid each have their own
    (a name would find the more documented one)."""
    return entity_profile(store, entity_id) if ENTITY_ID.fullmatch(entity_id) else None


def top_entities(store: Store, limit: int = 10, type: str | None = None) -> list[dict[str, Any]]:
    """The most-mentioned entities (the home page's actors)."""
    return list_entities(store, type=type, limit=limit, order="mentions")


# -- claims ----------------------------------------------------------------------------------------------

def claims_by_source_type(store: Store) -> dict[str, int]:
    """How many claims rest on each kind of source; ``none`` is the outlet's own assertion."""
    c = s.claims
    with store.engine.connect() as conn:
        rows = conn.execute(select(c.c.source_type, func.count()).group_by(c.c.source_type)
                            .order_by(func.count().desc())).all()
    return {str(k or "none"): int(v) for k, v in rows}


# -- the actor graph ----------------------------------------------------------------------------------

def _neighbours(conn: Any, entity_id: str, limit: int) -> list[str]:
    """The entities sharing most documents with one entity, most shared first: the first rows of
    its range of the kept co-mention counts (:mod:`claimgraph.corpus.aggregates`), however many
    documents it is in."""
    cm = s.co_mentions
    rows = conn.execute(select(cm.c.other_id).where(cm.c.entity_id == entity_id)
                        .order_by(cm.c.documents.desc(), cm.c.other_id).limit(limit)).all()
    return [r[0] for r in rows]


def _most_documented(conn: Any, limit: int, types: set[str] | None) -> list[str]:
    """The ``limit`` most documented entities (of ``types``), most first: read from the kept
    per-entity counts in their index order a batch at a time, so it stops after the first few
    hundred instead of sorting every entity of the corpus."""
    es, e = s.entity_stats, s.entities
    out: list[str] = []
    start, size = 0, max(4 * limit, 100)
    while len(out) < limit:
        batch = [r[0] for r in conn.execute(select(es.c.entity_id).order_by(es.c.documents.desc(), es.c.entity_id)
                                            .offset(start).limit(size))]
        if not batch:
            break
        if types is None:
            out += batch
        else:
            kinds = dict(conn.execute(select(e.c.id, e.c.type).where(e.c.id.in_(batch))).all())
            out += [i for i in batch if kinds.get(i) in types]
        start, size = start + size, size * 2
    return out[:limit]


#: relation ties are counted in the corpus's latest documents, this many: a graph of hubs would
#: otherwise read every relation its entities take part in (#18)
RELATION_DOCUMENTS = 500


def _edges(conn: Any, ids: Sequence[str], max_edges: int, docs: Sequence[str]) -> list[dict[str, Any]]:
    """Relations between these entities (by type) stated in ``docs``, then co-mentions (documents
    in common, over the whole corpus: kept counts), heaviest first, at most ``max_edges``
    co-mention edges so a dense graph stays readable."""
    de, cm = s.doc_entities, s.co_mentions
    co = conn.execute(select(cm.c.entity_id, cm.c.other_id, cm.c.documents)
                      .where(cm.c.entity_id.in_(ids), cm.c.other_id.in_(ids), cm.c.entity_id < cm.c.other_id)
                      .order_by(cm.c.documents.desc(), cm.c.entity_id, cm.c.other_id).limit(max_edges)).all()
    r, subj, obj = s.relations, de.alias("subj"), de.alias("obj")
    joined = (r.join(subj, and_(subj.c.doc_id == r.c.doc_id, subj.c.local_id == r.c.subject_local))
              .join(obj, and_(obj.c.doc_id == r.c.doc_id, obj.c.local_id == r.c.object_local)))
    # driven by the documents: the entity filters are written so SQLite cannot start from a hub's index
    rel = conn.execute(select(subj.c.entity_id, r.c.predicate, obj.c.entity_id, func.count()).select_from(joined)
                       .where(r.c.doc_id.in_(list(docs)), func.coalesce(subj.c.entity_id, "").in_(ids),
                              func.coalesce(obj.c.entity_id, "").in_(ids), subj.c.entity_id != obj.c.entity_id)
                       .group_by(subj.c.entity_id, r.c.predicate, obj.c.entity_id)).all()
    edges = [{"source": src, "target": dst, "kind": "relation", "relation": pred, "weight": int(n)}
             for src, pred, dst, n in rel]
    edges.sort(key=lambda e: (-e["weight"], e["source"], e["target"], e["relation"]))
    edges += [{"source": x, "target": y, "kind": "co-mention", "relation": None, "weight": int(n)} for x, y, n in co]
    return edges


def graph(store: Store, *, entity_id: str | None = None, limit: int = 60,
          types: Sequence[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Actors and how they are tied: the ``limit`` most documented entities of the corpus (of
    ``types``, when given), or one entity and its closest neighbours; edges are relations
    (``kind: relation``, ``relation``: its type; in the latest :data:`RELATION_DOCUMENTS`
    documents) and co-mentions (``weight``: documents in common). An unknown ``entity_id`` gives
    an empty graph."""
    e = s.entities
    with store.engine.connect() as conn:
        if entity_id is None:
            ids = _most_documented(conn, limit, {t.upper() for t in types} if types else None)
        else:
            if conn.execute(select(e.c.id).where(e.c.id == entity_id)).first() is None:
                return {"nodes": [], "edges": []}
            ids = [entity_id, *_neighbours(conn, entity_id, max(limit - 1, 0))]
        if not ids:
            return {"nodes": [], "edges": []}
        rows = {r["id"]: r for r in conn.execute(select(e.c.id, e.c.name, e.c.type, e.c.documents)
                                                 .where(e.c.id.in_(ids))).mappings()}
        edges = _edges(conn, ids, max_edges=limit * 4, docs=latest_document_ids(store, RELATION_DOCUMENTS))
    nodes = [{"id": i, "name": rows[i]["name"], "type": rows[i]["type"], "docs": int(rows[i]["documents"]),
              "center": i == entity_id} for i in ids if i in rows]
    return {"nodes": nodes, "edges": edges}


# -- what a document page and an entity page add ------------------------------------------------------

def entity_links(store: Store, doc_id: str) -> dict[str, str | None]:
    """A document's local entity ids -> the corpus entities they are linked to."""
    de = s.doc_entities
    with store.engine.connect() as conn:
        return {r[0]: r[1] for r in conn.execute(select(de.c.local_id, de.c.entity_id).where(de.c.doc_id == doc_id))}


def entity_geo(store: Store, entity_id: str) -> tuple[float, float] | None:
    """Where a place entity lies (lat, lon), as the gazetteer resolved it in any document."""
    de = s.doc_entities
    with store.engine.connect() as conn:
        row = conn.execute(select(de.c.lat, de.c.lon).where(de.c.entity_id == entity_id, de.c.lat.is_not(None),
                                                             de.c.lon.is_not(None)).limit(1)).first()
    return (float(row[0]), float(row[1])) if row else None
