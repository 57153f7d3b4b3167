"""Time-expression evaluation on MEANTIME-style data: detection P/R/F1 and value accuracy.

Detection is scored exactly and by overlap, inside ``scored`` ranges only. Value
accuracy is measured on what was detected: over the overlap-matched pairs whose gold
value is not null, the share whose predicted value equals the gold one. Gold values
the contract cannot express are set aside and counted, not scored: ``XXXX-XX-XX``
("a later time"), ``PAST_REF`` and ``FUTURE_REF`` ("recently", "the future") have no
ISO 8601 form, and the time layer gives such expressions no value on purpose.
``PRESENT_REF`` ("currently") is the publication date, which is what the layer gives.
Durations are compared on the ``duration`` field. A trailing unknown part of a gold
value ("mid-2011" is ``2011-06-XX``) is dropped, since it states no more than its
known prefix does.

The bare spaCy DATE/TIME entities are scored in the same run as the baseline.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from claimgraph.evaluate.data import read_many
from claimgraph.evaluate.scoring import Item, Report, match_pairs, score
from claimgraph.model import Document, Timex
from claimgraph.pipeline import Pipeline
from claimgraph.settings import Settings

_UNKNOWN_TAIL = re.compile(r"(?:-X+)+$")


def unresolvable(gold_value: str) -> str | None:
    """Why a gold value cannot be scored (``XXXX``, ``PAST_REF``, ``FUTURE_REF``), or None if it can."""
    if gold_value in ("PAST_REF", "FUTURE_REF"):
        return gold_value
    if gold_value.startswith("X") or "XXXX" in gold_value:
        return "XXXX"
    return None


def value_matches(pred: Timex, gold_value: str, published: str | None) -> bool:
    """Does the predicted timex carry the gold value (see the module docstring for the rules)?"""
    if gold_value == "PRESENT_REF":
        return pred.value is not None and pred.value == published
    if gold_value.startswith("P"):
        return (pred.duration or pred.value) == gold_value
    return pred.value == _UNKNOWN_TAIL.sub("", gold_value)


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
    right_all = n_all = 0
    type_right = 0
    by_type: dict[str, list[int]] = {}
    for p_item, g_item in pairs:
        pred, g = pred_info[p_item], gold_info[g_item]
        type_right += pred.type == g["type"]
        value = g.get("value")
        if value is None:
            continue
        reason = unresolvable(value)
        n_all += 1
        if reason:
            excluded[reason] += 1
            right_all += pred.value is None and pred.duration is None
            continue
        ok = value_matches(pred, value, published[g_item.doc])
        right += ok
        right_all += ok
        n += 1
        counts = by_type.setdefault(g["type"], [0, 0])
        counts[0] += ok
        counts[1] += 1

    report.rows["value accuracy"] = {"acc": _pct(right, n), "n": n, "correct": right}
    report.rows["value accuracy, unresolvable gold included (right when no value)"] = {
        "acc": _pct(right_all, n_all), "n": n_all, "correct": right_all}
    report.rows["excluded from value accuracy"] = {"XXXX": excluded["XXXX"], "PAST_REF": excluded["PAST_REF"],
                                                   "FUTURE_REF": excluded["FUTURE_REF"]}
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
        "value accuracy: overlap-matched pairs with a non-null gold value; XXXX, PAST_REF and FUTURE_REF "
        "gold values have no ISO 8601 form and are excluded (counted above); PRESENT_REF = publication date; "
        "durations compared on the duration field; trailing -XX of a gold value dropped")
    report.notes.append("files: " + ", ".join(str(p) for p in paths))
    return report


__all__ = ["evaluate", "unresolvable", "value_matches"]
