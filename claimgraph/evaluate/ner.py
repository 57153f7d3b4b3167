"""Named-entity evaluation: typed P/R/F1, exact and overlap, against bare spaCy on the same texts.

Every entity mention claimgraph outputs is a prediction, typed by its entity's type (one type
per entity, decided over all its mentions). The sets have coarser types than ours, so all are
scored on MEANTIME's (PER, ORG, LOC, PRO, EVENT; see :mod:`claimgraph.evaluate.ner_gold` for
how MEANTIME, ECB+, GUM and the project's own articles are read). The bare spaCy pipeline's
own entities are scored in the same run on the same texts, as the baseline the entity layer
has to beat, overall and per type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from claimgraph.evaluate.data import Record, read_many
from claimgraph.evaluate.ner_gold import TO_MEANTIME, gold_items
from claimgraph.evaluate.scoring import Item, Report, score, score_any_overlap
from claimgraph.model import Document
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.mentions import LABEL_TYPES, NON_NAME_LABELS
from claimgraph.settings import Settings

__all__ = ["TO_MEANTIME", "evaluate"]


def _keep(items: Iterable[Item], rec: Record, neutral: Sequence[Item]) -> list[Item]:
    return [p for p in items if rec.in_scored(p.start, p.end)
            and not any(p.start < n.end and n.start < p.end for n in neutral)]


def evaluate(paths: Sequence[str | Path], *, settings: Settings, split: str | None = None) -> Report:
    """Score the entity layer and bare spaCy on ``paths`` (only records of ``split`` if given)."""
    records = [r for r in read_many(paths) if split is None or r.raw.get("split") == split]
    pipeline = Pipeline(settings, stages=("nlp", "entities"))
    gold: list[Item] = []
    ours: list[Item] = []
    spacy: list[Item] = []
    for rec in records:
        analysis = pipeline(Document.from_text(rec.text, published=rec.published))
        rec_gold, neutral = gold_items(rec)
        gold.extend(rec_gold)
        ours.extend(_keep((Item(rec.id, m.start, m.end, TO_MEANTIME[e.type])
                           for e in analysis.entities for m in e.mentions), rec, neutral))
        spacy.extend(_keep((Item(rec.id, e.start_char, e.end_char,
                                 TO_MEANTIME[LABEL_TYPES.get(e.label_, "OTHER")])
                            for e in analysis.doc.ents if e.label_ not in NON_NAME_LABELS), rec, neutral))
    report = Report(title=f"NER, typed, inside scored ranges ({len(records)} documents, {len(gold)} gold names)")
    for name, pred in (("claimgraph", ours), ("bare spaCy", spacy)):
        for mode in ("exact", "overlap"):
            report.rows[f"{name} {mode}"] = score(pred, gold, mode=mode, typed=True).as_dict()
        report.rows[f"{name} any-overlap"] = score_any_overlap(pred, gold, typed=True)
    for label in sorted({g.label for g in gold if g.label}):
        label_gold = [g for g in gold if g.label == label]
        for name, pred in (("claimgraph", ours), ("bare spaCy", spacy)):
            report.rows[f"{name} exact {label} ({len(label_gold)} gold)"] = score(
                [p for p in pred if p.label == label], label_gold, mode="exact", typed=True).as_dict()
    nested = sum(any(o is not g and o.doc == g.doc and o.start <= g.start and g.end <= o.end
                     and (o.start, o.end) != (g.start, g.end) for o in gold) for g in gold)
    report.notes.append("types mapped to MEANTIME: PERSON->PER, ORG->ORG, GPE/LOC/FAC/NORP->LOC, "
                        "PRODUCT/WORK_OF_ART/LAW->PRO; gold names with no type are neutral")
    report.notes.append(f"overlap pairs predictions and gold one to one; any-overlap does not. {nested} of "
                        f"{len(gold)} gold names lie inside another gold name, which one-to-one cannot credit "
                        "twice")
    return report
