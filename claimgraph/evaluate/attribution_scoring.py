"""Scoring of attributions (source, cue, content): the pure functions behind ``evaluate attribution``.

An attribution is compared role by role. A role is a *set of character spans* (content split
by the cue is two spans; a missing source is the empty set), so "exact" means the same set of
``(start, end)`` pairs after trimming whitespace at the edges of each span.

Token overlap follows BBC Citron (``citron/metrics.py``): precision is the number of
overlapping tokens summed over matched pairs divided by all predicted tokens of the role,
recall the same sum divided by all gold tokens. Unlike Citron, which sums the overlap of
every predicted/gold pair, pairs are matched one to one (largest overlap first), so one long
prediction cannot be credited for several gold spans. Tokens are ``\\w+|[^\\w\\s]`` over the
document text (words and single punctuation marks); a token belongs to a span when they
share at least one character.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimgraph.evaluate.scoring import PRF
from claimgraph.model import Claim

Range = tuple[int, int]
Spans = tuple[Range, ...]
ROLES = ("cue", "source", "content")

_TOKEN = re.compile(r"\w+|[^\w\s]")


def spans_of(text: str, ranges: Iterable[Range]) -> Spans:
    """Normalise a role: whitespace trimmed off each span, empty spans dropped, sorted, unique."""
    out: set[Range] = set()
    for start, end in ranges:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.add((start, end))
    return tuple(sorted(out))


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution (gold or predicted) of one document, each role a set of spans.

    ``entity`` is the predicted source's entity id (None for gold and for unresolved sources);
    it takes no part in equality.
    """

    doc: str
    source: Spans
    cue: Spans
    content: Spans
    entity: str | None = field(default=None, compare=False)

    def role(self, name: str) -> Spans:
        if name == "source":
            return self.source
        if name == "cue":
            return self.cue
        if name == "content":
            return self.content
        raise ValueError(f"role must be one of {ROLES}, not {name!r}")

    def anchor(self) -> Range | None:
        """The span that decides whether the attribution lies in a scored range: the cue, else its first span."""
        spans = self.cue or tuple(sorted(self.source + self.content))
        return spans[0] if spans else None


def from_gold(doc: str, text: str, obj: Mapping[str, Any]) -> Attribution:
    """A ``shared/data`` attribution (``{source: [span...], cue: [...], content: [...]}``)."""
    def role(key: str) -> Spans:
        return spans_of(text, ((int(s["start"]), int(s["end"])) for s in obj.get(key) or ()))

    return Attribution(doc, role("source"), role("cue"), role("content"))


def from_claim(doc: str, text: str, claim: Claim) -> Attribution:
    """A predicted claim; a source without span text or a missing cue is the empty role."""
    source = spans_of(text, [(claim.source.span.start, claim.source.span.end)]) if claim.source else ()
    cue = spans_of(text, [(claim.cue.start, claim.cue.end)]) if claim.cue else ()
    content = spans_of(text, ((c.start, c.end) for c in claim.content))
    return Attribution(doc, source, cue, content, claim.source.entity if claim.source else None)


class Tokens:
    """The tokens of one text (``\\w+|[^\\w\\s]``) and the token ids a set of spans covers."""

    def __init__(self, text: str) -> None:
        found = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        self._starts = [s for s, _ in found]
        self._ends = [e for _, e in found]

    def __len__(self) -> int:
        return len(self._starts)

    def ids(self, spans: Iterable[Range]) -> frozenset[int]:
        out: set[int] = set()
        for start, end in spans:
            out.update(range(bisect_right(self._ends, start), bisect_left(self._starts, end)))
        return frozenset(out)


@dataclass(slots=True)
class Overlap:
    """Token-overlap counts of one role (or of whole attributions): Citron's P/R/F1."""

    overlap: int = 0
    pred_tokens: int = 0
    gold_tokens: int = 0
    pairs: int = 0

    @property
    def precision(self) -> float:
        return self.overlap / self.pred_tokens if self.pred_tokens else 0.0

    @property
    def recall(self) -> float:
        return self.overlap / self.gold_tokens if self.gold_tokens else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(100 * self.precision, 1), "r": round(100 * self.recall, 1),
                "f1": round(100 * self.f1, 1), "overlap_tokens": self.overlap,
                "pred_tokens": self.pred_tokens, "gold_tokens": self.gold_tokens, "pairs": self.pairs}


