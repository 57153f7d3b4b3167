"""Normalise one time expression to a TIMEX3 type and an ISO 8601 value at the text's precision.

:func:`normalize` is pure: the expression, the anchor (the publication date) and the
tense of its clause in, ``(type, value, duration)`` out. It never guesses: an
expression it cannot place, or a relative one without an anchor, gets ``value=None``.
Relative expressions are resolved by the project's own rules rather than by dateparser,
whose relative handling always returns a full timestamp ("last month" would become a
day) and costs a parse per call; the stage calls this function once per expression.

The grammar is a list of anchored regular expressions over a cleaned, lower-cased
expression, tried in order (:data:`_RULES`); each rule either answers or passes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple

from claimgraph.pipeline import time_calendar as cal
from claimgraph.pipeline.time_calendar import Tense
from claimgraph.pipeline.time_lexicon import alt, lexicon, number_pattern, parse_number


class Norm(NamedTuple):
    """TIMEX3 ``type`` (DATE, TIME, DURATION, SET), ISO ``value`` or None, and ``duration``."""

    type: str
    value: str | None
    duration: str | None = None


class _Ctx(NamedTuple):
    anchor: dt.date | None
    tense: Tense | None
    reference: dt.date | None
    positioned: bool


_LEX = lexicon()
_NUM = number_pattern()
_MONTH = alt(_LEX.months)
_WEEKDAY = alt(_LEX.weekdays)
_UNIT = alt(_LEX.units)
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_ORD = alt([*_LEX.ordinals, "1st", "2nd", "3rd", "4th"])
_POD = alt(_LEX.parts_of_day)
#: the words a span may open with that its value ignores: signals, modifiers and positions
#: ("early", "the end of", which narrow the period); the alternation tries "at least" before "at"
_POSITION_WORDS = frozenset(_LEX.positions)
_LEADER = re.compile(rf"({alt([*_LEX.leading_signals, *_LEX.modifiers, *_LEX.positions])})(?: |(?<=-))(?=.)")


def _month_no(word: str) -> int:
    return _LEX.months[word.rstrip(".")]


def _ordinal(word: str) -> int:
    return _LEX.ordinals.get(word) or int(re.sub(r"\D", "", word))


_RANGE_END = re.compile(r" (?:to|until|till|through|-) ")
#: phrases whose opening word is not a signal to cut ("at present", "in the past")
_FIXED = _LEX.present | _LEX.past_ref | _LEX.future_ref


def clean(expression: str) -> tuple[str, bool]:
    """Lower-case, tidy spacing ("24 , 2003"), drop signals ("on", "in") and modifiers ("about").

    Returns the core expression and whether a position word ("early", "the end of")
    was removed: it narrows the period but leaves its value ("early 2009" is ``2009``).
    """
    e = expression.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    e = re.sub(r"[()\[\]`\"]", " ", e.lower())
    e = re.sub(r"\s*,\s*", ", ", re.sub(r"\s+", " ", e)).strip(" ,;:")
    e = re.sub(r"\s*'\s*s$", "", e)
    e = re.sub(r"(?<=\w) - (?=\w)", "-", re.sub(r"(?<=[a-z])\.(?=\d)", ". ", e))
    e = re.sub(r"\b([ap]) ?\. ?m\b(?: ?\.)?", r"\1.m.", re.sub(r"(?<=\d) : (?=\d\d)", ":", e))
    positioned = False
    while e not in _FIXED and (m := _LEADER.match(e)):
        word = m.group(1)
        if word == "from" and _RANGE_END.search(e):
            break  # "from 2009 to 2011" is a range; keep its opening word
        e = e[m.end():].lstrip(" -")
        positioned = positioned or word in _POSITION_WORDS
    return e, positioned


# --- rules: each takes the regex match and the context, returns a Norm or None (pass) ---

def _present(m: re.Match[str], c: _Ctx) -> Norm:
    """ "now", "currently": TimeML's PRESENT_REF, which needs no anchor to be true."""
    return Norm("DATE", "PRESENT_REF")


def _vague_ref(m: re.Match[str], c: _Ctx) -> Norm:
    """ "the past", "recently" -> PAST_REF; "the future", "soon" -> FUTURE_REF (TimeML)."""
    return Norm("DATE", "PAST_REF" if m.group(0) in _LEX.past_ref else "FUTURE_REF")


