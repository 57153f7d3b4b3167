"""Event evaluation on PLV, MEANTIME and IndiaPoliceEvents data (``claimgraph evaluate events``).

The records' corpus picks the evaluation (one corpus per run):

* **PLV** (``pairs``): event *typing* given the gold dyad. For each gold pair the system is
  asked, through ``claimgraph.pipeline.events.type_for_pair``, which PLOVER root type the
  event linking the gold actor and recipient has; accuracy and macro-F1 over the root types
  (PLV's YIELD is CONCEDE). A pair with an implicit (null) actor or recipient gets no
  question and counts as "no opinion". End to end, whether some event of the events layer
  joins the gold actor and recipient at all, and with the right type.
* **MEANTIME** (``events`` with PropBank args, ``scored`` ranges): event-mention detection,
  every mention of ``find_mentions`` (reporting verbs included, since MEANTIME annotates
  "said") against every gold event mention, one-to-one, by overlap and exactly, inside scored
  ranges only; an every-verb baseline from the same spaCy parse; and actor/recipient
  attachment of the events layer against the gold Arg0/Arg1.
* **IndiaPoliceEvents** (``sentences``): sentence labels KILL, ARREST, FORCE, FAIL and
  ANY_ACTION predicted from the events found, by the mapping of
  :mod:`claimgraph.evaluate.ipe_labels`; P/R/F1 per label over every sentence.

The exact definitions are in :mod:`claimgraph.evaluate.events_scoring` and in each report's notes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from claimgraph.errors import DataFormatError, PipelineError
from claimgraph.evaluate.data import Record, read_many
from claimgraph.evaluate.events_scoring import (
    Attachment,
    GoldEvent,
    Range,
    SysEvent,
    attachment,
    classify,
    in_sentence,
    label_scores,
    links_pair,
    overlaps,
)
from claimgraph.evaluate.ipe_labels import LABELS, cues_of, load_lexicon, repair, sentence_labels, to_repaired
from claimgraph.evaluate.scoring import PRF, Item, Report, score
from claimgraph.model import Analysis, Document
from claimgraph.pipeline import STAGES, Pipeline
from claimgraph.settings import Settings

STAGE_NAMES = ("nlp", "entities", "time", "places", "claims", "events")
CORPORA = ("plv", "meantime", "ecbplus", "indiapoliceevents")

TypeForPair = Callable[[Analysis, Range, Range], "str | None"]
FindMentions = Callable[[Analysis], Sequence[Any]]

PLV_NOTES = (
    "type: the system's answer to 'which PLOVER root type links this gold actor and recipient' "
    "(pipeline.events.type_for_pair); PLV YIELD is renamed CONCEDE; no answer counts as wrong for accuracy and as "
    "a missed gold class (no false positive) for per-class P/R/F1",
    "macro_f1: mean F1 over the classes in the gold data; macro_f1_all: also over classes only ever predicted",
    "a pair whose actor or recipient PLV codes as implicit (null) gets no question and counts as no opinion",
    "end to end: linked = some event of the events layer has an actor span overlapping the gold actor and a "
    "recipient span overlapping the gold recipient (an implicit gold role is not checked); typed = that event "
    "also has the gold type",
)
MEANTIME_NOTES = (
    "mentions: every find_mentions trigger (reporting verbs included) against every gold event mention "
    "(OTHER, SPEECH_COGNITIVE, GRAMMATICAL, ...), both kept when they lie inside a scored range; overlap = "
    "one-to-one matching of triggers sharing a character (scoring.match_pairs), exact = same offsets",
    "recall by gold class: the share of a class's gold mentions matched by overlap against all predictions",
    "baseline every verb: every spaCy VERB token as a mention, same scoring",
    "tokens: token P/R/F1 over the spaCy tokens of scored ranges (a token is a mention token when a span covers "
    "part of it), for the mentions and for the every-verb baseline",
    "attachment: for each gold event in a scored range with an Arg0 (actor) or Arg1 (recipient), found = "
    "some event of the events layer whose trigger overlaps it has an actor (recipient); correct = one such "
    "argument span overlaps a gold argument span; accuracy = correct/found, coverage = found/gold",
    "events in scored: PLOVER events whose trigger lies in a scored range; on_gold = their triggers that overlap "
    "a gold event mention",
)
IPE_NOTES = (
    "labels per sentence (gold offsets, mojibake repaired with an offset map) from the sentence's "
    "non-reporting event mentions and events; mapping and word lists: claimgraph/evaluate/ipe_labels.py "
    "and ipe_labels.yaml",
    "FORCE: police-only force trigger (firing, lathi-charge, teargas), or a force trigger (fire, shoot, beat) "
    "with a police actor (or no actor and police named in the sentence), or a police-force phrase; KILL: FORCE "
    "and a death trigger or phrase; ARREST: arrest trigger or phrase ('taken into custody'); triggers count for "
    "these only when asserted (not negated, future or hypothetical); FAIL: a negated trigger with a police actor, "
    "or police named and a failure/delay trigger or an inaction idiom; ANY_ACTION: KILL/FORCE/ARREST, an event "
    "with a police actor, a law-and-order trigger (deploy, patrol, search) with police named, or a state-only "
    "action (curfew) anywhere",
)


def _pipeline(settings: Settings) -> Pipeline:
    missing = [name for name in STAGE_NAMES if name not in STAGES]
    if missing:
        raise PipelineError(f"evaluate events needs the {', '.join(map(repr, missing))} stage, which this "
                            f"build does not have (stages: {', '.join(STAGES)})")
    return Pipeline(settings, stages=STAGE_NAMES)


def _type_for_pair(settings: Settings) -> TypeForPair:
    """The pair typer: the learned model's when it is switched on, else the lexicon's."""
    from claimgraph.pipeline.events.model import MODEL_NAME, shipped_model
    from claimgraph.pipeline.events.pairs import type_for_pair

    model = shipped_model() if settings.model_enabled(MODEL_NAME) else None
    return lambda analysis, actor, recipient: type_for_pair(analysis, actor, recipient, model)


def _find_mentions() -> FindMentions:
    from claimgraph.pipeline.events.mentions import find_mentions

    return find_mentions


def _range(obj: dict[str, Any] | None) -> Range | None:
    return None if obj is None else (int(obj["start"]), int(obj["end"]))


def sys_events(analysis: Analysis) -> list[SysEvent]:
    """The events layer as the scorers see it."""
    return [SysEvent((e.trigger.start, e.trigger.end),
                     (e.actor.span.start, e.actor.span.end) if e.actor else None,
                     (e.recipient.span.start, e.recipient.span.end) if e.recipient else None, e.type)
            for e in analysis.events]


def _pct(k: int, n: int) -> float:
    return round(100 * k / n, 1) if n else 0.0


# --- PLV ----------------------------------------------------------------------------------------

def score_plv(docs: Sequence[tuple[Record, Analysis]], type_for_pair: TypeForPair) -> Report:
    """Type accuracy/macro-F1 given the gold dyad, and end-to-end dyad linking."""
    gold: list[str] = []
    pred: list[str | None] = []
    linked = typed = implicit = events = 0
    for rec, analysis in docs:
        evs = sys_events(analysis)
        events += len(evs)
        for pair in rec.layer("pairs"):
            actor, recipient = _range(pair.get("actor")), _range(pair.get("recipient"))
            gold.append(str(pair["type"]))
            if actor is None or recipient is None:
                implicit += 1
                pred.append(None)
            else:
                pred.append(type_for_pair(analysis, actor, recipient))
            linked += links_pair(evs, actor, recipient)
            typed += links_pair(evs, actor, recipient, type=str(pair["type"]))
    result = classify(gold, pred)
    report = Report(title=f"Events, PLV ({len(docs)} sentences, {len(gold)} pairs)")
    report.rows.update(result.rows())
    report.rows["end to end"] = {"pairs": len(gold), "linked": linked, "linked_pct": _pct(linked, len(gold)),
                                 "typed": typed, "typed_pct": _pct(typed, len(gold))}
    report.rows["counts"] = {"sentences": len(docs), "pairs": len(gold), "implicit_role": implicit,
                             "events": events}
    report.notes.extend(PLV_NOTES)
    return report


# --- MEANTIME -----------------------------------------------------------------------------------

def _gold_events(rec: Record) -> list[GoldEvent]:
    out = []
    for ev in rec.layer("events"):
        if not rec.in_scored(ev["start"], ev["end"]):
            continue
        args: dict[str, list[Range]] = {}
        for a in ev.get("args") or ():
            args.setdefault(str(a["role"]), []).append((int(a["start"]), int(a["end"])))
        out.append(GoldEvent((int(ev["start"]), int(ev["end"])), {k: tuple(v) for k, v in args.items()},
                             ev.get("type")))
    return out


def score_meantime(docs: Sequence[tuple[Record, Analysis]], find_mentions: FindMentions) -> Report:
    """Mention detection in scored ranges, the every-verb baseline, and argument attachment."""
    gold: list[Item] = []
    pred: list[Item] = []
    pred_plain: list[Item] = []
    verbs: list[Item] = []
    arg0, arg1 = Attachment(), Attachment()
    in_scored = on_gold = 0
    for rec, analysis in docs:
        events = _gold_events(rec)
        gold.extend(Item(rec.id, *g.trigger, g.type) for g in events)
        for m in find_mentions(analysis):
            if rec.in_scored(m.trigger.start, m.trigger.end):
                item = Item(rec.id, m.trigger.start, m.trigger.end)
                pred.append(item)
                if not m.reporting:
                    pred_plain.append(item)
        if analysis.doc is not None:
            verbs.extend(Item(rec.id, t.idx, t.idx + len(t.text)) for t in analysis.doc
                         if t.pos_ == "VERB" and rec.in_scored(t.idx, t.idx + len(t.text)))
        system = [e for e in sys_events(analysis) if rec.in_scored(*e.trigger)]
        in_scored += len(system)
        on_gold += sum(1 for e in system if any(overlaps(e.trigger, g.trigger) for g in events))
        arg0.add(attachment(events, system, role="Arg0"))
        arg1.add(attachment(events, system, role="Arg1"))

    report = Report(title=f"Events, MEANTIME ({len(docs)} documents, {len(gold)} gold event mentions in scored "
                          f"ranges, {len(pred)} predicted)")
    report.rows["mention tokens"] = token_scores(docs, gold, pred).as_dict()
    report.rows["baseline every verb tokens"] = token_scores(docs, gold, verbs).as_dict()
    report.rows["mentions overlap"] = score(pred, gold, mode="overlap").as_dict()
    report.rows["mentions exact"] = score(pred, gold, mode="exact").as_dict()
    report.rows["baseline every verb overlap"] = score(verbs, gold, mode="overlap").as_dict()
    non_speech = [g for g in gold if g.label != "SPEECH_COGNITIVE"]
    report.rows["mentions overlap, no reporting"] = score(pred_plain, non_speech, mode="overlap").as_dict()
    classes = Counter(g.label for g in gold)
    for label, n in classes.most_common():
        part = [g for g in gold if g.label == label]
        tp = score(pred, part, mode="overlap").tp
        report.rows[f"recall {label or '(untyped)'}"] = {"gold": n, "found": tp, "r": _pct(tp, n)}
    report.rows["attachment actor (Arg0)"] = arg0.as_dict()
    report.rows["attachment recipient (Arg1)"] = arg1.as_dict()
    report.rows["events in scored"] = {"events": in_scored, "on_gold": on_gold, "on_gold_pct": _pct(on_gold,
                                                                                                    in_scored)}
    report.notes.extend(MEANTIME_NOTES)
    return report


def token_scores(docs: Sequence[tuple[Record, Analysis]], gold: Sequence[Item], pred: Sequence[Item]) -> PRF:
    """Token P/R/F1: a token counts as a mention token when a mention span covers part of it."""
    result = PRF()
    by_doc: dict[str, tuple[list[Range], list[Range]]] = {}
    for item in gold:
        by_doc.setdefault(item.doc, ([], []))[0].append((item.start, item.end))
    for item in pred:
        by_doc.setdefault(item.doc, ([], []))[1].append((item.start, item.end))
    for rec, analysis in docs:
        if analysis.doc is None or rec.id not in by_doc:
            continue
        g_spans, p_spans = by_doc[rec.id]
        for tok in analysis.doc:
            rng = (tok.idx, tok.idx + len(tok.text))
            in_g = any(overlaps(rng, g) for g in g_spans)
            in_p = any(overlaps(rng, p) for p in p_spans)
            result.tp += in_g and in_p
            result.fp += in_p and not in_g
            result.fn += in_g and not in_p
    return result


# --- IndiaPoliceEvents --------------------------------------------------------------------------

def score_ipe(docs: Sequence[tuple[Record, Analysis, Sequence[int]]], find_mentions: FindMentions) -> Report:
    """Per-label sentence P/R/F1. Each doc carries the offset map from :func:`ipe_labels.repair`
    (the identity when the analysed text is the record's own)."""
    lex = load_lexicon()
    gold: list[frozenset[str]] = []
    pred: list[frozenset[str]] = []
    cues_total = 0
    for rec, analysis, origin in docs:
        text = analysis.document.text
        sentences = [(to_repaired(origin, int(s["start"])), to_repaired(origin, int(s["end"])))
                     for s in rec.layer("sentences")]
        order = sorted(range(len(sentences)), key=lambda i: sentences[i])
        ordered = [sentences[i] for i in order]
        per_sentence: list[list[Any]] = [[] for _ in sentences]
        for start, cue in cues_of(analysis, find_mentions(analysis)):
            k = in_sentence(start, ordered)
            if k is not None:
                per_sentence[order[k]].append(cue)
                cues_total += 1
        for s, (start, end), cues in zip(rec.layer("sentences"), sentences, per_sentence, strict=True):
            gold.append(frozenset(str(x) for x in s["labels"]))
            pred.append(sentence_labels(text[start:end], cues, lex))
    scores = label_scores(gold, pred, LABELS)
    report = Report(title=f"Events, IndiaPoliceEvents ({len(docs)} documents, {len(gold)} sentences)")
    for label in LABELS:
        report.rows[label] = scores[label].as_dict()
    report.rows["counts"] = {"documents": len(docs), "sentences": len(gold),
                             "labelled": sum(1 for g in gold if g), "predicted_labelled": sum(1 for p in pred if p),
                             "cues": cues_total}
    report.notes.extend(IPE_NOTES)
    return report


# --- entry point --------------------------------------------------------------------------------

def _corpus(records: Sequence[Record]) -> str:
    corpora = sorted({r.corpus for r in records})
    if not corpora:
        raise DataFormatError("no records to evaluate")
    if len(corpora) > 1:
        raise DataFormatError(f"evaluate events scores one corpus per run; these files mix {', '.join(corpora)}")
    if corpora[0] not in CORPORA:
        raise DataFormatError(f"evaluate events reads {', '.join(CORPORA)} records, not {corpora[0]!r}")
    return corpora[0]


def evaluate(paths: Sequence[str | Path], *, settings: Settings) -> Report:
    """Run the pipeline up to ``events`` on every record of the files and score it for their corpus.
    A folder with a story bible (``STORY.md``: the sample corpus) is scored against its story
    (:mod:`claimgraph.evaluate.events_story`)."""
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    if folders:
        from claimgraph.evaluate.events_story import story_report

        if len(folders) != len(paths) or len(folders) > 1 or not (folders[0] / "STORY.md").is_file():
            raise DataFormatError("evaluate events takes data files, or one sample corpus folder with a STORY.md")
        return story_report(settings, folders[0])
    records = read_many(paths)
    corpus = _corpus(records)
    pipeline = _pipeline(settings)
    if corpus == "plv":
        fn = _type_for_pair(settings)
        report = score_plv([(r, pipeline(Document.from_text(r.text))) for r in records], fn)
    elif corpus in ("meantime", "ecbplus"):
        report = score_meantime([(r, pipeline(Document.from_text(r.text, published=r.published)))
                                 for r in records], _find_mentions())
    else:
        docs: list[tuple[Record, Analysis, Sequence[int]]] = []
        for r in records:
            text, origin = repair(r.text)
            docs.append((r, pipeline(Document.from_text(text, published=r.published)), origin))
        report = score_ipe(docs, _find_mentions())
    report.notes.append("files: " + ", ".join(str(p) for p in paths))
    return report


__all__ = ["CORPORA", "STAGE_NAMES", "evaluate", "score_ipe", "score_meantime", "score_plv", "sys_events"]
