"""The relations layer on invented sentences: each pattern (appositive, title before a name,
possessive, copula, verbs and their passives, charges, designations, places), each
predicate, the negative cases that must stay silent, claim links and bad input.

The analysis comes from the real pipeline (spaCy parse, entities, claims); the relations
stage itself is called directly."""

from __future__ import annotations

import time

import pytest

from claimgraph.model import Analysis, Document, Relation
from claimgraph.pipeline import Pipeline
from claimgraph.pipeline.relations import extract_relations, make_stage
from claimgraph.pipeline.relations_base import relation_lexicon
from claimgraph.settings import Settings

Triple = tuple[str, str, str]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(stages=("nlp", "entities", "claims"))


@pytest.fixture(scope="module")
def with_places() -> Pipeline:
    return Pipeline(stages=("nlp", "entities", "places", "claims"))


def analyse(pipeline: Pipeline, text: str) -> tuple[Analysis, tuple[Relation, ...]]:
    analysis = pipeline(Document.from_text(text))
    found = extract_relations(analysis)
    ids = {e.id for e in analysis.entities}
    for rel in found:
        assert text[rel.evidence.start:rel.evidence.end] == rel.evidence.text
        assert rel.subject in ids and rel.object in ids
    return analysis, found


def triples(pipeline: Pipeline, text: str) -> set[Triple]:
    analysis, found = analyse(pipeline, text)
    return {(analysis.entity(r.subject).name, r.predicate, analysis.entity(r.object).name) for r in found}


def one(pipeline: Pipeline, text: str, triple: Triple) -> Relation:
    """The relation for ``triple`` (by entity names), which must be found."""
    analysis, found = analyse(pipeline, text)
    named = {(analysis.entity(r.subject).name, r.predicate, analysis.entity(r.object).name): r for r in found}
    assert triple in named, sorted(named)
    return named[triple]


# -- appositives, titles, possessives ---------------------------------------------------------

def test_appositive_after_the_name(pipeline: Pipeline) -> None:
    text = "Hafiz Qureshi, the commander of Lashkar-e-Islam, was killed in a drone strike on Tuesday."
    rel = one(pipeline, text, ("Hafiz Qureshi", "leader_of", "Lashkar-e-Islam"))
    assert rel.evidence.text == "Hafiz Qureshi, the commander of Lashkar-e-Islam"
    assert rel.claim is None


def test_appositive_before_the_name(pipeline: Pipeline) -> None:
    text = "The commander of Lashkar-e-Islam, Hafiz Qureshi, was killed on Tuesday."
    rel = one(pipeline, text, ("Hafiz Qureshi", "leader_of", "Lashkar-e-Islam"))
    assert "commander" in rel.evidence.text


def test_member_appositive(pipeline: Pipeline) -> None:
    text = "Imran Baloch, a member of the Baloch Liberation Army, was arrested in Quetta."
    assert triples(pipeline, text) == {("Imran Baloch", "member_of", "Baloch Liberation Army")}


def test_spokesman_is_a_member(pipeline: Pipeline) -> None:
    text = "Ahmed Karim, a spokesman for the Taliban, said the talks had failed."
    assert ("Ahmed Karim", "member_of", "Taliban") in triples(pipeline, text)


def test_one_of_several_leaders_is_a_member(pipeline: Pipeline) -> None:
    text = "Sami Haq, a senior commander of Lashkar-e-Taiba, was arrested on Sunday."
    assert triples(pipeline, text) == {("Sami Haq", "member_of", "Lashkar-e-Taiba")}
    text = "Omar Khalid, a former deputy chief of Jamaat-ul-Ahrar, was killed in an ambush."
    assert triples(pipeline, text) == {("Omar Khalid", "member_of", "Jamaat-ul-Ahrar")}


def test_title_before_the_name(pipeline: Pipeline) -> None:
    text = "Lashkar-e-Taiba chief Hafiz Saeed addressed a rally on Friday."
    rel = one(pipeline, text, ("Hafiz Saeed", "leader_of", "Lashkar-e-Taiba"))
    assert rel.evidence.text == "Lashkar-e-Taiba chief Hafiz Saeed"


def test_ambiguous_title_before_the_name_is_a_member(pipeline: Pipeline) -> None:
    text = "The Taliban commander Mullah Yaqoob spoke to reporters."
    assert triples(pipeline, text) == {("Yaqoob", "member_of", "Taliban")}


def test_possessive_role(pipeline: Pipeline) -> None:
    text = "Jaish-e-Mohammed's commander Abdul Rauf Azhar was not seen at the funeral."
    assert triples(pipeline, text) == {("Abdul Rauf Azhar", "leader_of", "Jaish-e-Mohammed")}
    text = "Pakistan's prime minister Shehbaz Sharif visited the flooded districts."
    assert ("Shehbaz Sharif", "leader_of", "Pakistan") in triples(pipeline, text)


def test_part_of_for_a_faction(pipeline: Pipeline) -> None:
    text = "Jamaat-ul-Ahrar, a faction of Tehrik-i-Taliban Pakistan, claimed the attack."
    assert triples(pipeline, text) == {("Jamaat-ul-Ahrar", "part_of", "Tehrik-i-Taliban Pakistan")}


