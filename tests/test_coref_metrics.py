"""Coreference metrics against worked examples from the literature.

The main example is the one of Pradhan et al. (ACL 2014, "Scoring coreference
partitions of predicted mentions", figure 1/table 1), whose figures the CoNLL reference
scorer reproduces: key {a,b,c} {d,e,f,g}; response {a,b} {c,d} {f,g,h,i}.
"""

from __future__ import annotations

import itertools
import random

import pytest

from claimgraph.evaluate.coref_metrics import _hungarian, b_cubed, ceaf_e, clusters, conll, muc

KEY = [frozenset("abc"), frozenset("defg")]
RESPONSE = [frozenset("ab"), frozenset("cd"), frozenset("fghi")]


def test_muc_textbook() -> None:
    s = muc(KEY, RESPONSE)
    assert s.recall == pytest.approx(2 / 5)
    assert s.precision == pytest.approx(2 / 5)


def test_b_cubed_textbook() -> None:
    s = b_cubed(KEY, RESPONSE)
    assert s.recall == pytest.approx(35 / 84)  # 41.67
    assert s.precision == pytest.approx(4 / 8)  # 50.0


def test_ceaf_e_textbook() -> None:
    s = ceaf_e(KEY, RESPONSE)
    assert s.recall == pytest.approx(1.3 / 2)  # 65.0
    assert s.precision == pytest.approx(1.3 / 3)  # 43.3


def test_conll_is_the_mean_f1() -> None:
    scores = conll(KEY, RESPONSE)
    assert scores.conll_f1 == pytest.approx((scores.muc.f1 + scores.b3.f1 + scores.ceaf_e.f1) / 3)


def test_perfect_response_scores_one() -> None:
    scores = conll(KEY, list(KEY))
    assert (scores.muc.f1, scores.b3.f1, scores.ceaf_e.f1) == (1.0, 1.0, 1.0)


def test_all_singletons_against_one_cluster() -> None:
    """Bagga & Baldwin's point: B³ credits singletons where MUC, counting links, gives nothing."""
    key = [frozenset("abcd")]
    response = [frozenset(x) for x in "abcd"]
    assert muc(key, response).f1 == 0.0
    b3 = b_cubed(key, response)
    assert (b3.precision, b3.recall) == (1.0, pytest.approx(1 / 4))


def test_clusters_from_labels() -> None:
    assert sorted(map(sorted, clusters({"a": 1, "b": 1, "c": 2}))) == [["a", "b"], ["c"]]


def test_hungarian_matches_brute_force() -> None:
    rng = random.Random(5)
    for _ in range(30):
        n, m = rng.randint(1, 4), rng.randint(4, 6)
        weights = [[rng.random() for _ in range(m)] for _ in range(n)]
        best = max(sum(weights[i][j] for i, j in enumerate(cols)) for cols in itertools.permutations(range(m), n))
        assert _hungarian(weights) == pytest.approx(best)
