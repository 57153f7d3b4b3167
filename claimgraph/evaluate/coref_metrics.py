"""Coreference scores: MUC, B³, CEAF-e and their mean, the CoNLL F1.

The definitions are those of the CoNLL-2012 reference scorer (Pradhan et al., ACL 2014),
because published ECB+ and MEANTIME figures are computed with it and ours must be
comparable:

- MUC (Vilain et al. 1995) counts links: recall is, over key clusters, ``|K| - |p(K)|``
  over ``|K| - 1``, where ``p(K)`` is K cut by the response (a mention the response
  lacks is a part of its own). Singletons have no links and add nothing.
- B³ (Bagga & Baldwin 1998) scores each mention: recall ``|K ∩ R| / |K|`` for its key
  cluster K and response cluster R, averaged over key mentions; precision the same over
  response mentions. Singletons count, which is why B³ figures with and without them
  differ and why a report must say which it gives.
- CEAF-e (Luo 2005) aligns key and response clusters one to one with the similarity
  ``2|K ∩ R| / (|K| + |R|)``, maximised; recall divides the total by the number of key
  clusters, precision by the number of response clusters.

A clustering is a mapping ``mention -> cluster label``; any hashable mention will do.
The optimal alignment runs on each connected group of overlapping clusters separately,
so a corpus of thousands of mostly-singleton clusters costs little, and it needs no
third-party solver.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Cluster = frozenset[Hashable]
M = TypeVar("M", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Score:
    """Precision, recall and F1 as fractions in [0, 1]."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(100 * self.precision, 1), "r": round(100 * self.recall, 1),
                "f1": round(100 * self.f1, 1)}


def clusters(assignment: Mapping[M, Hashable]) -> list[frozenset[M]]:
    """Mention -> label mapping turned into its clusters, in first-seen order."""
    groups: dict[Hashable, set[M]] = {}
    for mention, label in assignment.items():
        groups.setdefault(label, set()).add(mention)
    return [frozenset(g) for g in groups.values()]


def _index(groups: Sequence[Cluster]) -> dict[Hashable, int]:
    return {m: i for i, g in enumerate(groups) for m in g}


def _muc_recall(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    where = _index(response)
    num = den = 0
    for k in key:
        if len(k) < 2:
            continue
        parts = {where.get(m, ("missing", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num / den if den else 0.0


def muc(key: Sequence[Cluster], response: Sequence[Cluster]) -> Score:
    return Score(precision=_muc_recall(response, key), recall=_muc_recall(key, response))


def _b3_recall(key: Sequence[Cluster], response: Sequence[Cluster]) -> float:
    where = _index(response)
    total = 0.0
    mentions = 0
    for k in key:
        mentions += len(k)
        overlaps: dict[int, int] = {}
        for m in k:
            if m in where:
                overlaps[where[m]] = overlaps.get(where[m], 0) + 1
        total += sum(n * n for n in overlaps.values()) / len(k)
    return total / mentions if mentions else 0.0


def b_cubed(key: Sequence[Cluster], response: Sequence[Cluster]) -> Score:
    return Score(precision=_b3_recall(response, key), recall=_b3_recall(key, response))


def _hungarian(weights: list[list[float]]) -> float:
    """Largest total weight of a one-to-one assignment (rows <= columns), O(n² m).

    The shortest-augmenting-path form of Kuhn–Munkres, on costs ``-weight``."""
    n, m = len(weights), len(weights[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    match = [0] * (m + 1)  # column -> row (1-based), 0 = free
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = -weights[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sum(weights[match[j] - 1][j - 1] for j in range(1, m + 1) if match[j])


def _components(key: Sequence[Cluster], response: Sequence[Cluster]) -> list[tuple[list[int], list[int]]]:
    """Groups of key and response clusters joined by shared mentions (union-find)."""
    parent = list(range(len(key) + len(response)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner = _index(key)
    for j, r in enumerate(response):
        for m in r:
            if m in owner:
                a, b = find(owner[m]), find(len(key) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for i in range(len(key)):
        groups.setdefault(find(i), ([], []))[0].append(i)
    for j in range(len(response)):
        groups.setdefault(find(len(key) + j), ([], []))[1].append(j)
    return [g for g in groups.values() if g[0] and g[1]]


def ceaf_e(key: Sequence[Cluster], response: Sequence[Cluster]) -> Score:
    total = 0.0
    for ks, rs in _components(key, response):
        rows, cols = (ks, rs) if len(ks) <= len(rs) else (rs, ks)
        a, b = (key, response) if rows is ks else (response, key)
        weights = [[2 * len(a[i] & b[j]) / (len(a[i]) + len(b[j])) for j in cols] for i in rows]
        total += _hungarian(weights)
    return Score(precision=total / len(response) if response else 0.0,
                 recall=total / len(key) if key else 0.0)


@dataclass(frozen=True, slots=True)
class CorefScores:
    muc: Score
    b3: Score
    ceaf_e: Score

    @property
    def conll_f1(self) -> float:
        """The CoNLL-2012 figure: the mean of the three F1s."""
        return (self.muc.f1 + self.b3.f1 + self.ceaf_e.f1) / 3


def conll(key: Sequence[Cluster], response: Sequence[Cluster]) -> CorefScores:
    """All three metrics of a response against the key; ``.conll_f1`` is their mean F1."""
    return CorefScores(muc=muc(key, response), b3=b_cubed(key, response), ceaf_e=ceaf_e(key, response))


__all__ = ["Cluster", "CorefScores", "Score", "b_cubed", "ceaf_e", "clusters", "conll", "muc"]
