"""The learned pair decision of cross-document resolution (#17) and the new name keys it
reads: given names alone, honorific forms, same surname with agreeing given names, an
organisation's trailing name; all names invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimgraph.corpus.coref import PairModelError, load_decider
from claimgraph.corpus.coref.features import FEATURE_NAMES, skeleton
from claimgraph.corpus.coref.model import RETRAIN, model_path
from claimgraph.corpus.resolve import DocEntity, EntityResolver
from claimgraph.corpus.resolve_keys import given_compatible
from claimgraph.settings import Settings


def doc(name: str, *entities: tuple[str, str] | tuple[str, str, tuple[str, ...]]) -> list[DocEntity]:
    names = [e[0] for e in entities]
    return [DocEntity(doc=name, id=f"e{i}", name=e[0], type=e[1], aliases=e[2] if len(e) > 2 else (),
                      mentions=2, cooccurring=tuple(n for j, n in enumerate(names) if j != i))
            for i, e in enumerate(entities)]


@pytest.fixture(params=["rules", "model"])
def resolver(request: pytest.FixtureRequest) -> EntityResolver:
    return EntityResolver(load_decider(Settings()) if request.param == "model" else None)


def _leader(resolver: EntityResolver) -> str:
    return resolver.resolve(doc("d1", ("Muhammad Tariq Zarbani", "PERSON", ("Maulana Tariq Zarbani",)),
                                ("Harakat al-Sabr", "ORG"), ("Shewal", "GPE")))[0].corpus_id


def test_given_names_and_honorific_forms_join_with_shared_context(resolver: EntityResolver) -> None:
    leader = _leader(resolver)
    later = resolver.resolve(doc("d2", ("Maulana Tariq", "PERSON"), ("Harakat al-Sabr", "ORG"), ("Shewal", "GPE")))
    assert later[0].corpus_id == leader
    assert later[0].reason.startswith("given name")


def test_a_given_name_alone_without_shared_context_stays_apart(resolver: EntityResolver) -> None:
    leader = _leader(resolver)
    alone = resolver.resolve(doc("d3", ("Maulana Tariq", "PERSON"), ("Kerala Cricket Board", "ORG")))[0]
    assert alone.new and alone.candidates and alone.candidates[0][0] == leader


def test_same_surname_needs_agreeing_given_names(resolver: EntityResolver) -> None:
    resolver.resolve(doc("d1", ("Hamidallah Zarbani", "PERSON"), ("Muhammad Tariq Zarbani", "PERSON"),
                         ("Harakat al-Sabr", "ORG"), ("Shewal", "GPE")))
    brothers = {ce.name: cid for cid, ce in resolver.entities.items()}
    short = resolver.resolve(doc("d2", ("Hamid Zarbani", "PERSON"), ("Harakat al-Sabr", "ORG"), ("Shewal", "GPE")))
    assert short[0].corpus_id == brothers["Hamidallah Zarbani"]
    assert given_compatible("Hamid Zarbani", "Hamidallah Zarbani")
    assert not given_compatible("Hamid Zarbani", "Muhammad Tariq Zarbani")


def test_trailing_name_of_an_organisation(resolver: EntityResolver) -> None:
    [[council, _]] = [[d.corpus_id for d in resolver.resolve(doc(
        "d1", ("United Nations Monitoring Council", "ORG"), ("Harakat al-Sabr", "ORG")))]]
    later = resolver.resolve(doc("d2", ("Monitoring Council", "ORG"), ("Harakat al-Sabr", "ORG")))[0]
    assert later.corpus_id == council


def test_types_never_cross_to_places(resolver: EntityResolver) -> None:
    [[jordan, _]] = [[d.corpus_id for d in resolver.resolve(doc("d1", ("Jordan", "GPE"), ("Amman", "GPE")))]]
    person = resolver.resolve(doc("d2", ("Jordan", "PERSON"), ("Amman", "GPE")))[0]
    assert person.corpus_id != jordan


def test_model_decisions_are_recorded_and_undoable() -> None:
    r = EntityResolver(load_decider(Settings()))
    r.resolve(doc("d1", ("Muhammad Tariq Zarbani", "PERSON"), ("Harakat al-Sabr", "ORG")))
    d = r.resolve(doc("d2", ("Tariq Zarbani", "PERSON"), ("Harakat al-Sabr", "ORG")))[0]
    assert "model" in d.reason and 0 < d.score <= 1
    assert r.log[-1].data["decisions"][0]["reason"] == d.reason
    r.undo(len(r.log) - 1)
    assert r.corpus_id_of(d.doc_entity.key) is None


def test_rules_only_switches_the_model_off() -> None:
    assert load_decider(Settings(use_models=False)) is None
    assert load_decider(Settings(disabled_models=frozenset({"entity_pairs"}))) is None


def test_a_broken_model_file_names_itself_and_the_command(tmp_path: Path) -> None:
    bad = tmp_path / "model.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(PairModelError, match=RETRAIN):
        load_decider(Settings(), bad)
    stale = json.loads(model_path().read_text(encoding="utf-8"))
    stale["features"] = list(FEATURE_NAMES[:-1])
    bad.write_text(json.dumps(stale), encoding="utf-8")
    with pytest.raises(PairModelError, match="other features"):
        load_decider(Settings(), bad)


def test_romanisation_skeleton() -> None:
    assert skeleton("saadullah") == skeleton("sadullah")
    assert skeleton("haider") == skeleton("hyder")


def test_the_clustering_step_merges_copies_logged_and_never_undoes_a_users_split() -> None:
    r = EntityResolver(load_decider(Settings()))
    r.resolve(doc("d1", ("Harakat al-Sabr", "ORG"), ("Shewal", "GPE"), ("Tariq Zarbani", "PERSON")))
    group = r.corpus_id_of("d1#e0")
    assert group is not None
    r.resolve(doc("d2", ("Harakat al-Sabr", "ORG"), ("Shewal", "GPE"), ("Tariq Zarbani", "PERSON")))
    # a user splits the group's second article off: two copies of one name, kept apart
    copy = r.split(group, ["d2#e0"])
    r.resolve(doc("d3", ("Harakat al-Sabr", "ORG"), ("Shewal", "GPE"), ("Tariq Zarbani", "PERSON")))
    assert copy in r.entities and group in r.entities
    assert not [e for e in r.log if e.op == "merge"]


def test_the_clustering_step_folds_a_copy_into_the_entity_joined() -> None:
    # two copies of one group, as an older corpus may hold them (each from its own article)
    members = doc("d1", ("Harakat al-Sabr", "ORG"), ("Shewal", "GPE")) + \
        doc("d2", ("Harakat al-Sabr", "ORG"), ("Shewal", "GPE"))
    state = {"version": 1, "log": [], "entities": [
        {"id": "ce-a", "members": [members[0].to_json()]}, {"id": "ce-b", "members": [members[2].to_json()]},
        {"id": "ce-p", "members": [members[1].to_json(), members[3].to_json()]}]}
    r = EntityResolver.restore(state, load_decider(Settings()))
    joined = r.resolve(doc("d3", ("Harakat al-Sabr", "ORG"), ("Shewal", "GPE")))[0]
    assert joined.corpus_id in ("ce-a", "ce-b") and "model" in joined.reason
    merges = [e for e in r.log if e.op == "merge"]
    assert len(merges) == 1 and merges[0].reason.startswith("model:")
    assert len({r.corpus_id_of(k) for k in ("d1#e0", "d2#e0", "d3#e0")}) == 1
    r.undo(r.log.index(merges[0]))  # reviewable: the merge is an ordinary log entry
    assert r.corpus_id_of("d1#e0") != r.corpus_id_of("d2#e0")
