"""The interactive graph's data: the server's seeded layout (:mod:`claimgraph.web.layout`) as
preset positions for Cytoscape.js, and the four kinds of tie between the drawn entities —
co-mention (undirected, documents in common), relation, event (actor -> target, typed, dated,
with the source of the claim that reports it) and claim (source -> an entity the claim's
content mentions).

Why the positions come from the server: the layout is seeded and cached, the same corpus draws
the same picture, and the browser runs no force simulation of its own; Cytoscape only draws,
zooms, pans, drags and filters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from claimgraph.corpus.browse import latest_document_ids
from claimgraph.corpus.export_graph import claim_edges, event_edges
from claimgraph.corpus.store import Store
from claimgraph.web.layout import Drawing

#: event and claim edges drawn at most (each kind): the busiest ties stay readable
MAX_TYPED_EDGES = 400
#: event and claim ties are looked for in the corpus's latest documents, at most this many, a
#: slice at a time (the first :data:`FIRST_SLICE`, then twice as many each time) until enough are
#: found: a graph of hubs would otherwise read every event and claim of its entities (#18)
TIE_DOCUMENTS = 400
FIRST_SLICE = 100


def _latest_ties(store: Store, find: Callable[..., list[dict[str, str]]], ids: list[str]) -> list[dict[str, str]]:
    """Ties of one kind among ``ids`` from the latest documents, a slice at a time, at most
    :data:`MAX_TYPED_EDGES`."""
    docs = latest_document_ids(store, TIE_DOCUMENTS)
    found: list[dict[str, str]] = []
    start, size = 0, FIRST_SLICE
    while start < len(docs) and len(found) < MAX_TYPED_EDGES:
        found += find(store, ids, limit=MAX_TYPED_EDGES - len(found), docs=docs[start:start + size])
        start, size = start + size, size * 2
    return found
EDGE_KINDS = ("co-mention", "relation", "event", "claim")


def elements(store: Store, graph: Mapping[str, Any], drawing: Drawing) -> dict[str, Any]:
    """Nodes with positions and every edge among them, as the page's script reads them (event and
    claim ties from the latest documents, see :func:`_latest_ties`)."""
    ids = [n.id for n in drawing.nodes]
    nodes = [{"id": n.id, "name": n.name, "type": n.type, "docs": n.docs, "x": round(n.x, 1), "y": round(n.y, 1),
              "size": round(max(n.r * 2, 12), 1), "focus": n.focus} for n in drawing.nodes]
    edges: list[dict[str, Any]] = []
    for n, e in enumerate(graph.get("edges", [])):
        kind = str(e["kind"])
        edges.append({"id": f"t{n}", "source": e["source"], "target": e["target"], "kind": kind,
                      "label": e.get("relation") or "", "weight": int(e.get("weight") or 1), "date": "",
                      "source_type": "", "text": f"{e['weight']} documents in common" if kind == "co-mention"
                      else str(e.get("relation") or "")})
    if ids:
        for e in _latest_ties(store, event_edges, ids):
            edges.append({"id": f"e-{e['doc_id']}-{e['local_id']}", "source": e["actor"], "target": e["target"],
                          "kind": "event", "label": e["type"], "weight": 1, "date": e["date"][:10],
                          "source_type": e["source_type"], "doc_id": e["doc_id"], "ref": f"event-{e['local_id']}",
                          "text": f"{e['type']}: {e['trigger']}" + (f" (says {e['source']})" if e["source"] else "")
                          + f" · {e['site']}"})
        for c in _latest_ties(store, claim_edges, ids):
            edges.append({"id": f"c-{c['doc_id']}-{c['local_id']}-{c['about']}", "source": c["source_entity"],
                          "target": c["about"], "kind": "claim", "label": "", "weight": 1, "date": c["date"],
                          "source_type": c["source_type"], "doc_id": c["doc_id"], "ref": f"claim-{c['local_id']}",
                          "text": f"{c['source']}: {c['content'][:200]} · {c['site']}"})
    return {"nodes": nodes, "edges": edges, "width": drawing.width, "height": drawing.height,
            "kinds": [k for k in EDGE_KINDS if any(e["kind"] == k for e in edges)],
            "types": sorted({n["type"] for n in nodes})}
