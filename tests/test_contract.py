"""Every output validates against the packaged schema and every span re-slices."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.analyzer import Analyzer
from claimgraph.model import Document
from tests.conftest import REPO, SAMPLES, SCHEMA

VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def spans(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, dict):
        if isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int) and "text" in obj:
            yield obj
        for key, value in obj.items():
            if key != "document":
                yield from spans(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from spans(value)


def check(data: dict[str, Any]) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(data)]
    assert not errors, errors
    text = data["document"]["text"]
    for span in spans(data):
        assert text[span["start"]:span["end"]] == span["text"], span
    ids = {e["id"] for e in data["entities"]}
    assert len(ids) == len(data["entities"])


def test_packaged_schema_is_the_shared_contract() -> None:
    shared = REPO.parent / "shared" / "schema" / "document.schema.json"
    if not shared.is_file():
        pytest.skip("shared/ not beside this checkout")
    assert json.loads(shared.read_text()) == json.loads(SCHEMA.read_text())


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.suffix in {".txt", ".html"}))
def test_samples_validate(analyzer: Analyzer, sample: str) -> None:
    check(analyzer.analyze(SAMPLES / sample).to_json())


WORDS = st.sampled_from([
    "Qureshi", "said", "the", "Lashkar-e-Taiba", "NIA", "(NIA)", "National", "Investigation", "Agency",
    "on", "Saturday", "in", "1999", "March", "3", ",", ".", "\n\n", "Kabul", "Gen.", "Mr", "’s", "'s",
    "earlier", "this", "year", "“", "”", "Zürich", "東京", "e", "-", "  ", "\t", "Operation", "Dawn",
    "province", "three", "$4.5", "million", "last", "month", "🙂", "\u00a0", "Ü", "İstanbul",
])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(WORDS, min_size=1, max_size=60).map(" ".join))
def test_any_text_gives_spans_that_reslice(analyzer: Analyzer, text: str) -> None:
    check(analyzer.analyze(Document.from_text(text, published="2025-05-12")).to_json())
