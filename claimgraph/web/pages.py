"""The server-rendered pages: home, search, entity, document, claims explorer, events, graph.

Why server-rendered: everything a page shows is in its HTML, so it works without JavaScript,
prints, and is tested over plain HTTP; the small scripts in ``static/`` only add details on
hover, the map's click panel and the entity page's corrections (merge, split, undo: the one
thing the UI writes, through the API, so without a script that panel only says it needs one).
Templates autoescape everything; the one piece of markup built in Python (an article's
highlighted text) escapes each piece of text itself (see :mod:`claimgraph.web.highlight`).
Unknown ids answer 404 with an HTML page of our own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.exc import DBAPIError

from claimgraph.corpus import browse, queries
from claimgraph.corpus import merge_log as corrections
from claimgraph.corpus.api import Corpus
from claimgraph.corpus.deadline import QueryTimeout
from claimgraph.corpus.disagreements import GROUP_KINDS
from claimgraph.corpus.disagreements import disagreements as find_disagreements
from claimgraph.corpus.filters import SOURCE_TYPES
from claimgraph.corpus.search import QueryTooComplex
from claimgraph.model import ENTITY_TYPES, EVENT_TYPES
from claimgraph.web import views
from claimgraph.web.basemap import basemap, extent_for
from claimgraph.web.deps import get_corpus
from claimgraph.web.graphview import elements
from claimgraph.web.highlight import claims_by_source, highlight, own_assertions
from claimgraph.web.layout import layout
from claimgraph.web.mapdata import map_data

TEMPLATES = Path(__file__).parent / "templates"
#: the kinds of source a claim can have, in the order the filters list them

#: bounds of the pages' numeric parameters: past them a 422 page, never a 64-bit overflow in SQL
MAX_PAGE_NO = 10_000_000
MAX_LOG_INDEX = 1_000_000_000
#: entity types that count as actors on the home page and the graph
ACTOR_TYPES = ("PERSON", "ORG", "NORP")

env = Environment(loader=FileSystemLoader(TEMPLATES),
                  autoescape=select_autoescape(default=True, default_for_string=True))
env.globals["safe_url"] = views.safe_url
env.globals["snippet"] = views.snippet
templates = Jinja2Templates(env=env)
router = APIRouter(include_in_schema=False)
CorpusDep = Annotated[Corpus, Depends(get_corpus)]


def page(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def not_found(request: Request, what: str) -> HTMLResponse:
    return page(request, "not_found.html", {"what": what, "title": "Not found"}, status_code=404)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, corpus: CorpusDep) -> HTMLResponse:
    store = corpus.store
    by_type = browse.claims_by_source_type(store)
    total = sum(by_type.values()) or 1
    shares = [{"type": k, "count": v, "share": v / total} for k, v in by_type.items()]
    actors = [e for e in browse.top_entities(store, limit=40) if e["type"] in ACTOR_TYPES][:10]
    return page(request, "home.html", {
        "title": "Corpus", "stats": corpus.stats(), "latest": browse.latest_documents(store, limit=8),
        "actors": actors, "shares": shares})


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, corpus: CorpusDep, q: str = "") -> HTMLResponse:
    q = q.strip()[:200]
    entities: list[dict[str, Any]] = []
    hits: list[dict[str, Any]] = []
    error = None
    if q:
        entities = browse.list_entities(corpus.store, q=q, limit=30)
        try:
            hits = corpus.search(q, limit=30)
        except (QueryTooComplex, QueryTimeout) as exc:
            error = f"The full-text search refused this query: {exc}."
        except DBAPIError:
            error = "The full-text search could not read this query; try plain words."
    return page(request, "search.html", {
        "title": f"Search: {q}" if q else "Search", "q": q, "entities": entities, "error": error,
        "documents": [h for h in hits if h["kind"] == "document"],
        "claims": [h for h in hits if h["kind"] == "claim"]})


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, corpus: CorpusDep,
              page_no: Annotated[int, Query(ge=1, le=MAX_PAGE_NO)] = 1) -> HTMLResponse:
    per = 50
    total = browse.count_documents(corpus.store)
    docs = browse.list_documents(corpus.store, limit=per, offset=(page_no - 1) * per)
    return page(request, "documents.html", {"title": "Documents", "docs": docs, "page_no": page_no,
                                            "pages": max(1, -(-total // per)), "total": total})


#: the entity list's orders: what the entities table counts (claims and events per entity would
#: cost a join over every claim and event of the corpus per page)
ENTITY_ORDERS = ("documents", "mentions", "name")
ENTITIES_PER_PAGE = 50


@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request, corpus: CorpusDep, q: str = "", type: str = "", order: str = "documents",
             page_no: Annotated[int, Query(ge=1, le=MAX_PAGE_NO)] = 1) -> HTMLResponse:
    """Every corpus entity, by type, most documented first; the search box filters as one types
    (through ``/api/entities``) and without a script on submit."""
    q = q.strip()[:200]
    kind = type.upper() if type.upper() in ENTITY_TYPES else ""
    order = order if order in ENTITY_ORDERS else "documents"
    store, per = corpus.store, ENTITIES_PER_PAGE
    total = browse.count_entities(store, q=q or None, type=kind or None)
    rows = browse.list_entities(store, q=q or None, type=kind or None, order=order, limit=per,
                                offset=(page_no - 1) * per)
    return page(request, "entities.html", {
        "title": "Entities", "rows": rows, "total": total, "page_no": page_no, "pages": max(1, -(-total // per)),
        "filters": {"q": q, "type": kind, "order": order}, "types": sorted(ENTITY_TYPES), "orders": ENTITY_ORDERS,
        "per": per})


@router.get("/entity/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, corpus: CorpusDep, entity_id: str,
           log: Annotated[int | None, Query(ge=0, le=MAX_LOG_INDEX)] = None) -> HTMLResponse:
    """``log``: the correction just made through this page's panel, said in a notice with its Undo."""
    store = corpus.store
    ent = browse.entity_by_id(store, entity_id)
    if ent is None:
        return not_found(request, f"No entity with id {entity_id}")
    found = views.entity_layers(corpus, ent)
    events = found["events"]
    geo = browse.entity_geo(store, entity_id) if ent["type"] in ("GPE", "LOC", "FAC") else None
    pin = None
    if geo:
        pmap = basemap(extent_for([geo], width=360, height=240, min_span=12), width=360, height=240, cells_across=90)
        pin = {"map": pmap, "x": pmap.projection.x(geo[1]), "y": pmap.projection.y(geo[0]), "lat": geo[0],
               "lon": geo[1]}
    around = browse.graph(store, entity_id=entity_id, limit=20)
    drawing = layout(around, width=640, height=420, focus=entity_id, labels=20)
    members, member_total = corrections.members(store, entity_id)
    return page(request, "entity.html", {
        "title": ent["name"], "ent": ent, "pin": pin, "graph": drawing, "members": members,
        "interactive": elements(store, around, drawing), "source_types": SOURCE_TYPES,
        "member_total": member_total, "token": bool(request.app.state.token),
        "notice": corrections.notice(store, entity_id, log) if log is not None and log >= 0 else None,
        "claims_by": found["claims_by"], "claims_about": found["claims_about"], "relations": found["relations"],
        "timeline": views.timeline(events, zoom="month"), "events": events,
        "docs": browse.entity_documents(store, entity_id, limit=100)})