def _deictic(m: re.Match[str], c: _Ctx) -> Norm:
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
               "the day after tomorrow": 2, "this": 0, "last": -1}
    word, pod = m.group("w") or m.group("w2"), m.group("pod") or m.group("pod2")
    if word == "tonight":
        pod = pod or "night"
    d = c.anchor + dt.timedelta(days=offsets[word]) if c.anchor else None
    if pod:
        return Norm("TIME", f"{cal.day(d)}T{_LEX.parts_of_day[pod]}" if d else None)
    return Norm("DATE", cal.day(d) if d else None)


def _bare_pod(m: re.Match[str], c: _Ctx) -> Norm:
    """ "the evening": the day the sentence is about. "overnight" with no such day is the night
    before the publication date (a news story's "overnight" is the night that just ended)."""
    d = c.reference
    if d is None and c.anchor is not None and m.group("pod") == "overnight":
        d = c.anchor - dt.timedelta(days=1)
    return Norm("TIME", f"{cal.day(d)}T{_LEX.parts_of_day[m.group('pod')]}" if d else None)


def _timepoint(e: str, c: _Ctx) -> Norm | None:
    """Clock times, alone or with their day: "18:00 UTC", "12:00 UTC Monday", "Friday at 6 p.m."."""
    for (hour, minute, zone), day_text in cal.clock_parts(e):
        if day_text:
            day_norm = _parse(day_text, c._replace(positioned=False))
            if day_norm is None or day_norm.type not in ("DATE", "TIME"):
                continue
            date = day_norm.value[:10] if day_norm.value and len(day_norm.value) >= 10 else None
        else:
            ref = c.reference or c.anchor
            date = cal.day(ref) if ref else None
        return Norm("TIME", f"{date}T{hour:02d}:{minute:02d}{zone}" if date else None)
    return None


def _weekday(m: re.Match[str], c: _Ctx) -> Norm | None:
    rest, pod = m.group("rest"), m.group("pod")
    if rest:
        return _parse(rest, c)
    value = cal.weekday_date(c.anchor, _LEX.weekdays[m.group("wd")], c.tense, m.group("rel"))
    if pod:
        return Norm("TIME", f"{value}T{_LEX.parts_of_day[pod]}" if value else None)
    return Norm("DATE", value)


def _year_group(m: re.Match[str], c: _Ctx) -> int | None:
    if m.group("y"):
        return int(m.group("y"))
    if m.group("yy"):
        return cal.two_digit_year(int(m.group("yy")), c.anchor)
    return None


def _month_day(m: re.Match[str], c: _Ctx) -> Norm:
    value = cal.month_day(c.anchor, _month_no(m.group("mon")), int(m.group("d")), _year_group(m, c), c.tense)
    return Norm("DATE", value)


def _month_year(m: re.Match[str], c: _Ctx) -> Norm:
    mon = _month_no(m.group("mon"))
    rel = _g(m, "rel")
    if rel:  # "October of next year"
        step = {"this": 0, "last": -1, "next": 1}[rel]
        return Norm("DATE", cal.month(c.anchor.year + step, mon) if c.anchor else None)
    year = _year_group(m, c)
    return Norm("DATE", cal.month(year, mon) if year else cal.month_only(c.anchor, mon, c.tense))


def _month_rel(m: re.Match[str], c: _Ctx) -> Norm:
    """ "last December" is the latest December before the anchor's month, "next June" the first after."""
    rel, mon = m.group("rel"), _month_no(m.group("mon"))
    if c.anchor is None:
        return Norm("DATE", None)
    now = c.anchor.year * 12 + c.anchor.month
    keys = {y: y * 12 + mon for y in (c.anchor.year - 1, c.anchor.year, c.anchor.year + 1)}
    if rel in ("last", "this past"):
        year = max(y for y, k in keys.items() if k < now)
    elif rel == "next":
        year = min(y for y, k in keys.items() if k > now)
    else:
        return Norm("DATE", cal.month_only(c.anchor, mon, c.tense))
    return Norm("DATE", cal.month(year, mon))


def _numeric_date(m: re.Match[str], c: _Ctx) -> Norm | None:
    a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
    year = int(y) if len(y) == 4 else cal.two_digit_year(int(y), c.anchor)
    mon, dom = (b, a) if m.group("sep") == "." or a > 12 else (a, b)
    value = cal.month_day(None, mon, dom, year, None) if 1 <= mon <= 12 else None
    return Norm("DATE", value) if value else None


