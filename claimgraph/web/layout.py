"""Graph drawings computed on the server: node positions from networkx's spring layout, scaled
into an SVG viewport, so the page needs no graph library in the browser.

Why server-side: the app ships no third-party JavaScript and sends ``script-src 'self'``; a
seeded layout is also reproducible, so the same corpus draws the same picture in the tests'
screenshots and on a user's screen.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import networkx as nx

#: the seed of the spring layout: the same graph is drawn the same way every time
SEED = 7


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    name: str
    type: str
    docs: int
    x: float
    y: float
    r: float
    label: bool  # big enough to carry its name on the drawing
    focus: bool


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    kind: str
    weight: int
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


@dataclass(frozen=True, slots=True)
class Drawing:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]


def layout(graph: Mapping[str, Any], *, width: int = 960, height: int = 640, focus: str | None = None,
           labels: int = 30) -> Drawing:
    """Place ``graph`` ({"nodes": [...], "edges": [...]}, as ``browse.graph`` returns it) in a
    ``width`` × ``height`` box. The ``labels`` most documented nodes (and ``focus``) get names.

    The spring layout is the costliest part of a graph page (about 0.1 s for 50 nodes), and the
    same graph is drawn the same way every time (seeded), so drawings of the graphs drawn last
    are kept, keyed by the graph itself: a changed corpus gives another key, never a stale picture."""
    key = json.dumps(graph, sort_keys=True, default=str)
    return _layout_of(key, width, height, focus, labels)


@lru_cache(maxsize=256)
def _layout_of(key: str, width: int, height: int, focus: str | None, labels: int) -> Drawing:
    return _layout(json.loads(key), width=width, height=height, focus=focus, labels=labels)


def _layout(graph: Mapping[str, Any], *, width: int, height: int, focus: str | None, labels: int) -> Drawing:
    nodes: Sequence[Mapping[str, Any]] = graph.get("nodes", [])
    ids = {n["id"] for n in nodes}
    edges = [e for e in graph.get("edges", []) if e["source"] in ids and e["target"] in ids
             and e["source"] != e["target"]]
    g = nx.Graph()
    g.add_nodes_from(n["id"] for n in sorted(nodes, key=lambda n: str(n["id"])))
    for e in edges:
        w = float(e.get("weight") or 1)
        if g.has_edge(e["source"], e["target"]):
            g[e["source"]][e["target"]]["count"] += w
        else:
            g.add_edge(e["source"], e["target"], count=w)
    for _a, _b, data in g.edges(data=True):  # damped: a pair in 30 documents should not collapse onto itself
        data["weight"] = 1.0 + 0.5 * math.log(data["count"])
    if not nodes:
        return Drawing(width, height, [], [])
    margin = 60.0
    tied = [n for n in g if g.degree(n) > 0]
    alone = [n for n in g if g.degree(n) == 0]
    # nodes without edges would fly off and squash the rest: they go in a row along the bottom
    bottom = height - margin / 2 if alone else height - margin / 4
    pos: dict[Any, tuple[float, float]] = {}
    if len(tied) > 1:
        k = 3.0 / math.sqrt(len(tied))
        raw = nx.spring_layout(g.subgraph(tied), seed=SEED, weight="weight", k=k, iterations=200)
        xs = [float(p[0]) for p in raw.values()]
        ys = [float(p[1]) for p in raw.values()]
        spanx, spany = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
        for n, (x, y) in raw.items():
            pos[n] = (round(margin + (float(x) - min(xs)) / spanx * (width - 2 * margin), 1),
                      round(margin / 2 + (float(y) - min(ys)) / spany * (bottom - margin * 1.5), 1))
    else:
        alone = tied + alone
    for i, n in enumerate(alone):
        pos[n] = (round(margin + (i + 0.5) * (width - 2 * margin) / len(alone), 1),
                  bottom if len(alone) < len(nodes) else height / 2)
    most = max(int(n.get("docs") or 1) for n in nodes)
    ranked = sorted(nodes, key=lambda n: -int(n.get("docs") or 0))
    named = {n["id"] for n in ranked[:labels]} | ({focus} if focus else set())
    placed = {}
    for n in nodes:
        x, y = pos[n["id"]]
        docs = int(n.get("docs") or 1)
        placed[n["id"]] = Node(id=str(n["id"]), name=str(n["name"]), type=str(n["type"]), docs=docs,
                               x=x, y=y, r=round(5 + 13 * math.sqrt(docs / most), 1),
                               label=n["id"] in named, focus=n["id"] == focus)
    heaviest = max((float(e.get("weight") or 1) for e in edges), default=1.0)
    drawn = []
    for e in edges:
        a, b = placed[e["source"]], placed[e["target"]]
        w = float(e.get("weight") or 1)
        drawn.append(Edge(source=a.id, target=b.id, kind=str(e.get("kind") or "co-mention"), weight=int(w),
                          x1=a.x, y1=a.y, x2=b.x, y2=b.y, width=round(0.6 + 3.4 * w / heaviest, 2)))
    drawn.sort(key=lambda e: e.weight)  # heavy edges on top
    # small nodes last, so a big node never hides a small one
    order = sorted(placed.values(), key=lambda n: -n.r)
    return Drawing(width, height, order, drawn)
