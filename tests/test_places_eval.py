"""The geo evaluator end to end on a few GeoWebNews documents, when the benchmark data is here.

Benchmarks are not tests: this checks that the evaluator runs the real pipeline and
returns figures that make sense (counts nest, percentages in range), not their level.
"""

from __future__ import annotations

import pytest

from claimgraph.evaluate.geo import CountryFinder, evaluate
from claimgraph.pipeline.gazetteer import load_gazetteer
from claimgraph.settings import Settings
from tests.conftest import shared_data


@pytest.mark.slow
def test_gwn_evaluation_returns_sane_figures() -> None:
    report = evaluate([shared_data("geo/gwn.jsonl")], settings=Settings(), limit=4)
    assert {"all", "literal"} <= set(report.rows)
    for row in report.rows.values():
        assert 0 <= row["resolved"] <= row["found"] <= row["gold"]
        for key in ("recall", "resolution_rate", "acc161", "country_acc"):
            assert 0.0 <= row[key] <= 100.0
    assert report.rows["all"]["gold"] > 0
    assert any("ms/article" in note for note in report.notes)


def test_country_finder_nearest_town() -> None:
    finder = CountryFinder.build(load_gazetteer(Settings().places_min_population))
    assert finder(48.85, 2.35) == "FR"
    assert finder(31.55, 74.34) == "PK"
    assert finder(40.71, -74.0) == "US"