def _iso(m: re.Match[str], c: _Ctx) -> Norm | None:
    y, mo, d = m.group("y"), int(m.group("mo")), m.group("d")
    if d is None:
        if mo > 12:
            return Norm("DATE", y)  # "2015-16": a season or fiscal year, named by its first year
        return Norm("DATE", cal.month(int(y), mo))
    value = cal.month_day(None, mo, int(d), int(y), None) if 1 <= mo <= 12 else None
    return Norm("DATE", value) if value else None


def _year(m: re.Match[str], c: _Ctx) -> Norm | None:
    year = _year_group(m, c)
    if year is None or not 1000 <= year <= 2999:
        return None
    return Norm("DATE", f"FY{year}" if m.group("fy") else f"{year:04d}")


def _decade(m: re.Match[str], c: _Ctx) -> Norm:
    if m.group("full"):
        digits = m.group("full")
        if digits.endswith("00") and digits != "2000":
            return Norm("DATE", digits[:2])  # "the 1800s": the century
        return Norm("DATE", digits[:3])
    if m.group("word"):
        return Norm("DATE", f"19{_LEX.decade_words[m.group('word')]}")
    tens = int(m.group("two"))
    return Norm("DATE", str(cal.two_digit_year(tens * 10, c.anchor))[:3])


def _week_of(m: re.Match[str], c: _Ctx) -> Norm | None:
    """ "the last week of March" -> the ISO week of that month's final seven days."""
    inner = _parse(m.group("rest"), c._replace(positioned=True))
    if inner is None or inner.type != "DATE":
        return None
    value = inner.value or ""
    which = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(m.group("ord"), -1)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Norm("DATE", cal.week_of_month(int(value[:4]), int(value[5:]), which))
    if re.fullmatch(r"\d{4}", value):
        return Norm("DATE", cal.week_of_month(int(value), 1 if which > 0 else 12, which))
    return Norm("DATE", None)


def _century(m: re.Match[str], c: _Ctx) -> Norm:
    return Norm("DATE", f"{_ordinal(m.group('ord')) - 1:02d}")


def _period_year(rest: str | None, c: _Ctx) -> int | None:
    """The year a "quarter of ..." or "summer of ..." names, if the rest reads as a year."""
    norm = _parse(rest, c._replace(positioned=True)) if rest else None
    return int(norm.value) if norm and norm.value and re.fullmatch(r"\d{4}", norm.value) else None


def _g(m: re.Match[str], name: str) -> str | None:
    """A named group that this rule's pattern may not have."""
    return m.groupdict().get(name)


def _quarter(m: re.Match[str], c: _Ctx) -> Norm:
    word = _g(m, "ord") or _g(m, "q") or ""
    rest = m.group("rest")
    if word in ("last", "past", "previous", "this", "current", "next") and not rest:
        if c.anchor is None:
            return Norm("DATE", None)
        step = {"last": -1, "past": -1, "previous": -1, "next": 1}.get(word, 0)
        y, mo = cal.add_months(c.anchor.year, c.anchor.month, 3 * step)
        return Norm("DATE", f"{y:04d}-Q{cal.quarter_of(mo)}")
    q = 4 if word in ("final", "last") else (int(word) if word.isdigit() else _ordinal(word))
    if not 1 <= q <= 4:
        return Norm("DATE", None)
    year = _period_year(rest, c) if rest else None
    if year is None and not rest and c.anchor:
        year = cal.pick_year(c.anchor.year, lambda y: y * 4 + q,
                             c.anchor.year * 4 + cal.quarter_of(c.anchor.month), c.tense)
    return Norm("DATE", f"{year:04d}-Q{q}" if year else None)


def _half(m: re.Match[str], c: _Ctx) -> Norm:
    h = 1 if m.group("ord") in ("first", "1st") else 2
    rest = m.group("rest")
    year = _period_year(rest, c) if rest else None
    if year is None and not rest and c.anchor:
        year = cal.pick_year(c.anchor.year, lambda y: y * 2 + h,
                             c.anchor.year * 2 + (1 if c.anchor.month <= 6 else 2), c.tense)
    return Norm("DATE", f"{year:04d}-H{h}" if year else None)


