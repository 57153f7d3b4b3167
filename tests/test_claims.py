"""The claims stage on invented sentences: every kind of attribution, source typing and
resolution, split and multi-paragraph quotes, floating quotes, and bad input.

Content follows PolNeAR's and PARC's conventions: a direct quote keeps its marks (one span
per paragraph of a multi-paragraph quote), indirect content keeps its "that"."""

from __future__ import annotations

import time

import pytest

from claimgraph.model import Analysis, Claim, Document
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.coref import attribution_lexicon
from claimgraph.pipeline.quotes import find_quotes
from claimgraph.settings import Settings


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    """The rules alone: these tests pin down the fallback (the learned model is tested in
    test_claims_discourse.py, test_claims_model.py and on the samples)."""
    return Pipeline(Settings(use_models=False), stages=("nlp", "entities", "claims"))


def claims(pipeline: Pipeline, text: str) -> tuple[Analysis, tuple[Claim, ...]]:
    analysis = pipeline(Document.from_text(text))
    for claim in analysis.claims:
        for span in (claim.cue, claim.source.span if claim.source else None, *claim.content):
            if span is not None:
                assert text[span.start:span.end] == span.text
    assert [c.id for c in analysis.claims] == [f"c{n}" for n in range(1, len(analysis.claims) + 1)]
    return analysis, analysis.claims


def only(found: tuple[Claim, ...], cue: str) -> Claim:
    matching = [c for c in found if c.cue is not None and c.cue.text == cue]
    assert len(matching) == 1, found
    return matching[0]


def texts(claim: Claim) -> list[str]:
    return [c.text for c in claim.content]


def entity_name(analysis: Analysis, claim: Claim) -> str | None:
    assert claim.source is not None
    return analysis.entity(claim.source.entity).name if claim.source.entity else None


def test_indirect_speech_and_pronoun_source(pipeline: Pipeline) -> None:
    text = ("Hafiz Rahman Qureshi, the commander of the group, denied the charges. "
            "He said that his brother was killed in the strike.")
    analysis, found = claims(pipeline, text)
    denied = only(found, "denied")
    assert denied.kind == "indirect" and texts(denied) == ["the charges"]
    assert denied.source is not None and denied.source.type == "person"
    assert entity_name(analysis, denied) == "Hafiz Rahman Qureshi"
    said = only(found, "said")
    assert said.source is not None and said.source.span.text == "He"
    assert entity_name(analysis, said) == "Hafiz Rahman Qureshi"
    assert texts(said) == ["that his brother was killed in the strike"]


def test_content_before_the_cue(pipeline: Pipeline) -> None:
    _, found = claims(pipeline, "The army will withdraw by Friday, the ministry said in a statement.")
    said = only(found, "said")
    assert said.kind == "indirect" and texts(said) == ["The army will withdraw by Friday"]
    assert said.source is not None and said.source.span.text == "the ministry"
    assert said.source.type == "organization"


def test_split_direct_quote_is_one_claim(pipeline: Pipeline) -> None:
    text = "“We will not surrender,” said Colonel Ibrahim Musa, “and we will fight on.”"
    analysis, found = claims(pipeline, text)
    assert len(found) == 1
    claim = found[0]
    assert claim.kind == "direct" and claim.cue is not None and claim.cue.text == "said"
    assert texts(claim) == ["“We will not surrender,”", "“and we will fight on.”"]
    assert entity_name(analysis, claim) == "Ibrahim Musa"


def test_straight_marks_and_colon_introduction(pipeline: Pipeline) -> None:
    text = 'Interior Minister Sara Malik told reporters: "The attackers came from across the border."'
    analysis, found = claims(pipeline, text)
    told = only(found, "told")
    assert told.kind == "direct" and texts(told) == ['"The attackers came from across the border."']
    assert told.source is not None and told.source.type == "person"
    assert entity_name(analysis, told) == "Sara Malik"


def test_multi_paragraph_quote_and_floating_quote(pipeline: Pipeline) -> None:
    text = ("Amina Bello, a teacher in the town, said: “Nobody warned us.\n\n"
            "“The soldiers left the checkpoint two days earlier. We were alone.”\n\n"
            "Bello has since moved to the capital.\n\n"
            "“I will not go back.”")
    analysis, found = claims(pipeline, text)
    said = only(found, "said:")  # the colon belongs to the cue, as PolNeAR and PARC mark it
    assert texts(said) == ["“Nobody warned us.", "“The soldiers left the checkpoint two days earlier. We were alone.”"]
    assert entity_name(analysis, said) == "Amina Bello"
    floating = [c for c in found if c.cue is None]
    assert len(floating) == 1 and texts(floating[0]) == ["“I will not go back.”"]
    assert floating[0].kind == "direct" and floating[0].source == said.source


