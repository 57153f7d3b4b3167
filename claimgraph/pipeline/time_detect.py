"""Find time expressions in a text: the project's patterns, merged with spaCy's DATE/TIME entities.

spaCy's small English model finds most dates but cuts some badly ("year" out of "this
year 's", "November 11 , three days later" as one), labels ages and version numbers
DATE ("49", "1.1.1") and misses "currently", "recently" and years inside ranges. The
patterns here, compiled once at import from ``lexicons/time.yaml``, give the exact
extents of the forms they know; spaCy's entities fill in what they do not
("the same period of the last year"), after cleaning and a junk filter.

Extents follow TimeML: signals ("on", "in", "since") stay outside, modifiers ("about",
"more than", "early") inside, and a range ("from 2009 to 2011") is one expression that
also yields its two ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from claimgraph.pipeline.time_lexicon import alt, lexicon, number_pattern
from claimgraph.pipeline.timenorm import parse


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span to normalise; ``expr`` overrides the text given to the normaliser ("15 a year")."""

    start: int
    end: int
    source: str
    expr: str | None = None


def _i(pattern: str) -> str:
    """Case-insensitive group: month and weekday names elsewhere stay case-sensitive."""
    return f"(?i:{pattern})"


_LEX = lexicon()
_FULL_MONTHS = [m for m in _LEX.months if len(m) > 4 or m in ("june", "july", "may")]
_ABBR_MONTHS = [m for m in _LEX.months if m not in _FULL_MONTHS]
_MON = alt(_FULL_MONTHS, capitalised=True)
_MON_ANY = rf"(?:{_MON}|{alt(_ABBR_MONTHS, capitalised=True)}\.?)"
_MON_NOT_MAY = alt([m for m in _FULL_MONTHS if m != "may"], capitalised=True)
_WD = alt(_LEX.weekdays, capitalised=True)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]|20)\d\d(?![\d,.]\d)"
_NUM = number_pattern()
_UNIT = alt(_LEX.units)
_UNIT_SG = alt([u for u in _LEX.units if not u.endswith("s") or u == "hrs"])
_PLURALS = alt([u for u in _LEX.units if u.endswith(("s", "ia")) and len(u) > 4])
_POD = alt(_LEX.parts_of_day)
_MODS = alt(_LEX.modifiers)
_POS = (r"(?:(?:earlier|later|early|late|mid-?"
        r"|the\s+(?:very\s+)?(?:start|beginning|end|middle|rest|remainder)\s+of)\s+)")
_RATE = rf"(?:a|an|per)[\s-]+{_UNIT_SG}"
_MONTH_YEAR = rf"(?:\s*,?\s*(?:of\s+)?{_YEAR}|\s+(?:of\s+)?{_i('this|last|next')}\s+year)"
_MAY_CUE = "in|since|by|until|during|of|early|late|mid-?|last|next|this|before|after|through|from"
_ORDW = alt([*_LEX.ordinals, "1st", "2nd", "3rd", "4th"])
_REL = r"(?:this|last|next|past|coming|previous|prior|following|current)"
_RANGE_END = (rf"(?:{_MON_ANY}\s+{_DAY}(?:\s*,\s*{_YEAR})?|{_DAY}\s+{_MON_ANY}(?:\s+{_YEAR})?"
              rf"|{_MON}(?:\s+{_YEAR})?|{_YEAR}|{_WD})")
_AMPM = r"(?:[ap]\.?\s?m\b\.?|[ap]\s\.\s?m\b(?:\s\.)?|o'clock)"
_CLOCK = (rf"\b\d{{1,2}}(?::\d{{2}}|(?:\s:\s|\.)\d{{2}}(?=\s*{_AMPM}))\s*{_AMPM}?"
          rf"|\b\d{{1,2}}\s*{_AMPM}")
_ZONE = r"(?:\s*(?:UTC|GMT|Z)\b)?(?:\s*\(?\s*(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?\s*\)?)?"


