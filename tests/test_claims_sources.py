"""Source typing and resolution rules of the claims stage, on invented sentences: who an
unnamed or described source is, the speaker a pronoun or description carries on, and
subjects the parser misplaces (a headline above, a fronted phrase, a participle clause)."""

from __future__ import annotations

import pytest

from claimgraph.model import Analysis, Claim, Document
from claimgraph.pipeline import Pipeline
from claimgraph.settings import Settings


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    """The rules alone: these tests pin down the fallback (the learned model is tested in
    test_claims_discourse.py, test_claims_model.py and on the samples)."""
    return Pipeline(Settings(use_models=False), stages=("nlp", "entities", "claims"))


def claim_with(pipeline: Pipeline, text: str, content: str) -> tuple[Analysis, Claim]:
    """The claim whose content holds ``content``."""
    analysis = pipeline(Document.from_text(text))
    found = [c for c in analysis.claims if any(content in s.text for s in c.content)]
    assert len(found) == 1, analysis.claims
    return analysis, found[0]


def source_of(analysis: Analysis, claim: Claim) -> tuple[str, str, str | None]:
    """(span text, type, entity name) of a claim's source."""
    src = claim.source
    assert src is not None, claim
    return src.span.text, src.type, analysis.entity(src.entity).name if src.entity else None


@pytest.mark.parametrize("text", [
    "An Orlan Motors spokesman said the plant would reopen in May.",
    "A ministry spokeswoman said the plant would reopen in May.",
])
def test_an_unnamed_spokesman_is_anonymous(pipeline: Pipeline, text: str) -> None:
    analysis, claim = claim_with(pipeline, text, "the plant would reopen")
    assert source_of(analysis, claim)[1] == "anonymous"


def test_a_name_whose_head_is_an_anonymous_word_is_still_the_name(pipeline: Pipeline) -> None:
    text = ("The Westland Harbour Authority (WHA), which runs the docks, closed the port in March "
            "and has said it will reopen it next year.")
    analysis, claim = claim_with(pipeline, text, "it will reopen it next year")
    assert source_of(analysis, claim)[1:] == ("organization", "Westland Harbour Authority")


def test_a_numeral_is_an_unnamed_speaker_and_he_stays_unnamed(pipeline: Pipeline) -> None:
    text = ("Two guards who survived the raid spoke to this newspaper. One said the gate had been left open. "
            "\"They knew exactly where to go,\" he said.")
    analysis, one = claim_with(pipeline, text, "the gate had been left open")
    assert source_of(analysis, one)[:2] == ("One", "anonymous")
    analysis, he = claim_with(pipeline, text, "They knew exactly where to go")
    assert source_of(analysis, he)[:2] == ("he", "anonymous")


def test_identified_as_names_the_speaker(pipeline: Pipeline) -> None:
    text = ("One of the men, identified by the FSB as Pavel Sorokin, a 29-year-old welder, is seen in the "
            "footage saying that he had been paid to set the fire.")
    analysis, claim = claim_with(pipeline, text, "he had been paid to set the fire")
    assert source_of(analysis, claim) == ("One of the men", "person", "Pavel Sorokin")


def test_the_text_moving_on_to_another_person_takes_the_pronoun(pipeline: Pipeline) -> None:
    text = ("\"We will not bargain with anyone who holds hostages,\" Teresa Albornoz told supporters in the "
            "capital.\n\n"
            "Julián Marroquín conceded late on Sunday. In a brief speech, he congratulated Albornoz and said "
            "his party would work with the new government.")
    analysis, claim = claim_with(pipeline, text, "his party would work with the new government")
    assert source_of(analysis, claim) == ("he", "person", "Julián Marroquín")


def test_a_pronoun_that_continues_the_speaker_keeps_the_speaker(pipeline: Pipeline) -> None:
    text = ("Victor Halloran said the budget was a mistake. The opposition's plan, he added, would "
            "cost more than Janet Morrow admits. \"It is reckless,\" he said.")
    analysis, claim = claim_with(pipeline, text, "It is reckless")
    assert source_of(analysis, claim)[2] == "Victor Halloran"


@pytest.mark.parametrize(("text", "content"), [
    ("The Northern Weather Agency said storms would reach the coast, citing data from the Polar Research Agency. "
     "The agency said schools should close on Friday.", "schools should close"),
    ("The Ministry of Water said the dam was safe after an inspection by the Rhine Engineering Company. "
     "It said repairs would start in June.", "repairs would start"),
])
def test_it_and_the_agency_continue_the_latest_organisation_speaking(pipeline: Pipeline, text: str,
                                                                     content: str) -> None:
    analysis, claim = claim_with(pipeline, text, content)
    first = text.split(" said")[0].removeprefix("The ")
    assert source_of(analysis, claim)[1:] == ("organization", first)


def test_the_kind_noun_of_a_name_stands_for_it(pipeline: Pipeline) -> None:
    text = ("Early results from the National Electoral Registry gave the mayor 52 percent. "
            "Turnout was about 61 percent, according to the registry.")
    analysis, claim = claim_with(pipeline, text, "Turnout was about 61 percent")
    assert source_of(analysis, claim) == ("the registry", "organization", "National Electoral Registry")


@pytest.mark.parametrize(("text", "content"), [
    ("Exports fell by a fifth last year, according to the trade association Metallo.", "Exports fell"),
    ("Traders in Lisbon said the escudo was expected to weaken.", "was expected to weaken"),
])
def test_kinds_of_speakers_without_a_name(pipeline: Pipeline, text: str, content: str) -> None:
    analysis, claim = claim_with(pipeline, text, content)
    want = "organization" if "association" in text else "anonymous"
    assert source_of(analysis, claim)[1] == want


def test_a_headline_subject_is_not_the_source(pipeline: Pipeline) -> None:
    text = ("Orlan Motors to cut 900 jobs as sales slump\n\nMarch 4, 2024\n\n"
            "Orlan Motors, one of the largest truck makers in Europe, said on Tuesday that it would cut 900 jobs.")
    analysis, claim = claim_with(pipeline, text, "it would cut 900 jobs")
    src = claim.source
    assert src is not None and src.span.start > text.index("2024")
    assert source_of(analysis, claim)[1:] == ("organization", "Orlan Motors")


def test_a_speaker_after_a_fronted_phrase(pipeline: Pipeline) -> None:
    text = ("In Lisbon, Ana Duarte, a spokeswoman for the Ministry of Labour, said the strike showed that "
            "the unions \"have lost patience with promises.\"")
    analysis, claim = claim_with(pipeline, text, "the strike showed")
    assert source_of(analysis, claim)[2] == "Ana Duarte"


def test_a_subject_before_a_participle_clause(pipeline: Pipeline) -> None:
    text = ("The mayor, speaking in the capital last week, called for the police to \"restore order in the "
            "markets\" before the holiday.")
    analysis, claim = claim_with(pipeline, text, "restore order")
    assert source_of(analysis, claim)[:2] == ("The mayor", "person")
