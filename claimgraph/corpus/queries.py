"""The questions users ask of a corpus, as plain data (dicts and lists) the CLI prints as
tables or JSON and the Python API returns as is."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import case, func, select

from claimgraph.corpus import group_summaries as summaries
from claimgraph.corpus import schema as s
from claimgraph.corpus.filters import SEARCH_HELP as SEARCH_HELP  # the API documents search with it
from claimgraph.corpus.search import search as search  # bounded search: its own module
from claimgraph.corpus.store import Store
from claimgraph.pipeline.names import name_key


def corpus_stats(store: Store) -> dict[str, Any]:
    """Counts of every layer, claims by source type, events by type, and for each outlet the
    share of its claims that rest on anonymous sources."""
    with store.engine.connect() as conn:
        counts = {name: int(conn.execute(select(func.count()).select_from(s.metadata.tables[name])).scalar_one())
                  for name in ("documents", "entities", "claims", "events", "relations", "rejected")}
        by_type: dict[Any, Any] = {r[0]: r[1] for r in conn.execute(
            select(s.claims.c.source_type, func.count()).group_by(s.claims.c.source_type)
            .order_by(func.count().desc()))}
        by_event: dict[Any, Any] = {r[0]: r[1] for r in conn.execute(
            select(s.events.c.type, func.count()).group_by(s.events.c.type).order_by(func.count().desc()))}
        anonymous = func.sum(case((s.claims.c.source_type == "anonymous", 1), else_=0))
        site = func.coalesce(s.documents.c.site, "(unknown)")
        rows = conn.execute(select(site, func.count(), anonymous)
                            .select_from(s.claims.join(s.documents, s.claims.c.doc_id == s.documents.c.id))
                            .group_by(site).order_by(func.count().desc())).all()
    return {
        **counts,
        "claims_by_source_type": {str(k or "none"): int(v) for k, v in by_type.items()},
        "events_by_type": {str(k): int(v) for k, v in by_event.items()},
        "anonymous_by_site": [{"site": r[0], "claims": int(r[1]), "anonymous": int(r[2] or 0),
                               "share": (int(r[2] or 0) / int(r[1])) if r[1] else 0.0} for r in rows],
    }


#: the aliases the claims and events queries join through, made once: an alias built per call
#: rebuilt its column objects and cache keys every time (a good part of an entity page's time)
_SRC, _DM = s.doc_entities.alias("src"), s.doc_entities.alias("dm")
_ACT, _REC, _WHR = s.doc_entities.alias("act"), s.doc_entities.alias("rec"), s.doc_entities.alias("whr")

#: how a corpus entity's id looks (see :meth:`claimgraph.corpus.resolve.EntityResolver._new_id`)
ENTITY_ID = re.compile(r"ce-[0-9a-f]{12}")


# -- finding an entity ------------------------------------------------------------------------------

def find_entities(store: Store, name: str, limit: int = 5) -> list[dict[str, Any]]:
    """Corpus entities a name refers to: by any of their normalised forms, else by a name
    containing it; the most documented first. A corpus id (``ce-…``) names exactly that entity,
    so every question that takes a name can be asked of one entity when several share it."""
    key = name_key(name)
    with store.engine.connect() as conn:
        if ENTITY_ID.fullmatch(name.strip()):
            row = conn.execute(select(s.entities).where(s.entities.c.id == name.strip())).mappings().first()
            if row is not None:
                return [_entity(row)]
        ids = [r[0] for r in conn.execute(select(s.entity_keys.c.entity_id).where(s.entity_keys.c.key == key)
                                          .distinct())]
        query = select(s.entities)
        query = query.where(s.entities.c.id.in_(ids)) if ids else query.where(s.entities.c.name.ilike(f"%{name}%"))
        rows = conn.execute(query.order_by(s.entities.c.documents.desc()).limit(limit)).mappings().all()
    return [_entity(r) for r in rows]


def _entity(row: Any) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "type": row["type"], "aliases": json.loads(row["aliases"]),
            "documents": row["documents"], "mentions": row["mentions"]}


# -- claims and events ----------------------------------------------------------------------------------

#: the claims list's orders: publication date, or the most reported (corroborated) groups first
CLAIM_ORDERS = ("date", "corroboration")


def _claims_query(store: Store, *, source: str | None, about: str | None, source_type: str | None,
                  window: int | None, multi_word: bool, docs: list[str] | None = None) -> Any:
    """The filtered claims with their document and source entity, unordered (what both a page
    of claims and their count start from). ``docs``: only claims of these documents, which then
    drive the query (one slice of an entity's documents, see :func:`claims`)."""

    def in_docs(column: Any, ids: list[str]) -> Any:
        return column.in_(docs) if docs is not None else within(store, column, ids, window)

    bounded = window if docs is None else len(docs)
    c, d, src = s.claims, s.documents, _SRC
    query = (select(c, d.c.site, d.c.published, d.c.title, d.c.url, src.c.entity_id.label("source_entity"))
             .select_from(c.join(d, c.c.doc_id == d.c.id)
                          .outerjoin(src, (src.c.doc_id == c.c.doc_id) & (src.c.local_id == c.c.source_local))))
    if source_type:
        query = query.where(c.c.source_type == source_type)
    if multi_word:  # a one-word "claim" ("yes", a name) is an extraction's leftover, not a statement
        query = query.where(c.c.content.contains(" "))
    if source:
        ids = [e["id"] for e in find_entities(store, source)]
        if ids:  # through the entity (indexed); words only when no entity has that name
            query = query.where(in_docs(c.c.doc_id, ids), entity_in(src.c.entity_id, ids, bounded))
        else:
            query = query.where(c.c.source_text.ilike(f"%{source}%"))
    if about:
        ids = [e["id"] for e in find_entities(store, about)]
        if ids:  # driven by the entity's mentions (few per document), not by every claim of its documents
            m, dm = s.mentions, _DM
            hits = (select(m.c.doc_id, m.c.start, m.c.end)
                    .select_from(m.join(dm, (dm.c.doc_id == m.c.doc_id) & (dm.c.local_id == m.c.local_id)))
                    .where(entity_in(dm.c.entity_id, ids, bounded), in_docs(dm.c.doc_id, ids))
                    .subquery("hits"))
            query = query.join(hits, (hits.c.doc_id == c.c.doc_id) & (hits.c.start >= c.c.start)
                               & (hits.c.end <= c.c.end)).distinct()
        else:
            query = query.where(c.c.content.ilike(f"%{about}%"))
    return query


def claims(store: Store, *, source: str | None = None, about: str | None = None, source_type: str | None = None,
           single_source: bool = False, limit: int = 200, offset: int = 0,
           window: int | None = None, order: str = "date", multi_word: bool = False) -> list[dict[str, Any]]:
    """Claims with their document, filtered by who says them (a corpus entity or source text),
    whom they are about (an entity mentioned in their content), the source's type, and
    whether only one outlet or one source stands behind them; in publication order, or with
    ``order="corroboration"`` the claims most documents report first. ``multi_word`` leaves out
    one-word contents."""
    if order not in CLAIM_ORDERS:
        raise ValueError(f"no order {order!r}; one of {', '.join(CLAIM_ORDERS)}")
    c, d = s.claims, s.documents
    query = _claims_query(store, source=source, about=about, source_type=source_type, window=window,
                          multi_word=multi_word)
    keys: list[Any] = [store.earliest_first(d.c.published), c.c.doc_id, c.c.start]
    if order == "corroboration":
        g = s.claim_groups
        reports = select(g.c.reports).where(g.c.id == c.c.group_id).scalar_subquery()
        keys.insert(0, func.coalesce(reports, 1).desc())
    driver = _driver(store, source, about) if order == "date" and window is None and not single_source else None
    with store.engine.connect() as conn:
        if driver is not None:
            rows = _claims_by_slices(store, conn, driver, keys, offset + limit, source=source, about=about,
                                     source_type=source_type, multi_word=multi_word)[offset:offset + limit]
        else:
            ordered = query.order_by(*keys)
            # single-source is decided per group after the query: read ahead, then page in Python
            ordered = ordered.limit((offset + limit) * 5) if single_source else ordered.offset(offset).limit(limit)
            rows = [dict(r) for r in conn.execute(ordered).mappings()]
        groups = summaries.summarise(conn, {r["group_id"] for r in rows if r["group_id"]})
    out = []
    for r in rows:
        group = groups.get(r["group_id"]) if r["group_id"] else None
        r["outlets"] = group["outlets"] if group else [r["site"]]
        r["one_source"] = group["one_source"] if group else True
        r["reports"] = group["reports"] if group else 1
        if single_source and not (len(set(r["outlets"])) <= 1 or r["one_source"]):
            continue
        out.append(r)
    return out[offset:offset + limit] if single_source else out


#: the first slice of an entity's documents a claims filter reads; each next one is twice as long
FIRST_SLICE = 200


def _driver(store: Store, source: str | None, about: str | None) -> str | None:
    """The one corpus entity a claims filter is about or by (the source when both), or None
    when the name is no entity's or several's (then the filter reads every match at once)."""
    for name in (source, about):
        if name:
            found = find_entities(store, name, limit=2)
            return str(found[0]["id"]) if len(found) == 1 else None
    return None


def _claims_by_slices(store: Store, conn: Any, entity_id: str, keys: list[Any], wanted: int,
                      **filters: Any) -> list[dict[str, Any]]:
    """The first ``wanted`` claims of a filter on one entity, in publication order, read a slice of
    the entity's documents at a time in that order (the kept ``entity_docs`` index: #18) until
    there are enough: the first page of the claims about an entity in thousands of documents
    reads its first few hundred, not all of them. The same rows, in the same order, as the whole
    query: claims are ordered by their document's date and id first, which is the slices' order."""
    ed = s.entity_docs
    order = select(ed.c.doc_id).where(ed.c.entity_id == entity_id).order_by(
        store.earliest_first(ed.c.published), ed.c.doc_id)
    rows: list[dict[str, Any]] = []
    start, size = 0, FIRST_SLICE
    while len(rows) < wanted:
        docs = [r[0] for r in conn.execute(order.offset(start).limit(size))]
        if not docs:
            break
        query = _claims_query(store, window=None, docs=docs, **filters).order_by(*keys)
        rows += [dict(r) for r in conn.execute(query.limit(wanted - len(rows))).mappings()]
        start, size = start + size, size * 2
    return rows


def count_claims(store: Store, *, source: str | None = None, about: str | None = None,
                 source_type: str | None = None, window: int | None = None, multi_word: bool = False) -> int:
    """How many claims :func:`claims` pages through with these filters (single-source is
    decided per group after the query, so it is not counted here)."""
    query = _claims_query(store, source=source, about=about, source_type=source_type, window=window,
                          multi_word=multi_word).subquery("found")
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(query)).scalar_one())


