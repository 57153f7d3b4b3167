"""The events stage on invented sentences: verbal and nominal mentions, PLOVER types,
actor and recipient, date and place, modality, the claim link, and bad input."""

from __future__ import annotations

import time

import pytest

from claimgraph.model import Analysis, Document, Event
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.events import type_for_pair
from claimgraph.pipeline.events.lexicon import PLOVER_TYPES, event_lexicon
from claimgraph.pipeline.events.mentions import find_mentions


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(stages=("nlp", "entities", "time", "places", "claims", "events"))


def run(pipeline: Pipeline, text: str, published: str | None = "2025-05-10") -> Analysis:
    analysis = pipeline(Document.from_text(text, published=published))
    for event in analysis.events:
        assert event.type in PLOVER_TYPES
        for span in (event.trigger, *(r.span for r in (event.actor, event.recipient, event.where) if r),
                     event.when.span if event.when else None):
            if span is not None:
                assert text[span.start:span.end] == span.text
    return analysis


def by_trigger(analysis: Analysis, trigger: str) -> Event:
    found = [e for e in analysis.events if e.trigger.text == trigger]
    assert len(found) == 1, [(e.type, e.trigger.text) for e in analysis.events]
    return found[0]


def name(analysis: Analysis, ref: object) -> str | None:
    entity = getattr(ref, "entity", None)
    return analysis.entity(entity).name if entity else None


def test_lexicon_types_are_plover_roots() -> None:
    lex = event_lexicon()
    assert set(lex.types.values()) <= set(PLOVER_TYPES)
    assert lex.type_of("attack") == "ASSAULT"
    assert lex.type_of("call", ("for",)) == "REQUEST"
    assert lex.type_of("strike", (), frozenset({"workers"})) == "PROTEST"


def test_verbal_event_with_actor_recipient_date_and_place(pipeline: Pipeline) -> None:
    a = run(pipeline, "Taliban fighters attacked a police checkpoint in Kunduz on Saturday.")
    event = by_trigger(a, "attacked")
    assert event.type == "ASSAULT"
    assert event.actor is not None and event.actor.span.text == "Taliban fighters"
    assert event.recipient is not None and event.recipient.span.text == "a police checkpoint"
    assert event.when is not None and event.when.span.text == "Saturday" and event.when.value == "2025-05-10"
    assert event.where is not None and name(a, event.where) == "Kunduz"
    assert event.modality == "asserted" and event.claim is None


def test_passive_agent_is_the_actor(pipeline: Pipeline) -> None:
    a = run(pipeline, "Hafiz Qureshi was arrested by the National Investigation Agency in 2021.")
    event = by_trigger(a, "arrested")
    assert event.type == "COERCE"
    assert name(a, event.actor) == "National Investigation Agency"
    assert name(a, event.recipient) == "Hafiz Qureshi"
    assert event.when is not None and event.when.value == "2021"


def test_nominal_event_with_possessor_and_on(pipeline: Pipeline) -> None:
    a = run(pipeline, "Lashkar-e-Islam's attack on the Harbour Road base killed four guards.")
    event = by_trigger(a, "attack")
    assert event.type == "ASSAULT"
    assert event.actor is not None and "Lashkar-e-Islam" in event.actor.span.text
    assert event.recipient is not None and event.recipient.span.text == "the Harbour Road base"


def test_year_attached_to_the_noun_dates_it(pipeline: Pipeline) -> None:
    a = run(pipeline, "The 2004 hijacking of the airliner still haunts the airline, its chief said on Monday.")
    event = by_trigger(a, "hijacking")
    assert event.type == "ASSAULT"
    assert event.when is not None and event.when.value == "2004"


def test_date_of_the_saying_is_not_the_date_of_the_event(pipeline: Pipeline) -> None:
    a = run(pipeline, "The minister said on Tuesday that militants had bombed the bridge.")
    event = by_trigger(a, "bombed")
    assert event.when is None or event.when.span.text != "Tuesday"
    assert event.claim is not None  # the minister says so, not the outlet
    claim = next(c for c in a.claims if c.id == event.claim)
    assert claim.source is not None and claim.source.span.text == "The minister"


def test_modality(pipeline: Pipeline) -> None:
    a = run(pipeline, "The army did not withdraw. The rebels could attack the airport. "
                      "The European Union will impose sanctions on the militia.")
    assert by_trigger(a, "withdraw").modality == "negated"
    assert by_trigger(a, "attack").modality == "hypothetical"
    assert by_trigger(a, "sanctions").modality == "future"  # "will impose sanctions": not yet imposed


def test_reporting_verbs_are_mentions_not_events(pipeline: Pipeline) -> None:
    a = run(pipeline, "Officials said the talks would resume.")
    assert not [e for e in a.events if e.trigger.text == "said"]
    mentions = find_mentions(a)
    said = [m for m in mentions if m.trigger.text == "said"]
    assert said and said[0].reporting and said[0].type is None


def test_speech_acts_that_are_acts_are_events(pipeline: Pipeline) -> None:
    a = run(pipeline, "The government accused the rebel commander of war crimes and threatened the group "
                      "with sanctions.")
    assert by_trigger(a, "accused").type == "ACCUSE"
    assert by_trigger(a, "threatened").type == "THREATEN"


def test_warned_that_reports_rather_than_threatens(pipeline: Pipeline) -> None:
    a = run(pipeline, "Intelligence officials warned that the cell could strike again.")
    assert not [e for e in a.events if e.trigger.text == "warned"]
    assert by_trigger(a, "strike").modality == "hypothetical"


def test_named_operation_is_a_mobilization(pipeline: Pipeline) -> None:
    a = run(pipeline, "The army launched Operation Northern Shield along the border in March.")
    assert any(e.type == "MOBILIZE" for e in a.events)


def test_present_perfect_news_takes_the_publication_date(pipeline: Pipeline) -> None:
    a = run(pipeline, "Protesters have blocked the main highway.")
    event = by_trigger(a, "blocked")
    assert event.when is not None and event.when.value == "2025-05-10"


def test_historical_past_takes_no_publication_date(pipeline: Pipeline) -> None:
    a = run(pipeline, "Protesters blocked the main highway.")
    assert by_trigger(a, "blocked").when is None


def test_type_for_pair_follows_the_path_between_participants(pipeline: Pipeline) -> None:
    text = "Iran condemned the United States and signed a trade deal with China."
    a = run(pipeline, text)
    iran, us, china = (text.index(w) for w in ("Iran", "the United States", "China"))
    assert type_for_pair(a, (iran, iran + 4), (us, us + len("the United States"))) == "ACCUSE"
    assert type_for_pair(a, (iran, iran + 4), (china, china + 5)) == "AGREE"


def test_bad_input_finishes_in_bounded_time(pipeline: Pipeline) -> None:
    long_sentence = "Militants attacked the post and " * 3000 + "fled."
    started = time.monotonic()
    a = run(pipeline, long_sentence)
    assert a.events
    assert time.monotonic() - started < 60
    assert run(pipeline, " \n ").events == ()
