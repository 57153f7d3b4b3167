"""Whether two reports of an event from different articles tell the same incident (#17): a
scored pairwise decision with a threshold, tolerant of what outlets do.

Outlets give the same attack as "Tuesday night", "overnight" (in the next morning's paper) or
no date at all; name the village or its district; say "attack", "raid" or "ambush" (the
events stage gives them one PLOVER type); name "militants" or "the Nasr group". So no single
field must agree; each adds evidence:

- **type**: required equal (the PLOVER type is already the act, whatever the trigger word);
  the same trigger word adds a little;
- **day**: the same day counts most, a day or two apart less (late reports, "overnight"), a
  missing date a little when the report's publication date is at most a few days after the
  other's day; two dates further apart rule the pair out;
- **participants and place**: the same corpus entity as actor, target or place, a place
  within :data:`NEAR_KM` of the other's (a village and its district); a country is no
  evidence (every incident of a country shares it). At least one of them must be shared.

With the weights below: the same day and one shared participant or place is enough, as is a
missing date (the report published within three days) with one; a day apart needs a nearby
place or a participant, two or three days apart two of them; two reports that name nothing but
whose articles are mainly about one place join only on the same day.

Casualty counts are not compared: reports that disagree on the toll are the same incident,
and their disagreement is what the disagreements view shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from claimgraph.pipeline.names import country_keys, name_key

#: a pair at or above this score is one incident
THRESHOLD = 0.65
#: a report this sure of two groups' incidents makes them one (the same day and two shared facts)
MERGE_GROUPS = 0.85
#: two dated reports further apart than this are different incidents
MAX_DAYS = 3
#: the evidence of two reports whose articles are mainly about one place (and name no other)
SCENE = 0.08
#: places closer than this are one place at two levels (a village and its district town)
NEAR_KM = 40.0


@dataclass(frozen=True, slots=True)
class Report:
    """One event as grouping sees it."""

    type: str
    trigger: str
    day: date | None
    #: the article's publication day: an undated report tells of something shortly before it
    published: date | None
    actors: frozenset[str]
    targets: frozenset[str]
    place: str | None
    place_name: str
    point: tuple[float, float] | None
    #: the article's main place (its most mentioned place below a country): where a report that
    #: names no place of its own most likely happened
    scene: str | None = None


def day_of(value: str | None) -> date | None:
    """The day of a time value ("2025-01-14", "2025-01-14TNI"), None when coarser or absent."""
    if not value or len(value) < 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def window(day: date) -> tuple[str, str]:
    """The range of time values within MAX_DAYS of a day (string bounds for an index range scan)."""
    return (day - timedelta(days=MAX_DAYS)).isoformat(), (day + timedelta(days=MAX_DAYS + 1)).isoformat()


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _day_score(a: Report, b: Report) -> float | None:
    """Evidence from the dates; None when they rule the pair out."""
    if a.day is not None and b.day is not None:
        gap = abs((a.day - b.day).days)
        return None if gap > MAX_DAYS else {0: 0.35, 1: 0.25}.get(gap, 0.1)
    dated, other = (a, b) if a.day is not None else (b, a)
    if dated.day is not None:
        if other.published is None:
            return 0.1
        lag = (other.published - dated.day).days
        return 0.15 if 0 <= lag <= MAX_DAYS else None
    if a.published is not None and b.published is not None:
        return 0.1 if abs((a.published - b.published).days) <= MAX_DAYS else None
    return 0.05


def _shared_score(a: Report, b: Report) -> float:
    """Evidence from who and where; 0 when nothing is shared."""
    score = 0.0
    if a.actors & b.actors:
        score += 0.2
    if a.targets & b.targets or (a.actors & b.targets) or (a.targets & b.actors):
        score += 0.15
    if a.place is not None and a.place == b.place:
        score += 0.0 if name_key(a.place_name) in country_keys() else 0.2
    elif a.point is not None and b.point is not None and _km(a.point, b.point) <= NEAR_KM:
        score += 0.12
    elif (a.scene is not None and a.scene in (b.scene, b.place)) or (b.scene is not None and b.scene == a.place):
        score += SCENE  # only the articles' main place: enough for the same day, not for a day apart
    return min(score, 0.4)


def same_incident(a: Report, b: Report) -> tuple[float, str]:
    """The score of the pair (0 when ruled out) and the evidence, in words."""
    if a.type != b.type:
        return 0.0, "types differ"
    days = _day_score(a, b)
    if days is None:
        return 0.0, "dates too far apart"
    shared = _shared_score(a, b)
    if shared == 0.0:
        return 0.0, "no participant or place shared"
    trigger = 0.05 if a.trigger.lower() == b.trigger.lower() else 0.0
    score = round(0.3 + days + shared + trigger, 3)
    return score, f"type, day {days}, shared {shared}" + (", trigger" if trigger else "")


__all__ = ["MAX_DAYS", "MERGE_GROUPS", "NEAR_KM", "THRESHOLD", "Report", "day_of", "same_incident", "window"]
