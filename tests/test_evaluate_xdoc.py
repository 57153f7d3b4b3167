"""The cross-document coreference evaluator, on invented articles in shared/data's format.

The ECB+ smoke run at the end only checks that the report has its rows (benchmarks are
not tests) and skips cleanly without the data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimgraph.evaluate import xdoc
from claimgraph.evaluate.data import read_records
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
    gold = [
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


@pytest.mark.slow
def test_ecbplus_dev_smoke() -> None:
    path = shared_data("news/ecbplus/dev.jsonl")
    report = xdoc.evaluate([path], settings=Settings(), split="dev")
    assert report.rows["counts"]["documents"] == 197
    for row in ("resolver (per topic)", "resolver (whole file)", "baseline: same head lemma"):
        assert 0 < report.rows[row]["b3_f1"] <= 100
