"""The time layer's vocabulary, loaded once from ``lexicons/time.yaml``.

The normaliser (:mod:`claimgraph.pipeline.timenorm`) and the detector
(:mod:`claimgraph.pipeline.time_detect`) must agree on what a month, a unit or a
number word is, or the detector would find spans the normaliser cannot read. Both
therefore build their regular expressions from the one word list here, and the word
list is data so that adding "Boxing Day" or "fortnight" needs no code change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from claimgraph.errors import PipelineError

#: a count that the text leaves open ("several years"): ISO 8601 writes it ``X``.
VAGUE = "X"


@dataclass(frozen=True, slots=True)
class Unit:
    """One calendar or clock unit: its ISO 8601 designator and how many of them it is."""

    letter: str
    factor: int
    clock: bool


@dataclass(frozen=True, slots=True)
class TimeLexicon:
    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    numbers: Mapping[str, int]
    vague_numbers: frozenset[str]
    ordinals: Mapping[str, int]
    units: Mapping[str, Unit]
    decade_words: Mapping[str, int]
    seasons: Mapping[str, str]
    parts_of_day: Mapping[str, str]
    holidays: Mapping[str, str | None]
    present: frozenset[str]
    past_ref: frozenset[str]
    future_ref: frozenset[str]
    sets: Mapping[str, str]
    leading_signals: tuple[str, ...]
    modifiers: tuple[str, ...]
    positions: tuple[str, ...]


def _words(raw: Mapping[str, Any], key: str) -> list[str]:
    value = raw.get(key)
    if not isinstance(value, list):
        raise PipelineError(f"lexicons/time.yaml: {key!r} must be a list")
    return [str(v).lower() for v in value]


def _table(raw: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict):
        raise PipelineError(f"lexicons/time.yaml: {key!r} must be a mapping")
    return {str(k).lower(): v for k, v in value.items()}


@lru_cache(maxsize=1)
def lexicon() -> TimeLexicon:
    """Read the word lists once per process; every pipeline shares the result."""
    text = resources.files("claimgraph").joinpath("lexicons/time.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    if not isinstance(raw, dict):
        raise PipelineError("lexicons/time.yaml: not a mapping")
    units = {k: Unit(str(v[0]), int(v[1]), bool(v[2])) for k, v in _table(raw, "units").items()}
    return TimeLexicon(
        months={k: int(v) for k, v in _table(raw, "months").items()},
        weekdays={k: int(v) for k, v in _table(raw, "weekdays").items()},
        numbers={k: int(v) for k, v in _table(raw, "numbers").items()},
        vague_numbers=frozenset(_words(raw, "vague_numbers")),
        ordinals={k: int(v) for k, v in _table(raw, "ordinals").items()},
        units=units,
        decade_words={k: int(v) for k, v in _table(raw, "decade_words").items()},
        seasons={k: str(v) for k, v in _table(raw, "seasons").items()},
        parts_of_day={k: str(v) for k, v in _table(raw, "parts_of_day").items()},
        holidays={k: (None if v is None else str(v)) for k, v in _table(raw, "holidays").items()},
        present=frozenset(_words(raw, "present")),
        past_ref=frozenset(_words(raw, "past_ref")),
        future_ref=frozenset(_words(raw, "future_ref")),
        sets={k: str(v) for k, v in _table(raw, "sets").items()},
        leading_signals=tuple(_words(raw, "leading_signals")),
        modifiers=tuple(_words(raw, "modifiers")),
        positions=tuple(_words(raw, "positions")),
    )


def alt(words: Iterable[str], *, capitalised: bool = False) -> str:
    """A non-capturing alternation of ``words``, longest first so the regex prefers "sept" to "sep".

    Spaces inside a phrase match any run of whitespace. With ``capitalised`` the first
    letter must be upper case ("March" the month, not "march" the verb), the rest any case.
    """
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        body = r"\s+".join(re.escape(piece) for piece in word.split())
        if capitalised and word[:1].isalpha():
            body = f"[{word[0].upper()}]" + body[1:]
        parts.append(body)
    return "(?:" + "|".join(parts) + ")"


_DIGITS = re.compile(r"^\d+(?:[.,]\d+)?$")
_AND_HALF = re.compile(r"^(.*?)\s+and\s+a\s+half$")


def parse_number(text: str) -> float | str | None:
    """The count in "33", "2.5", "twenty-five", "two and a half" or "several" (``VAGUE``).

    Returns None when ``text`` is not a count this module knows, so callers can reject
    the whole expression instead of guessing.
    """
    lex = lexicon()
    t = " ".join(text.lower().split())
    if not t:
        return None
    if _DIGITS.match(t):
        return float(t.replace(",", "")) if "," in t and len(t.split(",")[-1]) == 3 else float(
            t.replace(",", ".")
        )
    if t in lex.vague_numbers:
        return VAGUE
    if t in lex.numbers:
        return float(lex.numbers[t])
    if t in ("half a", "half an", "a half"):
        return 0.5
    half = _AND_HALF.match(t)
    if half:
        base = parse_number(half.group(1))
        return base + 0.5 if isinstance(base, float) else None
    pieces = re.split(r"[\s-]+", t)
    if 1 < len(pieces) <= 3:
        total = 0.0
        for piece in pieces:
            if piece not in lex.numbers or piece in ("a", "an"):
                return None
            total = total * lex.numbers[piece] if lex.numbers[piece] == 100 else total + lex.numbers[piece]
        return total
    return None


def number_pattern() -> str:
    """Regex for the counts :func:`parse_number` reads (digits, words, compounds, "and a half")."""
    lex = lexicon()
    words = alt(lex.numbers)
    vague = alt(lex.vague_numbers)
    word_num = rf"{words}(?:[\s-]+{words})?"
    return rf"(?:\d+(?:[.,]\d+)?|{vague}|half\s+an?|{word_num}(?:\s+and\s+a\s+half)?)"