def _season(m: re.Match[str], c: _Ctx) -> Norm:
    """ "summer 2019" -> 2019-SU; "last winter" is the latest winter before the current season."""
    code = _LEX.seasons[m.group("s")]
    rest, rel = m.group("rest"), m.group("rel")
    if rest:
        year = _period_year(rest, c)
        return Norm("DATE", f"{year:04d}-{code}" if year else None)
    if c.anchor is None:
        return Norm("DATE", None)
    idx = cal.SEASON_ORDER.index(code)
    now_year, now_code = cal.season_of(c.anchor)
    now_key = now_year * 4 + cal.SEASON_ORDER.index(now_code)
    keys = {y: y * 4 + idx for y in (now_year - 1, now_year, now_year + 1)}
    if rel in ("last", "past"):
        picked: int | None = max(y for y, k in keys.items() if k < now_key)
    elif rel in ("next", "coming"):
        picked = min(y for y, k in keys.items() if k > now_key)
    else:
        picked = cal.pick_year(now_year, keys.__getitem__, now_key, c.tense)
    return Norm("DATE", f"{picked:04d}-{code}" if picked else None)


_UNIT_STEP = {"this": 0, "current": 0, "last": -1, "past": -1, "previous": -1, "prior": -1,
              "this past": -1, "next": 1, "coming": 1}


def _relative(m: re.Match[str], c: _Ctx) -> Norm:
    the, rel, word = bool(m.group("the")), m.group("rel"), m.group("unit")
    if rel in ("same", "following"):
        return Norm("DATE", None)
    if word == "weekend":
        if c.anchor is None:
            return Norm("DATE", None)
        d = c.anchor + dt.timedelta(weeks=_UNIT_STEP[rel])
        return Norm("DATE", f"{cal.iso_week(d)}-WE")
    unit = _LEX.units[word]
    if (the or word == "decade") and rel in ("last", "past", "next") and word != "quarter" and not c.positioned:
        # "over the past year": the period before the anchor, which is also a length; MEANTIME
        # writes the period (2009), TimeML often the length (P1Y): the timex carries both
        return Norm("DATE", cal.shift(c.anchor, _UNIT_STEP[rel], unit), cal.duration(1, unit))
    return Norm("DATE", cal.shift(c.anchor, _UNIT_STEP[rel], unit))


def _the_unit(m: re.Match[str], c: _Ctx) -> Norm | None:
    """ "the year" only inside a position phrase: "the beginning of the year" is this year."""
    if not c.positioned:
        return None
    return Norm("DATE", cal.shift(c.anchor, 0, _LEX.units[m.group("unit")]))


def _ago(m: re.Match[str], c: _Ctx) -> Norm | None:
    count = parse_number(m.group("num"))
    if count is None:
        return None
    unit = _LEX.units[m.group("unit")]
    direction = m.group("dir")
    if direction in ("ago", "from now", "hence", "before now"):
        sign = -1 if direction in ("ago", "before now") else 1
        signed = count if isinstance(count, str) else sign * count
        # "two years ago" is a date (2006) measured by a length (P2Y), which TimeML corpora
        # such as MEANTIME annotate on "two years": the timex keeps both
        length = None if isinstance(count, str) else cal.duration(count, unit)
        return Norm("DATE", cal.shift(c.anchor, signed, unit), length)
    return Norm("DATE", None)  # "three days later": relative to an event, not to the anchor


def _duration(m: re.Match[str], c: _Ctx) -> Norm | None:
    count = parse_number(m.group("num"))
    if count is None:
        return None
    if m.group("old"):  # "51 years old", "a 45-year-old": an age is a length of time (TimeML)
        return Norm("DURATION", None, cal.duration(count, _LEX.units[m.group("unit")]))
    if m.group("half") and isinstance(count, float):
        count += 0.5  # "a year and a half"
    return Norm("DURATION", None, cal.duration(count, _LEX.units[m.group("unit")]))


def _compound(m: re.Match[str], c: _Ctx) -> Norm:
    """ "a weeklong", "a half-century", "a quarter century": one word for a count of units."""
    unit = _LEX.units[m.group("unit") or m.group("unit2")]
    share = {"half": 0.5, "quarter": 0.25}.get(m.group("frac") or "", 1.0)
    return Norm("DURATION", None, cal.duration(share, unit))


def _plural_only(m: re.Match[str], c: _Ctx) -> Norm | None:
    word = m.group("unit")
    if not word.endswith("s"):
        return None
    unit = _LEX.units[word]
    letter = "Y" if unit.factor >= 10 else unit.letter
    return Norm("DURATION", None, f"{'PT' if unit.clock else 'P'}X{letter}")


