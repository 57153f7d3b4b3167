"""Cross-document entity coreference (ECB+, MEANTIME): how well the corpus entity
resolver groups mentions of the same actor across articles.

Method:

1. run ``nlp`` and ``entities`` on every document;
2. give each gold entity mention inside ``scored`` a system entity: the one with a mention
   over the gold mention's syntactic head, else the one whose mention overlaps it most
   (names); else the entity the in-document coreference of the claims layer resolves the
   phrase to (:class:`claimgraph.pipeline.coref.Resolver`: "she"/"herself" the nearest
   person of that gender, "the agency", a role noun; a relative "who"/"where" takes the
   noun its clause modifies);
3. resolve the system entities across documents with :class:`EntityResolver`, documents
   in file order, one resolver per topic, and label each mention with its corpus entity.
   The standard ECB+ setting (Cybulska & Vossen 2015; Barhom et al. 2019) clusters within
   gold topics, so that is the headline; the ``whole file`` row runs one resolver over all
   topics, the situation of a real corpus. An ECB+ topic is the id prefix before the first
   ``_``; a MEANTIME topic is the file (each file holds one topic);
4. a mention with no system entity (ECB+ annotates common nouns and pronouns: "the
   actress", "rehab", "police") is a singleton in the ``resolver`` rows. The ``+ nominals``
   row shows what a lexical nominal layer adds on top: a common-noun mention joins the
   entity of its article that the corpus gave that role noun ("actress Tara Reid"
   elsewhere makes "the actress" Tara Reid), else the corpus entity that most mentions
   with its head lemma joined in the topic, else a cluster of its head lemma in the topic;
   pronouns with no antecedent stay singletons;
5. score the gold clusters (by ``instance``; a null instance is a singleton) against these
   with MUC, B³, CEAF-e and CoNLL F1, singletons included as in the ECB+ literature.

The baseline puts gold mentions with the same lowercased head lemma (spaCy) of one topic
in one cluster, the usual "same lemma" baseline. Events are scored by
:mod:`claimgraph.evaluate.xdoc_events` on the same analyses (a section of this report).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from claimgraph.corpus.resolve import EntityResolver, doc_entities
from claimgraph.evaluate.coref_metrics import clusters, conll
from claimgraph.evaluate.data import Record, read_records
from claimgraph.evaluate.scoring import Report
from claimgraph.model import Analysis, Document
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.coref import Resolver, attribution_lexicon
from claimgraph.settings import Settings

STAGE_NAMES = ("nlp", "entities")
Mention = tuple[str, int, int]  # record id, start, end
Labels = dict[Mention, Hashable]

#: pronoun lemmas: a pronoun the in-document coreference cannot resolve stays a singleton
#: (clustering every "he" of a topic would be no resolution at all)
PRONOUNS = frozenset({
    "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your", "yours", "he", "him",
    "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their", "theirs",
    "themselves", "who", "whom", "whose", "which", "that", "this", "these", "those", "where", "there", "here", "one",
})

#: personal pronouns, reflexives included, with the gender of the person they take
GENDERED = {**dict.fromkeys(("he", "him", "his", "himself"), "m"),
            **dict.fromkeys(("she", "her", "hers", "herself"), "f")}

NOTES = (
    "gold: mentions inside `scored` ranges, clustered by `instance` (null = singleton); scores with singletons, "
    "MUC ignores them by definition",
    "resolver: a gold mention takes the system entity with a mention over its head (else the largest overlap), "
    "else the entity the claims layer's in-document coreference resolves it to (he/himself: nearest person of that "
    "gender; who/where: the noun its clause modifies); entities are resolved across "
    "documents by EntityResolver in file order; mentions with no entity are singletons",
    "names only: the same without in-document coreference (gold mentions that overlap no entity mention are "
    "singletons)",
    "+ nominals: a common-noun mention with no entity joins the entity of its article the corpus gave that role "
    "noun, else the corpus entity most same-lemma mentions of the topic joined, else a same-lemma cluster of the "
    "topic (an evaluation-side nominal layer, not part of the resolver)",
    "per topic: one resolver per gold topic (ECB+: id prefix before '_'; MEANTIME: the file), the standard ECB+ "
    "setting; whole file: one resolver over all topics",
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


def _span(analysis: Analysis, start: int, end: int) -> Any:
    doc = analysis.doc
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    return span if span is not None and len(span) else None


def head_lemma(analysis: Analysis, start: int, end: int) -> str:
    span = _span(analysis, start, end)
    return str(span.root.lemma_).lower() if span is not None else analysis.document.text[start:end].lower()


def system_entity(analysis: Analysis, start: int, end: int) -> str | None:
    """The entity with a mention over the head of [start, end) ("a rehab facility in Malibu"
    is no mention of Malibu when an entity covers "facility"), else the entity whose mention
    overlaps the range most, if any."""
    span = _span(analysis, start, end)
    head = (span.root.idx, span.root.idx + len(span.root.text)) if span is not None else (start, end)
    for lo, hi in (head, (start, end)):
        best, best_size = None, 0
        for ent in analysis.entities:
            for m in ent.mentions:
                size = min(hi, m.end) - max(lo, m.start)
                if size > best_size:
                    best, best_size = ent.id, size
        if best is not None:
            return best
    return None


def linked_entity(analysis: Analysis, coref: Resolver, start: int, end: int, depth: int = 0) -> str | None:
    """The entity a phrase no entity mention covers stands for, by the claims layer's
    in-document coreference: "he"/"himself" -> the nearest person of that gender (else the
    nearest person), "it"/"they" -> the nearest organisation, "the agency" -> the
    organisation of that kind, a role noun -> the entity the text gave that role; a relative
    pronoun ("who", "where") -> the entity of the noun its clause modifies."""
    span = _span(analysis, start, end)
    if span is None:
        return None
    head = span.root
    if head.tag_ in ("WP", "WDT", "WP$", "WRB") and depth == 0:
        clause = next((t for t in head.ancestors if t.dep_ == "relcl"), None)
        if clause is None or clause.head.i == head.i:
            return None
        noun = clause.head
        lo, hi = noun.idx, noun.idx + len(noun.text)
        return system_entity(analysis, lo, hi) or linked_entity(analysis, coref, lo, hi, depth + 1)
    gender = GENDERED.get(head.lower_)
    if gender is not None:
        person = frozenset({"PERSON"})
        return coref.recent(start, types=person, gender=gender) or coref.recent(start, types=person)
    return coref.source(span[0], span[-1], head).entity


def entity_labels(docs: Sequence[Doc], *, per_topic: bool = True, link: bool = True,
                  nominals: bool = False) -> Labels:
    """Predicted cluster label of every scored gold entity mention."""
    resolvers: dict[str, EntityResolver] = {}
    labels: Labels = {}
    open_nominals: list[tuple[Mention, str, str, EntityResolver, tuple[str, ...]]] = []
    votes: dict[tuple[str, str], Counter[Hashable]] = {}
    for d in docs:
        scope = d.topic if per_topic else ""
        resolver = resolvers.setdefault(scope, EntityResolver())
        corpus_id = {dec.doc_entity.id: dec.corpus_id for dec in resolver.resolve(doc_entities(d.analysis))}
        coref = Resolver(d.analysis, attribution_lexicon()) if link and d.analysis.doc is not None else None
        for mention, _ in gold_mentions(d.record):
            _, start, end = mention
            ent = system_entity(d.analysis, start, end)
            if ent is None and coref is not None:
                ent = linked_entity(d.analysis, coref, start, end)
            lemma = head_lemma(d.analysis, start, end)
            if ent is not None:
                labels[mention] = ("corpus", scope, corpus_id[ent])
                votes.setdefault((scope, lemma), Counter())[labels[mention]] += 1
            elif nominals and lemma not in PRONOUNS:
                open_nominals.append((mention, scope, lemma, resolver, tuple(corpus_id.values())))
            else:
                labels[mention] = ("singleton", *mention)
    for mention, scope, lemma, resolver, here in open_nominals:
        role = _by_role(resolver, here, lemma)
        vote = votes.get((scope, lemma))
        labels[mention] = ("corpus", scope, role) if role else vote.most_common(1)[0][0] if vote \
            else ("lemma", scope, lemma)
    return labels


def _by_role(resolver: EntityResolver, here: Sequence[str], noun: str) -> str | None:
    """The one corpus entity of this article that some article of the corpus gave this role noun
    ("actress Tara Reid" elsewhere makes "the actress" here Tara Reid), the most often given if several."""
    ranked = sorted(((resolver.entities[cid].roles[noun], cid) for cid in set(here) if cid in resolver.entities),
                    reverse=True)
    if not ranked or ranked[0][0] == 0 or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1]


def baseline_labels(docs: Sequence[Doc], layer: str = "entities") -> Labels:
    return {mention: ("lemma", d.topic, head_lemma(d.analysis, mention[1], mention[2]))
            for d in docs for mention, _ in gold_mentions(d.record, layer)}


def score_row(gold: Labels, predicted: Labels) -> dict[str, float | int]:
    """B³ P/R/F1, MUC and CEAF-e F1 and CoNLL F1 (percentages) of one clustering of the gold mentions."""
    response = clusters({m: predicted.get(m, ("singleton", m)) for m in gold})
    key = clusters(gold)
    s = conll(key, response)
    return {"b3_p": round(100 * s.b3.precision, 1), "b3_r": round(100 * s.b3.recall, 1),
            "b3_f1": round(100 * s.b3.f1, 1), "muc_f1": round(100 * s.muc.f1, 1),
            "ceafe_f1": round(100 * s.ceaf_e.f1, 1), "conll_f1": round(100 * s.conll_f1, 1),
            "clusters": len(response)}


def load(paths: Iterable[str | Path], *, settings: Settings, split: str | None = None,
         stages: Sequence[str] = STAGE_NAMES) -> list[Doc]:
    """Analyse every record of the files (of one ``split`` when given), in file order."""
    pipeline = Pipeline(settings, stages=stages)
    docs: list[Doc] = []
    for path in map(Path, paths):
        for rec in read_records(path):
            if split is None or rec.raw.get("split") == split:
                docs.append(Doc(rec, topic_of(rec, path), pipeline(Document.from_text(rec.text,
                                                                                     published=rec.published))))
    return docs


def score_documents(docs: Sequence[Doc]) -> dict[str, dict[str, float | int]]:
    gold = {m: label for d in docs for m, label in gold_mentions(d.record)}
    resolved = entity_labels(docs)
    rows = {
        "resolver (per topic)": score_row(gold, resolved),
        "resolver, names only": score_row(gold, entity_labels(docs, link=False)),
        "resolver (whole file)": score_row(gold, entity_labels(docs, per_topic=False)),
        "resolver + nominals (per topic)": score_row(gold, entity_labels(docs, nominals=True)),
        "resolver + nominals (whole file)": score_row(gold, entity_labels(docs, per_topic=False, nominals=True)),
        "baseline: same head lemma": score_row(gold, baseline_labels(docs)),
        "all singletons": score_row(gold, {m: ("singleton", m) for m in gold}),
    }
    linked = sum(1 for v in resolved.values() if isinstance(v, tuple) and v[0] == "corpus")
    rows["counts"] = {"documents": len(docs), "topics": len({d.topic for d in docs}), "gold_mentions": len(gold),
                      "gold_clusters": len(set(gold.values())), "with_system_entity": linked}
    return rows


def evaluate(paths: Sequence[str | Path], *, settings: Settings, split: str | None = None) -> Report:
    """Cross-document entity coreference of the resolver on ECB+ / MEANTIME-format files, with
    the event table of :mod:`claimgraph.evaluate.xdoc_events` as a section: one pipeline pass up
    to ``events`` serves both (later stages add layers, the entities stay the same)."""
    from claimgraph.evaluate import xdoc_events

    docs = load(paths, settings=settings, split=split, stages=xdoc_events.STAGE_NAMES)
    report = Report(title=f"Cross-document entity coreference ({len(docs)} documents"
                          + (f", split {split}" if split else "") + ")")
    report.rows.update(score_documents(docs))
    report.notes.extend(NOTES)
    report.notes.append("files: " + ", ".join(str(p) for p in paths))
    report.sections.append(xdoc_events.report(docs, split=split, files=paths))
    return report


__all__ = ["Doc", "baseline_labels", "entity_labels", "evaluate", "gold_mentions", "load", "score_documents",
           "score_row", "topic_of"]
