"""What the pages show, shaped from the corpus queries: timeline buckets, grouped claims, map
points with their evidence, search snippets.

Why apart from the routes: these are plain functions over plain data, testable without HTTP,
and the routes in :mod:`claimgraph.web.pages` stay a readable list of pages. The two small
reads of the store here (which corpus entity each of a document's entities is linked to, and
a place's coordinates) are what :mod:`claimgraph.corpus.browse` does not yet return.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from claimgraph.corpus.profile import relations_of

#: the timeline's zoom levels and how many characters of an ISO date each keeps
ZOOMS = {"year": 4, "month": 7, "day": 10}
#: what a search snippet's match markers look like (see queries.search)
_MATCH = re.compile(r"\[([^\[\]]*)\]")


def safe_url(url: object) -> str | None:
    """An article's URL as a link target only when it is http(s): a page's metadata is input too."""
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


def snippet(text: str | None) -> Markup:
    """A search snippet, escaped, with the matched words (between [ and ]) marked."""
    if not text:
        return Markup("")
    out, last = [], 0
    for m in _MATCH.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        out.append(f"<mark>{escape(m.group(1))}</mark>")
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


#: the latest documents of an entity whose claims and events its page shows
ENTITY_PAGE_WINDOW = 200


def entity_layers(corpus: Any, ent: Mapping[str, Any], limit: int = 200) -> dict[str, Any]:
    """Claims by and about one corpus entity, its events and relations, for its page.

    Every question is asked by the entity's id (the queries take an id as they take a name), so
    two entities sharing a name (a person and a district both called "Datta Khel") each get
    only their own rows, and each layer is read once: the page used to read a whole profile
    besides, for its relations alone."""
    eid = ent["id"]
    # an entity in thousands of articles shows what its latest ones say (the CLI's profile reads 500)
    window = ENTITY_PAGE_WINDOW
    return {"claims_by": corpus.claims(source=eid, limit=limit, window=window),
            "claims_about": corpus.claims(about=eid, limit=limit, window=window),
            "events": corpus.events(involving=eid, limit=limit, window=window),
            "relations": relations_of(corpus.store, eid)}


# -- timeline ---------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Bucket:
    key: str
    count: int
    types: list[tuple[str, int]]
    height: float  # share of the tallest bucket, 0..1


@dataclass(slots=True)
class Timeline:
    zoom: str
    at: str
    buckets: list[Bucket]
    events: list[dict[str, Any]]
    undated: int
    parent: str | None  # the "at" one level up (None at the top)
    child: str | None  # the zoom one level down (None at day)


def timeline(events: Sequence[Mapping[str, Any]], *, zoom: str = "year", at: str = "") -> Timeline:
    """Events counted per year, month or day (``zoom``) within the period ``at`` (an ISO
    prefix, "" for all); the events of that period in date order."""
    if zoom not in ZOOMS:
        zoom = "year"
    width = ZOOMS[zoom]
    at = at if len(at) < width and re.fullmatch(r"\d{4}(-\d{2}){0,2}", at or "0000") else ""
    dated = [dict(e) for e in events if e.get("when_value") and str(e["when_value"]).startswith(at)]
    counts: dict[str, Counter[str]] = {}
    for e in dated:
        value = str(e["when_value"])
        if len(value) < width:  # "2025" cannot be placed in a month: it stays out of the bars
            continue
        counts.setdefault(value[:width], Counter())[str(e["type"])] += 1
    top = max((sum(c.values()) for c in counts.values()), default=1)
    buckets = [Bucket(k, sum(c.values()), c.most_common(), sum(c.values()) / top) for k, c in sorted(counts.items())]
    parent = None if not at else (at[:-3] if len(at) > 4 else "")
    child = {"year": "month", "month": "day"}.get(zoom)
    undated = sum(1 for e in events if not e.get("when_value"))
    return Timeline(zoom, at, buckets, dated, undated, parent, child)


def with_counts(tl: Timeline, counts: Mapping[str, Mapping[str, int]], undated: int) -> Timeline:
    """The timeline with its bars from counts over the whole corpus (``queries.event_buckets``:
    bucket -> type -> events) instead of the events it was given, which a large corpus bounds."""
    tallies = {k: Counter(v) for k, v in counts.items()}
    top = max((sum(c.values()) for c in tallies.values()), default=1)
    buckets = [Bucket(k, sum(c.values()), c.most_common(), sum(c.values()) / top) for k, c in sorted(tallies.items())]
    return Timeline(tl.zoom, tl.at, buckets, tl.events, undated, tl.parent, tl.child)


# -- claims ----------------------------------------------------------------------------------------------

@dataclass(slots=True)
class ClaimGroup:
    """Reports of one claim (the same content in several documents), or a claim alone."""

    first: dict[str, Any]
    reports: list[dict[str, Any]] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return sorted({str(o) for o in self.first.get("outlets") or [] if o})

    @property
    def one_source(self) -> bool:
        return bool(self.first.get("one_source"))


def group_claims(claims: Iterable[Mapping[str, Any]], *, by_outlets: bool = False) -> list[ClaimGroup]:
    """Claims of the explorer folded by their cross-document group, in the order they came
    (by date), or those most outlets carry first."""
    groups: dict[str, ClaimGroup] = {}
    for c in claims:
        key = str(c.get("group_id") or f"{c['doc_id']}#{c['local_id']}")
        group = groups.setdefault(key, ClaimGroup(dict(c)))
        group.reports.append(dict(c))
    out = list(groups.values())
    if by_outlets:
        out.sort(key=lambda g: -len(g.outlets))  # stable: equal ones stay in date order
    return out


# -- the events map ---------------------------------------------------------------------------------------

def sentence_at(obj: Mapping[str, Any], start: int, end: int) -> str:
    """The sentence of a contract object holding characters start..end (the evidence of an
    event), or the text around them when the object has no sentences."""
    for sent in obj.get("sentences") or []:
        if sent["start"] <= start < sent["end"]:
            return str(sent["text"]).strip()
    text = str(obj["document"]["text"])
    lo, hi = max(0, start - 160), min(len(text), end + 160)
    return ("…" if lo else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


@dataclass(slots=True)
class Point:
    lat: float
    lon: float
    place: str
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def type(self) -> str:
        """The most frequent event type here (the point's colour)."""
        return Counter(str(e["type"]) for e in self.events).most_common(1)[0][0]


def map_points(events: Iterable[Mapping[str, Any]], limit: int = 400) -> list[Point]:
    """Located events gathered per place (the same coordinates), most events first."""
    points: dict[tuple[float, float], Point] = {}
    for e in events:
        if e.get("lat") is None or e.get("lon") is None:
            continue
        key = (round(float(e["lat"]), 3), round(float(e["lon"]), 3))
        point = points.setdefault(key, Point(key[0], key[1], str(e.get("where_text") or "")))
        if len(point.events) < limit:
            point.events.append(dict(e))
    return sorted(points.values(), key=lambda p: -len(p.events))


#: documents the events map reads evidence sentences from, at most
EVIDENCE_DOCS = 200


def evidence(points: Sequence[Point], fetch: Any, max_docs: int = EVIDENCE_DOCS) -> None:
    """Attach each mapped event's evidence sentence, reading each document's analysis once
    (``fetch``: doc id -> contract object or None)."""
    cache: dict[str, Any] = {}
    for point in points:
        for e in point.events:
            doc_id = str(e["doc_id"])
            if doc_id not in cache:
                cache[doc_id] = fetch(doc_id) if len(cache) < max_docs else None
            obj = cache[doc_id]
            e["evidence"] = sentence_at(obj, int(e["start"]), int(e["end"])) if obj else str(e.get("trigger") or "")


def point_json(points: Sequence[Point]) -> list[dict[str, Any]]:
    """What the map's script shows when a point is clicked (no markup: it builds text nodes)."""
    keys = ("doc_id", "local_id", "type", "trigger", "when_value", "actor_text", "recipient_text", "where_text",
            "site", "title", "published", "evidence")
    return [{"place": p.place, "events": [{k: e.get(k) for k in keys} for e in p.events]} for p in points]
