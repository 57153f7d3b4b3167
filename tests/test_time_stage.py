"""The ``time`` stage on articles written for these tests: spans, ids, values, and what is not a time."""

from __future__ import annotations

import pytest

from claimgraph.errors import PipelineError
from claimgraph.model import Analysis, Document, Timex
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.time import anchor_date, make_stage
from claimgraph.settings import Settings

pytestmark = pytest.mark.slow

ARTICLE = """Militants overrun border post in night raid

Three soldiers were killed on Saturday when militants attacked a post, the ministry said on Monday.
The post's commander, 51, who has served in the army for 33 years, said it was the deadliest raid since 2018.
Local elders will meet on Saturday to discuss the ceasefire signed on 3 March 2020.
Fighting in the valley has continued for decades, and the group was founded in the 1990s.
Earlier this year the ministry said it had lost 12 posts in the past decade; last month two villages fell.
A 45-year-old shepherd, aged 60 by some accounts, said he had seen four trucks at 6:30 p.m. yesterday.
The province is currently under curfew, and officials said talks were planned for March 3.
Version 2.1.3 of the ministry's app, used by 300 officers, was released last week.
"""


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings(), stages=("nlp", "time"))


@pytest.fixture(scope="module")
def analysis(pipeline: Pipeline) -> Analysis:
    return pipeline(Document.from_text(ARTICLE, published="2021-03-17"))


def _by_text(analysis: Analysis) -> dict[str, list[Timex]]:
    out: dict[str, list[Timex]] = {}
    for t in analysis.timex:
        out.setdefault(t.span.text, []).append(t)
    return out


def test_spans_reslice_and_ids_follow_text_order(analysis: Analysis) -> None:
    assert analysis.timex, "no time expressions found"
    for i, t in enumerate(analysis.timex, 1):
        assert t.id == f"t{i}"
        assert ARTICLE[t.span.start:t.span.end] == t.span.text
    starts = [t.span.start for t in analysis.timex]
    assert starts == sorted(starts)


def test_values_at_the_precision_of_the_text(analysis: Analysis) -> None:
    found = _by_text(analysis)
    saturday_past, saturday_future = found["Saturday"]
    assert saturday_past.value == "2021-03-13"  # "were killed on Saturday"
    assert saturday_future.value == "2021-03-20"  # "will meet on Saturday"
    assert found["Monday"][0].value == "2021-03-15"
    assert found["2018"][0].value == "2018"
    assert found["3 March 2020"][0].value == "2020-03-03"
    assert found["the 1990s"][0].value == "199"
    assert found["Earlier this year"][0].value == "2021"
    assert found["last month"][0].value == "2021-02"
    assert found["last week"][0].value == "2021-W10"
    assert found["currently"][0].value == "PRESENT_REF"
    assert found["March 3"][0].value == "2021-03-03"


def test_durations_carry_their_length_as_value(analysis: Analysis) -> None:
    found = _by_text(analysis)
    for text, length in (("33 years", "P33Y"), ("decades", "PXY")):
        (t,) = found[text]
        assert (t.type, t.value, t.duration) == ("DURATION", length, length)
    (decade,) = found["the past decade"]  # the 2010s, ten years long
    assert (decade.type, decade.value, decade.duration) == ("DATE", "201", "P10Y")


def test_signals_stay_outside_the_span(analysis: Analysis) -> None:
    texts = {t.span.text for t in analysis.timex}
    assert not any(t.lower().startswith(("on ", "in ", "since ", "for ")) for t in texts)


@pytest.mark.parametrize("not_time", ["Three", "Three soldiers", "51", "45-year", "60",
                                      "aged 60", "four", "12", "2.1.3", "300"])
def test_counts_bare_ages_and_versions_are_not_times(analysis: Analysis, not_time: str) -> None:
    for t in analysis.timex:
        assert not_time not in t.span.text.split(", ")
        assert t.span.text != not_time


def test_an_age_is_a_duration(analysis: Analysis) -> None:
    (age,) = _by_text(analysis)["45-year-old"]  # TimeML: P45Y; "aged 60" stays a bare number
    assert (age.type, age.value, age.duration) == ("DURATION", "P45Y", "P45Y")


def test_time_of_day_takes_its_day(analysis: Analysis) -> None:
    (clock,) = [t for t in analysis.timex if t.span.text.startswith("6:30")]
    assert (clock.type, clock.value) == ("TIME", "2021-03-16T18:30")


def test_no_publication_date_means_no_relative_values(pipeline: Pipeline) -> None:
    result = pipeline(Document.from_text(ARTICLE, published=None))
    found = _by_text(result)
    assert found["last month"][0].value is None
    assert found["Saturday"][0].value is None
    assert found["3 March 2020"][0].value == "2020-03-03"


def test_stage_requires_the_nlp_stage() -> None:
    stage = make_stage(Settings())
    with pytest.raises(PipelineError, match="nlp"):
        stage(Analysis(document=Document.from_text("It happened on Monday.")))


@pytest.mark.parametrize(("published", "anchor"), [
    ("2021-03-17", "2021-03-17"), ("2021-03-17T08:30:00Z", "2021-03-17"), ("", None), (None, None),
    ("yesterday", None),
])
def test_anchor_date(published: str | None, anchor: str | None) -> None:
    got = anchor_date(published)
    assert (got.isoformat() if got else None) == anchor


def test_clock_time_takes_the_weekday_of_its_sentence(pipeline: Pipeline) -> None:
    text = "The new jet made its first flight on Tuesday in Seattle at 18:00 UTC."
    result = pipeline(Document.from_text(text, published="2009-12-16"))
    assert [(t.span.text, t.type, t.value) for t in result.timex] == [
        ("Tuesday", "DATE", "2009-12-15"), ("18:00 UTC", "TIME", "2009-12-15T18:00Z")]


def test_ranges_give_a_length_and_both_ends(pipeline: Pipeline) -> None:
    text = "The airline will receive six jets from 2009 to 2011, the company said."
    result = pipeline(Document.from_text(text, published="2007-06-09"))
    assert [(t.span.text, t.type, t.value, t.duration) for t in result.timex] == [
        ("from 2009 to 2011", "DURATION", "P2Y", "P2Y"), ("2009", "DATE", "2009", None),
        ("2011", "DATE", "2011", None)]


@pytest.mark.parametrize(("sentence", "text", "value"), [
    ("The trial begins on Monday.", "Monday", "2021-03-22"),  # a present-tense schedule
    ("The company said on Monday that sales fell.", "Monday", "2021-03-15"),
    ("He is raising questions about Monday's debate.", "Monday", "2021-03-15"),
    ("Warren said last week Stumpf lied in an interview.", "last week", "2021-W10"),
    ("It was the group's second attack this year.", "this year", "2021"),
    ("They pledged it in Paris last December.", "last December", "2020-12"),
])
def test_sentences(pipeline: Pipeline, sentence: str, text: str, value: str) -> None:
    result = pipeline(Document.from_text(sentence, published="2021-03-17"))
    assert [(t.span.text, t.value) for t in result.timex] == [(text, value)]