def test_according_to_both_positions_and_anonymous_sources(pipeline: Pipeline) -> None:
    text = ("According to intelligence officials, the cell ran two training camps. "
            "The talks collapsed on Monday, according to a person familiar with the matter.")
    _, found = claims(pipeline, text)
    first, second = found
    assert first.kind == second.kind == "according_to"
    assert first.cue is not None and first.cue.text == "According to"
    assert first.source is not None and first.source.span.text == "intelligence officials"
    assert first.source.type == "anonymous" and first.source.entity is None
    assert texts(first) == ["the cell ran two training camps"]
    assert second.source is not None and second.source.span.text == "a person familiar with the matter"
    assert second.source.type == "anonymous"
    assert texts(second) == ["The talks collapsed on Monday"]


def test_security_sources_are_anonymous(pipeline: Pipeline) -> None:
    _, found = claims(pipeline, "Security sources said the group had been planning the attack for weeks.")
    said = only(found, "said")
    assert said.source is not None and said.source.type == "anonymous"
    assert said.source.span.text == "Security sources"


def test_document_sources(pipeline: Pipeline) -> None:
    text = ("The indictment alleges that the company shipped drone parts abroad. "
            "According to a UN report, more than 200 people have died in the region this year.")
    _, found = claims(pipeline, text)
    alleges = only(found, "alleges")
    assert alleges.source is not None and alleges.source.type == "document"
    assert alleges.source.span.text == "The indictment"
    assert texts(alleges) == ["that the company shipped drone parts abroad"]
    report = only(found, "According to")
    assert report.source is not None and report.source.type == "document"
    assert report.source.span.text == "a UN report"


def test_cue_noun_with_possessive_source(pipeline: Pipeline) -> None:
    text = "Rahul Verma repeated his claim that the ballots had been tampered with."
    analysis, found = claims(pipeline, text)
    claim = only(found, "claim")
    assert claim.kind == "indirect" and texts(claim) == ["that the ballots had been tampered with"]
    assert claim.source is not None and claim.source.span.text == "his"
    assert entity_name(analysis, claim) == "Rahul Verma"


def test_mixed_quote(pipeline: Pipeline) -> None:
    text = ('Mayor Elena Petrova praised the rebuilt bridge as "a symbol of the city\'s survival." '
            'Her deputy said the repairs were "long overdue" and over budget.')
    _, found = claims(pipeline, text)
    praised = only(found, "praised")
    assert praised.kind == "mixed"
    assert texts(praised) == ['the rebuilt bridge as "a symbol of the city\'s survival."']
    said = only(found, "said")
    assert said.kind == "mixed" and texts(said) == ['the repairs were "long overdue" and over budget']


def test_description_resolves_through_roles(pipeline: Pipeline) -> None:
    text = ("Hafiz Rahman Qureshi, the commander of the group, met the elders on Tuesday. "
            "The commander said the fighters would leave the valley.")
    analysis, found = claims(pipeline, text)
    said = only(found, "said")
    assert said.source is not None and said.source.span.text == "The commander"
    assert said.source.type == "person"
    assert entity_name(analysis, said) == "Hafiz Rahman Qureshi"


def test_unresolvable_source_keeps_its_span(pipeline: Pipeline) -> None:
    _, found = claims(pipeline, "The spokesman said the flights would resume next week.")
    said = only(found, "said")
    assert said.source is not None and said.source.span.text == "The spokesman"
    assert said.source.entity is None


def test_outlet_assertions_make_no_claims(pipeline: Pipeline) -> None:
    _, found = claims(pipeline, "Three depots were destroyed near the border on Sunday. The road stayed closed.")
    assert found == ()


def test_quote_pairing_handles_unbalanced_marks() -> None:
    text = 'He said "yes. Then “no and ” again "\n"open here\nclosed” later “fine”.'
    quotes = find_quotes(text)
    for quote in quotes:
        for start, end in quote.segments:
            assert 0 <= start < end <= len(text)
    assert any(text[q.start:q.end] == "fine" for q in quotes)


def test_hundreds_of_unbalanced_marks_finish(pipeline: Pipeline) -> None:
    text = " ".join(f'The minister said "point {n} of the plan' for n in range(300)) + "."
    text += " “" * 200
    started = time.perf_counter()
    claims(pipeline, text)
    assert time.perf_counter() - started < 60


def test_one_huge_sentence_finishes(pipeline: Pipeline) -> None:
    text = ("officials said that " + "the convoy moved and " * 5000)[:100_000] + "."
    started = time.perf_counter()
    claims(pipeline, text)
    assert time.perf_counter() - started < 60


def test_empty_document(pipeline: Pipeline) -> None:
    assert pipeline(Document.from_text("")).claims == ()


def test_pronoun_prefers_the_latest_speaker(pipeline: Pipeline) -> None:
    text = ("Maria Lopez, the mayor, said the budget was balanced. The council met Carlos Ruiz on Tuesday. "
            "She added that taxes would fall.")
    analysis, found = claims(pipeline, text)
    added = only(found, "added")
    assert added.source is not None and added.source.span.text == "She"
    assert entity_name(analysis, added) == "Maria Lopez"


