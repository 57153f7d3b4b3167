"""Time-expression evaluation on MEANTIME-style data: detection, value F1 and value accuracy.

Detection is scored exactly and by overlap, inside ``scored`` ranges only. The headline
figure is **value F1** as TempEval-3 counts it: a prediction is right when it overlaps a
gold expression (one to one) *and* carries its TimeML value; precision divides by every
prediction, recall by every gold expression. Every gold value counts, durations
(``P3Y``, compared with the timex's ``value``, which holds the length as TimeML does)
and the reference values (``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``) included; a gold
value the layer cannot give (``XXXX-XX-XX``, "a later time") simply counts as missed.
A trailing unknown part of a gold value ("mid-2011" is ``2011-06-XX``) is dropped, since
it states no more than its known prefix does.

Value accuracy on what was detected (over the overlap-matched pairs) is reported beside
it, as is the bare spaCy DATE/TIME detection of the same run as the baseline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimgraph.evaluate.data import read_many
from claimgraph.evaluate.scoring import PRF, Item, Report, match_pairs, score
from claimgraph.model import Document, Timex
from claimgraph.pipeline import Pipeline
from claimgraph.settings import Settings

_UNKNOWN_TAIL = re.compile(r"(?:-X+)+$")


def unresolvable(gold_value: str) -> str | None:
    """Why a gold value has no ISO 8601 or TimeML form the layer gives (``XXXX``), or None."""
    if gold_value.startswith("X") or "XXXX" in gold_value:
        return "XXXX"
    return None


def timeml_value(pred: Timex) -> str | None:
    """The TimeML value of a prediction: its ``value``, or its length for a duration."""
    return pred.value or pred.duration


def value_matches(pred: Timex, gold_value: str, published: str | None = None) -> bool:
    """Does the predicted timex carry the gold value (see the module docstring for the rules)?"""
    if gold_value.startswith("P") and gold_value not in ("PRESENT_REF", "PAST_REF"):
        return gold_value in (pred.value, pred.duration)
    return pred.value is not None and pred.value in (gold_value, _UNKNOWN_TAIL.sub("", gold_value))


def _pct(k: int, n: int) -> float:
    return round(100 * k / n, 1) if n else 0.0


def evaluate(paths: Sequence[str | Path], *, settings: Settings) -> Report:
    """Score the ``time`` stage on MEANTIME-format files (``timex`` layer, ``published`` as anchor)."""
    records = read_many(paths)
    pipeline = Pipeline(settings, stages=("nlp", "time"))
    gold: list[Item] = []
    ours: list[Item] = []
    spacy: list[Item] = []
    gold_info: dict[Item, dict[str, Any]] = {}
    pred_info: dict[Item, Timex] = {}
    published: dict[str, str | None] = {}
    for rec in records:
        analysis = pipeline(Document.from_text(rec.text, published=rec.published))
        published[rec.id] = rec.published
        for t in rec.layer("timex"):
            if rec.in_scored(t["start"], t["end"]):
                item = Item(rec.id, t["start"], t["end"])
                if item not in gold_info:
                    gold.append(item)
                    gold_info[item] = t
        for tx in analysis.timex:
            if rec.in_scored(tx.span.start, tx.span.end):
                item = Item(rec.id, tx.span.start, tx.span.end)
                ours.append(item)
                pred_info[item] = tx
        spacy.extend(Item(rec.id, e.start_char, e.end_char) for e in analysis.doc.ents
                     if e.label_ in ("DATE", "TIME") and rec.in_scored(e.start_char, e.end_char))

    report = Report(title=f"Time expressions inside scored ranges ({len(records)} documents, "
                          f"{len(gold)} gold timex)")
    for mode in ("exact", "overlap"):
        report.rows[f"detection {mode}"] = score(ours, gold, mode=mode).as_dict()
    for mode in ("exact", "overlap"):
        report.rows[f"bare spaCy DATE/TIME {mode}"] = score(spacy, gold, mode=mode).as_dict()

    pairs = match_pairs(ours, gold, mode="overlap", typed=False)
    excluded: Counter[str] = Counter()
    right = n = 0
    type_right = 0
    by_type: dict[str, list[int]] = {}
    for p_item, g_item in pairs:
        pred, g = pred_info[p_item], gold_info[g_item]
        type_right += pred.type == g["type"]
        value = g.get("value")
        if value is None:
            continue
        reason = unresolvable(value)
        if reason:
            excluded[reason] += 1
        ok = value_matches(pred, value, published[g_item.doc])
        right += ok
        n += 1
        counts = by_type.setdefault(g["type"], [0, 0])
        counts[0] += ok
        counts[1] += 1

    prf = PRF(tp=right, fp=len(set(ours)) - right, fn=len(gold) - right)
    report.rows["value F1"] = {"p": round(100 * prf.precision, 1), "r": round(100 * prf.recall, 1),
                               "f1": round(100 * prf.f1, 1), "correct": right, "pred": len(set(ours)),
                               "gold": len(gold)}
    report.rows["value accuracy on detected"] = {"acc": _pct(right, n), "n": n, "correct": right}
    report.rows["gold values without a form the layer gives"] = {"XXXX": excluded["XXXX"]}
    report.rows["type accuracy on detected"] = {"acc": _pct(type_right, len(pairs)), "n": len(pairs)}
    for label, (k, total) in sorted(by_type.items()):
        report.rows[f"value accuracy {label}"] = {"acc": _pct(k, total), "n": total}
    report.rows["gold types"] = dict(sorted(Counter(gold_info[g]["type"] for g in gold).items()))
    report.rows["predicted types"] = dict(sorted(Counter(pred_info[p].type for p in ours).items()))
    matched_gold = {g for _, g in pairs}
    report.rows["overlap recall by gold type"] = {
        label: _pct(sum(1 for g in gold if gold_info[g]["type"] == label and g in matched_gold), total)
        for label, total in sorted(Counter(gold_info[g]["type"] for g in gold).items())
    }
    report.notes.append(
        "value F1 (TempEval-3): overlap-matched and same TimeML value, over all predictions and all gold; "
        "durations and PRESENT_REF/PAST_REF/FUTURE_REF counted; trailing -XX of a gold value dropped")
    report.notes.append("files: " + ", ".join(str(p) for p in paths))
    return report


__all__ = ["evaluate", "timeml_value", "unresolvable", "value_matches"]
