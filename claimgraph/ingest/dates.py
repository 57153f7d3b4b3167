"""Publication dates: one ISO ``YYYY-MM-DD`` form from whatever a caller or a page wrote.

The publication date anchors every relative date the time layer resolves ("on Saturday",
"last month"), so a wrong one is worse than none: only full calendar dates (day, month
and year) are accepted, and datelines are recognised only when the whole line is a date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

#: a dateline: an optional "Published"/"Updated"/"Posted" label, then only a date (and time).
_DATELINE = re.compile(
    r"^(?:(?P<label>(?:first |originally |last )?(?:published|updated|posted|modified))"
    r"(?:\s+on)?\s*:?\s+)?(?P<date>.+?)\s*$",
    re.IGNORECASE,
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
#: an absolute calendar date with a year: the gate before dateparser, which would otherwise
#: turn "yesterday" or "Monday" into a date relative to the machine's clock.
_LOOKS_LIKE_DATE = re.compile(
    rf"\b(?:\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}[./-]\d{{1,2}}[./-](?:\d{{4}}|\d{{2}})"
    rf"|(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
    rf"|(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}))(?!\d)",
    re.IGNORECASE,
)
#: dateline text that is not part of the date itself: weekday, "at", times, zones, separators.
_NOISE = re.compile(
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b\.?,?"
    r"|\bat\b|\||\u2022|\u00b7",
    re.IGNORECASE,
)
_MAX_DATELINE_CHARS = 80

_DATEPARSER_SETTINGS: dict[str, Any] = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    "PREFER_DATES_FROM": "past",
    "STRICT_PARSING": True,
}


def normalise_date(value: str) -> str | None:
    """``value`` as ``YYYY-MM-DD``, or None when it is not a full calendar date."""
    value = value.strip()
    if not value:
        return None
    iso = _iso(value)
    if iso is not None:
        return iso
    return _natural(value)


def _iso(value: str) -> str | None:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _natural(value: str) -> str | None:
    if not _LOOKS_LIKE_DATE.search(value):
        return None
    import dateparser  # imported on first use: it loads locale data the HTML path never needs

    parsed = dateparser.parse(value, languages=["en"], settings=_DATEPARSER_SETTINGS)
    if parsed is None:
        cleaned = " ".join(_NOISE.sub(" ", value).split())
        if cleaned != value:
            parsed = dateparser.parse(cleaned, languages=["en"], settings=_DATEPARSER_SETTINGS)
    return parsed.date().isoformat() if parsed is not None else None


def parse_dateline(line: str) -> tuple[str, str | None] | None:
    """``(date, label)`` when ``line`` is only a date, e.g. ``"Published: 14 March 2024"``.

    ``label`` is the lower-cased "published"/"updated"/... word, or None. A line that
    holds a date *inside* a sentence is not a dateline and returns None.
    """
    line = line.strip()
    if not line or len(line) > _MAX_DATELINE_CHARS or line.endswith("."):
        return None
    m = _DATELINE.match(line)
    if m is None or not _LOOKS_LIKE_DATE.search(m["date"]):
        return None
    iso = normalise_date(m["date"])
    if iso is None:
        return None
    label = m["label"].lower() if m["label"] else None
    return iso, label


__all__ = ["normalise_date", "parse_dateline"]
