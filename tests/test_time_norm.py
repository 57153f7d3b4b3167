"""The time normaliser as a table: expression, anchor and tense in; TIMEX3 type, value, duration out.

Pure functions, no spaCy: these run in milliseconds and pin every rule the time layer
promises (precision kept, relative expressions resolved against the anchor, durations
carrying no value, nothing guessed).
"""

from __future__ import annotations

import datetime as dt

import pytest

from claimgraph.pipeline import time_calendar as cal
from claimgraph.pipeline.time_lexicon import VAGUE, parse_number
from claimgraph.pipeline.timenorm import Norm, clean, normalize, parse

WED = dt.date(2021, 3, 17)  # a Wednesday

CASES: list[tuple[str, dt.date | None, str | None, tuple[str, str | None, str | None]]] = [
    # the examples of the issue
    ("2018", WED, None, ("DATE", "2018", None)),
    ("in 2018", WED, None, ("DATE", "2018", None)),
    ("March 2021", WED, None, ("DATE", "2021-03", None)),
    ("March 3", WED, None, ("DATE", "2021-03-03", None)),
    ("3 March 2021", WED, None, ("DATE", "2021-03-03", None)),
    ("on Saturday", WED, None, ("DATE", "2021-03-13", None)),
    ("on Saturday", WED, "past", ("DATE", "2021-03-13", None)),
    ("on Saturday", WED, "future", ("DATE", "2021-03-20", None)),
    ("yesterday", WED, None, ("DATE", "2021-03-16", None)),
    ("today", WED, None, ("DATE", "2021-03-17", None)),
    ("tomorrow", WED, None, ("DATE", "2021-03-18", None)),
    ("earlier this year", WED, None, ("DATE", "2021", None)),
    ("this year", WED, None, ("DATE", "2021", None)),
    ("last month", WED, None, ("DATE", "2021-02", None)),
    ("last week", WED, None, ("DATE", "2021-W10", None)),
    ("last year", WED, None, ("DATE", "2020", None)),
    ("next month", WED, None, ("DATE", "2021-04", None)),
    ("in the 1990s", WED, None, ("DATE", "199", None)),
    ("the 19th century", WED, None, ("DATE", "18", None)),
    ("the nineteenth century", WED, None, ("DATE", "18", None)),
    ("2015-16", WED, None, ("DATE", "2015", None)),
    ("summer 2019", WED, None, ("DATE", "2019-SU", None)),
    ("the third quarter of 2019", WED, None, ("DATE", "2019-Q3", None)),
    ("the first quarter of last year", WED, None, ("DATE", "2020-Q1", None)),
    ("the last quarter", WED, None, ("DATE", "2020-Q4", None)),
    ("mid-2018", WED, None, ("DATE", "2018", None)),
    ("early 2009", WED, None, ("DATE", "2009", None)),
    ("the end of last year", WED, None, ("DATE", "2020", None)),
    ("the beginning of the year", WED, None, ("DATE", "2021", None)),
    ("now", WED, None, ("DATE", "PRESENT_REF", None)),
    ("currently", WED, None, ("DATE", "PRESENT_REF", None)),
    ("at present", WED, None, ("DATE", "PRESENT_REF", None)),
    # durations: no value, a length
    ("for decades", WED, None, ("DURATION", None, "PXY")),
    ("33 years", WED, None, ("DURATION", None, "P33Y")),
    ("for three years", WED, None, ("DURATION", None, "P3Y")),
    ("a decade", WED, None, ("DURATION", None, "P10Y")),
    ("the past decade", WED, None, ("DATE", "201", "P10Y")),
    ("several years", WED, None, ("DURATION", None, "PXY")),
    ("18 months", WED, None, ("DURATION", None, "P18M")),
    ("two weeks", WED, None, ("DURATION", None, "P2W")),
    ("five days", WED, None, ("DURATION", None, "P5D")),
    ("thirty minutes", WED, None, ("DURATION", None, "PT30M")),
    ("half an hour", WED, None, ("DURATION", None, "PT30M")),
    ("almost two and a half years", WED, None, ("DURATION", None, "P2.5Y")),
    ("the next four years", WED, None, ("DURATION", None, "P4Y")),
    ("27-year", WED, None, ("DURATION", None, "P27Y")),
    ("fifty-year", WED, None, ("DURATION", None, "P50Y")),
    ("decades-long", WED, None, ("DURATION", None, "PXY")),
    ("from 2009 to 2011", WED, None, ("DURATION", None, "P2Y")),
    # frequencies
    ("annual", WED, None, ("SET", None, "P1Y")),
    ("every two weeks", WED, None, ("SET", None, "P2W")),
    ("15 a year", WED, None, ("SET", None, "P1Y")),
    # leap years
    ("February 29", dt.date(2008, 7, 2), None, ("DATE", "2008-02-29", None)),
    ("February 29", WED, "past", ("DATE", "2020-02-29", None)),
    ("February 29, 2019", WED, None, ("DATE", None, None)),
    ("February 29, 2020", WED, None, ("DATE", "2020-02-29", None)),
    ("yesterday", dt.date(2020, 3, 1), None, ("DATE", "2020-02-29", None)),
    ("tomorrow", dt.date(2020, 2, 28), None, ("DATE", "2020-02-29", None)),
    # month and year boundaries
    ("last month", dt.date(2021, 1, 10), None, ("DATE", "2020-12", None)),
    ("next month", dt.date(2021, 12, 5), None, ("DATE", "2022-01", None)),
    ("last week", dt.date(2021, 1, 5), None, ("DATE", "2020-W53", None)),
    ("11 December", dt.date(2010, 1, 25), "past", ("DATE", "2009-12-11", None)),
    ("11 December", dt.date(2010, 1, 25), None, ("DATE", "2009-12-11", None)),
    # weekday on the anchor day itself, and "last"/"next" which never mean the anchor day
    ("Wednesday", WED, None, ("DATE", "2021-03-17", None)),
    ("Wednesday", WED, "future", ("DATE", "2021-03-17", None)),
    ("last Wednesday", WED, None, ("DATE", "2021-03-10", None)),
    ("next Wednesday", WED, None, ("DATE", "2021-03-24", None)),
    # tense decides the year of a bare date or month
    ("March 3", WED, "future", ("DATE", "2022-03-03", None)),
    ("October", WED, "past", ("DATE", "2020-10", None)),
    ("October", WED, "future", ("DATE", "2021-10", None)),
    ("April 2", WED, "past", ("DATE", "2021-04-02", None)),  # a schedule reported in the past tense
    # times of day
    ("18:00 UTC", WED, None, ("TIME", "2021-03-17T18:00Z", None)),
    ("12:00 UTC Monday", WED, None, ("TIME", "2021-03-15T12:00Z", None)),
    ("6:40 p.m.", WED, None, ("TIME", "2021-03-17T18:40", None)),
    ("Friday morning", WED, None, ("TIME", "2021-03-12TMO", None)),
    ("this morning", WED, None, ("TIME", "2021-03-17TMO", None)),
    ("last night", WED, None, ("TIME", "2021-03-16TNI", None)),
    # other absolute forms and relative periods
    ("July 24 , 2003", WED, None, ("DATE", "2003-07-24", None)),
    ("April 2nd", dt.date(2008, 4, 9), None, ("DATE", "2008-04-02", None)),
    ("7/8/07", WED, None, ("DATE", "2007-07-08", None)),
    ("2009-06-03", WED, None, ("DATE", "2009-06-03", None)),
    ("'08", WED, None, ("DATE", "2008", None)),
    ("the '70s", WED, None, ("DATE", "197", None)),
    ("two years ago", WED, None, ("DATE", "2019", "P2Y")),
    ("three days ago", WED, None, ("DATE", "2021-03-14", "P3D")),
    ("three days later", WED, None, ("DATE", None, None)),
    ("this weekend", WED, None, ("DATE", "2021-W11-WE", None)),
    ("the last week of March", dt.date(2009, 4, 1), None, ("DATE", "2009-W13", None)),
    ("October of next year", WED, None, ("DATE", "2022-10", None)),
    ("the first half of 2009", WED, None, ("DATE", "2009-H1", None)),
    ("Christmas", WED, "past", ("DATE", "2020-12-25", None)),
    ("last December", WED, None, ("DATE", "2020-12", None)),
    ("next June", WED, None, ("DATE", "2021-06", None)),
    ("last March", WED, None, ("DATE", "2020-03", None)),
    ("this past week", WED, None, ("DATE", "2021-W10", None)),
    ("at least five years", WED, None, ("DURATION", None, "P5Y")),
    ("hundreds of years", WED, None, ("DURATION", None, "PXY")),
    ("a half-century", WED, None, ("DURATION", None, "P50Y")),
    ("a weeklong", WED, None, ("DURATION", None, "P1W")),
    ("recently", WED, None, ("DATE", "PAST_REF", None)),
    ("the past", WED, "past", ("DATE", "PAST_REF", None)),
    ("the near future", WED, None, ("DATE", "FUTURE_REF", None)),
    ("soon", WED, None, ("DATE", "FUTURE_REF", None)),
    ("the past year", WED, None, ("DATE", "2020", "P1Y")),
    # without an anchor, relative expressions get no value; absolute ones keep theirs
    ("yesterday", None, None, ("DATE", None, None)),
    ("last month", None, None, ("DATE", None, None)),
    ("on Saturday", None, None, ("DATE", None, None)),
    ("currently", None, None, ("DATE", "PRESENT_REF", None)),
    ("March 2021", None, None, ("DATE", "2021-03", None)),
    ("33 years", None, None, ("DURATION", None, "P33Y")),
]


