"""The TimeML value conventions issue #12 names, on sentences written for these tests:
the reference values, seasons, decades, quarters, fiscal years, terms of office as
durations, "Sunday night" in a past story, a bare month read by tense, and the dates
that only an earlier date of the story gives ("later in the day")."""

from __future__ import annotations

import pytest

from claimgraph.model import Document
from claimgraph.pipeline import Pipeline
from claimgraph.settings import Settings

pytestmark = pytest.mark.slow
PUBLISHED = "2021-03-17"  # a Wednesday in March


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(Settings(), stages=("nlp", "time"))


@pytest.mark.parametrize(("text", "expected"), [
    ("Gunmen attacked a checkpoint in Kurram on Sunday night, police said.",
     [("Sunday night", "TIME", "2021-03-14TNI")]),
    ("The assembly will hold its budget session in June, the speaker said.", [("June", "DATE", "2021-06")]),
    ("The assembly held its budget session in June, the speaker said.", [("June", "DATE", "2020-06")]),
    ("Fighting eased over the winter but resumed this spring.",
     [("the winter", "DATE", "2020-WI"), ("this spring", "DATE", "2021-SP")]),
    ("The group grew in the 1990s and again in the 2000s.",
     [("the 1990s", "DATE", "199"), ("the 2000s", "DATE", "200")]),
    ("Exports fell in the third quarter of 2020 and in fiscal 2019.",
     [("the third quarter of 2020", "DATE", "2020-Q3"), ("fiscal 2019", "DATE", "FY2019")]),
    ("The governor, who currently leads the council, said the past had been hard and talks would resume soon.",
     [("currently", "DATE", "PRESENT_REF"), ("the past", "DATE", "PAST_REF"), ("soon", "DATE", "FUTURE_REF")]),
    ("At the time, the army denied any role.", [("At the time", "DATE", "PAST_REF")]),
    ("The commander served a three-year term.", [("a three-year", "DURATION", "P3Y")]),
    ("The ministry said on Tuesday that two posts fell. Later in the day, troops retook one of them.",
     [("Tuesday", "DATE", "2021-03-16"), ("Later in the day", "DATE", "2021-03-16")]),
    ("Sales rose 12 percent in February compared with the same month a year ago.",
     [("February", "DATE", "2021-02"), ("the same month a year ago", "DATE", "2020-02")]),
])
def test_timeml_values(pipeline: Pipeline, text: str, expected: list[tuple[str, str, str]]) -> None:
    result = pipeline(Document.from_text(text, published=PUBLISHED))
    assert [(t.span.text, t.type, t.value) for t in result.timex] == expected


def test_ago_keeps_its_date_and_its_length(pipeline: Pipeline) -> None:
    result = pipeline(Document.from_text("Troops left the town two years ago.", published=PUBLISHED))
    (t,) = result.timex
    assert (t.type, t.value, t.duration) == ("DATE", "2019", "P2Y")


def test_point_is_only_a_calendar_value(pipeline: Pipeline) -> None:
    text = "The governor currently leads the council, which met on Monday for three hours."
    result = pipeline(Document.from_text(text, published=PUBLISHED))
    points = {t.span.text: t.point for t in result.timex}
    assert points == {"currently": None, "Monday": "2021-03-15", "three hours": None}
