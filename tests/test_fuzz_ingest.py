"""The project's own fuzz suite (#19), small: a few hundred seeded hostile inputs through ingest's
reading and accounting, Hypothesis on the bounded JSON reader and the span index, and a few
dozen random texts through the whole pipeline. ``bench/fuzz.py`` runs the large version."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.corpus.ingest import Ingest
from claimgraph.corpus.store import Store
from claimgraph.ingest.bounded_json import MAX_DEPTH, JSONLimitError, loads_bounded
from claimgraph.model import Span
from claimgraph.pipeline.span_index import SpanIndex
from claimgraph.settings import Settings
from tests.hostile_inputs import CASES, make_inputs, unaccounted


def test_three_hundred_hostile_inputs_are_each_accounted_for(tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    cases = make_inputs(box, 300, seed=19)
    assert {c.kind for c in cases} == set(CASES)
    keys: list[str] = []
    store = Store.open(tmp_path / "f.db")
    summary = Ingest(store, Settings(stages=()), workers=1, on_progress=lambda _s, k: keys.append(k)).run([str(box)])
    store.close()
    assert summary.seen == len(keys)
    assert unaccounted(cases, set(keys)) == []
    assert not [r for _, r in summary.rejected if "pipeline error" in r or "store error" in r]
    assert summary.ingested > 50  # the readable articles among them were stored


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
                           lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=30)


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_bounded_json_reads_what_json_writes(value: object) -> None:
    line = json.dumps(value)
    try:
        parsed = loads_bounded(line)
    except JSONLimitError:
        return  # deep nesting or a long number: refused with the limit, never a crash
    assert json.dumps(parsed) == line


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet='[]{}"\\ ,:0123456789aeE-.', max_size=300))
def test_bounded_json_raises_only_value_errors(line: str) -> None:
    with contextlib.suppress(ValueError):  # JSONDecodeError or JSONLimitError; anything else fails the test
        loads_bounded(line)


def test_bounded_json_refuses_the_crashes_of_19() -> None:
    for line in ('{"n": ' + "9" * 5000 + "}", "[" * 10000 + "]" * 10000, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)):
        with pytest.raises(JSONLimitError):
            loads_bounded(line)


spans = st.builds(lambda a, n: Span(a, a + n, ""), st.integers(0, 60), st.integers(0, 8))


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=40), st.lists(spans, max_size=20))
def test_span_index_answers_as_the_pairwise_loop(added: list[Span], queries: list[Span]) -> None:
    index = SpanIndex()
    kept: list[Span] = []
    for span in added:
        assert index.overlaps(span) == any(span.overlaps(k) for k in kept)
        index.add(span)
        kept.append(span)
    for span in queries:
        assert index.overlaps(span) == any(span.overlaps(k) for k in kept)


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=2000))
def test_random_unicode_text_through_the_whole_pipeline(text: str) -> None:
    from claimgraph.analyzer import analyze_text

    if not text.strip():
        return
    result = analyze_text(text)
    for ent in result.entities:
        for m in ent.mentions:
            assert result.document.text[m.start:m.end] == m.text