@pytest.mark.parametrize(("expression", "anchor", "tense", "expected"), CASES,
                         ids=[f"{c[0]}|{c[1]}|{c[2]}" for c in CASES])
def test_normalize(expression: str, anchor: dt.date | None, tense: str | None,
                   expected: tuple[str, str | None, str | None]) -> None:
    assert tuple(normalize(expression, anchor, tense=tense)) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("age", "length"), [("51 years old", "P51Y"), ("45-year-old", "P45Y"),
                                             ("18 months old", "P18M")])
def test_ages_are_durations(age: str, length: str) -> None:
    assert normalize(age, WED) == Norm("DURATION", None, length)


def test_the_table_is_big_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("junk", ["three", "49", "1.1.1", "the age of 56", "soldiers", ""])
def test_not_time_expressions(junk: str) -> None:
    assert parse(junk, WED) is None
    assert normalize(junk, WED) == Norm("DATE", None)


def test_clock_time_takes_the_reference_day() -> None:
    assert normalize("at 18:00 UTC", WED, reference=dt.date(2021, 3, 15)).value == "2021-03-15T18:00Z"
    assert normalize("morning", WED).value is None
    assert normalize("morning", WED, reference=dt.date(2021, 3, 15)).value == "2021-03-15TMO"


def test_clean_cuts_signals_and_reports_positions() -> None:
    assert clean("on Saturday") == ("saturday", False)
    assert clean("about two years") == ("two years", False)
    assert clean("early 2009") == ("2009", True)
    assert clean("July 24 , 2003") == ("july 24, 2003", False)
    assert clean("from 2009 to 2011")[0] == "from 2009 to 2011"


@pytest.mark.parametrize(("text", "value"), [
    ("33", 33.0), ("2.5", 2.5), ("1,000", 1000.0), ("twenty-five", 25.0), ("two and a half", 2.5),
    ("several", VAGUE), ("a", 1.0), ("soldiers", None),
])
def test_parse_number(text: str, value: float | str | None) -> None:
    assert parse_number(text) == value


def test_calendar_helpers() -> None:
    assert cal.add_months(2021, 1, -1) == (2020, 12)
    assert cal.iso_week(dt.date(2021, 1, 3)) == "2020-W53"
    assert cal.season_of(dt.date(2021, 1, 15)) == (2020, "WI")
    assert cal.span_between("2009", "2011") == "P2Y"
    assert cal.span_between("2011", "2009") is None
    assert cal.two_digit_year(7, WED) == 2007
    assert cal.two_digit_year(98, WED) == 1998
    assert cal.clock("6:40 p.m. gmt +8") == (18, 40, "+08:00")
    assert cal.clock("10.45") is None
    assert cal.week_of_month(2009, 3, -1) == "2009-W13"
