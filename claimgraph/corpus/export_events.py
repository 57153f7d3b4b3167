"""The event table: one row per event in the column layout conflict-event researchers load into
R and pandas (ACLED-like: date, actor, target, type, place, coordinates and their precision,
outlet, who says so, URL, the sentence).

Why a table of its own and not the ``events.csv`` of the CSV export: that one is the store's
table (local ids, no coordinates, no sentence); this one is joined, flat and typed, every column
documented in :data:`COLUMNS` with its dtype::

    import pandas as pd
    from claimgraph.corpus.export_events import PANDAS_DTYPES
    events = pd.read_csv("events.csv", dtype=PANDAS_DTYPES, keep_default_na=False, na_values=[""])

In R: ``read.csv("events.csv", na.strings = "", colClasses = c(lat = "numeric", lon = "numeric"))``.
Empty cells are missing values. ``date`` is an ISO 8601 prefix as the text gives it ("2025",
"2025-01", "2025-01-14"), kept as a string: a year is not the first of January.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from sqlalchemy import and_, select

from claimgraph.corpus import schema as s
from claimgraph.corpus.store import Store

#: the columns in order, with their dtype (pandas names) and meaning
COLUMNS: dict[str, tuple[str, str]] = {
    "event_id": ("string", "DOC_ID#LOCAL_ID: the event in its document"),
    "date": ("string", "ISO 8601 date or prefix (2025, 2025-01, 2025-01-14); empty when undated"),
    "type": ("string", "PLOVER root type (ASSAULT, PROTEST, ...)"),
    "trigger": ("string", "the words that name the event"),
    "actor": ("string", "who acts, as the text names them"),
    "actor_id": ("string", "the actor's corpus entity id (ce-...)"),
    "target": ("string", "whom or what it is done to"),
    "target_id": ("string", "the target's corpus entity id"),
    "place": ("string", "where, as the text names it"),
    "place_id": ("string", "the place's corpus entity id"),
    "country": ("string", "ISO 3166-1 alpha-2 of the resolved place"),
    "lat": ("float64", "latitude of the resolved place (WGS84)"),
    "lon": ("float64", "longitude"),
    "precision": ("string", "point (a town), area (district, province), country, region, continent"),
    "modality": ("string", "asserted, negated, hedged, ... as the text reports it"),
    "outlet": ("string", "the publishing site"),
    "published": ("string", "the article's publication date (ISO 8601)"),
    "source": ("string", "who says so: the source of the claim that reports the event"),
    "source_type": ("string", "person, organization, anonymous, document, other"),
    "url": ("string", "the article's URL"),
    "doc_id": ("string", "the article's id in the store"),
    "sentence": ("string", "the sentence that reports the event"),
}
PANDAS_DTYPES: dict[str, str] = {name: dtype for name, (dtype, _) in COLUMNS.items()}


def _rows(store: Store) -> Iterator[dict[str, Any]]:
    e, d, c, de = s.events, s.documents, s.claims, s.doc_entities
    act, rec, whr = de.alias("tact"), de.alias("trec"), de.alias("twhr")
    query = (select(e, d.c.site, d.c.published, d.c.url, act.c.entity_id.label("actor_id"),
                    rec.c.entity_id.label("target_id"), whr.c.entity_id.label("place_id"), whr.c.lat, whr.c.lon,
                    whr.c.country, c.c.source_text, c.c.source_type)
             .select_from(e.join(d, e.c.doc_id == d.c.id)
                          .outerjoin(act, and_(act.c.doc_id == e.c.doc_id, act.c.local_id == e.c.actor_local))
                          .outerjoin(rec, and_(rec.c.doc_id == e.c.doc_id, rec.c.local_id == e.c.recipient_local))
                          .outerjoin(whr, and_(whr.c.doc_id == e.c.doc_id, whr.c.local_id == e.c.where_local))
                          .outerjoin(c, and_(c.c.doc_id == e.c.doc_id, c.c.local_id == e.c.claim_local)))
             .order_by(e.c.doc_id, e.c.start))
    current: str | None = None
    analysis: Mapping[str, Any] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(query).mappings():
            if r["doc_id"] != current:  # rows come per document: its analysis is read once
                current = str(r["doc_id"])
                analysis = store.analysis_json(current) or {}
            yield _row(dict(r), analysis)


def _row(r: Mapping[str, Any], analysis: Mapping[str, Any]) -> dict[str, Any]:
    geo = next((x.get("geo") or {} for x in analysis.get("entities") or []
                if isinstance(x, Mapping) and x.get("id") == r["where_local"]), {})
    sentence = next((str(x["text"]).strip() for x in analysis.get("sentences") or []
                     if x["start"] <= int(r["start"]) < x["end"]), "")
    return {"event_id": f"{r['doc_id']}#{r['local_id']}", "date": r["when_value"], "type": r["type"],
            "trigger": r["trigger"], "actor": r["actor_text"], "actor_id": r["actor_id"],
            "target": r["recipient_text"], "target_id": r["target_id"], "place": r["where_text"],
            "place_id": r["place_id"], "country": r["country"], "lat": r["lat"], "lon": r["lon"],
            "precision": geo.get("precision") if isinstance(geo, Mapping) else None, "modality": r["modality"],
            "outlet": r["site"], "published": r["published"], "source": r["source_text"],
            "source_type": r["source_type"], "url": r["url"], "doc_id": r["doc_id"],
            "sentence": " ".join(sentence.split())}


def export_event_table(store: Store, dest: Path | IO[str]) -> str:
    """Every event as one row of :data:`COLUMNS` (CSV, UTF-8, a header row, empty = missing)."""
    fh = dest.open("w", encoding="utf-8", newline="") if isinstance(dest, Path) else dest
    n = 0
    try:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        for row in _rows(store):
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
            n += 1
    finally:
        if isinstance(dest, Path):
            fh.close()
    return f"{n} events as an event table (CSV)"
