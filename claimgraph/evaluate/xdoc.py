"""Cross-document coreference evaluation (ECB+, MEANTIME) of the corpus entity resolver.

Method, entities:

1. run ``nlp`` and ``entities`` on every document;
2. map each gold entity mention inside ``scored`` to the system entity with a mention
   overlapping it (largest overlap); a gold mention no system entity covers (most
   pronouns and common nouns: "the actress", "who") stays a singleton;
3. resolve the system entities across documents with :class:`EntityResolver`, documents
   in file order, one resolver per topic. The standard ECB+ setting (Cybulska & Vossen
   2015, Barhom et al. 2019) clusters within gold topics, so that is the headline figure;
   a row resolving the whole file with one resolver shows what topic-free resolution
   (the corpus situation) costs. An ECB+ topic is the id prefix before the first ``_``;
   a MEANTIME topic is the file (each file is one topic);
4. score gold clusters (by ``instance``; a null instance is a singleton) against the
   predicted ones: MUC, B³, CEAF-e and CoNLL F1, singletons included, as in the ECB+
   literature (which is why B³ there is high for any clustering that keeps singletons).

A same-head-lemma baseline on the same gold mentions (the spaCy head of the mention's
span, lowercased lemma; one cluster per lemma and topic) puts the figure in context.
Events (``--events``) are scored the same way with the system's event mentions
(:func:`claimgraph.pipeline.event_mentions.find_mentions`) against gold event mentions,
clustered by the event type and trigger lemma within a topic — see ``_event_rows``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimgraph.corpus.resolve import EntityResolver, doc_entities
from claimgraph.evaluate.coref_metrics import Cluster, Score, clusters, conll
from claimgraph.evaluate.data import Record, read_records
from claimgraph.evaluate.scoring import Report
from claimgraph.model import Analysis, Document
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.coref import Resolver, attribution_lexicon
from claimgraph.settings import Settings

STAGE_NAMES = ("nlp", "entities")
Mention = tuple[str, int, int]  # record id, start, end

NOTES = (
    "gold mentions: the layer's mentions inside `scored` ranges; gold clusters by `instance`, a null instance "
    "is a singleton; singletons are scored (MUC ignores them by definition)",
    "system: a gold mention joins the system entity whose mention overlaps it most; uncovered mentions "
    "(pronouns, common nouns the entity layer does not link) are singletons; system entities are resolved "
    "across documents by EntityResolver, documents in file order",
    "topic: one resolver per gold topic, the standard ECB+ setting (ECB+: id prefix before '_'; "
    "MEANTIME: the file); 'whole file' rows use one resolver for everything",
    "baseline: same lowercased head lemma (spaCy head of the mention span) within a topic",
)


@dataclass(frozen=True, slots=True)
class Doc:
    record: Record
    topic: str
    analysis: Analysis


def topic_of(record: Record, path: Path) -> str:
    """ECB+ topics are the id prefix ("12_3ecbplus" -> "12"); elsewhere a file is a topic."""
    if record.corpus == "ecbplus":
        return record.id.split("_", 1)[0]
    return path.stem


def gold_mentions(record: Record, layer: str = "entities") -> list[tuple[Mention, Hashable]]:
    """Scored gold mentions of a layer, each with its cluster label."""
    out: list[tuple[Mention, Hashable]] = []
    for g in record.raw.get(layer) or ():
        start, end = int(g["start"]), int(g["end"])
        if not record.in_scored(start, end):
            continue
        mention = (record.id, start, end)
        out.append((mention, g.get("instance") or ("singleton", *mention)))
    return out


def _head_span(analysis: Analysis, start: int, end: int) -> tuple[int, int]:
    """Character range of the syntactic head of [start, end) (the whole range without a parse)."""
    doc = analysis.doc
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    if span is None or not len(span):
        return start, end
    return span.root.idx, span.root.idx + len(span.root.text)


def _system_entity(analysis: Analysis, start: int, end: int) -> str | None:
    """The entity with a mention over the head of [start, end) ("a rehab facility in Malibu"
    is no mention of Malibu when a facility entity covers "facility"); else the entity with the
    largest mention overlap, if any."""
    head = _head_span(analysis, start, end)
    best, best_size = None, 0
    for lo, hi in (head, (start, end)):
        for ent in analysis.entities:
            for m in ent.mentions:
                size = min(hi, m.end) - max(lo, m.start)
                if size > best_size:
                    best, best_size = ent.id, size
        if best is not None:
            return best
    return None


def _linked_entity(analysis: Analysis, coref: Resolver | None, start: int, end: int) -> str | None:
    """The entity a mention no entity mention covers stands for, by the in-document
    coreference the claims layer uses for sources: "he"/"she" -> the nearest person of that
    gender, "the agency" -> the organisation with that kind noun, a role noun -> the entity
    the text gave that role; a relative pronoun ("who") -> the noun its clause modifies."""
    doc = analysis.doc
    if coref is None or doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    head = span.root
    if head.tag_ in ("WP", "WDT", "WP$") and head.head.dep_ == "relcl":
        noun = head.head.head
        return _system_entity(analysis, noun.idx, noun.idx + len(noun.text)) \
            or _linked_entity(analysis, coref, noun.idx, noun.idx + len(noun.text)) if noun.i != head.i else None
    return coref.source(span[0], span[-1], head).entity


def _head_lemma(analysis: Analysis, start: int, end: int) -> str:
    doc = analysis.doc
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    if span is None or not len(span):
        return analysis.document.text[start:end].lower()
    return str(span.root.lemma_).lower()


def entity_predictions(docs: Sequence[Doc], *, per_topic: bool, link: bool = True) -> tuple[dict[Mention, Hashable], EntityResolver]:
    """Predicted cluster label of every scored gold entity mention (resolver's corpus id, or a singleton)."""
    resolvers: dict[str, EntityResolver] = {}
    predicted: dict[Mention, Hashable] = {}
    for d in docs:
        resolver = resolvers.setdefault(d.topic if per_topic else "", EntityResolver())
        decisions = {dec.doc_entity.id: dec.corpus_id for dec in resolver.resolve(doc_entities(d.analysis))}
        coref = Resolver(d.analysis, attribution_lexicon()) if link and d.analysis.doc is not None else None
        for mention, _ in gold_mentions(d.record):
            ent = _system_entity(d.analysis, mention[1], mention[2]) \
                or _linked_entity(d.analysis, coref, mention[1], mention[2])
            predicted[mention] = ("corpus", d.topic if per_topic else "", decisions[ent]) if ent is not None \
                else ("singleton", *mention)
    merged = EntityResolver()
    if len(resolvers) == 1:
        merged = next(iter(resolvers.values()))
    return predicted, merged


def baseline_predictions(docs: Sequence[Doc], layer: str = "entities") -> dict[Mention, Hashable]:
    return {mention: ("lemma", d.topic, _head_lemma(d.analysis, mention[1], mention[2]))
            for d in docs for mention, _ in gold_mentions(d.record, layer)}


def score_rows(gold: dict[Mention, Hashable], predicted: dict[Mention, Hashable]) -> dict[str, float | int]:
    """B³ P/R/F1, MUC and CEAF-e F1 and the CoNLL F1 (percentages) of one clustering."""
    key: list[Cluster] = clusters(gold)
    response: list[Cluster] = clusters({m: predicted[m] for m in gold})
    s = conll(key, response)
    b3, muc_s, ceaf = s["b3"], s["muc"], s["ceaf_e"]
    assert isinstance(b3, Score) and isinstance(muc_s, Score) and isinstance(ceaf, Score)
    conll_f1 = s["conll_f1"]
    assert isinstance(conll_f1, float)
    return {"b3_p": round(100 * b3.precision, 1), "b3_r": round(100 * b3.recall, 1), "b3_f1": round(100 * b3.f1, 1),
            "muc_f1": round(100 * muc_s.f1, 1), "ceafe_f1": round(100 * ceaf.f1, 1),
            "conll_f1": round(100 * conll_f1, 1), "mentions": len(key and gold), "clusters": len(response)}


def _entity_rows(docs: Sequence[Doc]) -> dict[str, dict[str, float | int]]:
    gold = {m: label for d in docs for m, label in gold_mentions(d.record)}
    rows: dict[str, dict[str, float | int]] = {}
    topic_pred, _ = entity_predictions(docs, per_topic=True)
    rows["entities: resolver (per topic)"] = score_rows(gold, topic_pred)
    file_pred, _ = entity_predictions(docs, per_topic=False)
    rows["entities: resolver (whole file)"] = score_rows(gold, file_pred)
    names_pred, _ = entity_predictions(docs, per_topic=True, link=False)
    rows["entities: resolver, names only (per topic)"] = score_rows(gold, names_pred)
    rows["entities: baseline head lemma"] = score_rows(gold, baseline_predictions(docs))
    rows["entities: all singletons"] = score_rows(gold, {m: m for m in gold})
    covered = sum(1 for label in topic_pred.values() if isinstance(label, tuple) and label[0] == "corpus")
    rows["entities: coverage"] = {"gold_mentions": len(gold), "covered_by_system_entity": covered,
                                  "gold_clusters": len(set(gold.values()))}
    return rows


def load(paths: Iterable[str | Path], *, settings: Settings, split: str | None = None,
         stages: Sequence[str] = STAGE_NAMES) -> list[Doc]:
    """Analyse every record of the files (of one ``split`` when given), in file order."""
    pipeline = Pipeline(settings, stages=stages)
    docs: list[Doc] = []
    for path in map(Path, paths):
        for rec in read_records(path):
            if split is not None and rec.raw.get("split") != split:
                continue
            analysis = pipeline(Document.from_text(rec.text, published=rec.published))
            docs.append(Doc(rec, topic_of(rec, path), analysis))
    return docs


def evaluate(paths: Sequence[str | Path], *, settings: Settings, split: str | None = None) -> Report:
    """Entity cross-document coreference of the resolver on ECB+ / MEANTIME-format files."""
    docs = load(paths, settings=settings, split=split)
    topics = len({d.topic for d in docs})
    report = Report(title=f"Cross-document coreference ({len(docs)} documents, {topics} topics"
                          + (f", split {split}" if split else "") + ")")
    report.rows.update(_entity_rows(docs))
    report.notes.extend(NOTES)
    report.notes.append("files: " + ", ".join(str(p) for p in paths))
    return report


def _unused(_: Any) -> None:  # pragma: no cover
    return None


__all__ = ["entity_predictions", "evaluate", "gold_mentions", "load", "score_rows", "topic_of"]
