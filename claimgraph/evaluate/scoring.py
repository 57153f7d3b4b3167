"""Span-matching scores shared by every evaluation: exact and overlap P/R/F1.

Exact: same (start, end) and, when typed, the same label. Overlap: a one-to-one
greedy matching of predicted to gold spans that share at least one character (and the
label, when typed), largest overlap first, so that one long prediction cannot claim
several gold spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Item:
    doc: str
    start: int
    end: int
    label: str | None = None


@dataclass(slots=True)
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {"p": round(100 * self.precision, 1), "r": round(100 * self.recall, 1),
                "f1": round(100 * self.f1, 1), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def match_pairs(
    pred: Sequence[Item], gold: Sequence[Item], *, mode: str, typed: bool
) -> list[tuple[Item, Item]]:
    """One-to-one matching of predictions to gold items (same document), exact or overlap."""
    pairs: list[tuple[int, Item, Item]] = []
    if mode == "exact":
        index = {(g.doc, g.start, g.end, g.label if typed else None): g for g in gold}
        return [(p, index[(p.doc, p.start, p.end, p.label if typed else None)]) for p in pred
                if (p.doc, p.start, p.end, p.label if typed else None) in index]
    if mode != "overlap":
        raise ValueError(f"mode must be 'exact' or 'overlap', not {mode!r}")
    by_doc: dict[str, list[Item]] = {}
    for g in gold:
        by_doc.setdefault(g.doc, []).append(g)
    for p in pred:
        for g in by_doc.get(p.doc, ()):
            size = min(p.end, g.end) - max(p.start, g.start)
            if size > 0 and (not typed or p.label == g.label):
                pairs.append((size, p, g))
    pairs.sort(key=lambda t: -t[0])
    used_p: set[Item] = set()
    used_g: set[Item] = set()
    out: list[tuple[Item, Item]] = []
    for _, p, g in pairs:
        if p not in used_p and g not in used_g:
            used_p.add(p)
            used_g.add(g)
            out.append((p, g))
    return out


def score(pred: Iterable[Item], gold: Iterable[Item], *, mode: str, typed: bool = False) -> PRF:
    pred_l = list(dict.fromkeys(pred))
    gold_l = list(dict.fromkeys(gold))
    tp = len(match_pairs(pred_l, gold_l, mode=mode, typed=typed))
    return PRF(tp=tp, fp=len(pred_l) - tp, fn=len(gold_l) - tp)


def score_any_overlap(pred: Iterable[Item], gold: Iterable[Item], *, typed: bool = False) -> dict[str, float | int]:
    """Lenient overlap: a prediction is right when it overlaps some gold item, a gold item is
    found when some prediction overlaps it (same label when typed), with no one-to-one
    pairing. Corpora that annotate nested names (MEANTIME lists both "Airbus parent EADS"
    and "EADS") cap one-to-one recall for any system that outputs non-nested mentions."""
    pred_l = list(dict.fromkeys(pred))
    gold_l = list(dict.fromkeys(gold))

    def hit(a: Item, b: Item) -> bool:
        return a.doc == b.doc and a.start < b.end and b.start < a.end and (not typed or a.label == b.label)

    by_doc: dict[str, list[Item]] = {}
    for g in gold_l:
        by_doc.setdefault(g.doc, []).append(g)
    pred_by_doc: dict[str, list[Item]] = {}
    for q in pred_l:
        pred_by_doc.setdefault(q.doc, []).append(q)
    right = sum(any(hit(q, g) for g in by_doc.get(q.doc, ())) for q in pred_l)
    found = sum(any(hit(q, g) for q in pred_by_doc.get(g.doc, ())) for g in gold_l)
    p = right / len(pred_l) if pred_l else 0.0
    r = found / len(gold_l) if gold_l else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f1": round(100 * f1, 1),
            "pred_right": right, "gold_found": found}


@dataclass(slots=True)
class Report:
    """A named table of figures an evaluator prints (and ``bench/`` copies into RESULTS.md)."""

    title: str
    rows: dict[str, dict[str, float | int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: further tables of the same run (cross-document events after entities): one pipeline pass, several tables
    sections: list[Report] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"title": self.title, "rows": self.rows, "notes": self.notes}
        if self.sections:
            out["sections"] = [section.as_dict() for section in self.sections]
        return out
