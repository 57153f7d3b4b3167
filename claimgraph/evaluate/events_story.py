"""The sample corpus's story, scored: are its events found, typed and dated as the story bible
says (``claimgraph evaluate events --story``; ``tests/test_samples_events.py``).

The truth is ``tests/fixtures/corpus/expected.yaml`` (its ``events``: each event the story's
outlets report, with its date, PLOVER type and the files that report it), written from
``claimgraph/samples/corpus/STORY.md``. For every (event, reporting file):

* **date in the text**: the time layer finds an expression whose value starts with the event's
  date ("Tuesday night" counts) in a sentence that holds an event of the gold type (or an
  accepted alternative): the text dates the event where it tells it;
* **dated right**: one of those events has a date whose value starts with the gold date (or the
  disputed date the truth lists). Also reported, looser: the day stated anywhere in the file and
  any event of the type dated right;
* **found** (per event): some reporting file has an event of the gold type with the gold
  date, or with a place whose name is one of the event's place names.

Also counted: SANCTION events whose trigger is the word "banned" (must be none) and events
stamped with the publication date although the document is older news (background).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from claimgraph.evaluate.scoring import Report
from claimgraph.model import Analysis, Document, Event
from claimgraph.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "claimgraph" / "samples" / "corpus"
TRUTH = REPO / "tests" / "fixtures" / "corpus" / "expected.yaml"
STAGE_NAMES = ("nlp", "entities", "time", "places", "claims", "events")


def load_truth(path: Path = TRUTH) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def corpus_documents(settings: Settings, corpus: Path = CORPUS) -> dict[str, Document]:
    """Every article of the sample corpus by its truth name (``FILE`` or ``FILE.jsonl#LINE``)."""
    from claimgraph.ingest import load_document

    out: dict[str, Document] = {}
    for path in sorted(corpus.iterdir()):
        if path.suffix in (".txt", ".html"):
            out[path.name] = load_document(str(path), settings=settings)
        elif path.suffix == ".jsonl":
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    row = json.loads(line)
                    out[f"{path.name}#{n}"] = Document.from_text(row["text"], published=row.get("published"),
                                                                 title=row.get("title"))
    return out


def analyse_corpus(settings: Settings, corpus: Path = CORPUS) -> dict[str, Analysis]:
    from claimgraph.pipeline import Pipeline

    pipeline = Pipeline(settings, stages=STAGE_NAMES)
    return {name: pipeline(doc) for name, doc in corpus_documents(settings, corpus).items()}


@dataclass(slots=True)
class StoryScore:
    #: (event, file) pairs whose day is stated in a sentence that holds an event of its type
    with_date: int = 0
    dated_right: int = 0
    #: (event, file) pairs whose day is stated anywhere in the file (often in another sentence)
    in_file: int = 0
    right_in_file: int = 0
    found: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    wrong_dates: list[str] = field(default_factory=list)
    banned_sanctions: int = 0
    events: int = 0
    undated: int = 0

    @property
    def dated_pct(self) -> float:
        return round(100 * self.dated_right / self.with_date, 1) if self.with_date else 0.0


def _types(ev: Mapping[str, Any]) -> set[str]:
    return {str(ev["type"]), *(str(t) for t in ev.get("alt_types") or ())}


def _dates(ev: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(d) for d in (ev["date"], ev.get("date_disputed")) if d)


def _dated(e: Event, dates: Iterable[str]) -> bool:
    value = e.when.value if e.when is not None else None
    return value is not None and any(value.startswith(d) for d in dates)


def _same_sentence(analysis: Analysis, a: int, b: int) -> bool:
    return any(s.start <= a < s.end and s.start <= b < s.end for s in analysis.sentences)


def score_story(truth: Mapping[str, Any], analyses: Mapping[str, Analysis]) -> StoryScore:
    score = StoryScore()
    for analysis in analyses.values():
        score.events += len(analysis.events)
        score.undated += sum(1 for e in analysis.events if e.when is None)
        score.banned_sanctions += sum(1 for e in analysis.events
                                      if e.type == "SANCTION" and e.trigger.text.lower() == "banned")
    for ev in truth["events"]:
        types, dates = _types(ev), _dates(ev)
        places = {str(p).lower() for p in ev.get("place_names") or ()}
        found = False
        for name in ev["files"]:
            reported = analyses.get(name)
            if reported is None:
                continue
            typed = [e for e in reported.events if e.type in types]
            if any(_dated(e, dates) or (e.where is not None and e.where.span.text.lower() in places) for e in typed):
                found = True
            stated = [t.span for t in reported.timex if (t.value or "").startswith(dates[0])]
            if not stated:
                continue
            score.in_file += 1
            score.right_in_file += any(_dated(e, dates) for e in typed)
            beside = [e for e in typed if any(_same_sentence(reported, e.trigger.start, s.start) for s in stated)]
            if not beside:
                continue
            score.with_date += 1
            if any(_dated(e, dates) for e in beside):
                score.dated_right += 1
            else:
                got = sorted({(e.when.value or "?") if e.when else "undated" for e in beside})
                score.wrong_dates.append(f"{ev['id']} in {name}: {', '.join(got)}")
        (score.found if found else score.missed).append(str(ev["id"]))
    return score


def story_report(settings: Settings, corpus: Path = CORPUS) -> Report:
    score = score_story(load_truth(), analyse_corpus(settings, corpus))
    report = Report(title=f"Events, sample corpus story ({len(score.found) + len(score.missed)} timeline events)")
    report.rows["dates"] = {"with_date_in_text": score.with_date, "dated_right": score.dated_right,
                            "pct": score.dated_pct}
    report.rows["dates anywhere in the file"] = {
        "with_date_in_file": score.in_file, "dated_right": score.right_in_file,
        "pct": round(100 * score.right_in_file / score.in_file, 1) if score.in_file else 0.0}
    report.rows["timeline"] = {"events": len(score.found) + len(score.missed), "found": len(score.found),
                               "missed": len(score.missed)}
    report.rows["layer"] = {"events": score.events, "undated": score.undated,
                            "sanction_from_banned": score.banned_sanctions}
    report.notes.append("truth: tests/fixtures/corpus/expected.yaml (events), from STORY.md; a (event, file) pair "
                        "counts when the time layer finds the event's day in a sentence that holds an event of "
                        "its type")
    report.notes.extend(f"missed: {m}" for m in score.missed)
    report.notes.extend(f"wrong date: {w}" for w in score.wrong_dates)
    return report


__all__ = ["StoryScore", "analyse_corpus", "corpus_documents", "load_truth", "score_story", "story_report"]