@router.get("/document/{doc_id}", response_class=HTMLResponse)
def document(request: Request, corpus: CorpusDep, doc_id: str) -> HTMLResponse:
    obj = browse.get_document(corpus.store, doc_id)
    if obj is None:
        return not_found(request, f"No document with id {doc_id}")
    links = browse.entity_links(corpus.store, doc_id)
    marked = highlight(obj, links)
    own, own_share = own_assertions(obj)
    counts = {"entities": len(obj.get("entities", [])), "claims": len(obj.get("claims", [])),
              "events": len(obj.get("events", []))}
    return page(request, "document.html", {
        "title": obj["document"].get("title") or doc_id, "doc": obj["document"], "meta": obj, "counts": counts,
        "text": marked.html, "details": marked.details, "by_source": claims_by_source(obj),
        "own": own, "own_share": own_share, "has_sentences": bool(obj.get("sentences"))})


#: claims per page of the explorer
CLAIMS_PER_PAGE = 100


@router.get("/claims", response_class=HTMLResponse)
def claims(request: Request, corpus: CorpusDep, source: str = "", about: str = "", source_type: str = "",
           single_source: str = "", sort: str = "date", short: str = "",
           page_no: Annotated[int, Query(ge=1, le=MAX_PAGE_NO)] = 1) -> HTMLResponse:
    """Claims a page at a time, by date or the most corroborated (most reported) first;
    ``short=hide`` leaves out one-word contents."""
    on = ("1", "on", "true", "yes")
    filters = {"source": source.strip()[:200], "about": about.strip()[:200],
               "source_type": source_type if source_type in SOURCE_TYPES else "",
               "single_source": single_source in on, "short": "hide" if short in (*on, "hide") else "",
               "sort": "outlets" if sort == "outlets" else "date"}
    per = CLAIMS_PER_PAGE
    asked: dict[str, Any] = {"source": filters["source"] or None, "about": filters["about"] or None,
                             "source_type": filters["source_type"] or None, "multi_word": bool(filters["short"])}
    rows = corpus.claims(**asked, single_source=bool(filters["single_source"]), limit=per, offset=(page_no - 1) * per,
                         order="corroboration" if filters["sort"] == "outlets" else "date")
    total = None if filters["single_source"] else queries.count_claims(corpus.store, **asked)
    pages = max(1, -(-total // per)) if total is not None else page_no + (1 if len(rows) == per else 0)
    params = {k: ("1" if v is True else v) for k, v in filters.items() if v}
    return page(request, "claims.html", {
        "title": "Claims", "filters": filters, "count": len(rows), "total": total, "page_no": page_no,
        "pages": pages, "params": params,
        "groups": views.group_claims(rows, by_outlets=filters["sort"] == "outlets"),
        "source_types": SOURCE_TYPES})


DISAGREEMENTS_PER_PAGE = 20


@router.get("/disagreements", response_class=HTMLResponse)
def disagreements(request: Request, corpus: CorpusDep, kind: str = "", differing: str = "",
                  page_no: Annotated[int, Query(ge=1, le=MAX_PAGE_NO)] = 1) -> HTMLResponse:
    """Incidents and claim groups with their versions side by side, differing numbers first."""
    chosen = kind if kind in GROUP_KINDS else ""
    only = differing in ("1", "on", "true", "yes")
    per = DISAGREEMENTS_PER_PAGE
    groups, total = find_disagreements(corpus.store, kind=chosen or None, differing=only, limit=per,
                                       offset=(page_no - 1) * per)
    params = {k: v for k, v in (("kind", chosen), ("differing", "1" if only else "")) if v}
    return page(request, "disagreements.html", {
        "title": "Disagreements", "groups": groups, "total": total, "page_no": page_no,
        "pages": max(1, -(-total // per)), "params": params, "kind": chosen, "differing": only,
        "kinds": GROUP_KINDS})


#: events the events page reads at most (its list shows the first 300, its map places them)
EVENTS_READ = 2000


@router.get("/events", response_class=HTMLResponse)
def events(request: Request, corpus: CorpusDep, zoom: str = "year", at: str = "", type: str = "") -> HTMLResponse:
    types = sorted(EVENT_TYPES)
    chosen = type.upper() if type.upper() in types else ""
    period = views.timeline([], zoom=zoom, at=at)  # the zoom and period, checked
    # the period's first events in date order (from the date index), the bars counted over them all
    rows = corpus.events(type=chosen or None, since=period.at or None, until=period.at or None, limit=EVENTS_READ)
    counts, undated = queries.event_buckets(corpus.store, width=views.ZOOMS[period.zoom], at=period.at,
                                            type=chosen or None)
    tl = views.with_counts(views.timeline(rows, zoom=period.zoom, at=period.at), counts, undated)
    in_period = [e for e in rows if not tl.at or str(e.get("when_value") or "").startswith(tl.at)]
    points = views.map_points(in_period)
    shown = list(dict.fromkeys(str(e["doc_id"]) for p in points for e in p.events))[:views.EVIDENCE_DOCS]
    views.evidence(points, browse.sentences(corpus.store, shown).get)
    bmap = basemap(extent_for([(p.lat, p.lon) for p in points], width=900, height=520), width=900, height=520,
                   cells_across=110)
    placed = [{"x": bmap.projection.x(p.lon), "y": bmap.projection.y(p.lat), "point": p, "n": n}
              for n, p in enumerate(points)]
    return page(request, "events.html", {
        "title": "Events", "tl": tl, "types": types, "type": chosen, "map": bmap, "points": placed,
        "points_json": views.point_json(points), "zooms": list(views.ZOOMS)})


_ISO_PREFIX = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, corpus: CorpusDep, since: str = "", until: str = "", type: str = "") -> HTMLResponse:
    """Events on an offline map of Natural Earth's borders (Leaflet, no tiles): at a town or
    district as clustered points, at a country's level as the shaded country; a date filter."""
    types = sorted(EVENT_TYPES)
    chosen = type.upper() if type.upper() in types else ""
    since = since.strip() if _ISO_PREFIX.fullmatch(since.strip()) else ""
    until = until.strip() if _ISO_PREFIX.fullmatch(until.strip()) else ""
    data = map_data(corpus.store, type=chosen or None, since=since or None, until=until or None)
    located = sum(len(p["events"]) for p in data["points"])
    in_countries = sum(len(c["events"]) for c in data["countries"].values())
    return page(request, "map.html", {
        "title": "Map", "data": data, "types": types, "type": chosen, "since": since, "until": until,
        "located": located, "in_countries": in_countries})


@router.get("/graph", response_class=HTMLResponse)
def graph(request: Request, corpus: CorpusDep, limit: int = 50) -> HTMLResponse:
    limit = min(max(limit, 5), 150)
    data = browse.graph(corpus.store, limit=limit, types=[*ACTOR_TYPES, "GPE"])
    data["edges"] = [e for e in data["edges"] if e["kind"] == "relation" or e["weight"] > 1]
    drawing = layout(data, width=1000, height=680, labels=35)
    kinds = sorted({n.type for n in drawing.nodes})
    return page(request, "graph.html", {"title": "Graph", "graph": drawing, "kinds": kinds, "limit": limit,
                                        "interactive": elements(corpus.store, data, drawing),
                                        "source_types": SOURCE_TYPES,
                                        "relations": [e for e in data["edges"] if e["kind"] == "relation"]})
