"""The data model and its JSON form."""

from __future__ import annotations

import json

import pytest

from claimgraph.analyzer import Analyzer
from claimgraph.model import Analysis, Document, Span, content_id


def test_span_of_reslices_and_refuses_out_of_range() -> None:
    assert Span.of("abcdef", 1, 3) == Span(1, 3, "bc")
    with pytest.raises(ValueError):
        Span.of("abc", 2, 9)


def test_content_id_is_stable_and_content_based() -> None:
    assert content_id("same text") == content_id("same text")
    assert content_id("same text") != content_id("other text")


def test_analysis_round_trips_through_json(analyzer: Analyzer) -> None:
    text = ("Rebels attacked Goma on Tuesday, the M23 movement said. "
            "The United Nations said in 2013 that M23 was backed by Rwanda.")
    result = analyzer.analyze(Document.from_text(text, published="2024-02-08", title="Goma"))
    data = result.to_json()
    again = Analysis.from_json(json.loads(json.dumps(data)))
    assert again.to_json() == data
    assert again.entities == result.entities and again.timex == result.timex


def test_from_json_refuses_other_schemas() -> None:
    with pytest.raises(ValueError, match=r"claimgraph\.document/1"):
        Analysis.from_json({"schema": "other/2", "document": {}, "entities": []})


def test_document_id_is_the_content_hash() -> None:
    doc = Document.from_text("Some text.", url="https://example.org/a")
    assert doc.id == content_id("Some text.")