def _set(m: re.Match[str], c: _Ctx) -> Norm | None:
    """Frequencies: "annual", "every two years", "every Monday", "15 a year" (a rate: once per year)."""
    if m.group("word"):
        return Norm("SET", None, _LEX.sets[m.group("word")])
    if m.group("wd"):
        return Norm("SET", None, "P1W")
    if m.group("runit"):
        return Norm("SET", None, cal.duration(1.0, _LEX.units[m.group("runit")]))
    count = parse_number(m.group("num")) if m.group("num") else 1.0
    if count is None:
        return None
    return Norm("SET", None, cal.duration(count, _LEX.units[m.group("unit")]))


def _holiday(m: re.Match[str], c: _Ctx) -> Norm:
    md = _LEX.holidays[m.group("h")]
    if md is None:
        return Norm("DATE", None)
    mon, dom = int(md[:2]), int(md[3:])
    year = int(m.group("y")) if m.group("y") else None
    return Norm("DATE", cal.month_day(c.anchor, mon, dom, year, c.tense))


def _range(m: re.Match[str], c: _Ctx) -> Norm | None:
    """ "from 2009 to 2011": a DURATION (P2Y) as TimeML annotates it; the detector adds the ends."""
    first, last = _parse(m.group("x"), c), _parse(m.group("z"), c)
    if not first or not last or first.type != "DATE" or last.type != "DATE":
        return None
    length = cal.span_between(first.value, last.value) if first.value and last.value else None
    return Norm("DURATION", None, length)


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], _Ctx], Norm | None]]
_YEAR = r"(?:(?P<y>\d{4})|'(?P<yy>\d{2}))"


