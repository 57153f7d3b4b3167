"""An entity's profile across the corpus (``claimgraph entity NAME``): who it is, where it
appears, whom it appears with, its relations, its events as a timeline, and the claims it
makes and the claims made about it."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from sqlalchemy import and_, func, select

from claimgraph.corpus import schema as s
from claimgraph.corpus.queries import claims, docs_of, entity_in, find_entities, timeline, within
from claimgraph.corpus.store import Store

#: how many of each list a profile carries
TOP = 25
#: a profile reads the entity's latest documents, at most this many (see queries.docs_of)
WINDOW = 200
#: the aliases its queries join through, made once (see queries: built per call they cost more than the SQL)
_OTHER, _SUBJ, _OBJ = s.doc_entities.alias("other"), s.doc_entities.alias("subj"), s.doc_entities.alias("obj")
_SE, _OE = s.entities.alias("se"), s.entities.alias("oe")


def members_of(store: Store, entity_id: str) -> list[dict[str, Any]]:
    de = s.doc_entities
    with store.engine.connect() as conn:
        rows = conn.execute(select(de.c.doc_id, de.c.local_id, de.c.name, de.c.link_reason, de.c.link_score)
                            .where(de.c.entity_id == entity_id).order_by(de.c.doc_id)).all()
    return [{"member": f"{r[0]}#{r[1]}", "name": r[2], "reason": r[3], "score": r[4]} for r in rows]


def entity_profile(store: Store, name: str) -> dict[str, Any] | None:
    """The profile of the entity a name (or a corpus id) refers to: the most documented one of
    that name; its claims and events are asked by its id, never again by the name."""
    found = find_entities(store, name, limit=1)
    if not found:
        return None
    ent = found[0]
    eid = ent["id"]
    d = s.documents
    with store.engine.connect() as conn:
        # its latest documents off the entity's own index (joining every document of an entity in
        # tens of thousands of articles to sort them cost a quarter of a second at 50k documents)
        latest = list(dict.fromkeys(r[0] for r in conn.execute(docs_of([eid], TOP * 8, store))))[:TOP * 4]
        docs = conn.execute(select(d.c.id, d.c.title, d.c.site, d.c.published, d.c.url)
                            .where(d.c.id.in_(latest)).order_by(store.latest_first(d.c.published), d.c.id)).all()
        # who appears in its (latest) documents: counted over those documents' entity rows alone,
        # then named, instead of joining every row of the entity's documents to the entity table
        other = _OTHER
        shared = func.count(func.distinct(other.c.doc_id))
        counts = conn.execute(select(other.c.entity_id, shared)
                              .where(within(store, other.c.doc_id, [eid], WINDOW), other.c.entity_id != eid)
                              .group_by(other.c.entity_id).order_by(shared.desc(), other.c.entity_id)
                              .limit(TOP)).all()
        named = {r[0]: r for r in conn.execute(select(s.entities.c.id, s.entities.c.name, s.entities.c.type)
                                               .where(s.entities.c.id.in_([c[0] for c in counts])))}
        co = [(eid2, named[eid2][1], named[eid2][2], n) for eid2, n in counts if eid2 in named]
    return {
        **ent,
        "documents_list": [{"id": r[0], "title": r[1], "site": r[2], "published": r[3], "url": r[4]} for r in docs],
        "cooccurring": [{"id": r[0], "name": r[1], "type": r[2], "documents": int(r[3])} for r in co],
        "relations": relations_of(store, eid),
        "events": timeline(store, eid, limit=200, window=WINDOW),
        "claims_by": claims(store, source=eid, limit=TOP * 4, window=WINDOW),
        "claims_about": claims(store, about=eid, limit=TOP * 4, window=WINDOW),
    }


def relations_of(store: Store, eid: str) -> list[dict[str, Any]]:
    """The typed relations one corpus entity takes part in (within its latest documents), one row
    per (subject, predicate, object) with how many documents state it and one evidence."""
    subj, obj, se, oe = _SUBJ, _OBJ, _SE, _OE
    with store.engine.connect() as conn:
        rels = conn.execute(select(se.c.name, s.relations.c.predicate, oe.c.name, s.relations.c.evidence,
                                   s.relations.c.doc_id)
                            .select_from(s.relations
                                         .join(subj, and_(subj.c.doc_id == s.relations.c.doc_id,
                                                          subj.c.local_id == s.relations.c.subject_local))
                                         .join(obj, and_(obj.c.doc_id == s.relations.c.doc_id,
                                                         obj.c.local_id == s.relations.c.object_local))
                                         .join(se, se.c.id == subj.c.entity_id).join(oe, oe.c.id == obj.c.entity_id))
                            .where(within(store, s.relations.c.doc_id, [eid], WINDOW),
                                   entity_in(subj.c.entity_id, [eid], WINDOW)
                                   | entity_in(obj.c.entity_id, [eid], WINDOW))
                            .limit(200)).all()
    relations: dict[tuple[str, str, str], dict[str, Any]] = {}
    for sname, pred, oname, evidence, _doc_id in rels:
        r = relations.setdefault((sname, pred, oname), {"subject": sname, "predicate": pred, "object": oname,
                                                         "documents": 0, "evidence": evidence})
        r["documents"] += 1
    return sorted(relations.values(), key=lambda r: -r["documents"])


def render_profile(p: dict[str, Any], console: Console) -> None:
    from rich.text import Text

    from claimgraph.tables import Section, columns_of, print_sections

    console.print(Text(f"{p['name']} ({p['type']}) · {p['documents']} documents · {p['mentions']} mentions",
                       style="bold"))
    if p["aliases"]:
        console.print(Text("also called: " + ", ".join(p["aliases"])))
    tables = [
        ("Appears with", ["name", "type", "documents"], p["cooccurring"]),
        ("Relations", ["subject", "predicate", "object", "documents"], p["relations"]),
        ("Events", ["when_value", "type", "actor_text", "recipient_text", "where_text", "site"], p["events"][:TOP]),
        ("Claims it makes", ["published", "site", "cue", "content"], p["claims_by"][:TOP]),
        ("Claims about it", ["published", "site", "source_text", "content"], p["claims_about"][:TOP]),
        ("Documents", ["published", "site", "title"], p["documents_list"][:TOP]),
    ]
    console.print()
    print_sections([Section(f"{title} ({len(rows)})", tuple(cols), columns_of(rows, [(c, c) for c in cols]))
                    for title, cols, rows in tables if rows], console)