#: (name, pattern); a named group ``t`` narrows the candidate to that group, ``x``/``z`` are range ends.
_PATTERNS: list[tuple[str, str]] = [
    ("range", rf"\b{_i('from|between')}\s+(?P<x>{_RANGE_END})\s+{_i('to|and|until|through|-|–')}\s+"
              rf"(?P<z>{_RANGE_END})\b"),
    ("date", rf"\b(?:{_WD}\s*,?\s*)?(?:{_MON_ANY}\s*{_DAY}(?:\s*,\s*{_YEAR}|\s+{_YEAR})?"
             rf"|{_i('the')}\s+{_DAY}\s+of\s+{_MON_ANY}(?:\s*,?\s*{_YEAR})?"
             rf"|{_DAY}\s+{_MON_ANY}(?:\s*,?\s*{_YEAR})?)\b"),
    ("month", rf"(?:{_i(_POS)})?(?:\b{_i('last|next|this|this past')}\s+)?"
              rf"\b(?:{_MON_NOT_MAY}(?:{_MONTH_YEAR})?|May{_MONTH_YEAR})\b"),
    ("week-of", rf"\b{_i('the')}\s+{_i('first|second|third|fourth|last|final')}\s+week\s+of\s+"
                rf"(?:{_MON}(?:\s+{_YEAR})?|{_YEAR})\b"),
    ("may", rf"\b{_i(_MAY_CUE)}\s+(?P<t>May)\b"),
    ("numeric", r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))\b"),
    ("weekday", rf"\b(?:{_i('last|next|this|coming|past')}\s+)?{_WD}(?:\s+{_i(_POD)})?\b"),
    ("deictic", _i(rf"\b(?:(?:early|earlier|late|later)\s+)?(?:today|tonight|yesterday|tomorrow)"
                   rf"(?:\s+{_POD})?\b|\b(?:this|last)\s+{_POD}\b")),
    ("relative", _i(rf"\b{_POS}?(?:the\s+)?(?:this\s+past|{_REL})\s+(?:week(?:end)?|month|year|quarter|decade"
                    rf"|century|spring|summer|autumn|fall|winter)\b"
                    rf"|\bthe\s+(?:year|month|week)\s+(?:before|earlier|previous)\b"
                    rf"|\bthe\s+(?:very\s+)?(?:beginning|start|end|middle)\s+of\s+the\s+(?:year|month|week)\b")),
    ("year", rf"(?:{_i(_POS)})?(?:\b{_i('fiscal|financial|FY')}\s*(?:{_i('year')}\s+)?)?\b{_YEAR}\b(?!s\b)"
             rf"(?:[-–/](?:\d{{4}}|\d{{2}})\b)?"),
    ("decade", rf"(?:{_i('the')}\s+)?(?:{_i('early|mid-?|late')}\s*)?(?:\b(?:1[5-9]|20)\d0s\b|'?\b\d0s\b"
               rf"|\b{_i(alt(_LEX.decade_words))}\b)"),
    ("century", _i(rf"(?:\bthe\s+)?(?:(?:early|mid-?|late)\s*)?\b(?:\d{{1,2}}(?:st|nd|rd|th)|{_ORDW})"
                   rf"[\s-]+century\b")),
    ("quarter", _i(rf"(?:\bthe\s+)?\b(?:{_ORDW}|final|last)[\s-]+(?:fiscal\s+|financial\s+)?quarter"
                   rf"(?:\s+of\s+(?:{_YEAR}|(?:this|last|next|the)\s+(?:fiscal\s+|financial\s+)?year))?\b"
                   rf"|\bthe\s+(?:first|second)\s+half\s+of\s+(?:{_YEAR}|(?:this|last|next|the)\s+year)\b")
                + rf"|\bQ[1-4](?:\s+{_YEAR})?\b"),
    ("season", _i(rf"\b(?:(?:this|last|next|early|late|mid-?)\s+)?(?:spring|summer|autumn|winter)"
                  rf"(?:\s+(?:of\s+)?{_YEAR})\b|\b(?:this|last|next|early|late)\s+(?:spring|summer|autumn|"
                  rf"winter|fall)\b|\bfall\s+(?:of\s+)?{_YEAR}\b|\b(?:in|during|by|until|through|since|over)"
                  rf"\s+(?:the\s+)?(?P<t>spring|summer|autumn|winter)\b")),
    ("fixed", _i(rf"\b{alt(_LEX.present | _LEX.past_ref | _LEX.future_ref)}\b(?!-)")),
    ("set", _i(rf"\b(?:{alt(_LEX.sets)}|(?:every|each)\s+(?:{_NUM}\s+)?{_UNIT}|(?:once|twice|\w+\s+times)"
               rf"\s+(?:a|an|per)\s+{_UNIT_SG})\b") + rf"|\b(?:every|each)\s+{_WD}\b"
            + rf"|(?:\d|\b{_i(_NUM)})[\s-]+(?P<t>{_i(_RATE)})\b"),
    ("ago", _i(rf"\b{_NUM}[\s-]+{_UNIT}\s+(?:ago|earlier|later|from\s+now|hence)\b")),
    # an age is a duration in TimeML ("a 45-year-old shepherd": P45Y); "aged 45" is a bare number
    ("age", _i(r"\b\d{1,3}[\s-]+(?:years?|months?)[\s-]+old\b")),
    ("num-range", _i(rf"\b(?P<t>{_NUM})\s+(?:to|or|and|-)\s+{_NUM}[\s-]+{_UNIT}\b")),
    ("duration", _i(rf"\b(?:(?:the|these|those)\s+)?(?:(?:past|last|next|coming|previous|first|final|"
                    rf"following|initial|remaining|recent|preceding)\s+)?(?:{_MODS}\s+)?{_NUM}[\s-]+{_UNIT}"
                    rf"(?:\s+and\s+a\s+half)?(?:[\s-]+long)?\b|\b(?:(?:a|an|the)\s+)?(?:half|quarter)[\s-]"
                    rf"(?:(?:a|of\s+a)\s+)?(?:century|decade|hour)\b|\b(?:(?:a|an|the)\s+)?"
                    rf"(?:day|week|month|year)-?long\b")),
    ("plural", _i(rf"\bthe\s+(?:past|last|next|coming|previous)\s+(?:(?:few|several|many)\s+)?{_PLURALS}\b"
                  rf"|\brecent\s+{_PLURALS}\b|\b{_PLURALS}-long\b|\bdecades\b|\bcenturies\b"
                  rf"|\b(?:for|over|within)\s+(?P<t>(?:the\s+)?{_PLURALS})\b")),
    ("holiday", rf"\b(?:Christmas(?:\s+(?:Day|Eve))?|New\s+Year's\s+(?:Day|Eve)|Easter|Thanksgiving|Halloween"
                rf"|Valentine's\s+Day|Boxing\s+Day|Ramadan)(?:\s+{_YEAR})?\b"),
    ("time", rf"(?:(?:{_CLOCK}){_ZONE}|\b{_i('noon|midday|midnight')}\b)"
             rf"(?:\s+(?:{_WD}|{_i('today|yesterday')}))?|\b{_WD}\s+(?:{_CLOCK}){_ZONE}"),
]
_COMPILED = [(name, re.compile(pattern)) for name, pattern in _PATTERNS]
_PRIORITY = {name: i for i, (name, _) in enumerate(_PATTERNS)}