def events(store: Store, *, type: str | None = None, actor: str | None = None, place: str | None = None,
           involving: str | None = None, since: str | None = None, until: str | None = None,
           limit: int = 500, offset: int = 0, window: int | None = None) -> list[dict[str, Any]]:
    """Events, filtered by PLOVER type, actor, place, any participant, and date range
    (ISO prefixes: "2018", "2025-03"); dated events in date order, then undated ones."""
    e, d = s.events, s.documents
    if not (actor or place or involving):
        return _events_by_date(store, type=type, since=since, until=until, wanted=offset + limit)[offset:]
    query = _events_query(store, type=type, actor=actor, place=place, involving=involving, since=since,
                          until=until, window=window)
    query = (query.order_by(e.c.when_value.is_(None), e.c.when_value, store.earliest_first(d.c.published), e.c.start)
             .offset(offset).limit(limit))
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def _events_by_date(store: Store, *, type: str | None, since: str | None, until: str | None,
                    wanted: int) -> list[dict[str, Any]]:
    """The first ``wanted`` events in :func:`events`' order without an entity filter, read from the
    date index (#18): the date of the last one wanted first (an index-only scan that stops
    there), then the events up to that date, joined and ordered — not all of the corpus's events
    joined and sorted for the first page. The same rows in the same order as the single query."""
    e, d = s.events, s.documents
    query = _events_query(store, type=type, actor=None, place=None, involving=None, since=since, until=until,
                          window=None)
    dated: list[Any] = [e.c.when_value.is_not(None)]
    if type:
        dated.append(e.c.type == type.upper())
    if since:
        dated.append(e.c.when_value >= since)
    if until:
        dated.append(e.c.when_value < _after(until))
    with store.engine.connect() as conn:
        cut = conn.execute(select(e.c.when_value).where(*dated).order_by(e.c.when_value)
                           .offset(wanted - 1).limit(1)).scalar()
        first = query.where(e.c.when_value.is_not(None))
        if cut is not None:
            first = first.where(e.c.when_value <= cut)
        rows = [dict(r) for r in conn.execute(first.order_by(e.c.when_value, store.earliest_first(d.c.published),
                                                             e.c.start).limit(wanted)).mappings()]
        if len(rows) < wanted:
            rest = query.where(e.c.when_value.is_(None)).order_by(store.earliest_first(d.c.published), e.c.start)
            rows += [dict(r) for r in conn.execute(rest.limit(wanted - len(rows))).mappings()]
    return rows