# -- copulas and appointments -------------------------------------------------------------------

def test_copula_operative(pipeline: Pipeline) -> None:
    text = "Tariq Mehsud is a longtime operative of Tehrik-i-Taliban Pakistan."
    rel = one(pipeline, text, ("Tariq Mehsud", "member_of", "Tehrik-i-Taliban Pakistan"))
    assert rel.evidence.text == "Tariq Mehsud is a longtime operative of Tehrik-i-Taliban Pakistan"


def test_copula_founder(pipeline: Pipeline) -> None:
    text = "Masood Azhar was the founder of Jaish-e-Mohammed."
    assert triples(pipeline, text) == {("Masood Azhar", "founder_of", "Jaish-e-Mohammed")}


def test_became_and_served_as(pipeline: Pipeline) -> None:
    assert triples(pipeline, "Nasir Khan became head of the Punjab Police in 2019.") == {
        ("Nasir Khan", "leader_of", "Punjab Police")}
    assert triples(pipeline, "Kamal Shah served as chief of the Sindh Police for three years.") == {
        ("Kamal Shah", "leader_of", "Sindh Police")}


def test_appointed_to_a_two_word_role(pipeline: Pipeline) -> None:
    text = "Lt Gen Asim Munir was appointed director general of the Inter-Services Intelligence in 2018."
    assert ("Asim Munir", "leader_of", "Inter-Services Intelligence") in triples(pipeline, text)


def test_role_as_subject_of_the_copula(pipeline: Pipeline) -> None:
    text = "The current leader of Tehrik-i-Taliban Pakistan is Noor Wali Mehsud."
    assert triples(pipeline, text) == {("Noor Wali Mehsud", "leader_of", "Tehrik-i-Taliban Pakistan")}


def test_part_of_copula(pipeline: Pipeline) -> None:
    text = "The Frontier Corps is part of the Pakistan Army."
    assert triples(pipeline, text) == {("Frontier Corps", "part_of", "Pakistan Army")}


def test_pronoun_subject_resolves_to_the_last_person(pipeline: Pipeline) -> None:
    text = "Masood Azhar was released from an Indian prison in 1999. He was the founder of Jaish-e-Mohammed."
    rel = one(pipeline, text, ("Masood Azhar", "founder_of", "Jaish-e-Mohammed"))
    assert rel.evidence.text == "He was the founder of Jaish-e-Mohammed"


# -- verbs ----------------------------------------------------------------------------------------

def test_founded_by_and_based_in(pipeline: Pipeline) -> None:
    text = "The Haqqani Network, founded by Jalaluddin Haqqani in the 1970s, is based in North Waziristan."
    analysis, found = analyse(pipeline, text)
    named = {(analysis.entity(r.subject).name, r.predicate, analysis.entity(r.object).name): r for r in found}
    assert set(named) == {("Jalaluddin Haqqani", "founder_of", "Haqqani Network"),
                          ("Haqqani Network", "based_in", "North Waziristan")}
    assert named[("Jalaluddin Haqqani", "founder_of", "Haqqani Network")].evidence.text == \
        "The Haqqani Network, founded by Jalaluddin Haqqani"


def test_heads_leads_joined(pipeline: Pipeline) -> None:
    assert triples(pipeline, "Mufti Noor Wali Mehsud heads Tehrik-i-Taliban Pakistan.") == {
        ("Noor Wali Mehsud", "leader_of", "Tehrik-i-Taliban Pakistan")}
    assert triples(pipeline, "Samir Qadri joined Hizbul Mujahideen in 2016.") == {
        ("Samir Qadri", "member_of", "Hizbul Mujahideen")}
    text = "Ayman al-Zawahiri, who led al-Qaeda after 2011, was killed in Kabul."
    assert ("Ayman al-Zawahiri", "leader_of", "al-Qaeda") in triples(pipeline, text)


def test_led_by_passive(pipeline: Pipeline) -> None:
    assert triples(pipeline, "Hizbul Mujahideen is led by Syed Salahuddin.") == {
        ("Syed Salahuddin", "leader_of", "Hizbul Mujahideen")}


def test_headquartered_and_prefix_based(pipeline: Pipeline) -> None:
    assert triples(pipeline, "The Free Syrian Army is headquartered in Gaziantep.") == {
        ("Free Syrian Army", "based_in", "Gaziantep")}
    assert triples(pipeline, "The Lahore-based Jamaat-ud-Dawa runs hundreds of schools.") == {
        ("Jamaat-ud-Dawa", "based_in", "Lahore")}


def test_charged_by_passive_and_active(pipeline: Pipeline) -> None:
    text = "Ahmed Rashid was chargesheeted by the National Investigation Agency in March."
    assert triples(pipeline, text) == {("Ahmed Rashid", "charged_by", "National Investigation Agency")}
    text = "The National Investigation Agency charged Yasin Malik with terror funding."
    assert triples(pipeline, text) == {("Yasin Malik", "charged_by", "National Investigation Agency")}


