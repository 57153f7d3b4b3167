"""Cross-document event coreference (ECB+, MEANTIME): how well the corpus groups the same
event reported by several articles.

What is scored is the grouping a real corpus does, not a re-implementation of it:

1. every record goes through the pipeline up to ``events`` (PLOVER event mentions with type,
   date, actor, place);
2. per gold topic (ECB+: the id prefix before the first ``_``; MEANTIME: the file) the
   analyses are written into a fresh temporary SQLite :class:`Store` and linked, in file
   order, by :class:`Linker` — the path ingest takes, so :func:`group_events` joins an event
   to one of another document with the same type and date that shares a participant or a
   place. The ``whole file`` row uses one store for all topics, the situation of a real
   corpus, where an unrelated article of the same day can join a group;
3. each gold event mention inside ``scored`` takes the system event of its document whose
   trigger overlaps it most; its label is that event's ``group_id``, else the event itself
   (a singleton system event). A gold mention with no system event is a singleton;
4. gold clusters are the ``instance`` ids (null = singleton), scored with MUC, B³, CEAF-e and
   CoNLL F1, singletons included, as the entity rows of :mod:`claimgraph.evaluate.xdoc`.

The baseline clusters gold mentions of a topic by the lowercased spaCy lemma of the trigger's
head, the usual "same lemma" baseline, which is strong on ECB+ because a topic is mostly one
event told with one verb. The system's ceiling is low by construction: PLOVER covers political
and conflict events (ECB+ also annotates "host", "nominate", "release" as events, many of them
states, reports and nominals), and grouping needs a date, which relative expressions only get
when the article has a publication date (ECB+ records have none).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from claimgraph.corpus import schema as s
from claimgraph.corpus.link import Linker
from claimgraph.corpus.store import Store
from claimgraph.evaluate import xdoc
from claimgraph.evaluate.events import STAGE_NAMES
from claimgraph.evaluate.scoring import Report
from claimgraph.model import Analysis, Event
from claimgraph.settings import Settings

Labels = xdoc.Labels
#: (stored document id, event local id) -> group id, None when the event joined no group
Groups = dict[tuple[str, str], str | None]

NOTES = (
    "gold: event mentions inside `scored` ranges, clustered by `instance` (null = singleton); scores with "
    "singletons, MUC ignores them by definition",
    "system: a gold mention takes the system event (pipeline up to `events`, PLOVER types) whose trigger overlaps "
    "it most; its label is the event's group_id after Store.write + Linker.link of each document in file order "
    "(group_events: same type and date, a shared participant or place), else the event alone; a gold mention with "
    "no system event is a singleton",
    "per topic: one fresh SQLite store per gold topic (ECB+: id prefix before '_'; MEANTIME: the file); whole file: "
    "one store for all topics",
    "baseline: same lowercased lemma of the gold trigger's head (spaCy) within a topic",
)


@dataclass(frozen=True, slots=True)
class Grouping:
    """Predicted labels of the gold event mentions and what the system did to get them."""

    labels: Labels
    #: gold mentions with an overlapping system event, and those whose event has a date (grouping needs one)
    matched: int
    matched_dated: int
    #: gold mentions whose system event joined a cross-document group
    matched_grouped: int
    #: system events of the documents, those with a date, those in a group
    system_events: int
    dated: int
    grouped: int


def system_event(analysis: Analysis, start: int, end: int) -> Event | None:
    """The event whose trigger overlaps [start, end) most (the first on a tie), if any: gold
    triggers may be phrases ("the Academy Awards ceremony") where the system's is one word."""
    best, best_size = None, 0
    for ev in analysis.events:
        size = min(end, ev.trigger.end) - max(start, ev.trigger.start)
        if size > best_size:
            best, best_size = ev, size
    return best


def stored_groups(docs: Sequence[xdoc.Doc]) -> Groups:
    """Write and link the documents, in order, into a fresh temporary SQLite store (exactly what
    ingest does per document), and read back each stored event's group id. Two records with
    one text are one stored document, as in a real corpus."""
    with tempfile.TemporaryDirectory(prefix="claimgraph-xdoc-") as tmp:
        store = Store.open(Path(tmp) / "corpus.db")
        try:
            linker = Linker(store)
            for d in docs:
                result = store.write(d.analysis, source=d.record.id)
                if result.status != "present":
                    linker.link(result.doc_id)
            with store.engine.connect() as conn:
                rows = conn.execute(select(s.events.c.doc_id, s.events.c.local_id, s.events.c.group_id)).all()
        finally:
            store.close()
    return {(str(r[0]), str(r[1])): None if r[2] is None else str(r[2]) for r in rows}


