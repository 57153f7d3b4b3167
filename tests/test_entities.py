"""The entity layer on short invented articles: merging, one type per entity, no numbers."""

from __future__ import annotations

import pytest

from claimgraph.analyzer import Analyzer
from claimgraph.model import Analysis, Document, Entity

ARTICLE = """Commander vows revenge after raid

Militant commander Hafiz Rahman Qureshi of Lashkar-e-Taiba addressed thousands of supporters on Saturday.
Qureshi said the Federal Security Service (FSB) had lied about the 2008 attack. Gen. Asim Munir visited
Kunduz province in 1999, and Mr Munir later met Nawaz Sharif. The Lashkar chief recalled Operation
Zarb-e-Azb, in which three soldiers died. According to the FSB, Qureshi's men fled. Sharif said the
National Investigation Agency (NIA) had charged him. The NIA filed the case on March 3. The
Tehrik-i-Taliban Pakistan (TTP) claimed the attack; the TTP has fought Pakistan's army for years.
"""


@pytest.fixture(scope="module")
def result(analyzer: Analyzer) -> Analysis:
    return analyzer.analyze(Document.from_text(ARTICLE, published="2025-05-12"))


def find(result: Analysis, name: str) -> Entity:
    matches = [e for e in result.entities if e.name == name]
    assert matches, f"no entity {name!r}; have {[e.name for e in result.entities]}"
    assert len(matches) == 1, f"{name!r} split into {len(matches)} entities"
    return matches[0]


@pytest.mark.parametrize(("name", "etype", "aliases"), [
    ("Hafiz Rahman Qureshi", "PERSON", {"Qureshi"}),
    ("Lashkar-e-Taiba", "ORG", {"Lashkar"}),
    ("Federal Security Service", "ORG", {"FSB"}),
    ("National Investigation Agency", "ORG", {"NIA"}),
    ("Tehrik-i-Taliban Pakistan", "ORG", {"TTP"}),
    ("Asim Munir", "PERSON", {"Munir"}),
    ("Nawaz Sharif", "PERSON", {"Sharif"}),
    ("Operation Zarb-e-Azb", "EVENT", set()),
    ("Kunduz", "GPE", set()),
])
def test_aliases_merge_into_the_full_name(result: Analysis, name: str, etype: str, aliases: set[str]) -> None:
    entity = find(result, name)
    assert entity.type == etype
    assert set(entity.aliases) == aliases


def test_every_mention_is_counted(result: Analysis) -> None:
    assert len(find(result, "Hafiz Rahman Qureshi").mentions) == 3
    assert len(find(result, "Federal Security Service").mentions) == 3  # full name, (FSB), the FSB
    assert len(find(result, "National Investigation Agency").mentions) == 3


def test_no_numbers_dates_or_titles_among_entities(result: Analysis) -> None:
    names = {n.lower() for e in result.entities for n in (e.name, *e.aliases)}
    for word in ("three", "thousands", "saturday", "2008", "1999", "march 3", "gen.", "commander"):
        assert word not in names


def test_pakistan_stays_apart_from_the_group_named_after_it(result: Analysis) -> None:
    assert find(result, "Pakistan").type == "GPE"


def test_mentions_reslice(result: Analysis) -> None:
    text = result.document.text
    for entity in result.entities:
        for m in entity.mentions:
            assert text[m.start:m.end] == m.text


def test_surname_is_a_person_even_when_spacy_says_otherwise(analyzer: Analyzer) -> None:
    text = ("Imran Baloch, a commander of the Baloch Liberation Front, spoke in Quetta. "
            "Baloch said the strike killed four of his men. Officials said Baloch had fled to Afghanistan.")
    result = analyzer.analyze(Document.from_text(text))
    person = [e for e in result.entities if e.name == "Imran Baloch"]
    assert person and person[0].type == "PERSON"


def test_two_people_sharing_a_surname_take_the_nearest(analyzer: Analyzer) -> None:
    text = ("Nawaz Sharif met reporters in Lahore on Monday. Sharif said the talks had failed. "
            "Later, Shehbaz Sharif addressed parliament in Islamabad. Sharif called for calm.")
    result = analyzer.analyze(Document.from_text(text))
    nawaz = next(e for e in result.entities if e.name == "Nawaz Sharif")
    shehbaz = next(e for e in result.entities if e.name == "Shehbaz Sharif")
    first, second = (text.index("Sharif said"), text.index("Sharif called"))
    assert any(m.start == first for m in nawaz.mentions)
    assert any(m.start == second for m in shehbaz.mentions)


def test_facility_words_belong_to_the_facility_and_places_are_not_shortened(analyzer: Analyzer) -> None:
    text = ("Militants ambushed a convoy on the Maiduguri-Damboa road on Tuesday. Troops later "
            "returned to Maiduguri. Detainees were moved to Bagram airbase, officials said.")
    result = analyzer.analyze(Document.from_text(text, published="2021-04-15"))
    names = {e.name: e for e in result.entities}
    assert "Maiduguri" in names and names["Maiduguri"].type == "GPE"
    assert not [e.name for e in result.entities if "Maiduguri" in e.aliases]
    assert names["Bagram airbase"].type == "FAC"


def test_roles_are_recorded_for_descriptions_to_resolve_against(result: Analysis) -> None:
    assert "commander" in find(result, "Hafiz Rahman Qureshi").roles
    assert "general" in find(result, "Asim Munir").roles  # "Gen." spelled out
    assert "chief" not in find(result, "Lashkar-e-Taiba").roles  # "The Lashkar chief" is a person's role


def test_alias_index_over_an_analysis_finds_roles(result: Analysis) -> None:
    from claimgraph.pipeline.names import AliasIndex

    index = AliasIndex.of(result.entities)
    qureshi = find(result, "Hafiz Rahman Qureshi").id
    assert qureshi in index.lookup_role("commander")
    assert index.lookup("Qureshi's") == {qureshi}


def test_byline_writer_and_outlet_are_not_story_entities(analyzer: object) -> None:
    from claimgraph import analyze_text

    text = ("Militants attack checkpoint\n\nBy Hina Qazi, Border Wire\n\nJanuary 15, 2025\n\n"
            "Gunmen attacked a checkpoint in Bannu, police said.")
    names = {e.name for e in analyze_text(text).entities}
    assert "Hina Qazi" not in names and "Border Wire" not in names
    assert "Bannu" in names
