"""Cross-document entity resolution on invented people, organisations and places.

Every name here is made up; each "document" is a handful of DocEntities, as
``doc_entities`` would build them from an analysis.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from claimgraph.corpus.resolve import DocEntity, EntityResolver, ResolveError, doc_entities
from claimgraph.model import Analysis, Document, Entity, Span


def doc(name: str, *entities: tuple[str, str] | tuple[str, str, tuple[str, ...]]) -> list[DocEntity]:
    """One document: (name, type[, aliases]) per entity; each co-occurs with the others."""
    names = [e[0] for e in entities]
    return [DocEntity(doc=name, id=f"e{i}", name=e[0], type=e[1], aliases=e[2] if len(e) > 2 else (),
                      mentions=2, cooccurring=tuple(n for j, n in enumerate(names) if j != i))
            for i, e in enumerate(entities)]


def resolve_all(resolver: EntityResolver, *docs: Sequence[DocEntity]) -> list[list[str]]:
    return [[d.corpus_id for d in resolver.resolve(entities)] for entities in docs]


def test_surname_joins_the_full_name_either_order() -> None:
    r = EntityResolver()
    resolve_all(r, doc("d1", ("Marta Kovalenko", "PERSON"), ("Drovny Council", "ORG")))
    later = r.resolve(doc("d2", ("Kovalenko", "PERSON")))[0]
    assert not later.new and later.reason == "surname of"
    assert 0 < later.score <= 1
    # the short form first, the full name later
    resolve_all(r, doc("d3", ("Okonjo", "PERSON")))
    full = r.resolve(doc("d4", ("Chidera Okonjo", "PERSON")))[0]
    assert not full.new and full.reason == "surname of"
    assert r.entities[full.corpus_id].name == "Chidera Okonjo"
    # a different first name with the same surname is someone else
    other = r.resolve(doc("d5", ("Ife Okonjo", "PERSON")))[0]
    assert other.new


def test_acronym_joins_the_full_name() -> None:
    r = EntityResolver()
    [[full]] = resolve_all(r, doc("d1", ("Northern Grain Cooperative", "ORG")))
    short = r.resolve(doc("d2", ("NGC", "ORG")))[0]
    assert (short.corpus_id, short.reason) == (full, "acronym")
    assert "NGC" in r.entities[full].aliases
    # and the other way round
    [[acr]] = resolve_all(r, doc("d3", ("TPRB", "ORG")))
    long = r.resolve(doc("d4", ("Tessin Port Regulatory Board", "ORG")))[0]
    assert (long.corpus_id, long.reason) == (acr, "acronym")


def test_shared_surname_is_settled_by_context_or_not_merged() -> None:
    r = EntityResolver()
    [[anton, _]] = resolve_all(r, doc("d1", ("Anton Velasko", "PERSON"), ("Brenmoor Steelworks", "ORG")))
    [[lena, _]] = resolve_all(r, doc("d2", ("Lena Velasko", "PERSON"), ("Harbour Authority of Kessa", "ORG")))
    assert anton != lena
    # the harbour authority is co-mentioned: this Velasko is Lena
    settled = r.resolve(doc("d3", ("Velasko", "PERSON"), ("Harbour Authority of Kessa", "ORG")))[0]
    assert (settled.corpus_id, settled.new) == (lena, False)
    assert settled.reason == "surname of, context"
    # no shared context: not merged, both recorded as candidates with a low score
    unsure = r.resolve(doc("d4", ("Velasko", "PERSON"), ("Ostra Ferry Line", "ORG")))[0]
    assert unsure.new and unsure.reason.startswith("ambiguous")
    assert {c for c, _ in unsure.candidates} == {anton, lena}
    assert all(score < settled.score for _, score in unsure.candidates)


def test_types_must_agree() -> None:
    r = EntityResolver()
    [[place]] = resolve_all(r, doc("d1", ("Valmora", "GPE")))
    person = r.resolve(doc("d2", ("Valmora", "PERSON")))[0]
    assert person.new and person.corpus_id != place
    # places are one family: a LOC joins a GPE of the same name; NORP joins ORG
    assert r.resolve(doc("d3", ("Valmora", "LOC")))[0].corpus_id == place
    [[org]] = resolve_all(r, doc("d4", ("Sundar Front", "ORG")))
    assert r.resolve(doc("d5", ("Sundar Front", "NORP")))[0].corpus_id == org


def test_one_document_never_puts_two_of_its_entities_in_one() -> None:
    r = EntityResolver()
    resolve_all(r, doc("d1", ("Brask", "PERSON")))
    first, second = r.resolve(doc("d2", ("Ola Brask", "PERSON"), ("Per Brask", "PERSON")))
    assert first.corpus_id != second.corpus_id


def test_resolving_a_document_again_changes_nothing() -> None:
    r = EntityResolver()
    entities = doc("d1", ("Marta Kovalenko", "PERSON"), ("Drovny Council", "ORG"))
    first = r.resolve(entities)
    log_size = len(r.log)
    again = r.resolve(entities)
    assert [d.corpus_id for d in again] == [d.corpus_id for d in first]
    assert {d.reason for d in again} == {"already resolved"}
    assert len(r.log) == log_size


def test_merge_split_undo_are_logged_and_reversible() -> None:
    r = EntityResolver()
    [[a], [b]] = resolve_all(r, doc("d1", ("Ilse Marrow", "PERSON")), doc("d2", ("Ilsa Marrow", "PERSON")))
    assert a != b
    before = r.snapshot()["entities"]
    merged = r.merge(a, b, reason="same person, spelling")
    assert b not in r.entities and r.entities[a].docs == {"d1", "d2"}
    assert r.log[merged].op == "merge" and r.log[merged].reason == "same person, spelling"
    r.undo(merged)
    assert r.snapshot()["entities"] == before
    assert r.log[merged].undone and r.log[-1].op == "undo"
    with pytest.raises(ResolveError):
        r.undo(merged)
    # split a wrong merge apart, then take the split back
    r.merge(a, b)
    new = r.split(a, ["d2#e0"], reason="different people")
    assert r.corpus_id_of("d2#e0") == new and r.corpus_id_of("d1#e0") == a
    r.undo(len(r.log) - 1)
    assert r.corpus_id_of("d2#e0") == a and new not in r.entities
    with pytest.raises(ResolveError):
        r.split(a, ["nope#e9"])
    with pytest.raises(ResolveError):
        r.merge(a, "ce-missing")


def test_undo_a_document() -> None:
    r = EntityResolver()
    resolve_all(r, doc("d1", ("Marta Kovalenko", "PERSON")), doc("d2", ("Kovalenko", "PERSON")))
    cid = r.corpus_id_of("d1#e0")
    assert cid is not None
    r.undo(1)
    assert r.corpus_id_of("d2#e0") is None and r.entities[cid].docs == {"d1"}


def test_snapshot_restore_round_trip() -> None:
    r = EntityResolver()
    resolve_all(r, doc("d1", ("Anton Velasko", "PERSON"), ("Brenmoor Steelworks", "ORG")),
                doc("d2", ("Lena Velasko", "PERSON"), ("Harbour Authority of Kessa", "ORG")),
                doc("d3", ("Northern Grain Cooperative", "ORG")))
    r.merge(*sorted(r.entities)[:2])
    state = json.loads(json.dumps(r.snapshot()))
    restored = EntityResolver.restore(state)
    assert restored.snapshot() == r.snapshot()
    nxt = doc("d4", ("Velasko", "PERSON"), ("Harbour Authority of Kessa", "ORG"), ("NGC", "ORG"))
    assert [(d.corpus_id, d.reason) for d in restored.resolve(nxt)] == [(d.corpus_id, d.reason) for d in r.resolve(nxt)]
    with pytest.raises(ResolveError):
        EntityResolver.restore({"version": 99})


def test_doc_entities_from_an_analysis() -> None:
    text = "Marta Kovalenko met the Drovny Council. Kovalenko left."
    document = Document.from_text(text)
    mentions = (Span.of(text, 0, 15), Span.of(text, 40, 49))
    entities = (Entity("e1", "Marta Kovalenko", "PERSON", ("Kovalenko",), mentions),
                Entity("e2", "Drovny Council", "ORG", (), (Span.of(text, 24, 38),)))
    out = doc_entities(Analysis(document=document, entities=entities))
    assert [(e.doc, e.id, e.mentions, e.cooccurring) for e in out] == [
        (document.id, "e1", 2, ("Drovny Council",)), (document.id, "e2", 1, ("Marta Kovalenko",))]


@pytest.mark.parametrize(("first", "second"), [
    (("Mir Ali", "GPE"), ("Mir Ali camp", "FAC")),          # a town and the camp named after it
    (("Afghan", "NORP"), ("Afghan Taliban", "ORG")),         # a people's word and an organisation
    (("Al-Qaida", "ORG"), ("Al-Qaida Sanctions Committee", "ORG")),  # a body and its committee
])
def test_a_thing_named_after_another_never_joins_it(first: tuple[str, str], second: tuple[str, str]) -> None:
    for a, b in ((first, second), (second, first)):
        r = EntityResolver()
        [[kept]] = resolve_all(r, doc("d1", a))
        later = r.resolve(doc("d2", b))[0]
        assert later.new and later.corpus_id != kept, f"{b[0]!r} wrongly joined {a[0]!r} ({later.reason})"


def test_a_name_without_its_first_given_name_joins_the_full_name() -> None:
    r = EntityResolver()
    [[full]] = resolve_all(r, doc("d1", ("Muhammad Idris Ghazanfar", "PERSON")))
    later = r.resolve(doc("d2", ("Idris Ghazanfar", "PERSON")))[0]
    assert (later.corpus_id, later.new) == (full, False)
    # a declared alias travels with its entity
    [[talha]] = resolve_all(r, doc("d3", ("Qasim Noori", "PERSON", ("Abu Hamza al-Kandahari",))))
    assert r.resolve(doc("d4", ("Abu Hamza al-Kandahari", "PERSON")))[0].corpus_id == talha
