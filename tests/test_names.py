"""The alias machinery on strings alone: no spaCy needed."""

from __future__ import annotations

import pytest

from claimgraph.pipeline.names import (
    AliasIndex,
    acronym_matches,
    best_name,
    clean_name,
    compound_short_forms,
    is_acronym,
    name_key,
    person_short_forms,
)


@pytest.mark.parametrize(("surface", "key"), [
    ("the Lashkar", "lashkar"), ("Qureshi's", "qureshi"), ("Qureshi’s", "qureshi"), ("U.N.", "un"),
    ("The  Federal   Security Service", "federal security service"), ("Ça Va", "ca va"),
])
def test_name_key_ignores_the_possessive_case_accents_and_dots(surface: str, key: str) -> None:
    assert name_key(surface) == key


@pytest.mark.parametrize(("acronym", "name", "expected"), [
    ("NIA", "National Investigation Agency", True),
    ("LeT", "Lashkar-e-Taiba", True),
    ("TTP", "Tehrik-i-Taliban Pakistan", True),
    ("U.N.", "United Nations", True),
    ("UNSC", "United Nations Security Council", True),
    ("FSB", "Federal Security Service", False),  # a Russian acronym: only a definition in parentheses links it
    ("NIA", "Nigerian Air Force", False),
    ("Nia", "National Investigation Agency", False),
])
def test_acronyms_match_initials_with_or_without_connectors(acronym: str, name: str, expected: bool) -> None:
    assert acronym_matches(acronym, name) is expected


def test_is_acronym_needs_capitals() -> None:
    assert is_acronym("FSB") and is_acronym("LeT") and is_acronym("U.S.")
    assert not is_acronym("Saeed") and not is_acronym("A") and not is_acronym("NATO forces")


def test_person_short_forms_are_surnames_and_family_names() -> None:
    assert "qureshi" in person_short_forms("Hafiz Rahman Qureshi")
    assert "bin laden" in person_short_forms("Osama bin Laden")
    assert person_short_forms("Madonna") == set()


def test_compound_short_forms_are_leading_parts_only() -> None:
    assert "lashkar" in compound_short_forms("Lashkar-e-Taiba")
    assert "jaish" in compound_short_forms("Jaish-e-Mohammed")
    forms = compound_short_forms("Tehrik-i-Taliban Pakistan")
    assert "pakistan" not in forms and "taliban" not in forms
    assert "federal" not in compound_short_forms("Federal Security Service")


def test_best_name_is_the_longest() -> None:
    assert best_name(["Qureshi", "Hafiz Rahman Qureshi", "Hafiz Qureshi"]) == "Hafiz Rahman Qureshi"
    assert clean_name("the Lashkar's") == "Lashkar"


def test_alias_index_looks_up_every_form() -> None:
    index = AliasIndex()
    index.add("e1", "Hafiz Rahman Qureshi", "PERSON")
    index.add("e2", "National Investigation Agency", "ORG", aliases=["NIA"])
    index.add("e3", "Nawaz Sharif", "PERSON")
    index.add("e4", "Shehbaz Sharif", "PERSON")
    assert index.lookup("Qureshi's") == {"e1"}
    assert index.lookup("the NIA") == {"e2"}
    assert index.lookup("Sharif") == {"e3", "e4"}  # ambiguity is the caller's to settle
    assert index.lookup("Nobody") == set()


def test_entity_word_lists_are_all_words() -> None:
    """YAML reads a bare `on` or `no` as a boolean; every entry must stay a word."""
    import yaml

    from claimgraph.pipeline.names import lexicon

    raw = yaml.safe_load((__import__("pathlib").Path(__file__).resolve().parent.parent
                          / "claimgraph" / "lexicons" / "entities.yaml").read_text(encoding="utf-8"))
    for key, words in raw.items():
        assert all(isinstance(w, str) for w in words), key
    assert "on" in lexicon().name_connectors