def event_buckets(store: Store, *, width: int, at: str = "",
                  type: str | None = None) -> tuple[dict[str, dict[str, int]], int]:
    """Events counted per date prefix of ``width`` characters (4: years, 7: months, 10: days) and
    type, within the period ``at`` (an ISO prefix, "" for all), over the whole corpus from the
    type-and-date index; and how many events have no date. What the events page's timeline draws
    (#18: it counted the 5,000 rows it had read)."""
    e = s.events
    bucket = func.substr(e.c.when_value, 1, width)
    query = select(bucket, e.c.type, func.count()).where(e.c.when_value.is_not(None),
                                                        func.length(e.c.when_value) >= width)
    undated = select(func.count()).select_from(e).where(e.c.when_value.is_(None))
    if at:
        query = query.where(e.c.when_value >= at, e.c.when_value < _after(at))
    if type:
        query = query.where(e.c.type == type.upper())
        undated = undated.where(e.c.type == type.upper())
    counts: dict[str, dict[str, int]] = {}
    with store.engine.connect() as conn:
        for key, kind, n in conn.execute(query.group_by(bucket, e.c.type)):
            counts.setdefault(str(key), {})[str(kind)] = int(n)
        return counts, int(conn.execute(undated).scalar_one())


def count_events(store: Store, *, type: str | None = None, actor: str | None = None, place: str | None = None,
                 involving: str | None = None, since: str | None = None, until: str | None = None,
                 window: int | None = None) -> int:
    """How many events :func:`events` pages through with these filters."""
    query = _events_query(store, type=type, actor=actor, place=place, involving=involving, since=since,
                          until=until, window=window).subquery("found")
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(query)).scalar_one())


