"""Calendar arithmetic for the time normaliser, kept apart so it can be tested on its own.

Every function returns an ISO 8601 / TIMEX3 string at one stated precision (day
``2021-03-03``, ISO week ``2021-W09``, month ``2021-03``, quarter ``2021-Q1``, year
``2021``, decade ``202``, century ``20``) or None. Precision is the contract of the
time layer: "last month" must never become a day, because the text did not say which.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Literal

from claimgraph.pipeline.time_lexicon import VAGUE, Unit

Tense = Literal["past", "present", "future"]

#: TIMEX3 season codes in calendar order; winter is the one that starts in December.
SEASON_ORDER = ("SP", "SU", "FA", "WI")


def day(d: dt.date) -> str:
    return d.isoformat()


def month(year: int, mon: int) -> str:
    return f"{year:04d}-{mon:02d}"


def iso_week(d: dt.date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def add_months(year: int, mon: int, delta: int) -> tuple[int, int]:
    """(year, month) ``delta`` months later; January minus one is the previous December."""
    index = year * 12 + (mon - 1) + delta
    return index // 12, index % 12 + 1


def quarter_of(mon: int) -> int:
    return (mon - 1) // 3 + 1


def season_of(d: dt.date) -> tuple[int, str]:
    """The season a date falls in, as (year, code); January's winter belongs to the year before."""
    if d.month == 12:
        return d.year, "WI"
    if d.month <= 2:
        return d.year - 1, "WI"
    return d.year, SEASON_ORDER[(d.month - 3) // 3]


def pick_year(
    base: int, key: Callable[[int], int | None], anchor_key: int, tense: Tense | None, *, slack: int = 0
) -> int | None:
    """The year in which a year-less expression ("March 3", "October", "the fourth quarter") lies.

    ``key(year)`` places the expression on a scale shared with ``anchor_key`` (a day
    ordinal, a month index, ...), or None when it does not exist that year (February 29).
    A past clause takes the latest occurrence not after the anchor, a future clause the
    earliest not before it; otherwise the occurrence nearest the anchor wins, the
    anchor's own year on a tie. News reports schedules in the past tense ("a hearing was
    set for June 3"), so a past clause yields to an occurrence at most ``slack`` after
    the anchor: a date three weeks ahead is likelier than one eleven months back.
    """
    options = [(y, k) for y in (base - 1, base, base + 1) if (k := key(y)) is not None]
    if not options:
        return None
    if tense == "past":
        near = [y for y, k in options if anchor_key < k <= anchor_key + slack]
        if near:
            return min(near)
        past = [y for y, k in options if k <= anchor_key]
        return max(past) if past else None
    if tense == "future":
        future = [y for y, k in options if k >= anchor_key]
        return min(future) if future else None
    return min(options, key=lambda yk: (abs(yk[1] - anchor_key), yk[0] != base))[0]


def safe_date(year: int, mon: int, dom: int) -> dt.date | None:
    try:
        return dt.date(year, mon, dom)
    except ValueError:
        return None


def month_day(
    anchor: dt.date | None, mon: int, dom: int, year: int | None, tense: Tense | None
) -> str | None:
    """"March 3" (``year`` None) resolved against the anchor, or "March 3, 2021" checked for validity."""
    if year is not None:
        d = safe_date(year, mon, dom)
        return day(d) if d else None
    if anchor is None or not 1 <= dom <= 31:
        return None

    def key(y: int) -> int | None:
        d = safe_date(y, mon, dom)
        return d.toordinal() if d else None

    picked = pick_year(anchor.year, key, anchor.toordinal(), tense, slack=45)
    return None if picked is None else day(dt.date(picked, mon, dom))


def month_only(anchor: dt.date | None, mon: int, tense: Tense | None) -> str | None:
    if anchor is None:
        return None
    picked = pick_year(anchor.year, lambda y: y * 12 + mon, anchor.year * 12 + anchor.month, tense, slack=1)
    return None if picked is None else month(picked, mon)


def weekday_date(anchor: dt.date | None, weekday: int, tense: Tense | None, rel: str | None) -> str | None:
    """The date of "Saturday": on or before the anchor, on or after it in a future clause.

    "last Saturday" is strictly before the anchor and "next Saturday" strictly after,
    whatever the tense; the anchor's own weekday is the anchor itself otherwise. A
    present-tense clause with a weekday is a schedule ("Pakistan votes on Thursday"),
    so it looks forward like the future.
    """
    if anchor is None:
        return None
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if rel in ("last", "past", "previous"):
        return day(anchor - dt.timedelta(days=back or 7))
    if rel in ("next", "coming"):
        return day(anchor + dt.timedelta(days=ahead or 7))
    if tense in ("future", "present"):
        return day(anchor + dt.timedelta(days=ahead))
    return day(anchor - dt.timedelta(days=back))


def shift(anchor: dt.date | None, count: float | str, unit: Unit) -> str | None:
    """The period ``count`` units after the anchor (negative: before), at that unit's precision.

    "three days ago" is a day, "two weeks ago" an ISO week, "last month" a month and
    "two decades ago" a decade; a vague or fractional count, or a clock unit (the
    anchor has no time of day), gives None.
    """
    if anchor is None or count == VAGUE or unit.clock or isinstance(count, str):
        return None
    if count != int(count):
        return None
    n = int(count) * unit.factor
    if unit.letter == "D":
        return day(anchor + dt.timedelta(days=n))
    if unit.letter == "W":
        return iso_week(anchor + dt.timedelta(weeks=n))
    if unit.letter == "M":
        if unit.factor == 3:
            y, m = add_months(anchor.year, anchor.month, n)
            return f"{y:04d}-Q{quarter_of(m)}"
        return month(*add_months(anchor.year, anchor.month, n))
    year = anchor.year + n
    if unit.factor >= 100:
        return f"{year // 100:02d}"
    if unit.factor >= 10:
        return f"{year // 10:03d}"
    return f"{year:04d}"


def _num(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def duration(count: float | str, unit: Unit) -> str:
    """ISO 8601 duration: ``P33Y``, ``P2.5Y``, ``PT30M``, ``P10Y`` for a decade, ``PXY`` for "decades"."""
    prefix = "PT" if unit.clock else "P"
    if count == VAGUE or isinstance(count, str):
        return f"{prefix}X{unit.letter}"
    total = count * unit.factor
    if unit.clock and total != int(total) and unit.letter in "HM":
        return f"PT{_num(total * 60)}{'M' if unit.letter == 'H' else 'S'}"  # "half an hour" is PT30M
    return f"{prefix}{_num(total)}{unit.letter}"


def two_digit_year(yy: int, anchor: dt.date | None) -> int:
    """'07 -> 2007, '98 -> 1998: the century that puts the year at most ten years after the anchor."""
    limit = (anchor.year if anchor else dt.date.today().year) + 10
    year = 2000 + yy
    return year if year <= limit else 1900 + yy


def span_between(first: str, last: str) -> str | None:
    """Length of "from 2009 to 2011" (``P2Y``), "from March to May 2009" (``P2M``) or two days."""
    try:
        if len(first) == len(last) == 4:
            diff = int(last) - int(first)
            return f"P{diff}Y" if diff > 0 else None
        if len(first) == len(last) == 7 and first[4] == last[4] == "-":
            diff = (int(last[:4]) * 12 + int(last[5:])) - (int(first[:4]) * 12 + int(first[5:]))
            return f"P{diff}M" if diff > 0 else None
        if len(first) == len(last) == 10:
            days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days
            return f"P{days}D" if days > 0 else None
    except ValueError:
        return None
    return None


_CLOCK = (r"(?P<h>\d{1,2})(?:(?P<sep>[:.])(?P<mi>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?\s*(?P<oc>o'clock)?"
          r"\s*(?P<zone>utc|gmt|z\b)?\s*(?:(?:utc|gmt)?\s*(?P<off>[+-]\s*\d{1,2}(?::?\d{2})?))?")
_CLOCK_RE = re.compile(rf"^(?:{_CLOCK}|(?P<word>noon|midday|midnight))$")


def clock(text: str) -> tuple[int, int, str] | None:
    """Hour, minute and zone (``Z``, ``+08:00`` or empty) of "18:00 UTC", "6:40 p.m.", "noon"."""
    m = _CLOCK_RE.match(text.strip(" ,"))
    if not m:
        return None
    if m.group("word"):
        return (0 if m.group("word") == "midnight" else 12), 0, ""
    if not (m.group("mi") or m.group("ampm") or m.group("oc") or m.group("zone")):
        return None
    if m.group("sep") == "." and not m.group("ampm"):
        return None  # "10.45" is a number or a version, "10.45 a.m." a time
    hour, minute = int(m.group("h")), int(m.group("mi") or 0)
    ampm = (m.group("ampm") or "").replace(".", "").replace(" ", "")
    if ampm and not 1 <= hour <= 12:
        return None
    if ampm == "pm" and hour != 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    zone = "Z" if m.group("zone") else ""
    if m.group("off"):
        off = re.sub(r"\s", "", m.group("off"))
        sign, digits = off[0], off[1:].replace(":", "")
        hh, mm = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "00")
        zone = "Z" if int(hh) == int(mm) == 0 else f"{sign}{int(hh):02d}:{mm}"
    return hour, minute, zone


def week_of_month(year: int, mon: int, which: int) -> str | None:
    """ISO week of "the first/second/.../last week of March": the week of that 7-day stretch's middle day.

    ``which`` counts from 1; -1 is the last week (the month's final seven days).
    """
    if which == -1:
        last = add_months(year, mon, 1)
        middle = dt.date(*last, 1) - dt.timedelta(days=4)
    else:
        middle = dt.date(year, mon, 1) + dt.timedelta(days=7 * (which - 1) + 3)
    return iso_week(middle) if middle.month == mon else None


_TIME_SPLIT = re.compile(
    r"^(?P<a>.*?[\d]\s*(?:[ap]\.?\s?m\b\.?|o'clock|utc|gmt|z\b)?(?:\s*(?:utc|gmt)?\s*[+-]\s*\d{1,2}"
    r"(?::?\d{2})?)?|noon|midday|midnight)(?:,?\s+(?:on\s+)?(?P<b>.+))?$"
)
_DAY_FIRST = re.compile(r"^(?P<b>.+?),?\s+(?:at\s+)?(?P<a>\S+(?:\s+\S+){0,3})$")


def clock_parts(e: str) -> list[tuple[tuple[int, int, str], str]]:
    """Readings of a lower-cased expression as a clock time plus the text of its day, if any.

    "12:00 utc monday" and "friday at 6 p.m." both split into a clock and a day text
    ("monday", "friday"); "18:00 utc" has an empty day text. No reading: not a time.
    """
    out = []
    for m in (_TIME_SPLIT.match(e), _DAY_FIRST.match(e)):
        if m:
            read = clock(m.group("a"))
            if read is not None:
                out.append((read, m.group("b") or ""))
    return out
