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

    The spring layout is the costliest part of a graph page (about 0.1 s for 50 nodes), so the
    positions of the graphs drawn last are kept, keyed by the graph's shape: its nodes, its ties
    and each tie's weight rounded to a power of two (the layout pulls by the logarithm of the
    weight, so a pair in 33 documents instead of 32 would move nothing one could see). An ingest
    adding documents to a hub changes its counts at every document; its drawing stays put until
    its shape changes, and sizes, labels and edge widths are always the corpus's current ones."""
    nodes: Sequence[Mapping[str, Any]] = graph.get("nodes", [])
    ids = {n["id"] for n in nodes}
    edges = [e for e in graph.get("edges", []) if e["source"] in ids and e["target"] in ids
             and e["source"] != e["target"]]
    counts: dict[tuple[str, str], float] = {}
    for e in edges:
        pair = (str(min(e["source"], e["target"])), str(max(e["source"], e["target"])))
        counts[pair] = counts.get(pair, 0.0) + float(e.get("weight") or 1)
    shape = json.dumps({"nodes": sorted(str(i) for i in ids),
                        "ties": sorted([a, b, _bucket(w)] for (a, b), w in counts.items())})
    pos = _positions(shape, width, height)
    return _draw(nodes, edges, pos, width=width, height=height, focus=focus, labels=labels)


def _bucket(weight: float) -> float:
    """A tie's weight as the layout sees it: the power of two at or below it."""
    return float(2 ** int(math.log2(weight))) if weight >= 1 else 1.0


@lru_cache(maxsize=256)
def _positions(shape: str, width: int, height: int) -> dict[str, tuple[float, float]]:
    data = json.loads(shape)
    return _place(data["nodes"], [(a, b, w) for a, b, w in data["ties"]], width=width, height=height)


def _place(nodes: Sequence[str], ties: Sequence[tuple[str, str, float]], *, width: int,
           height: int) -> dict[str, tuple[float, float]]:
    """Seeded spring-layout positions of the nodes, scaled into the box; untied nodes in a row
    along the bottom."""
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    for a, b, w in ties:
        # damped: a pair in 30 documents should not collapse onto itself
        g.add_edge(a, b, weight=1.0 + 0.5 * math.log(w))
    if not nodes:
        return {}
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
    return pos


def _draw(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]],
          pos: Mapping[str, tuple[float, float]], *, width: int, height: int, focus: str | None,
          labels: int) -> Drawing:
    if not nodes:
        return Drawing(width, height, [], [])
    most = max(int(n.get("docs") or 1) for n in nodes)
    ranked = sorted(nodes, key=lambda n: -int(n.get("docs") or 0))
    named = {n["id"] for n in ranked[:labels]} | ({focus} if focus else set())
    placed = {}
    for n in nodes:
        x, y = pos[str(n["id"])]
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