def _events_query(store: Store, *, type: str | None, actor: str | None, place: str | None, involving: str | None,
                  since: str | None, until: str | None, window: int | None) -> Any:
    """The filtered events with their document and linked participants, unordered."""
    e, d = s.events, s.documents
    act, rec, whr = _ACT, _REC, _WHR
    query = (select(e, d.c.site, d.c.published, d.c.title, d.c.url, act.c.entity_id.label("actor_entity"),
                    rec.c.entity_id.label("recipient_entity"), whr.c.entity_id.label("where_entity"),
                    whr.c.lat, whr.c.lon)
             .select_from(e.join(d, e.c.doc_id == d.c.id)
                          .outerjoin(act, (act.c.doc_id == e.c.doc_id) & (act.c.local_id == e.c.actor_local))
                          .outerjoin(rec, (rec.c.doc_id == e.c.doc_id) & (rec.c.local_id == e.c.recipient_local))
                          .outerjoin(whr, (whr.c.doc_id == e.c.doc_id) & (whr.c.local_id == e.c.where_local))))
    if type:
        query = query.where(e.c.type == type.upper())
    if actor:
        ids = [x["id"] for x in find_entities(store, actor)]
        query = query.where(e.c.doc_id.in_(docs_of(ids)), act.c.entity_id.in_(ids)) if ids \
            else query.where(e.c.actor_text.ilike(f"%{actor}%"))
    if place:
        ids = [x["id"] for x in find_entities(store, place)]
        query = query.where(e.c.doc_id.in_(docs_of(ids)), whr.c.entity_id.in_(ids)) if ids \
            else query.where(e.c.where_text.ilike(f"%{place}%"))
    if involving:
        ids = [x["id"] for x in find_entities(store, involving)]
        query = query.where(within(store, e.c.doc_id, ids, window),
                            entity_in(act.c.entity_id, ids, window) | entity_in(rec.c.entity_id, ids, window)
                            | entity_in(whr.c.entity_id, ids, window))
    if since:
        query = query.where(e.c.when_value >= since)
    if until:
        query = query.where(e.c.when_value < _after(until))
    return query