def test_parenthetical_cue_splits_the_content(pipeline: Pipeline) -> None:
    analysis, found = claims(pipeline, "This campaign, Senator John Keller says, is different.")
    says = only(found, "says")
    assert texts(says) == ["This campaign", "is different"]
    assert entity_name(analysis, says) == "John Keller"


def test_pro_form_content(pipeline: Pipeline) -> None:
    _, found = claims(pipeline, "Asked about the poll, half of the voters said so.")
    said = only(found, "said")
    assert texts(said) == ["so"]


def test_headline_with_a_named_speaker(pipeline: Pipeline) -> None:
    text = ("Maria Lopez: City Budget Is Balanced And Fair\n\n"
            "Maria Lopez, the mayor, defended the budget on Monday.")
    analysis, found = claims(pipeline, text)
    colon = only(found, ":")
    assert texts(colon) == ["City Budget Is Balanced And Fair"]
    assert entity_name(analysis, colon) == "Maria Lopez"
    assert colon.id == "c1"


def test_belief_inside_a_quote_is_not_a_claim_of_its_own(pipeline: Pipeline) -> None:
    text = 'Senator John Keller told reporters that "I think we will win easily" in the spring.'
    _, found = claims(pipeline, text)
    assert [c.cue.text for c in found if c.cue] == ["told"]


def test_source_spans_follow_annotation_conventions(pipeline: Pipeline) -> None:
    text = ("KANO, Nigeria (Wire) — Regional governor Musa Danladi, a former general, said on Monday "
            "that the curfew would be lifted.")
    analysis, found = claims(pipeline, text)
    said = only(found, "said")
    assert said.source is not None
    # the dateline is left out; an appositive keeps its closing comma, as PolNeAR marks it
    assert said.source.span.text == "Regional governor Musa Danladi, a former general,"
    assert entity_name(analysis, said) == "Musa Danladi"


def test_lexicon_words_are_lower_case_strings() -> None:
    """YAML reads a bare no/yes/on as a boolean: every entry must come back as the word."""
    from importlib import resources

    import yaml

    raw = yaml.safe_load(resources.files("claimgraph.lexicons").joinpath("attribution.yaml").read_text("utf-8"))
    for key, words in raw.items():
        assert all(isinstance(w, str) and w == w.lower() for w in words), key
    lex = attribution_lexicon()
    assert {"say", "deny", "tweet", "imply"} <= lex.cue_verbs and ("according", "to") in lex.according_to


@pytest.mark.parametrize("text, want", [
    ("Prosecutor Daniel Okafor told the jury during the trial that the director had approved false valuations.",
     "that the director had approved false valuations"),
    ("Martin Brenner told analysts on a call that the merger would bring large savings.",
     "that the merger would bring large savings"),
    ("Saima Bukhari told a weekly briefing that Pakistan had acted and that it rejected the report.",
     "that Pakistan had acted and that it rejected the report"),
])
def test_told_listener_is_not_content(pipeline: Pipeline, text: str, want: str) -> None:
    _, found = claims(pipeline, text)
    told = only(found, "told")
    assert texts(told) == [want]


def test_parenthetical_cue_in_mid_sentence(pipeline: Pipeline) -> None:
    text = "The talks failed after two days, Smith said, and the delegates went home."
    _, found = claims(pipeline, text)
    said = only(found, "said")
    assert said.source is not None and said.source.span.text == "Smith"
    assert texts(said) == ["The talks failed after two days", "the delegates went home"]


@pytest.mark.parametrize("text, want", [
    ("The agency said it would appeal the ruling next month, and that the fines had been paid.",
     "it would appeal the ruling next month, and that the fines had been paid"),
    ("Villaflor said the team had cleared the main area and that work on roads, a market and a mosque "
     "would begin soon.",
     "the team had cleared the main area and that work on roads, a market and a mosque would begin soon"),
])
def test_coordinated_that_clauses(pipeline: Pipeline, text: str, want: str) -> None:
    _, found = claims(pipeline, text)
    said = only(found, "said")
    assert texts(said) == [want]


def test_second_cue_shares_the_subject(pipeline: Pipeline) -> None:
    text = ("Abdullahi Yakasai, a spokesman for the army, confirmed that the convoy had been attacked "
            "but said troops had repelled the fighters.")
    _, found = claims(pipeline, text)
    confirmed, said = only(found, "confirmed"), only(found, "said")
    assert texts(confirmed) == ["that the convoy had been attacked"]
    assert said.source is not None and "Abdullahi Yakasai" in said.source.span.text
    assert texts(said) == ["troops had repelled the fighters"]


def test_possessor_is_not_the_source(pipeline: Pipeline) -> None:
    text = "Martin Whitcombe's lawyer, Rebecca Lowther, said that her client would appeal."
    analysis, found = claims(pipeline, text)
    said = only(found, "said")
    assert entity_name(analysis, said) == "Rebecca Lowther"