def _by_doc(items: Iterable[Attribution]) -> dict[str, list[Attribution]]:
    out: dict[str, list[Attribution]] = {}
    for a in items:
        out.setdefault(a.doc, []).append(a)
    return out


def _greedy(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """One-to-one pairs ``(size, pred index, gold index)``, largest size first (ties: text order)."""
    candidates.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for size, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((size, i, j))
    return out


def role_exact(pred: Iterable[Attribution], gold: Iterable[Attribution], role: str) -> PRF:
    """Exact P/R/F1 of one role: predicted and gold role instances (non-empty span sets) paired
    one to one when their span sets are equal. Every attribution is one instance, so a source
    shared by two gold attributions must be predicted twice."""
    p = Counter((a.doc, a.role(role)) for a in pred if a.role(role))
    g = Counter((a.doc, a.role(role)) for a in gold if a.role(role))
    tp = sum((p & g).values())
    return PRF(tp=tp, fp=sum(p.values()) - tp, fn=sum(g.values()) - tp)


def role_overlap(pred: Iterable[Attribution], gold: Iterable[Attribution], role: str,
                 tokens: Mapping[str, Tokens]) -> Overlap:
    """Citron's token overlap for one role, with one-to-one pairs by largest token overlap."""
    result = Overlap()
    pred_docs = _by_doc(a for a in pred if a.role(role))
    gold_docs = _by_doc(a for a in gold if a.role(role))
    for doc in pred_docs.keys() | gold_docs.keys():
        tok = tokens[doc]
        p_ids = [tok.ids(a.role(role)) for a in pred_docs.get(doc, ())]
        g_ids = [tok.ids(a.role(role)) for a in gold_docs.get(doc, ())]
        result.pred_tokens += sum(map(len, p_ids))
        result.gold_tokens += sum(map(len, g_ids))
        cands = [(len(pi & gj), i, j) for i, pi in enumerate(p_ids) for j, gj in enumerate(g_ids) if pi & gj]
        pairs = _greedy(cands)
        result.overlap += sum(size for size, _, _ in pairs)
        result.pairs += len(pairs)
    return result


def _key(a: Attribution) -> tuple[str, Spans, Spans, Spans]:
    return (a.doc, a.source, a.cue, a.content)


def attribution_pairs(pred: Sequence[Attribution], gold: Sequence[Attribution], *, mode: str,
                      tokens: Mapping[str, Tokens] | None = None) -> list[tuple[Attribution, Attribution]]:
    """One-to-one pairs of whole attributions whose three roles all match.

    ``exact``: every role has the same span set (two missing sources match). ``overlap``: every
    role shares at least one token with its counterpart, or is missing on both sides; pairs are
    chosen by largest total token overlap first. ``overlap`` needs ``tokens``.
    """
    if mode == "exact":
        pool: dict[tuple[str, Spans, Spans, Spans], list[Attribution]] = {}
        for g in gold:
            pool.setdefault(_key(g), []).append(g)
        out = []
        for p in pred:
            waiting = pool.get(_key(p))
            if waiting:
                out.append((p, waiting.pop(0)))
        return out
    if mode != "overlap":
        raise ValueError(f"mode must be 'exact' or 'overlap', not {mode!r}")
    if tokens is None:
        raise ValueError("overlap matching needs the tokens of each document")
    out = []
    gold_docs = _by_doc(gold)
    for doc, preds in _by_doc(pred).items():
        golds = gold_docs.get(doc, [])
        tok = tokens[doc]
        cands = []
        for i, p in enumerate(preds):
            p_ids = [tok.ids(p.role(r)) for r in ROLES]
            for j, g in enumerate(golds):
                total = 0
                for r, pi in zip(ROLES, p_ids, strict=True):
                    if not p.role(r) and not g.role(r):
                        continue
                    shared = len(pi & tok.ids(g.role(r)))
                    if not shared:
                        break
                    total += shared
                else:
                    cands.append((total, i, j))
        out.extend((preds[i], golds[j]) for _, i, j in _greedy(cands))
    return out


def attribution_prf(pred: Sequence[Attribution], gold: Sequence[Attribution], *, mode: str,
                    tokens: Mapping[str, Tokens] | None = None) -> PRF:
    """Attribution-level P/R/F1: a prediction is right when all three roles match a gold attribution."""
    tp = len(attribution_pairs(pred, gold, mode=mode, tokens=tokens))
    return PRF(tp=tp, fp=len(pred) - tp, fn=len(gold) - tp)