def docs_of(ids: list[str], window: int | None = None, store: Store | None = None) -> Any:
    """The documents that mention any of these corpus entities (by the entity index): every
    per-entity filter starts here, so it costs what the entity has, not what the corpus has.
    With ``window``, only its latest documents: a profile of an entity in tens of thousands of
    articles (a country) shows its recent ones and stays fast; ``store`` orders its undated
    documents last on PostgreSQL as on SQLite."""
    de = s.doc_entities
    query = select(de.c.doc_id).where(de.c.entity_id.in_(ids))
    if window is not None:  # the document's date sits on the entity row: one index seek per entity
        newest = store.latest_first(de.c.published) if store is not None else de.c.published.desc()
        query = query.order_by(newest).limit(window)
    return query


def within(store: Store, column: Any, ids: list[str], window: int | None) -> Any:
    """``column IN`` the entity's documents. With a window the (bounded) list of ids is fetched
    first, so the database seeks each document by its key instead of scanning the table and
    testing membership, which it may choose for a subquery."""
    if window is None:
        return column.in_(docs_of(ids))
    with store.engine.connect() as conn:
        doc_ids = [r[0] for r in conn.execute(docs_of(ids, window, store))]
    return column.in_(doc_ids)


def entity_in(column: Any, ids: list[str], window: int | None) -> Any:
    """``column IN ids``; with a window, written so that SQLite cannot drive the query from the
    entity index. Its planner has no per-value statistics and takes ``entity_id = X`` for a few
    rows, so a hub entity in tens of thousands of documents was read whole instead of through
    the window's few hundred documents (a profile took 0.8 s instead of 0.1 s at 50k documents).
    The same value either way; PostgreSQL plans from its own statistics."""
    if window is None:
        return column.in_(ids)
    return func.coalesce(column, "").in_(ids)


def _after(prefix: str) -> str:
    """The smallest ISO string after every date with this prefix ("2018" -> "2018\\uffff")."""
    return prefix + "\uffff"


def timeline(store: Store, name: str, limit: int = 500, window: int | None = None) -> list[dict[str, Any]]:
    """Every event an entity takes part in (as actor, recipient or place), in date order."""
    return events(store, involving=name, limit=limit, window=window)


def corroboration(store: Store, limit: int = 30) -> list[dict[str, Any]]:
    """Claim groups reported by two or more documents: what is said, by which outlets, first
    when, and whether every report rests on one source (or only anonymous ones)."""
    g = s.claim_groups
    with store.engine.connect() as conn:
        gids = [r[0] for r in conn.execute(select(g.c.id).where(g.c.reports > 1)
                                           .order_by(g.c.reports.desc(), g.c.id).limit(limit))]
        groups = summaries.summarise(conn, gids)
    return [{"group": gid, "content": groups[gid]["content"], "source": groups[gid]["source_text"],
             "reports": groups[gid]["reports"], "outlets": groups[gid]["outlets"], "first": groups[gid]["first"],
             "one_source": groups[gid]["one_source"]} for gid in gids]


def event_groups(store: Store, limit: int = 40) -> list[dict[str, Any]]:
    """Events reported by two or more documents, in date order."""
    e, d = s.events, s.documents
    with store.engine.connect() as conn:
        sites = func.distinct(func.coalesce(d.c.site, "?"))
        # the outlets as one comma-separated string: SQLite's group_concat, PostgreSQL's string_agg
        outlets = func.group_concat(sites) if store.sqlite else func.string_agg(sites, ",")
        rows = conn.execute(select(e.c.group_id, func.min(e.c.when_value), func.min(e.c.type), func.count(),
                                   outlets,
                                   func.min(e.c.where_text), func.min(e.c.actor_text), func.min(e.c.trigger))
                            .select_from(e.join(d, e.c.doc_id == d.c.id)).where(e.c.group_id.is_not(None))
                            .group_by(e.c.group_id).having(func.count() > 1)
                            .order_by(func.min(e.c.when_value), e.c.group_id).limit(limit)).all()
    return [{"group": r[0], "date": r[1], "type": r[2], "reports": int(r[3]), "outlets": r[4], "where": r[5],
             "actor": r[6], "trigger": r[7]} for r in rows]


def merged_entities(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The corpus entities found in most documents, with the names they go by."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(s.entities).order_by(s.entities.c.documents.desc()).limit(limit)).mappings().all()
    return [_entity(r) for r in rows]
