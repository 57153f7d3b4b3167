"""The time evaluator end to end on one MEANTIME file, when this checkout has the benchmark data.

Benchmarks are not tests: this checks that the evaluator runs and returns figures that
make sense (counts add up, percentages in range), not that they reach the targets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.evaluate.time import evaluate, unresolvable, value_matches
from claimgraph.model import Span, Timex
from claimgraph.settings import Settings

REPO = Path(__file__).resolve().parent.parent
AIRBUS = REPO.parent / "shared" / "data" / "news" / "meantime" / "airbus.jsonl"


def _timex(value: str | None, duration: str | None = None) -> Timex:
    return Timex("t1", Span(0, 1, "x"), "DURATION" if duration else "DATE", value, duration)


@pytest.mark.parametrize(("gold", "reason"), [
    ("XXXX-XX-XX", "XXXX"), ("PAST_REF", None), ("FUTURE_REF", None), ("2009", None),
    ("PRESENT_REF", None), ("P2Y", None), ("2011-06-XX", None),
])
def test_unresolvable(gold: str, reason: str | None) -> None:
    assert unresolvable(gold) == reason


def test_value_matches() -> None:
    assert value_matches(_timex("2009"), "2009", "2009-05-01")
    assert not value_matches(_timex("2009-05"), "2009", "2009-05-01")
    assert value_matches(_timex("PRESENT_REF"), "PRESENT_REF", "2009-05-01")
    assert not value_matches(_timex("2009-05-01"), "PRESENT_REF", "2009-05-01")  # TimeML's value, strictly
    assert value_matches(_timex("PAST_REF"), "PAST_REF", None)
    assert value_matches(_timex("P2Y", "P2Y"), "P2Y", None)
    assert value_matches(_timex("2007", "P2Y"), "P2Y", None)  # "two years ago": a date measured by a length
    assert value_matches(_timex("2011-06"), "2011-06-XX", None)


@pytest.mark.slow
def test_evaluate_on_meantime_airbus() -> None:
    if not AIRBUS.is_file():
        pytest.skip(f"benchmark data not present: {AIRBUS}")
    report = evaluate([AIRBUS], settings=Settings())
    rows = report.rows
    for name in ("detection exact", "detection overlap"):
        prf = rows[name]
        assert prf["tp"] + prf["fn"] == rows["detection overlap"]["tp"] + rows["detection overlap"]["fn"]
        assert 0 <= prf["p"] <= 100 and 0 <= prf["r"] <= 100 and 0 <= prf["f1"] <= 100
    assert rows["detection exact"]["tp"] <= rows["detection overlap"]["tp"]
    gold_total = sum(int(v) for v in rows["gold types"].values())
    assert gold_total == rows["detection overlap"]["tp"] + rows["detection overlap"]["fn"] > 0
    accuracy = rows["value accuracy on detected"]
    assert 0 < accuracy["n"] <= rows["detection overlap"]["tp"]
    assert 0 <= accuracy["acc"] <= 100
    assert accuracy["correct"] <= accuracy["n"]
    f1 = rows["value F1"]
    assert f1["correct"] == accuracy["correct"] and f1["gold"] == gold_total
    assert 0 <= f1["f1"] <= min(100, rows["detection overlap"]["f1"])