#: Speed: the costliest patterns open with long optional word lists, so they run only in
#: windows around a word they cannot match without (a unit, "century", ...), found by a
#: cheap scan; the other patterns scan the whole text.
_UNIT_TRIGGER = _i(rf"\b{_UNIT}")
_TRIGGERS = {name: re.compile(trigger) for name, trigger in {
    "duration": _UNIT_TRIGGER, "ago": _UNIT_TRIGGER, "num-range": _UNIT_TRIGGER, "plural": _UNIT_TRIGGER,
    "set": _i(rf"\b(?:{_UNIT}|{alt(_LEX.sets)}|every|each)"), "century": _i("century"),
    "quarter": _i(r"quarter|half|\bQ[1-4]"), "decade": _i(r"\d0'?s\b|ties\b"),
    "season": _i("spring|summer|autumn|winter|fall"),
}.items()}
_WINDOW_BACK, _WINDOW_AHEAD = 90, 50


def _windows(text: str, trigger: re.Pattern[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in trigger.finditer(text):
        lo, hi = max(0, m.start() - _WINDOW_BACK), min(len(text), m.end() + _WINDOW_AHEAD)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def _matches(
    name: str, regex: re.Pattern[str], text: str, cache: dict[str, list[tuple[int, int]]]
) -> Iterable[re.Match[str]]:
    trigger = _TRIGGERS.get(name)
    if trigger is None:
        yield from regex.finditer(text)
        return
    if trigger.pattern not in cache:
        cache[trigger.pattern] = _windows(text, trigger)
    for lo, hi in cache[trigger.pattern]:
        yield from regex.finditer(text, lo, hi)

_AGE_BEFORE = re.compile(
    r"(?i)\b(?:aged?|age\s+of|ages)\s*$|\b(?:his|her|their|my|your|our)\s+(?:early\s+|mid-?|late\s+)?$"
)
_AGE_AFTER = re.compile(r"(?i)\s*-?\s*(?:years?|months?)?\s*-?\s*old\b")
_AGE_INSIDE = re.compile(r"(?i)\bold\b|\bage\s+of\b|^aged?\b")
_VERSIONISH = re.compile(r"^\d+(?:\.\d+)+$|^\d{1,3}$")
_CUE = re.compile(_i(rf"\b(?:{alt(_LEX.months)}|{alt(_LEX.weekdays)}|{_UNIT}|{alt(_LEX.seasons)}|"
                     rf"{alt(_LEX.holidays)}|{_POD}|time|period|era|term|date|recent|past|future|ago|later|"
                     rf"earlier|season|fiscal|financial|weekend|tonight|today|yesterday|tomorrow|now)\b|\d{{4}}"))
_MODIFIER_LEAD = re.compile(_i(rf"{alt(_LEX.modifiers)}\s"))
_SIGNAL_LEAD = re.compile(_i(rf"(?:{alt(_LEX.leading_signals)})\s+"))
_ARTICLE_UNIT = re.compile(r"(?i)\b(?:an?|one)\s+(\w+)$")
#: words after which "a day", "a year" is a length of time
_DURATION_CUES = frozenset({*_LEX.leading_signals, *(m.split()[-1] for m in _LEX.modifiers), "than", "took",
                            "take", "takes", "taking", "spent", "spend", "spends", "lasted", "last", "lasts",
                            "half", "once", "twice", "least"})
#: words that may lengthen a time expression beyond what a pattern matched
_EXTENSION_WORDS = frozenset({w for phrase in (*_LEX.modifiers, *_LEX.positions) for w in phrase.split()} | {
    "the", "of", "a", "an", "same", "period", "very", "this", "that", "these", "those", "and", "from", "now",
    "past", "next", "last", "coming", "following", "previous", "first", "final", "calendar", "fiscal",
    "financial", "school", "academic", "half", "whole", "entire", "full", "in", "mid", "s"})
#: "a good night", "a big year": an article, a describing word and a unit name no period
_DESCRIBED_UNIT = re.compile(
    r"(?i)(?:an?|this|that)\s+(\w+)\s+(?:day|night|year|week|month|morning|evening)$")
#: words after which a number spaCy calls CARDINAL is still a year ("since 2004")
_YEAR_CUES = frozenset({"in", "since", "by", "until", "of", "from", "to", "before", "after", "during",
                        "through", "and", "the", "'s", "early", "late", "mid"})
_NON_TIME_ENTS = frozenset({"ORG", "PERSON", "WORK_OF_ART", "PRODUCT", "FAC", "LAW", "NORP", "GPE", "LOC",
                            "EVENT"})


def _rule_candidates(text: str) -> tuple[list[Candidate], list[Candidate]]:
    """Pattern matches, non-overlapping (longest first), plus the ends of every range kept."""
    found: list[tuple[int, int, str, re.Match[str]]] = []
    windows: dict[str, list[tuple[int, int]]] = {}
    for name, regex in _COMPILED:
        for m in _matches(name, regex, text, windows):
            start, end = m.span("t") if m.groupdict().get("t") else m.span()
            if end > start:
                found.append((start, end, name, m))
    found.sort(key=lambda f: (-(f[1] - f[0]), _PRIORITY[f[2]], f[0]))
    kept: list[Candidate] = []
    ends: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for start, end, name, m in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        expr = None
        if name == "set" and m.groupdict().get("t"):
            expr = "per " + re.split(r"[\s-]+", m.group("t"))[-1]
        elif name == "num-range":  # "between 60 and 90 days": the 60 is days too
            expr = m.group("t") + " " + re.split(r"[\s-]+", m.group(0))[-1]
        kept.append(Candidate(start, end, name, expr))
        if name == "range":
            ends.extend(Candidate(*m.span(g), "range-end") for g in ("x", "z"))
    return kept, ends


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut leading signals ("on Monday" -> "Monday"), possessives and stray punctuation."""
    while True:
        if _MODIFIER_LEAD.match(text, start, end):
            break  # "at least five years": "at" opens a modifier here, not a signal
        m = _SIGNAL_LEAD.match(text, start, end)
        if not m or m.end() >= end or not _CUE.search(text, m.end(), end):
            break
        start = m.end()
    piece = text[start:end]
    stripped = re.sub(r"(?:\s*'\s*s|\s*[,.;:'\"])+$", "", piece)
    if stripped.endswith(("a.m", "p.m")):
        stripped += "."
    return start, start + len(stripped)


def is_junk(text: str, start: int, end: int) -> bool:
    """Ages ("aged 55", "51 years old", "in their 50s") and bare small numbers are not times."""
    piece = text[start:end]
    if _AGE_INSIDE.search(piece) or _AGE_AFTER.match(text, end):
        return True
    if _AGE_BEFORE.search(text[max(0, start - 16):start]):
        return True
    return bool(_VERSIONISH.match(piece)) and parse(piece, None) is None


def _spacy_candidates(text: str, ents: Iterable[Any]) -> list[Candidate]:
    out = []
    for ent in ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        start, end = _trim(text, ent.start_char, ent.end_char)
        if end <= start or is_junk(text, start, end):
            continue
        piece = text[start:end]
        if parse(piece, None) is None:
            described = _DESCRIBED_UNIT.match(piece)
            if not _CUE.search(piece) or (described and described.group(1).lower() not in _EXTENSION_WORDS):
                continue
        cand = Candidate(start, end, "spacy")
        if not _bare_article(cand, text):
            out.append(cand)
    return out


def _bare_article(c: Candidate, text: str) -> bool:
    """ "a second A380", "about a quarter of its dealers", "not a day anybody can be prepared for".

    "a"/"an" + unit is a duration only next to a word that asks for one ("for a year",
    "within a week", "took a day", "a day after"); a quarter or a second with an article
    never is.
    """
    m = _ARTICLE_UNIT.search(text[c.start:c.end])
    if c.source not in ("duration", "spacy") or not m or m.group(1).lower() not in _LEX.units:
        return False
    if m.group(1).lower() in ("quarter", "second"):
        return True
    if m.start() > 0:
        return False  # a modifier asks for a length: "about a year", "more than a week"
    before = text[max(0, c.start - 20):c.start].lower().split()
    after = text[c.end:c.end + 12].lower().split()
    if after and after[0] in ("after", "before", "later", "earlier", "ago", "since", "long", "or"):
        return False  # "a day after Chrysler", "a week later"
    return not before or before[-1] not in _DURATION_CUES


def _vetoed(c: Candidate, text: str, blocked: Sequence[tuple[int, int]]) -> bool:
    """A word-only match inside a name ("USA Today", "August Busch") or an age is not a time."""
    if c.source in ("duration", "decade", "ago", "plural") and is_junk(text, c.start, c.end):
        return True
    if _bare_article(c, text):
        return True
    if any(ch.isdigit() for ch in text[c.start:c.end]):
        return False
    return any(s <= c.start and c.end <= e for s, e in blocked)


def _year_vetoed(c: Candidate, text: str, labels: Sequence[tuple[int, int, str]]) -> bool:
    """A bare four-digit number is a year unless it is money, a quantity or a count ("US$ 2000")."""
    if c.source != "year" or not text[c.start:c.end].isdigit():
        return False
    if re.search(r"[$#€£¥]\s*$", text[max(0, c.start - 3):c.start]):
        return True
    for s, e, label in labels:
        if s <= c.start and c.end <= e and label in ("MONEY", "PERCENT", "QUANTITY"):
            return True
        if s <= c.start and c.end <= e and label == "CARDINAL":
            before = text[max(0, c.start - 12):c.start].lower().split()
            return not before or before[-1] not in _YEAR_CUES
    return False


def _extends(extra: str) -> bool:
    """Do the words spaCy adds around a pattern's match belong to the time expression?

    "the same period of" + "the last year" and "just" + "one year" do; a count ("15 a
    year"), a name ("last week Stumpf") or an ordinal ("second this year") does not.
    """
    words = re.findall(r"[a-z]+", extra.lower())
    return bool(words) and not any(ch.isdigit() for ch in extra) and all(
        w in _EXTENSION_WORDS or _CUE.fullmatch(w) for w in words)


def _trimmed(c: Candidate, text: str) -> Candidate:
    if c.source in ("range", "set", "fixed", "time"):
        return c
    start, end = _trim(text, c.start, c.end)
    return Candidate(start, end, c.source, c.expr) if end > start else c


def detect(text: str, ents: Iterable[Any]) -> list[Candidate]:
    """Time expression spans in ``text`` given spaCy's entities, in text order, ranges before their ends."""
    ents = list(ents)
    blocked = [(e.start_char, e.end_char) for e in ents if e.label_ in _NON_TIME_ENTS]
    labels = [(e.start_char, e.end_char, e.label_) for e in ents]
    rules, ends = _rule_candidates(text)
    rules = [_trimmed(c, text) for c in rules
             if not _vetoed(c, text, blocked) and not _year_vetoed(c, text, labels)]
    chosen = list(rules)
    for s in _spacy_candidates(text, ents):
        inside = [r for r in rules if r.start < s.end and s.start < r.end]
        if not inside:
            chosen.append(s)
            continue
        if len(inside) > 1 or not all(s.start <= r.start and r.end <= s.end for r in inside):
            continue
        (r,) = inside
        extra = text[s.start:r.start] + text[r.end:s.end]
        if (r.start, r.end) == (s.start, s.end) or r.source == "range" or not _extends(extra):
            continue  # "15 a year", "last week Stumpf", "second this year": spaCy ran on
        chosen[chosen.index(r)] = s
    kept_ranges = {(c.start, c.end) for c in chosen if c.source == "range"}
    chosen.extend(e for e in ends if any(s <= e.start and e.end <= t for s, t in kept_ranges))
    return sorted(set(chosen), key=lambda c: (c.start, -c.end))


__all__ = ["Candidate", "detect", "is_junk"]
