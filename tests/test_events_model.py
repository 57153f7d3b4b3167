"""The learned event type model and the events stage's dating, placing, arguments and counts
(#14), on sentences the project wrote."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimgraph.errors import DataFormatError
from claimgraph.model import Analysis, Document, Event
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.events.model import MODEL_NAME, TypeModel, load_model, model_path
from claimgraph.settings import Settings

STAGES = ("nlp", "entities", "time", "places", "claims", "events")


def test_missing_model_file_names_the_file_and_the_command(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match=r"python -m claimgraph\.training event_types") as info:
        load_model(tmp_path / "model.npz")
    assert "model.npz" in str(info.value)


def test_corrupt_model_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "model.npz"
    np.savez(bad, features=np.array(["l=attack"]), classes=np.array(["ASSAULT", "NONE"]),
             weights=np.zeros((2, 2), dtype=np.float16), intercept=np.zeros(2), thresholds=np.array([0.6, 0.9]))
    with pytest.raises(DataFormatError, match="inconsistent"):
        load_model(bad)


def test_scoring_is_a_softmax_over_the_features_present() -> None:
    model = TypeModel({"l=attack": 0}, ("ASSAULT", "NONE"), np.array([[2.0, 0.0]], dtype=np.float32),
                      np.zeros(2, dtype=np.float32), 0.6, 0.9)
    probs = model.probabilities(["l=attack", "unknown"])
    assert probs["ASSAULT"] > probs["NONE"] and abs(sum(probs.values()) - 1) < 1e-6
    assert model.best_type(["unknown"])[0] == "ASSAULT"  # NONE is never a type


def test_the_shipped_model_is_small_and_loads() -> None:
    assert model_path().stat().st_size < 12_000_000
    assert "NONE" in load_model().classes


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(stages=STAGES)


def run(pipeline: Pipeline, text: str, published: str | None = "2025-01-15") -> Analysis:
    analysis = pipeline(Document.from_text(text, published=published))
    for e in analysis.events:
        for span in (e.trigger, *(r.span for r in (e.actor, e.recipient, e.where) if r), *(c.span for c in e.counts)):
            assert text[span.start:span.end] == span.text
    return analysis


def event(analysis: Analysis, trigger: str) -> Event:
    found = [e for e in analysis.events if e.trigger.text == trigger]
    assert found, [(e.type, e.trigger.text) for e in analysis.events]
    return found[0]


@pytest.mark.slow
@pytest.mark.parametrize("settings", [Settings(use_models=False), Settings(disabled_models=frozenset({MODEL_NAME}))],
                         ids=["rules-only", "disabled"])
def test_rules_stay_the_fallback(settings: Settings) -> None:
    a = Pipeline(settings, stages=STAGES)(Document.from_text("Militants attacked a police post in Bannu."))
    assert [e.type for e in a.events] == ["ASSAULT"]


@pytest.mark.slow
def test_overnight_is_the_night_before_a_morning_edition(pipeline: Pipeline) -> None:
    a = run(pipeline, "Militants attacked a police station in Bannu overnight, killing three policemen.")
    assert event(a, "attacked").when is not None and event(a, "attacked").when.value.startswith("2025-01-14")


@pytest.mark.slow
def test_dates_the_clause_or_its_noun_gives(pipeline: Pipeline) -> None:
    a = run(pipeline, "In 2019, he received a UN global terrorist designation.")
    designation = event(a, "designation")
    assert designation.when is not None and designation.when.value == "2019"
    assert designation.where is None  # "UN" only modifies the designation
    b = run(pipeline, "The group claimed the 2018 attack on Sunjwan Military Station.")
    attack = event(b, "attack")
    assert attack.when is not None and attack.when.value == "2018"
    assert attack.recipient is not None and "Sunjwan" in attack.recipient.span.text


@pytest.mark.slow
def test_background_and_negated_acts_take_no_publication_date(pipeline: Pipeline) -> None:
    a = run(pipeline, "The army has not arrested anyone. Militants routinely attack the convoys.")
    assert all(e.when is None for e in a.events)


@pytest.mark.slow
def test_words_that_are_no_political_act(pipeline: Pipeline) -> None:
    a = run(pipeline, "The banned group operates in Pakistan-occupied Kashmir. "
                      "The chief minister gave a video speech from Peshawar.")
    assert not [e for e in a.events if e.type in ("SANCTION", "ASSAULT", "AID")]


@pytest.mark.slow
def test_an_operation_that_struck_is_an_assault(pipeline: Pipeline) -> None:
    a = run(pipeline, "India launched Operation Sindoor, strikes that destroyed nine bases.")
    op = event(a, "Operation")
    assert op.type == "ASSAULT" and op.actor is not None and op.actor.span.text == "India"


@pytest.mark.slow
def test_passive_roles_are_not_reversed(pipeline: Pipeline) -> None:
    a = run(pipeline, "Six attackers were killed by security forces in Mir Ali on Saturday.")
    killed = event(a, "killed")
    assert killed.actor is not None and killed.actor.span.text == "security forces"
    assert killed.recipient is not None and killed.recipient.span.text == "Six attackers"
    assert killed.where is not None and killed.where.span.text == "Mir Ali"


@pytest.mark.slow
def test_relative_pronoun_is_no_actor(pipeline: Pipeline) -> None:
    a = run(pipeline, "It was the explosion which killed the guards.")
    assert all(e.actor is None or e.actor.span.text.lower() not in ("which", "it") for e in a.events)


@pytest.mark.slow
def test_casualty_and_arrest_counts(pipeline: Pipeline) -> None:
    a = run(pipeline, "Militants attacked the post on Tuesday, killing three policemen and wounding at least 12 "
                      "people. Police said they had arrested two men.")
    counts = {(c.kind, c.value, c.span.text) for c in event(a, "attacked").counts}
    assert counts == {("killed", 3, "three"), ("injured", 12, "at least 12")}
    arrested = event(a, "arrested")
    assert [(c.kind, c.value) for c in arrested.counts] == [("arrested", 2)]
    assert arrested.counts[0].claim == arrested.claim and arrested.claim is not None
