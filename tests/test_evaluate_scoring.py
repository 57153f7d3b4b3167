"""The span scorers, on hand-made items (no data needed)."""

from __future__ import annotations

from claimgraph.evaluate.scoring import Item, score, score_any_overlap


def test_exact_needs_same_offsets_and_label() -> None:
    gold = [Item("d", 0, 5, "ORG"), Item("d", 10, 15, "PER")]
    pred = [Item("d", 0, 5, "ORG"), Item("d", 10, 14, "PER"), Item("d", 20, 25, "LOC")]
    prf = score(pred, gold, mode="exact", typed=True)
    assert (prf.tp, prf.fp, prf.fn) == (1, 2, 1)


def test_overlap_is_one_to_one() -> None:
    gold = [Item("d", 0, 20, "ORG"), Item("d", 14, 20, "ORG")]  # a name nested in a longer one
    pred = [Item("d", 14, 20, "ORG")]
    prf = score(pred, gold, mode="overlap", typed=True)
    assert (prf.tp, prf.fp, prf.fn) == (1, 0, 1)
    lenient = score_any_overlap(pred, gold, typed=True)
    assert lenient["p"] == 100.0 and lenient["r"] == 100.0


def test_typed_overlap_wants_the_label_and_documents_stay_apart() -> None:
    gold = [Item("a", 0, 5, "ORG")]
    assert score([Item("a", 0, 5, "PER")], gold, mode="overlap", typed=True).tp == 0
    assert score([Item("b", 0, 5, "ORG")], gold, mode="overlap", typed=True).tp == 0
    assert score([Item("a", 2, 9, "PER")], gold, mode="overlap", typed=False).tp == 1
