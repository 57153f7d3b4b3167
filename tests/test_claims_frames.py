"""Claims whose content is not a that-clause (stance, request and evaluation verbs with an
object, an infinitive or a preposition), raising frames with no named source, cue spans
with their auxiliaries and colon, relative-pronoun sources, two-character quote marks."""

from __future__ import annotations

import pytest

from claimgraph.model import Analysis, Claim, Document
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.quotes import find_quotes, marks_view
from claimgraph.settings import Settings


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    """The rules alone: these tests pin down the fallback (the learned model is tested in
    test_claims_discourse.py, test_claims_model.py and on the samples)."""
    return Pipeline(Settings(use_models=False), stages=("nlp", "entities", "claims"))


def run(pipeline: Pipeline, text: str) -> tuple[Analysis, tuple[Claim, ...]]:
    analysis = pipeline(Document.from_text(text))
    for claim in analysis.claims:
        for span in (claim.cue, claim.source.span if claim.source else None, *claim.content):
            if span is not None:
                assert text[span.start:span.end] == span.text
    return analysis, analysis.claims


def by_cue(found: tuple[Claim, ...], cue: str) -> Claim:
    matching = [c for c in found if c.cue is not None and c.cue.text == cue]
    assert len(matching) == 1, [(c.cue.text if c.cue else None, [s.text for s in c.content]) for c in found]
    return matching[0]


def texts(claim: Claim) -> list[str]:
    return [c.text for c in claim.content]


def test_stance_verb_with_object(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "Senator Amara Okoye criticized the new border policy on Tuesday.")
    claim = by_cue(found, "criticized")
    assert claim.source is not None and claim.source.span.text == "Senator Amara Okoye"
    assert texts(claim)[0].startswith("the new border policy")


def test_request_verb_with_preposition_in_the_cue(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "The governor called for an independent inquiry into the shooting.")
    claim = by_cue(found, "called for")
    assert texts(claim) == ["an independent inquiry into the shooting"]


def test_refusal_with_infinitive(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "The ministry refused to comment on the report.")
    claim = by_cue(found, "refused")
    assert texts(claim) == ["to comment on the report"]


def test_described_as_keeps_the_description(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "Police described the suspect as a former member of the militia.")
    claim = by_cue(found, "described")
    assert texts(claim) == ["the suspect as a former member of the militia"]


def test_action_readings_are_not_claims(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "Rescuers found the bodies near the river. The talks continued the next day.")
    assert not [c for c in found if c.cue is not None and c.cue.text in ("found", "continued")]


def test_listener_alone_is_no_content(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "The minister thanked the crowd and left the stage.")
    assert not [c for c in found if c.cue is not None and "thanked" in c.cue.text]


def test_raising_frame_has_no_source_and_two_spans(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "The ceasefire seemed to hold through the night.")
    claim = by_cue(found, "seemed")
    assert claim.source is None
    assert texts(claim) == ["The ceasefire", "to hold through the night"]


def test_passive_cue_with_infinitive(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "The commander is believed to be hiding in the mountains.")
    claim = by_cue(found, "is believed")
    assert claim.source is None
    assert texts(claim) == ["The commander", "to be hiding in the mountains"]


def test_cue_keeps_auxiliaries_negation_and_colon(pipeline: Pipeline) -> None:
    _, found = run(pipeline, 'The agency has also denied the report. Khan did not mention the strike. '
                             'Ali Raza said: "We will rebuild the school."')
    assert by_cue(found, "has also denied")
    assert by_cue(found, "did not mention")
    assert by_cue(found, "said:")


def test_infinitive_and_modal_cues_are_not_claims(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "The mayor will announce the budget. She came to praise the volunteers.")
    assert found == ()


def test_first_person_belief_is_not_a_claim(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "I think the election will be close, and we believe turnout will be high.")
    assert found == ()


def test_relative_pronoun_source_resolves_to_antecedent(pipeline: Pipeline) -> None:
    analysis, found = run(pipeline, "The case was brought by the Serious Fraud Office, which said that "
                                    "investors lost 40 million pounds.")
    claim = by_cue(found, "said")
    assert claim.source is not None and claim.source.span.text == "which"
    assert claim.source.entity is not None
    assert analysis.entity(claim.source.entity).name == "Serious Fraud Office"


def test_source_phrase_ends_before_relative_clause(pipeline: Pipeline) -> None:
    _, found = run(pipeline, "Joe Bateman, who drove in from Ohio, said that the rally was the largest yet.")
    claim = by_cue(found, "said")
    assert claim.source is not None and claim.source.span.text == "Joe Bateman"


def test_two_character_quote_marks(pipeline: Pipeline) -> None:
    text = "''We are not leaving,'' the spokesman said. ''Not now, not ever.''"
    view = marks_view(text)
    assert len(view) == len(text)
    quotes = find_quotes(text)
    assert [text[q.outer[0][0]:q.outer[0][1]] for q in quotes] == ["''We are not leaving,''", "''Not now, not ever.''"]
    _, found = run(pipeline, text)
    claim = by_cue(found, "said")
    assert texts(claim)[0] == "''We are not leaving,''"


def test_quote_split_around_cue_with_second_quote_as_complement(pipeline: Pipeline) -> None:
    text = 'Judge Amal Hassan looked up. "Counsel," she said, "I have never seen a plea like this one."'
    _, found = run(pipeline, text)
    claim = by_cue(found, "said")
    assert texts(claim) == ['"Counsel,"', '"I have never seen a plea like this one."']
