"""The cross-document coreference evaluator, on invented articles in shared/data's format.

Entities and events: the event rows go through the real store and linker (no stand-ins), so
two invented reports of one attack must end in one group. The ECB+ runs at the end only check
that the reports have their rows (benchmarks are not tests) and skip cleanly without the data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimgraph.evaluate import xdoc, xdoc_events
from claimgraph.evaluate.data import read_records
from claimgraph.evaluate.scoring import Report
from claimgraph.settings import Settings
from tests.conftest import shared_data

ARTICLES = [
    ("7_1ecb", "Marta Kovalenko resigned from the Drovny Council on Monday. Kovalenko said she was tired."),
    ("7_2ecb", "The Drovny Council lost its chair on Monday. Mrs Kovalenko quit after a row over the budget."),
    ("8_1ecb", "Police in Valmora arrested Anton Velasko, who ran the harbour."),
]


def record(rid: str, text: str, mentions: list[tuple[str, str | None]]) -> dict[str, Any]:
    """A record whose gold entities are the given phrases, in text order, with their instances."""
    ents: list[dict[str, Any]] = []
    for phrase, instance in mentions:
        start = text.index(phrase, ents[-1]["end"] if ents else 0)
        ents.append({"start": start, "end": start + len(phrase), "text": phrase, "type": "HUMAN_PART_PER",
                     "instance": instance})
    return {"id": rid, "corpus": "ecbplus", "split": "train" if rid.startswith("7") else "dev", "text": text,
            "published": None, "url": None, "scored": [[0, len(text)]], "entities": ents, "timex": [], "events": []}


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    gold: list[list[tuple[str, str | None]]] = [
        [("Marta Kovalenko", "MK"), ("Drovny Council", "DC"), ("Kovalenko", "MK"), ("she", "MK")],
        [("Drovny Council", "DC"), ("Kovalenko", "MK"), ("budget", None)],
        [("Valmora", "V"), ("Anton Velasko", "AV"), ("who", "AV")],
    ]
    path = tmp_path / "xdoc.jsonl"
    path.write_text("".join(json.dumps(record(rid, text, m)) + "\n" for (rid, text), m in zip(ARTICLES, gold,
                                                                                               strict=True)))
    return path


def test_topic_of(data: Path) -> None:
    recs = list(read_records(data))
    assert [xdoc.topic_of(r, data) for r in recs] == ["7", "7", "8"]
    meantime = recs[0].__class__(**{**{f: getattr(recs[0], f) for f in recs[0].__slots__}, "corpus": "meantime"})
    assert xdoc.topic_of(meantime, Path("airbus.jsonl")) == "airbus"


def test_score_row_perfect_and_singletons() -> None:
    gold: xdoc.Labels = {("d", 0, 1): "A", ("d", 2, 3): "A", ("e", 0, 1): "B"}
    assert xdoc.score_row(gold, dict(gold))["conll_f1"] == 100.0
    row = xdoc.score_row(gold, {})
    assert row["b3_p"] == 100.0 and row["muc_f1"] == 0.0 and row["clusters"] == 3


def test_report_sections_reach_json() -> None:
    """`evaluate xdoc --json` prints the events table inside the entity report, not as a second document."""
    events = Report(title="events", rows={"all singletons": {"b3_f1": 50.0}})
    report = Report(title="entities", sections=[events])
    assert report.as_dict()["sections"] == [events.as_dict()]
    assert "sections" not in events.as_dict()


@pytest.mark.slow
def test_resolver_links_the_surname_across_articles(data: Path) -> None:
    docs = xdoc.load([data], settings=Settings())
    labels = xdoc.entity_labels(docs)
    text = {d.record.id: d.record.text for d in docs}
    by_text = {text[m[0]][m[1]:m[2]] + "@" + m[0]: label for m, label in labels.items()}
    assert by_text["Marta Kovalenko@7_1ecb"] == by_text["Kovalenko@7_2ecb"]
    assert by_text["Drovny Council@7_1ecb"] == by_text["Drovny Council@7_2ecb"]
    assert by_text["Anton Velasko@8_1ecb"] == by_text["who@8_1ecb"]  # a relative pronoun takes its noun
    report = xdoc.evaluate([data], settings=Settings(), split="train")
    assert report.rows["counts"]["documents"] == 2
    assert report.rows["resolver (per topic)"]["b3_p"] == 100.0
    events = report.sections[0]  # the events table rides along, empty here
    assert events.rows["counts"]["gold_mentions"] == 0 and "system (per topic)" in events.rows


@pytest.mark.slow
def test_ecbplus_dev_smoke() -> None:
    path = shared_data("news/ecbplus/dev.jsonl")
    report = xdoc.evaluate([path], settings=Settings(), split="dev")
    assert report.rows["counts"]["documents"] == 197
    for row in ("resolver (per topic)", "resolver (whole file)", "baseline: same head lemma"):
        assert 0 < report.rows[row]["b3_f1"] <= 100
    events = report.sections[0].rows
    assert events["counts"]["documents"] == 197 and events["counts"]["gold_mentions"] > 1000
    for row in ("system (per topic)", "system (whole file)", "baseline: same trigger lemma in the topic"):
        assert 0 < events[row]["b3_f1"] <= 100


# --- events ---------------------------------------------------------------------------------------

#: (id, published, text, [(trigger phrase, gold instance)]): two reports of one attack (the second dated
#: by its publication day), an attack by the same kind of group elsewhere a week later, and a march
#: in another topic
EVENT_ARTICLES: list[tuple[str, str | None, str, list[tuple[str, str | None]]]] = [
    ("9_1ecb", None, "Gunmen attacked a police station in Karvosk on 2 March 2021. Four officers were wounded. "
                     "The governor of Velmaria condemned the attack.",
     [("attacked", "ATK"), ("wounded", "WND"), ("condemned", None), ("attack", "ATK")]),
    ("9_2ecb", "2021-03-04", "Militants attacked a police post in Karvosk on Tuesday, officials said. "
                             "Governor Ilse Marten promised an inquiry.",
     [("attacked", "ATK"), ("said", None), ("promised", None), ("inquiry", None)]),
    ("9_3ecb", None, "Gunmen attacked a bank in Dresk on 9 March 2021 and fled with the cash.",
     [("attacked", "ATK2"), ("fled", None)]),
    ("10_1ecb", "2021-03-08", "Farmers marched through Orlev on Sunday to demand lower fuel prices.",
     [("marched", "MARCH"), ("demand", None)]),
]


def event_record(rid: str, published: str | None, text: str,
                 mentions: list[tuple[str, str | None]]) -> dict[str, Any]:
    """A record whose gold events are the given trigger phrases, in text order, with their instances."""
    events: list[dict[str, Any]] = []
    for phrase, instance in mentions:
        start = text.index(phrase, events[-1]["end"] if events else 0)
        events.append({"start": start, "end": start + len(phrase), "text": phrase, "type": "ACTION_OCCURRENCE",
                       "instance": instance, "args": []})
    return {"id": rid, "corpus": "ecbplus", "split": "dev", "text": text, "published": published, "url": None,
            "scored": [[0, len(text)]], "entities": [], "timex": [], "events": events}


@pytest.fixture()
def event_data(tmp_path: Path) -> Path:
    path = tmp_path / "xdoc_events.jsonl"
    path.write_text("".join(json.dumps(event_record(*a)) + "\n" for a in EVENT_ARTICLES))
    return path


@pytest.mark.slow
def test_two_reports_of_one_attack_group(event_data: Path) -> None:
    docs = xdoc.load([event_data], settings=Settings(), stages=xdoc_events.STAGE_NAMES)
    text = {d.record.id: d.record.text for d in docs}
    grouping = xdoc_events.event_labels(docs)
    by_text = {text[m[0]][m[1]:m[2]] + "@" + m[0]: label for m, label in grouping.labels.items()}
    assert by_text["attacked@9_1ecb"] == by_text["attacked@9_2ecb"]
    assert by_text["attacked@9_3ecb"] != by_text["attacked@9_1ecb"]  # another day, another town
    march = by_text["marched@10_1ecb"]
    assert isinstance(march, tuple) and march[0] == "event"  # detected, alone in its topic
    assert grouping.matched_grouped == 2
    rows = xdoc_events.score_documents(docs)
    system, singletons = rows["system (per topic)"], rows["all singletons"]
    assert system["b3_p"] == 100.0 and system["conll_f1"] > singletons["conll_f1"]
    assert system["b3_f1"] > singletons["b3_f1"] and system["muc_f1"] > 0 == singletons["muc_f1"]
    assert rows["system (whole file)"]["conll_f1"] == system["conll_f1"]
    assert rows["counts"]["gold_mentions"] == 12 and rows["counts"]["topics"] == 2
    # a gold phrase takes the event its trigger overlaps; no overlapping event, no system event
    first = docs[0].analysis
    start = text["9_1ecb"].index("the attack")
    event = xdoc_events.system_event(first, start, start + len("the attack"))
    assert event is not None and event.trigger.text == "attack"
    assert xdoc_events.system_event(first, 0, 6) is None  # "Gunmen"


@pytest.mark.slow
def test_events_on_a_few_ecbplus_documents(tmp_path: Path) -> None:
    """Four records of one ECB+ dev topic through the real path: rows present, figures in range."""
    source = shared_data("news/ecbplus/dev.jsonl")
    lines = [line for line in source.read_text(encoding="utf-8").splitlines()
             if json.loads(line)["split"] == "dev"][:4]
    path = tmp_path / "few.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = xdoc_events.evaluate([path], settings=Settings())
    counts = report.rows["counts"]
    assert counts["documents"] == 4 and counts["gold_mentions"] > 0
    assert counts["with_system_event"] <= counts["gold_mentions"]
    for row in ("system (per topic)", "baseline: same trigger lemma in the topic", "all singletons"):
        assert 0 < report.rows[row]["b3_f1"] <= 100