def test_designated_by(pipeline: Pipeline) -> None:
    text = "The UN Security Council designated Hafiz Saeed as a global terrorist in 2008."
    assert triples(pipeline, text) == {("Hafiz Saeed", "designated_by", "UN Security Council")}
    text = "Abdul Rehman Makki was listed by the United Nations Security Council in January."
    assert triples(pipeline, text) == {("Abdul Rehman Makki", "designated_by", "United Nations Security Council")}
    assert triples(pipeline, "The US Treasury sanctioned Hafiz Saeed in 2012.") == {
        ("Hafiz Saeed", "designated_by", "US Treasury")}


# -- places -------------------------------------------------------------------------------------

def test_facility_in_a_place(pipeline: Pipeline) -> None:
    text = "The blast hit the Marriott Hotel in Islamabad."
    rel = one(pipeline, text, ("Marriott Hotel", "located_in", "Islamabad"))
    assert rel.evidence.text == "the Marriott Hotel in Islamabad"


def test_town_and_country_need_the_gazetteer(pipeline: Pipeline, with_places: Pipeline) -> None:
    text = "Police arrested two men in Quetta, Pakistan, on Sunday."
    assert ("Quetta", "located_in", "Pakistan") in triples(with_places, text)
    assert triples(pipeline, text) == set()  # no places stage, no gazetteer: no guess


# -- claims ---------------------------------------------------------------------------------------

def test_relation_inside_a_claim_links_to_it(pipeline: Pipeline) -> None:
    text = "The Interior Ministry said Naveed Akhtar was a member of Lashkar-e-Jhangvi."
    analysis, found = analyse(pipeline, text)
    assert len(found) == 1
    claim = next(c for c in analysis.claims if c.id == found[0].claim)
    assert claim.source is not None and claim.source.span.text == "The Interior Ministry"
    assert found[0].evidence.text == "Naveed Akhtar was a member of Lashkar-e-Jhangvi"


def test_outlet_statement_has_no_claim(pipeline: Pipeline) -> None:
    _, found = analyse(pipeline, "Masood Azhar was the founder of Jaish-e-Mohammed.")
    assert [r.claim for r in found] == [None]


# -- negatives ----------------------------------------------------------------------------------

def test_meeting_a_commander_is_no_role(pipeline: Pipeline) -> None:
    assert triples(pipeline, "Yusuf Mansoor met the commander of the Northern Alliance in Kabul.") == set()


def test_unrelated_entities(pipeline: Pipeline) -> None:
    assert triples(pipeline, "Nawaz Sharif met Imran Khan in Islamabad.") == set()
    assert triples(pipeline, "Ali Khan and the Awami National Party attended the meeting in Peshawar.") == set()


def test_negated_copula(pipeline: Pipeline) -> None:
    assert triples(pipeline, "Ahmed Shah is not a member of the Baloch Liberation Army.") == set()


def test_joining_in_an_act_is_no_membership(pipeline: Pipeline) -> None:
    assert triples(pipeline, "Britain joined France in condemning the raid.") == set()


def test_passive_only_verbs_stay_silent_in_the_active(pipeline: Pipeline) -> None:
    assert triples(pipeline, "The Sindh Police booked Fahad Mirza for murder.") == set()


def test_pronoun_with_no_person_before_it(pipeline: Pipeline) -> None:
    assert triples(pipeline, "He was the founder of Jaish-e-Mohammed.") == set()


# -- dedupe, stage, bad input -------------------------------------------------------------------

def test_same_triple_twice_keeps_the_first_evidence(pipeline: Pipeline) -> None:
    text = ("Masood Azhar was the founder of Jaish-e-Mohammed. "
            "Years later, Masood Azhar was still described as the founder of Jaish-e-Mohammed.")
    _, found = analyse(pipeline, text)
    assert len(found) == 1
    assert found[0].evidence.start == 0


def test_stage_adds_the_layer(pipeline: Pipeline) -> None:
    analysis = pipeline(Document.from_text("Masood Azhar was the founder of Jaish-e-Mohammed."))
    out = make_stage(Settings())(analysis)
    assert len(out.relations) == 1
    assert out.to_json()["relations"][0]["predicate"] == "founder_of"


def test_lexicon_predicates_are_typed() -> None:
    lex = relation_lexicon()
    used = {*lex.role_nouns.values(), *lex.verbs.values(), *lex.agent_verbs.values(), *lex.place_verbs.values()}
    assert used | {"located_in"} == set(lex.types)
    assert lex.role_nouns["spokesman"] == "member_of"
    assert lex.role_nouns["founder"] == "founder_of"


def test_empty_document(pipeline: Pipeline) -> None:
    assert analyse(pipeline, "")[1] == ()


def test_one_huge_sentence_finishes(pipeline: Pipeline) -> None:
    text = ("Hafiz Qureshi, the commander of Lashkar-e-Islam, met officials and " * 2000)[:100_000] + "."
    analysis = pipeline(Document.from_text(text))
    started = time.perf_counter()
    found = extract_relations(analysis)
    assert time.perf_counter() - started < 10
    assert len({(r.subject, r.predicate, r.object) for r in found}) == len(found)
