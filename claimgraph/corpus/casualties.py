"""Casualty counts read from the wording of a report: "three policemen were killed", "at least
12 dead", "its fighters had killed 11 policemen", "five policemen and a shopkeeper".

Why here and this small: the disagreements view compares the numbers outlets and their sources
give for one incident, and most stored analyses carry no counts of their own (the events stage
adds ``counts`` to an event where it can; :func:`stored_counts` reads those first). This is a
reader of plain English phrasing around a casualty word, not an extractor: it looks back from
the word through the clause ("Five policemen and a shopkeeper were killed") and, for an active
verb, forward ("killed more than 30 soldiers"), and stops at what starts another clause
("said", "that", another casualty word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from claimgraph.pipeline.events.numbers import WORDS as NUMBER_WORDS

#: the kinds of count, in the order the views list them, and the words that name each
KINDS: dict[str, tuple[str, ...]] = {
    "killed": ("killed", "killing", "dead", "died", "die", "deaths", "death", "bodies", "martyred", "slain",
               "lives", "fatalities", "massacred"),
    "injured": ("injured", "injuring", "wounded", "wounding", "hurt", "injuries"),
    "abducted": ("abducted", "abducting", "kidnapped", "kidnapping", "hostage", "hostages"),
    "arrested": ("arrested", "arresting", "detained", "detaining"),
}
_KIND_OF = {word: kind for kind, words in KINDS.items() for word in words}
#: verbs after which the count follows: "killed 11 policemen"
_ACTIVE = frozenset({"killed", "killing", "injured", "injuring", "wounded", "wounding", "abducted", "abducting",
                     "kidnapped", "arrested", "arresting", "detained", "detaining", "massacred"})
#: number words: the events stage's table, so both readers of a toll read the same words
_UNITS = NUMBER_WORDS
_QUALIFIERS = ("at least", "more than", "over", "about", "around", "nearly", "almost", "up to", "some", "dozens of")
#: words that start another clause: the count before them belongs to something else
_STOP = frozenset({"said", "says", "say", "told", "tell", "that", "when", "after", "while", "but", "claimed",
                   "claims", "according", "because", "since", "which", "who", "whom", "where", "if", "than",
                   "against", "figure", "of"})
_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:-[A-Za-z]+)*|[A-Za-z][A-Za-z'’-]*|[.;:!?()\"“”]")
_BREAK = frozenset(".;:!?()\"“”")
#: how far back from a casualty word a count may stand
_REACH = 12


@dataclass(frozen=True, slots=True)
class Count:
    """One number of one kind: ``number`` of ``what`` (the word after it: "policemen")."""

    kind: str
    number: int
    what: str
    qualifier: str
    #: which phrase of the wording gave it (the counts of one phrase add up)
    phrase: int = 0

    def __str__(self) -> str:
        return " ".join(x for x in (self.qualifier, str(self.number), self.what) if x)


def _number(token: str) -> int | None:
    low = token.lower()
    if low in _UNITS:
        return _UNITS[low]
    if token[0].isdigit() and "-" not in token:  # "14-year-old" is an age
        try:
            value = float(token.replace(",", ""))
        except ValueError:
            return None
        if "." in token or (len(token) == 4 and 1900 <= value <= 2100):  # a year, not a toll
            return None
        return int(value)
    return None


_MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                     "sept", "oct", "nov", "dec"})


def _is_day(lows: list[str], i: int) -> bool:
    """"March 27", "27 March": a date, not a count."""
    return (i > 0 and lows[i - 1] in _MONTHS) or (i + 1 < len(lows) and lows[i + 1] in _MONTHS)


def _qualifier(words: list[str], at: int) -> str:
    before = " ".join(words[max(0, at - 2):at]).lower()
    return next((q for q in _QUALIFIERS if before.endswith(q)), "")


def counts_in(text: str) -> list[Count]:
    """The casualty counts a piece of wording gives, in the order it gives them (a line at a
    time: a headline's words do not run into the first sentence's)."""
    found: list[Count] = []
    for n, line in enumerate((text or "").splitlines()):
        found.extend(_counts_in_line(line, first_phrase=n * 100_000))
    return found


def _counts_in_line(text: str, first_phrase: int) -> list[Count]:
    words = _TOKEN.findall(text)
    lows = [w.lower() for w in words]
    found: list[Count] = []
    used: set[int] = set()
    for k, low in enumerate(lows):
        kind = _KIND_OF.get(low)
        if kind is None:
            continue
        back = _look_back(words, lows, k, kind, used)
        if not back and low in _ACTIVE:
            back = _look_forward(words, lows, k, kind, used)
        found.extend(Count(c.kind, c.number, c.what, c.qualifier, first_phrase + k) for c in back)
    return found


def _look_back(words: list[str], lows: list[str], k: int, kind: str, used: set[int]) -> list[Count]:
    out: list[Count] = []
    for i in range(k - 1, max(-1, k - 1 - _REACH), -1):
        low = lows[i]
        if low in _BREAK or low in _STOP or low in _KIND_OF:
            break
        if i in used:
            continue
        number = None if _is_day(lows, i) else _number(words[i])
        if number is None and low in ("a", "an") and i > 0 and lows[i - 1] == "and":
            number = 1  # "five policemen and a shopkeeper"
        if number is None or (low in ("a", "an") and not out and i == k - 1):
            continue
        used.add(i)
        what = lows[i + 1] if i + 1 < k and lows[i + 1].isalpha() and lows[i + 1] not in _STOP else ""
        if what in ("were", "was", "had", "have", "has", "are", "of", "others"):
            what = "" if what != "others" else "others"
        out.append(Count(kind, number, what, _qualifier(lows, i)))
    return out[::-1]


def _look_forward(words: list[str], lows: list[str], k: int, kind: str, used: set[int]) -> list[Count]:
    for i in range(k + 1, min(len(words), k + 5)):
        if lows[i] in _BREAK or lows[i] in _KIND_OF:
            return []
        number = None if _is_day(lows, i) else _number(words[i])
        if number is not None and i not in used:
            used.add(i)
            what = lows[i + 1] if i + 1 < len(lows) and lows[i + 1].isalpha() else ""
            return [Count(kind, number, what, _qualifier(lows, i))]
    return []


def tally(counts: Iterable[Count]) -> dict[str, int]:
    """Per kind, the largest total one phrase gives ("four soldiers and six attackers died": 10
    killed); two phrases of one report naming the same dead are not added up."""
    phrases: dict[tuple[int, str], int] = {}
    for c in counts:
        phrases[(c.phrase, c.kind)] = phrases.get((c.phrase, c.kind), 0) + c.number
    out: dict[str, int] = {}
    for (_, kind), number in phrases.items():
        out[kind] = max(out.get(kind, 0), number)
    return {kind: out[kind] for kind in KINDS if kind in out}


def stored_counts(event: Mapping[str, Any]) -> dict[str, int]:
    """The counts the events stage stored on a contract event (``counts``: kind -> number),
    read defensively: analyses from before it, or odd values, give nothing."""
    raw = event.get("counts")
    out: dict[str, int] = {}
    if isinstance(raw, Mapping):
        items: Iterable[tuple[Any, Any]] = raw.items()
    elif isinstance(raw, list):  # a list of {"kind", "number"}
        items = [(x.get("kind"), x.get("number", x.get("value"))) for x in raw if isinstance(x, Mapping)]
    else:
        return out
    for kind, value in items:
        key = str(kind).lower()
        if key in KINDS and isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            out[key] = max(out.get(key, 0), int(value))
    return out
