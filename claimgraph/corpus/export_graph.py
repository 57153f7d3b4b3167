"""Graph and interchange exports: GEXF and GraphML (Gephi), FollowTheMoney entity JSON lines,
GeoJSON of events with places.

The graph has one node per corpus entity (type, documents, mentions) and four kinds of edge,
told apart by the edge attribute ``kind``:

- ``relation``: subject -> object (predicate, documents, evidence);
- ``event``: actor -> target, one edge per event, with its PLOVER ``event_type``, ``date``,
  ``place``, the outlet (``site``), the document and the source of the claim it is reported in;
- ``claim``: source -> an entity the claim's content mentions, one edge per claim, with its date,
  outlet, document and words;
- ``co-mention``: entities in the same document, weighted by how many documents. These are
  undirected: written once per pair (the lower id first) with ``directed="false"`` — a GEXF
  file holds one edge direction for the whole graph when networkx reads it back, so the
  attribute says it (every other edge has ``directed="true"``).

networkx writes the XML formats. Attributes are never null (an empty string instead): GEXF and
GraphML declare one type per attribute.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import combinations
from pathlib import Path
from typing import IO, Any

import networkx as nx
from sqlalchemy import and_, func, select

from claimgraph.corpus import schema as s
from claimgraph.corpus.store import Store

Destination = Path | IO[str]
#: co-mention edges are kept for pairs seen in at least this many documents
MIN_COMENTIONS = 1


def corpus_graph(store: Store) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    de = s.doc_entities
    with store.engine.connect() as conn:
        for r in conn.execute(select(s.entities)).mappings():
            graph.add_node(r["id"], label=r["name"], type=r["type"], documents=int(r["documents"]),
                           mentions=int(r["mentions"]))
        by_doc: dict[str, set[str]] = {}
        for doc_id, eid in conn.execute(select(de.c.doc_id, de.c.entity_id).where(de.c.entity_id.is_not(None))):
            by_doc.setdefault(doc_id, set()).add(eid)
        subj, obj = de.alias("subj"), de.alias("obj")
        rels = conn.execute(select(subj.c.entity_id, s.relations.c.predicate, obj.c.entity_id, s.relations.c.evidence)
                            .select_from(s.relations
                                         .join(subj, and_(subj.c.doc_id == s.relations.c.doc_id,
                                                          subj.c.local_id == s.relations.c.subject_local))
                                         .join(obj, and_(obj.c.doc_id == s.relations.c.doc_id,
                                                         obj.c.local_id == s.relations.c.object_local)))
                            .where(subj.c.entity_id.is_not(None), obj.c.entity_id.is_not(None))).all()
    counted: Counter[tuple[str, str, str]] = Counter()
    evidence: dict[tuple[str, str, str], str] = {}
    for a, pred, b, ev in rels:
        counted[(a, pred, b)] += 1
        evidence.setdefault((a, pred, b), ev)
    blank = {"event_type": "", "date": "", "place": "", "site": "", "document": "", "source": "", "directed": "true"}
    for (a, pred, b), n in counted.items():
        graph.add_edge(a, b, key=pred, kind="relation", label=pred, weight=n, evidence=evidence[(a, pred, b)][:300],
                       **blank)
    pairs: Counter[tuple[str, str]] = Counter()
    for ids in by_doc.values():
        pairs.update(combinations(sorted(ids), 2))
    for (a, b), n in pairs.items():
        if n >= MIN_COMENTIONS:
            graph.add_edge(a, b, key="co-mention", kind="co-mention", label="co-mention", weight=n, evidence="",
                           **{**blank, "directed": "false"})
    for e in event_edges(store):
        graph.add_edge(e["actor"], e["target"], key=f"event:{e['doc_id']}#{e['local_id']}", kind="event",
                       label=e["type"], weight=1, evidence=e["trigger"][:300],
                       **{**blank, "event_type": e["type"], "date": e["date"], "place": e["place"], "site": e["site"],
                          "document": e["doc_id"], "source": e["source"]})
    for c in claim_edges(store):
        graph.add_edge(c["source_entity"], c["about"], key=f"claim:{c['doc_id']}#{c['local_id']}", kind="claim",
                       label="claim", weight=1, evidence=c["content"][:300],
                       **{**blank, "date": c["date"], "site": c["site"], "document": c["doc_id"],
                          "source": c["source"]})
    return graph


def event_edges(store: Store, ids: Sequence[str] | None = None, limit: int | None = None,
                docs: Sequence[str] | None = None) -> list[dict[str, str]]:
    """Events whose actor and target are both linked corpus entities: who did what to whom
    (with ``ids``: only between these entities; the web's graph asks for its nodes' ties; with
    ``docs``: only in these documents, so a graph of hubs reads a bounded window, not every event
    of its entities)."""
    e, d, c, de = s.events, s.documents, s.claims, s.doc_entities
    act, rec = de.alias("eact"), de.alias("erec")
    query = (select(e.c.doc_id, e.c.local_id, e.c.type, e.c.trigger, e.c.when_value, e.c.where_text,
                    act.c.entity_id.label("actor"), rec.c.entity_id.label("target"), d.c.site, c.c.source_text,
                    c.c.source_type)
             .select_from(e.join(d, e.c.doc_id == d.c.id)
                          .join(act, and_(act.c.doc_id == e.c.doc_id, act.c.local_id == e.c.actor_local))
                          .join(rec, and_(rec.c.doc_id == e.c.doc_id, rec.c.local_id == e.c.recipient_local))
                          .outerjoin(c, and_(c.c.doc_id == e.c.doc_id, c.c.local_id == e.c.claim_local)))
             .where(act.c.entity_id.is_not(None), rec.c.entity_id.is_not(None)))
    if ids is not None and docs is not None:  # driven by the documents (see queries.entity_in)
        query = query.where(e.c.doc_id.in_(list(docs)), func.coalesce(act.c.entity_id, "").in_(list(ids)),
                            func.coalesce(rec.c.entity_id, "").in_(list(ids)))
    elif ids is not None:
        query = query.where(act.c.entity_id.in_(list(ids)), rec.c.entity_id.in_(list(ids)))
    if limit is not None:
        query = query.order_by(e.c.doc_id, e.c.local_id).limit(limit)
    with store.engine.connect() as conn:
        return [{"doc_id": r[0], "local_id": r[1], "type": r[2], "trigger": r[3] or "", "date": r[4] or "",
                 "place": r[5] or "", "actor": r[6], "target": r[7], "site": r[8] or "", "source": r[9] or "",
                 "source_type": r[10] or ""} for r in conn.execute(query)]


def claim_edges(store: Store, ids: Sequence[str] | None = None, limit: int | None = None,
                docs: Sequence[str] | None = None) -> list[dict[str, str]]:
    """Claims whose source is a linked corpus entity, to each other entity their content mentions
    (with ``ids``: only between these entities; with ``docs``: only in these documents)."""
    c, d, de, m = s.claims, s.documents, s.doc_entities, s.mentions
    src, about = de.alias("csrc"), de.alias("cabout")
    query = (select(c.c.doc_id, c.c.local_id, c.c.content, c.c.source_text, src.c.entity_id, about.c.entity_id,
                    d.c.site, d.c.published, c.c.source_type)
             .select_from(c.join(d, c.c.doc_id == d.c.id)
                          .join(src, and_(src.c.doc_id == c.c.doc_id, src.c.local_id == c.c.source_local))
                          .join(m, and_(m.c.doc_id == c.c.doc_id, m.c.start >= c.c.start, m.c.end <= c.c.end))
                          .join(about, and_(about.c.doc_id == m.c.doc_id, about.c.local_id == m.c.local_id)))
             .where(src.c.entity_id.is_not(None), about.c.entity_id.is_not(None),
                    about.c.entity_id != src.c.entity_id).distinct())
    if ids is not None and docs is not None:
        query = query.where(c.c.doc_id.in_(list(docs)), func.coalesce(src.c.entity_id, "").in_(list(ids)),
                            func.coalesce(about.c.entity_id, "").in_(list(ids)))
    elif ids is not None:
        query = query.where(src.c.entity_id.in_(list(ids)), about.c.entity_id.in_(list(ids)))
    if limit is not None:
        query = query.order_by(c.c.doc_id, c.c.local_id).limit(limit)
    with store.engine.connect() as conn:
        return [{"doc_id": r[0], "local_id": r[1], "content": r[2] or "", "source": r[3] or "", "source_entity": r[4],
                 "about": r[5], "site": r[6] or "", "date": (r[7] or "")[:10], "source_type": r[8] or ""}
                for r in conn.execute(query)]


def _write_xml(kind: str, store: Store, dest: Destination) -> str:
    graph = corpus_graph(store)
    if isinstance(dest, Path):
        (nx.write_gexf if kind == "gexf" else nx.write_graphml)(graph, dest)
    else:
        lines = nx.generate_gexf(graph) if kind == "gexf" else nx.generate_graphml(graph)
        for line in lines:
            dest.write(line + "\n")
    return f"{graph.number_of_nodes()} entities and {graph.number_of_edges()} edges as {kind.upper()}"


def export_gexf(store: Store, dest: Destination) -> str:
    return _write_xml("gexf", store, dest)


def export_graphml(store: Store, dest: Destination) -> str:
    return _write_xml("graphml", store, dest)


_FTM_SCHEMA = {"PERSON": "Person", "ORG": "Organization", "NORP": "Organization", "GPE": "Address",
               "LOC": "Address", "FAC": "Address", "EVENT": "Event"}


def _lines(dest: Destination) -> tuple[IO[str], bool]:
    if isinstance(dest, Path):
        return dest.open("w", encoding="utf-8"), True
    return dest, False


def export_ftm(store: Store, dest: Destination) -> str:
    """FollowTheMoney entities: Person, Organization, Address (places), Event for the corpus
    entities and events, Article for documents, Mention linking a document to an entity, and
    one Note per claim — FtM's "annotation that applies to a document or entity": attached to
    the source's entity where the source is a linked entity (else to the article), with the
    source and cue as its summary, the content as its description, the article as its proof
    and the names the content mentions. Property names are FtM 4's (checked against
    followthemoney 4.11.2)."""
    fh, close = _lines(dest)
    n = 0

    def emit(obj: dict[str, Any]) -> None:
        nonlocal n
        fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
        n += 1

    try:
        with store.engine.connect() as conn:
            for r in conn.execute(select(s.entities)).mappings():
                schema = _FTM_SCHEMA.get(r["type"], "LegalEntity")
                props: dict[str, list[str]] = {"name": [r["name"]]}
                aliases = json.loads(r["aliases"])
                if aliases:
                    props["alias"] = aliases
                if schema == "Address":
                    props = {"full": [r["name"]], **({"summary": aliases} if aliases else {})}
                emit({"id": f"cg-{r['id']}", "schema": schema, "properties": props})
            for d in conn.execute(select(s.documents.c.id, s.documents.c.title, s.documents.c.url,
                                         s.documents.c.published, s.documents.c.site)).mappings():
                props = {"title": [d["title"] or d["id"]]}
                if d["url"]:
                    props["sourceUrl"] = [d["url"]]
                if d["published"]:
                    props["publishedAt"] = [d["published"]]
                if d["site"]:
                    props["publisher"] = [d["site"]]
                emit({"id": f"cg-doc-{d['id']}", "schema": "Article", "properties": props})
            for note in _ftm_claim_notes(conn):
                emit(note)
            de = s.doc_entities
            for m in conn.execute(select(de.c.doc_id, de.c.entity_id, de.c.name).where(de.c.entity_id.is_not(None))):
                emit({"id": f"cg-mention-{m[0]}-{m[1]}", "schema": "Mention",
                      "properties": {"document": [f"cg-doc-{m[0]}"], "resolved": [f"cg-{m[1]}"], "name": [m[2]]}})
            act, rec, whr = de.alias("act"), de.alias("rec"), de.alias("whr")
            found = (select(s.events, act.c.entity_id.label("actor_entity"), rec.c.entity_id.label("recipient_entity"),
                            whr.c.entity_id.label("where_entity"), s.claims.c.source_text, s.documents.c.site,
                            s.documents.c.url)
                     .select_from(s.events.join(s.documents, s.documents.c.id == s.events.c.doc_id)
                                  .outerjoin(act, and_(act.c.doc_id == s.events.c.doc_id,
                                                       act.c.local_id == s.events.c.actor_local))
                                  .outerjoin(rec, and_(rec.c.doc_id == s.events.c.doc_id,
                                                       rec.c.local_id == s.events.c.recipient_local))
                                  .outerjoin(whr, and_(whr.c.doc_id == s.events.c.doc_id,
                                                       whr.c.local_id == s.events.c.where_local))
                                  .outerjoin(s.claims, and_(s.claims.c.doc_id == s.events.c.doc_id,
                                                            s.claims.c.local_id == s.events.c.claim_local))))
            for e in conn.execute(found).mappings():
                emit({"id": f"cg-event-{e['doc_id']}-{e['local_id']}", "schema": "Event",
                      "properties": _ftm_event(e)})
    finally:
        if close:
            fh.close()
    return f"{n} FollowTheMoney entities"


def _ftm_claim_notes(conn: Any) -> Iterator[dict[str, Any]]:
    """One FtM Note per claim: who says so (the linked source entity, or the article when the
    source is anonymous, unnamed or not a corpus entity), what (the content), where it was said
    (article, outlet, URL, date) and whom the content names."""
    c, d, de, m = s.claims, s.documents, s.doc_entities, s.mentions
    src, about = de.alias("nsrc"), de.alias("nabout")
    named: dict[tuple[str, str], list[str]] = {}
    inside = (select(c.c.doc_id, c.c.local_id, about.c.name)
              .select_from(c.join(m, and_(m.c.doc_id == c.c.doc_id, m.c.start >= c.c.start, m.c.end <= c.c.end))
                           .join(about, and_(about.c.doc_id == m.c.doc_id, about.c.local_id == m.c.local_id)))
              .distinct())
    for doc_id, local_id, name in conn.execute(inside):
        if name:
            named.setdefault((doc_id, local_id), []).append(name)
    found = (select(c.c.doc_id, c.c.local_id, c.c.kind, c.c.source_text, c.c.source_type, c.c.cue, c.c.content,
                    src.c.entity_id, d.c.site, d.c.url, d.c.published)
             .select_from(c.join(d, d.c.id == c.c.doc_id)
                          .outerjoin(src, and_(src.c.doc_id == c.c.doc_id, src.c.local_id == c.c.source_local)))
             .order_by(c.c.doc_id, c.c.local_id))
    for r in conn.execute(found).mappings():
        source = r["source_text"] or "unattributed"
        kind = r["source_type"] or "unknown"
        props: dict[str, list[str]] = {
            "name": [f"{source}: {r['cue'] or r['kind']}"[:250]],
            "summary": [f"{source} ({kind}) {r['cue'] or ''}".strip()],
            "description": [r["content"]],
            "entity": [f"cg-{r['entity_id']}" if r["entity_id"] else f"cg-doc-{r['doc_id']}"],
            "proof": [f"cg-doc-{r['doc_id']}"],
        }
        names = [n for n in dict.fromkeys(named.get((r["doc_id"], r["local_id"]), [])) if n != r["source_text"]]
        if names:
            props["namesMentioned"] = names
        if r["site"]:
            props["publisher"] = [r["site"]]
        if r["url"]:
            props["sourceUrl"] = [r["url"]]
        if r["published"]:
            props["createdAt"] = [r["published"][:10]]
        yield {"id": f"cg-claim-{r['doc_id']}-{r['local_id']}", "schema": "Note", "properties": props}


def _ftm_event(e: Any) -> dict[str, list[str]]:
    """An event's FtM properties: what (type and words), when, where (the place's name and, when
    linked, its entity), who took part (actor and target), and who says so, from which article."""
    props = {"name": [f"{e['type']}: {e['trigger']}"], "summary": [e["type"]], "proof": [f"cg-doc-{e['doc_id']}"]}
    if e["when_value"]:
        props["date"] = [e["when_value"]]
    if e["where_text"]:
        props["location"] = [e["where_text"]]
    if e["where_entity"]:
        props["addressEntity"] = [f"cg-{e['where_entity']}"]
    involved = [f"cg-{x}" for x in (e["actor_entity"], e["recipient_entity"]) if x]
    if involved:
        props["involved"] = list(dict.fromkeys(involved))
    said = f"{e['actor_text'] or '?'} → {e['recipient_text'] or '?'}; reported by {e['site'] or 'an unknown outlet'}"
    props["description"] = [said + (f", on the word of {e['source_text']}" if e["source_text"] else "")]
    if e["url"]:
        props["sourceUrl"] = [e["url"]]
    return props


def export_geojson(store: Store, dest: Destination) -> str:
    """Events whose place resolved to coordinates, as a GeoJSON FeatureCollection."""
    from claimgraph.corpus.queries import events

    features = []
    for e in events(store, limit=1_000_000):
        if e.get("lat") is None or e.get("lon") is None:
            continue
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [e["lon"], e["lat"]]},
                         "properties": {"type": e["type"], "date": e["when_value"], "actor": e["actor_text"],
                                        "recipient": e["recipient_text"], "place": e["where_text"],
                                        "trigger": e["trigger"], "modality": e["modality"],
                                        "source": e.get("claim_local") and _claim_source(store, e),
                                        "document": e["doc_id"], "url": e["url"], "site": e["site"]}})
    fh, close = _lines(dest)
    try:
        json.dump({"type": "FeatureCollection", "features": features}, fh, ensure_ascii=False)
        fh.write("\n")
    finally:
        if close:
            fh.close()
    return f"{len(features)} events with places as GeoJSON"


def _claim_source(store: Store, event: dict[str, Any]) -> str | None:
    with store.engine.connect() as conn:
        row = conn.execute(select(s.claims.c.source_text).where(and_(
            s.claims.c.doc_id == event["doc_id"], s.claims.c.local_id == event["claim_local"]))).first()
    return row[0] if row else None