def _rules() -> list[_Rule]:
    wd = _WEEKDAY
    table: list[tuple[str, Callable[[re.Match[str], _Ctx], Norm | None]]] = [
        (r"(?:from|between) (?P<x>.+?) (?:to|and|until|till|through|-) (?P<z>.+)", _range),
        (alt(_LEX.present), _present),
        (alt(_LEX.past_ref | _LEX.future_ref), _vague_ref),
        (rf"(?P<w>today|tonight|yesterday|tomorrow|the day before yesterday|the day after tomorrow)"
         rf"(?: (?P<pod>{_POD}))?|(?P<w2>this|last) (?P<pod2>{_POD})", _deictic),
        (rf"(?:the )?(?P<pod>{_POD})", _bare_pod),
        (rf"(?:(?P<rel>last|next|this|coming|past|previous) )?(?P<wd>{wd})(?: (?P<pod>{_POD}))?"
         rf"(?:,? (?P<rest>(?:the )?\d.*|{_MONTH}.*))?", _weekday),
        (rf"(?P<mon>{_MONTH})\.? {_DAY}(?:,? {_YEAR})?", _month_day),
        (rf"(?:the )?{_DAY}(?: of)? (?P<mon>{_MONTH})\.?(?:,? {_YEAR})?", _month_day),
        (rf"(?P<mon>{_MONTH})\.?(?:,? (?:of )?{_YEAR})?", _month_year),
        (rf"(?P<mon>{_MONTH}),? (?:of )?(?P<rel>this|last|next) year", _month_year),
        (rf"(?P<rel>last|next|this|this past) (?P<mon>{_MONTH})", _month_rel),
        (r"(?:the )?(?P<ord>first|second|third|fourth|last|final) week of (?P<rest>.+)", _week_of),
        (r"(?P<y>\d{4})-(?P<mo>\d{2})(?:-(?P<d>\d{2}))?", _iso),
        (r"(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})", _numeric_date),
        (rf"(?:the )?(?:(?P<fy>fiscal|fy|financial)(?: year)? ?)?(?:year )?{_YEAR}", _year),
        (r"(?P<y>\d{4})[-/](?:\d{2}|\d{4})", lambda m, c: Norm("DATE", m.group("y"))),
        (rf"(?:the )?(?:(?P<full>\d{{3}}0)'?s|'?(?P<two>\d)0'?s|(?P<word>{alt(_LEX.decade_words)}))",
         _decade),
        (rf"(?:the )?(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{_ORD})[ -]century", _century),
        (rf"(?:the )?(?P<ord>{_ORD}|final|last|past|previous|this|current|next)[ -](?:fiscal |financial )?"
         rf"quarter(?: of (?P<rest>.+))?", _quarter),
        (r"q(?P<q>[1-4])(?: (?P<rest>\d{4}))?", _quarter),
        (r"(?:the )?(?P<ord>first|second|1st|2nd|last|final|latter) half(?: of (?P<rest>.+))?", _half),
        (rf"(?:(?P<rel>this|last|next|the|coming|past) )?(?P<s>{alt(_LEX.seasons)})"
         rf"(?:,? (?:of )?(?P<rest>.+))?", _season),
        (r"(?:(?P<the>the) )?(?P<rel>this past|this|last|next|past|coming|previous|prior|following|current"
         r"|same) (?P<unit>week|weekend|month|year|quarter|decade|century)", _relative),
        (r"the (?:year|month|week) (?P<rel>before|earlier|previous)", lambda m, c: Norm("DATE", cal.shift(
            c.anchor, -1, _LEX.units[m.group(0).split()[1]]))),
        (r"the (?P<unit>year|month|week|day)", _the_unit),
        (rf"(?P<num>{_NUM})[ -](?P<unit>{_UNIT}) (?P<dir>ago|from now|hence|before now|earlier|later|before|"
         rf"after|since|prior)", _ago),
        (rf"(?:(?:the|these|those|its|his|her|their|a) )?(?:(?:past|last|next|coming|previous|first|final|"
         rf"following|initial|remaining|recent|preceding|additional|extra|further) )?(?P<num>{_NUM})[ -]"
         rf"(?P<unit>{_UNIT})(?P<half> and a half)?(?:[ -]long|(?P<old>[ -]old))?", _duration),
        (r"(?:(?:a|an|the) )?(?P<frac>half|quarter)[ -](?:(?:a|of a) )?(?P<unit>century|decade|year|hour)"
         r"|(?:(?:a|an|the) )?(?P<unit2>day|week|month|year)-?long", _compound),
        (rf"(?P<lead>(?:the|these|those|recent|the past|the last|the next|the coming|the recent|the previous|"
         rf"past|last|next|coming) )?(?P<unit>{_UNIT})(?:[ -]long)?", _plural_only),
        (rf"(?P<word>{alt(_LEX.sets)})|every (?:(?P<num>{_NUM}) )?(?P<unit>{_UNIT})"
         rf"|(?:every|each) (?P<wd>{wd})|(?:{_NUM}|once|twice|\w+ times) (?:a|an|per) (?P<runit>{_UNIT})",
         _set),
        (rf"(?P<h>{alt(_LEX.holidays)})(?: (?P<y>\d{{4}}))?", _holiday),
    ]
    return [(re.compile(f"^(?:{pattern})$"), handler) for pattern, handler in table]


_RULES = _rules()


def _parse(e: str, c: _Ctx) -> Norm | None:
    e, positioned = clean(e)
    c = c._replace(positioned=c.positioned or positioned)
    timepoint = _timepoint(e, c) if re.search(r"\d|noon|midday|midnight", e) else None
    if timepoint:
        return timepoint
    for pattern, handler in _RULES:
        m = pattern.match(e)
        if m:
            result = handler(m, c)
            if result is not None:
                return result
    return None


def parse(
    expression: str, anchor: dt.date | None, *, tense: Tense | None = None, reference: dt.date | None = None
) -> Norm | None:
    """Like :func:`normalize`, but None when the expression is not a time expression this grammar reads.

    The detector uses the difference: a spaCy DATE entity the grammar cannot read must
    carry some other time cue to be kept.
    """
    return _parse(expression, _Ctx(anchor, tense, reference, False))


def normalize(
    expression: str, anchor: dt.date | None, *, tense: Tense | None = None, reference: dt.date | None = None
) -> Norm:
    """TIMEX3 type, ISO 8601 value at the precision the text gives, and duration of ``expression``.

    ``anchor`` is the publication date (None: relative expressions get no value);
    ``tense`` of the clause decides which way a bare weekday or month points ("will meet
    on Saturday" is after the anchor); ``reference`` is the day the sentence is about,
    which clock times without a date ("at 18:00 UTC") take instead of the anchor.
    """
    return parse(expression, anchor, tense=tense, reference=reference) or Norm("DATE", None)


__all__ = ["Norm", "Tense", "clean", "normalize", "parse"]
