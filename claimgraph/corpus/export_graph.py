"""Graph and interchange exports: GEXF and GraphML (Gephi), FollowTheMoney entity JSON lines,
GeoJSON of events with places.

The graph has one node per corpus entity (type, documents, mentions) and two kinds of edge:
relations (predicate, documents, evidence) and co-mentions (entities in the same document,
weighted by how many documents). networkx writes the XML formats.
"""

from __future__ import annotations

import json
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import IO, Any

import networkx as nx
from sqlalchemy import and_, select

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
    for (a, pred, b), n in counted.items():
        graph.add_edge(a, b, key=pred, kind="relation", label=pred, weight=n, evidence=evidence[(a, pred, b)][:300])
    pairs: Counter[tuple[str, str]] = Counter()
    for ids in by_doc.values():
        pairs.update(combinations(sorted(ids), 2))
    for (a, b), n in pairs.items():
        if n >= MIN_COMENTIONS:
            graph.add_edge(a, b, key="co-mention", kind="co-mention", label="co-mention", weight=n, evidence="")
    return graph


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
    entities and events, Article for documents, Mention linking a document to an entity;
    claims go into the Mention's and Article's notes with their source, for want of a
    better home in FtM."""
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
                notes = [f"{c.source_text or 'unattributed'} ({c.source_type or '-'}) {c.cue or ''}: {c.content}"
                         for c in conn.execute(select(s.claims).where(s.claims.c.doc_id == d["id"]))]
                if notes:
                    props["notes"] = notes[:200]
                emit({"id": f"cg-doc-{d['id']}", "schema": "Article", "properties": props})
            de = s.doc_entities
            for m in conn.execute(select(de.c.doc_id, de.c.entity_id, de.c.name).where(de.c.entity_id.is_not(None))):
                emit({"id": f"cg-mention-{m[0]}-{m[1]}", "schema": "Mention",
                      "properties": {"document": [f"cg-doc-{m[0]}"], "resolved": [f"cg-{m[1]}"], "name": [m[2]]}})
            act = de.alias("act")
            for e in conn.execute(select(s.events, act.c.entity_id.label("actor_entity"))
                                  .select_from(s.events.outerjoin(act, and_(act.c.doc_id == s.events.c.doc_id,
                                                                            act.c.local_id == s.events.c.actor_local)))
                                  ).mappings():
                props = {"name": [f"{e['type']}: {e['trigger']}"], "summary": [e["type"]],
                         "proof": [f"cg-doc-{e['doc_id']}"]}
                if e["when_value"]:
                    props["date"] = [e["when_value"]]
                if e["where_text"]:
                    props["location"] = [e["where_text"]]
                if e["actor_entity"]:
                    props["involved"] = [f"cg-{e['actor_entity']}"]
                emit({"id": f"cg-event-{e['doc_id']}-{e['local_id']}", "schema": "Event", "properties": props})
    finally:
        if close:
            fh.close()
    return f"{n} FollowTheMoney entities"


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