def _scopes(docs: Sequence[xdoc.Doc], per_topic: bool) -> dict[str, list[xdoc.Doc]]:
    scopes: dict[str, list[xdoc.Doc]] = {}
    for d in docs:
        scopes.setdefault(d.topic if per_topic else "", []).append(d)
    return scopes


def event_labels(docs: Sequence[xdoc.Doc], *, per_topic: bool = True) -> Grouping:
    """Predicted cluster label of every scored gold event mention, from the stores' groups."""
    labels: Labels = {}
    matched = matched_dated = matched_grouped = system_events = dated = grouped = 0
    for scope, members in _scopes(docs, per_topic).items():
        groups = stored_groups(members)
        for d in members:
            doc_id = d.analysis.document.id
            system_events += len(d.analysis.events)
            dated += sum(1 for ev in d.analysis.events if ev.when is not None and ev.when.value)
            grouped += sum(1 for ev in d.analysis.events if groups.get((doc_id, ev.id)))
            for mention, _ in xdoc.gold_mentions(d.record, "events"):
                ev = system_event(d.analysis, mention[1], mention[2])
                if ev is None:
                    labels[mention] = ("singleton", *mention)
                    continue
                matched += 1
                matched_dated += bool(ev.when is not None and ev.when.value)
                group = groups.get((doc_id, ev.id))
                if group is not None:
                    matched_grouped += 1
                    labels[mention] = ("group", scope, group)
                else:
                    labels[mention] = ("event", d.record.id, ev.id)
    return Grouping(labels, matched, matched_dated, matched_grouped, system_events, dated, grouped)


def score_documents(docs: Sequence[xdoc.Doc], *, whole_file: bool = True) -> dict[str, dict[str, float | int]]:
    """The rows of the events table: system per topic (and over the whole file), the same-lemma
    baseline, all singletons, and the counts that explain them."""
    gold: Labels = {m: label for d in docs for m, label in xdoc.gold_mentions(d.record, "events")}
    topic = event_labels(docs)
    rows = {"system (per topic)": xdoc.score_row(gold, topic.labels)}
    if whole_file:
        rows["system (whole file)"] = xdoc.score_row(gold, event_labels(docs, per_topic=False).labels)
    rows["baseline: same trigger lemma in the topic"] = xdoc.score_row(gold, xdoc.baseline_labels(docs, "events"))
    rows["all singletons"] = xdoc.score_row(gold, {m: ("singleton", m) for m in gold})
    rows["counts"] = {
        "documents": len(docs), "topics": len({d.topic for d in docs}), "gold_mentions": len(gold),
        "gold_clusters": len(set(gold.values())), "with_system_event": topic.matched,
        "with_dated_event": topic.matched_dated, "with_grouped_event": topic.matched_grouped,
        "system_events": topic.system_events, "system_dated": topic.dated, "system_grouped": topic.grouped,
    }
    return rows


def report(docs: Sequence[xdoc.Doc], *, split: str | None = None, files: Iterable[str | Path] = ()) -> Report:
    """The events table of analysed documents (the pipeline must have run up to ``events``)."""
    out = Report(title=f"Cross-document event coreference ({len(docs)} documents"
                       + (f", split {split}" if split else "") + ")")
    out.rows.update(score_documents(docs))
    out.notes.extend(NOTES)
    names = [str(p) for p in files]
    if names:
        out.notes.append("files: " + ", ".join(names))
    return out


def evaluate(paths: Sequence[str | Path], *, settings: Settings, split: str | None = None) -> Report:
    """Cross-document event coreference of the corpus grouping on ECB+ / MEANTIME-format files."""
    docs = xdoc.load(paths, settings=settings, split=split, stages=STAGE_NAMES)
    return report(docs, split=split, files=paths)


__all__ = ["NOTES", "STAGE_NAMES", "Grouping", "evaluate", "event_labels", "report", "score_documents",
           "stored_groups", "system_event"]
