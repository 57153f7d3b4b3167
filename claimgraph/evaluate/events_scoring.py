"""Pure scoring for the event evaluation: type classification, dyad linking, argument
attachment and sentence labels.

Nothing here runs the pipeline, so every definition the report states can be tested on
hand-made inputs. The definitions:

* **Type classification (PLV)**: one prediction per gold pair, a PLOVER root type or None
  ("no opinion"). Accuracy counts None as wrong. Per class P/R/F1 counts a None as a
  missed gold class and as no prediction at all (no false positive anywhere). Macro-F1 is
  the mean over the classes that occur in the gold data (PLV has no RETREAT, so a RETREAT
  prediction costs recall on the true class but adds no zero to the mean); ``macro_f1_all``
  also averages in every class only ever predicted (sklearn's default), for comparison.
  PLV's ``YIELD`` is PLOVER's ``CONCEDE`` and is renamed before anything is compared.
* **Dyad linking (PLV, end to end)**: a gold pair is linked when one system event's actor
  span overlaps the gold actor and its recipient span overlaps the gold recipient. A role
  the corpus codes as implicit (null) is not checked.
* **Attachment (MEANTIME)**: for each gold event (in scored ranges) with an Arg0 (resp.
  Arg1), the system events whose trigger overlaps the gold trigger and that have an actor
  (resp. recipient) are the candidates. found = some candidate exists; correct = some
  candidate's argument span overlaps one of the gold argument spans.
* **Sentence labels (IndiaPoliceEvents)**: P/R/F1 per label over sentences, a sentence
  being a true positive for a label when both gold and prediction carry it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from claimgraph.evaluate.scoring import PRF

Range = tuple[int, int]

#: label names a corpus uses for PLOVER root types under an older name
RENAMED = {"YIELD": "CONCEDE"}


def plover_type(label: str) -> str:
    """The contract's name for a corpus's event type label (PLV's YIELD is CONCEDE)."""
    upper = label.strip().upper()
    return RENAMED.get(upper, upper)


def overlaps(a: Range, b: Range) -> bool:
    """Do two character ranges share at least one character?"""
    return a[0] < b[1] and b[0] < a[1]


# --- type classification ----------------------------------------------------------------------

@dataclass(slots=True)
class Classification:
    """Per-class counts of a single-label classification where a prediction may be None."""

    per_class: dict[str, PRF] = field(default_factory=dict)
    gold_classes: set[str] = field(default_factory=set)
    total: int = 0
    correct: int = 0
    abstained: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def macro_f1(self, *, include_predicted_only: bool = False) -> float:
        classes = set(self.per_class) if include_predicted_only else self.gold_classes
        return sum(self.per_class[c].f1 for c in classes) / len(classes) if classes else 0.0

    def rows(self, prefix: str = "type") -> dict[str, dict[str, float | int]]:
        """Report rows: the summary first, then one per class, by gold frequency."""
        out: dict[str, dict[str, float | int]] = {f"{prefix} summary": {
            "macro_f1": round(100 * self.macro_f1(), 1),
            "macro_f1_all": round(100 * self.macro_f1(include_predicted_only=True), 1),
            "accuracy": round(100 * self.accuracy, 1), "n": self.total, "correct": self.correct,
            "no_opinion": self.abstained,
        }}
        order = sorted(self.per_class, key=lambda c: (-(self.per_class[c].tp + self.per_class[c].fn), c))
        for name in order:
            out[f"{prefix} {name}"] = self.per_class[name].as_dict()
        return out


def classify(gold: Sequence[str], pred: Sequence[str | None]) -> Classification:
    """Score predicted types against gold types, position by position (both renamed first)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predictions")
    out = Classification()
    for g_raw, p_raw in zip(gold, pred, strict=True):
        g = plover_type(g_raw)
        p = None if p_raw is None else plover_type(p_raw)
        out.total += 1
        out.gold_classes.add(g)
        out.per_class.setdefault(g, PRF())
        if p is None:
            out.abstained += 1
            out.per_class[g].fn += 1
        elif p == g:
            out.correct += 1
            out.per_class[g].tp += 1
        else:
            out.per_class[g].fn += 1
            out.per_class.setdefault(p, PRF()).fp += 1
    return out


# --- dyads and arguments ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SysEvent:
    """What the scorers need of a system event: trigger, argument spans and type."""

    trigger: Range
    actor: Range | None
    recipient: Range | None
    type: str | None = None


def links_pair(events: Iterable[SysEvent], actor: Range | None, recipient: Range | None,
               *, type: str | None = None) -> bool:
    """Does some event join the gold actor and recipient (and carry ``type``, when given)?"""
    want = None if type is None else plover_type(type)
    for ev in events:
        if want is not None and (ev.type is None or plover_type(ev.type) != want):
            continue
        if actor is not None and (ev.actor is None or not overlaps(ev.actor, actor)):
            continue
        if recipient is not None and (ev.recipient is None or not overlaps(ev.recipient, recipient)):
            continue
        if actor is None and recipient is None:
            continue  # nothing to link
        return True
    return False


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """A gold event mention with its argument spans by PropBank role."""

    trigger: Range
    args: Mapping[str, tuple[Range, ...]]
    type: str | None = None


@dataclass(slots=True)
class Attachment:
    gold: int = 0
    found: int = 0
    correct: int = 0

    def add(self, other: Attachment) -> None:
        self.gold += other.gold
        self.found += other.found
        self.correct += other.correct

    def as_dict(self) -> dict[str, float | int]:
        return {"gold": self.gold, "found": self.found, "correct": self.correct,
                "accuracy": round(100 * self.correct / self.found, 1) if self.found else 0.0,
                "coverage": round(100 * self.found / self.gold, 1) if self.gold else 0.0,
                "correct_of_gold": round(100 * self.correct / self.gold, 1) if self.gold else 0.0}


def attachment(gold: Iterable[GoldEvent], system: Sequence[SysEvent], *, role: str) -> Attachment:
    """Score the system's actor (role Arg0) or recipient (role Arg1) against gold arguments."""
    if role not in ("Arg0", "Arg1"):
        raise ValueError(f"role must be 'Arg0' or 'Arg1', not {role!r}")
    out = Attachment()
    for g in gold:
        spans = g.args.get(role, ())
        if not spans:
            continue
        out.gold += 1
        candidates = [ev.actor if role == "Arg0" else ev.recipient for ev in system
                      if overlaps(ev.trigger, g.trigger)]
        args = [a for a in candidates if a is not None]
        if not args:
            continue
        out.found += 1
        if any(overlaps(a, s) for a in args for s in spans):
            out.correct += 1
    return out


# --- sentence labels --------------------------------------------------------------------------

def label_scores(gold: Sequence[frozenset[str]], pred: Sequence[frozenset[str]],
                 labels: Sequence[str]) -> dict[str, PRF]:
    """P/R/F1 per label over aligned sentences (gold[i] and pred[i] are the same sentence)."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    out = {label: PRF() for label in labels}
    for g, p in zip(gold, pred, strict=True):
        for label in labels:
            if label in g and label in p:
                out[label].tp += 1
            elif label in p:
                out[label].fp += 1
            elif label in g:
                out[label].fn += 1
    return out


def in_sentence(start: int, sentences: Sequence[Range]) -> int | None:
    """Index of the sentence range holding character ``start``, or None (sentences sorted)."""
    lo, hi = 0, len(sentences)
    while lo < hi:
        mid = (lo + hi) // 2
        s, e = sentences[mid]
        if start < s:
            hi = mid
        elif start >= e:
            lo = mid + 1
        else:
            return mid
    return None


__all__ = ["RENAMED", "Attachment", "Classification", "GoldEvent", "Range", "SysEvent", "attachment",
           "classify", "in_sentence", "label_scores", "links_pair", "overlaps", "plover_type"]
