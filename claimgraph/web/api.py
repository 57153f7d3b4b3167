"""The REST API under ``/api``: the corpus as JSON, for scripts and for the pages' own scripts.

Why it is thin: every answer comes from :mod:`claimgraph.corpus` (the queries the CLI and the
Python API use), so a number on a page, in ``claimgraph claims --json`` and here is the same
number. This module only checks parameters, pages the results and maps failures to HTTP
statuses. Lists are pages ``{"items", "total", "limit", "offset"}``; ``total`` is ``null``
only where the list is decided after the query (single-source claims, search, a timeline).
Only ``POST /api/analyze`` computes and only the entity corrections write.
"""

from __future__ import annotations

import threading
import weakref
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.exc import OperationalError

from claimgraph.corpus import browse, filters, queries
from claimgraph.corpus import merge_log as corrections
from claimgraph.corpus.api import Corpus
from claimgraph.corpus.deadline import QueryTimeout
from claimgraph.corpus.disagreements import disagreements as find_disagreements
from claimgraph.corpus.filters import ISO_PREFIX, MAX_OFFSET, SOURCE_TYPES
from claimgraph.corpus.link import Linker
from claimgraph.corpus.profile import members_of
from claimgraph.corpus.resolve import ResolveError
from claimgraph.corpus.search import QueryTooComplex
from claimgraph.corpus.store import Store
from claimgraph.model import ENTITY_TYPES, EVENT_TYPES
from claimgraph.web.analyze import OPENAPI_BODY, AnalyzeRequest, AnalyzeWorker
from claimgraph.web.deps import get_corpus
from claimgraph.web.security import is_loopback, same_origin

router = APIRouter(tags=["api"])

T = TypeVar("T")
#: search pages by asking each index for offset + limit rows: this bounds it

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page (1–500).")]
#: the largest offset of a counted list: far past any store, far below SQLite's 64-bit integers
MAX_LIST_OFFSET = 1_000_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_LIST_OFFSET, description=f"Items to skip (at most {MAX_LIST_OFFSET}).")]
BoundedOffset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"Items to skip (at most {MAX_OFFSET}).")]
CorpusDep = Annotated[Corpus, Depends(get_corpus)]


class Page(BaseModel, Generic[T]):
    """One page of a list; ``total`` is null when the list is not counted."""

    items: list[T]
    total: int | None
    limit: int
    offset: int


class DocumentSummary(BaseModel):
    id: str
    title: str | None
    site: str | None
    url: str | None
    published: str | None
    source: str
    entities: int
    claims: int
    events: int


class EntitySummary(BaseModel):
    id: str
    name: str
    type: str
    aliases: list[str]
    documents: int
    mentions: int


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    into: str = Field(description="The corpus entity to keep.")
    from_: str = Field(alias="from", description="The corpus entity folded into it.")
    reason: str = Field("user", max_length=500, description="Recorded in the merge log.")


class MergeResult(BaseModel):
    log_index: int = Field(description="The merge's entry in the log (`claimgraph entities undo N` reverses it).")
    entity: EntitySummary


class SplitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entity_id: str
    members: list[str] = Field(min_length=1, description="Members to move out, DOC_ID#LOCAL_ID (see "
                                                         "/api/entities/{id}/members).")
    reason: str = Field("user", max_length=500)


class SplitResult(BaseModel):
    new_id: str
    log_index: int = Field(description="The split's entry in the log (what `POST /api/entities/undo` takes).")
    entity: EntitySummary
    new_entity: EntitySummary


class UndoRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    log_index: int = Field(ge=0, description="The log entry to reverse (see /api/merges).")
    reason: str = Field("user", max_length=500, description="Recorded in the merge log.")


class UndoResult(BaseModel):
    log_index: int = Field(description="The undo's own entry in the log.")
    undone: int = Field(description="The entry it reversed.")
    action: str = Field(description="What that entry was: merge, split or resolve (an automatic link).")
    entity_id: str | None = Field(description="The entity to look at now: a merge's kept entity, a split's "
                                              "original one.")
    entities: list[EntitySummary] = Field(description="The entities the undo touched that still exist.")


class LogEntry(BaseModel):
    index: int = Field(description="Its position in the whole log: what undo takes.")
    id: int
    at: str
    action: str = Field(description="merge, split or undo (resolve: an automatic link, with all=true).")
    by: str = Field(description="user or auto.")
    entity_id: str | None = Field(description="Where the entry moved members to (for an undo: of the entry "
                                              "it reversed).")
    other_id: str | None = Field(description="Where they came from.")
    target: int | None = Field(description="For an undo, the index of the entry it reversed.")
    members: int | None = Field(description="How many document entities it moved.")
    reason: str
    undone: bool


def _store(corpus: Corpus) -> Store:
    return corpus.store


def _page(items: list[Any], limit: int, offset: int, total: int | None = None) -> dict[str, Any]:
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _one_of(value: str | None, choices: tuple[str, ...], what: str, *, upper: bool = False) -> str | None:
    """A filter value checked against its choices (the CLI's own definition in
    :mod:`claimgraph.corpus.filters`): a typo is a 422 that lists them, not an empty list."""
    try:
        return filters.one_of(value, choices, what, upper=upper)
    except filters.FilterError as exc:
        raise HTTPException(422, str(exc)) from None


def _date(value: str | None, what: str) -> str | None:
    """A date filter checked as the CLI checks it: "2025-13" is a 422, not an empty list."""
    try:
        return filters.date_prefix(value, what)
    except filters.FilterError as exc:
        raise HTTPException(422, str(exc)) from None


# -- documents ------------------------------------------------------------------------------------------

@router.get("/documents", response_model=Page[DocumentSummary], summary="Documents, latest first")
def documents(corpus: CorpusDep, limit: Limit = 50, offset: Offset = 0,
              site: Annotated[str | None, Query(description="Only this outlet.")] = None) -> dict[str, Any]:
    """Every stored article with its counts of entities, claims and events."""
    store = _store(corpus)
    return _page(browse.list_documents(store, limit=limit, offset=offset, site=site), limit, offset,
                 browse.count_documents(store, site=site))


@router.get("/documents/{doc_id}", response_model=dict[str, Any], summary="One document: the contract object")
def document(doc_id: str, corpus: CorpusDep) -> dict[str, Any]:
    """The stored ``claimgraph.document/1`` object (text, entities, dates, claims, events,
    relations, with spans into the text), plus ``source``, ``site``, ``ingested_at`` and
    ``pipeline_version``."""
    found = browse.get_document(_store(corpus), doc_id)
    if found is None:
        raise HTTPException(404, f"no document {doc_id!r}")
    return found


# -- entities -------------------------------------------------------------------------------------------

@router.get("/entities", response_model=Page[EntitySummary], summary="Corpus entities")
def entities(corpus: CorpusDep, limit: Limit = 50, offset: Offset = 0,
             q: Annotated[str | None, Query(max_length=200, description="A substring of the name or an alias.")]
             = None,
             type: Annotated[str | None, Query(description="An OntoNotes type: " + ", ".join(ENTITY_TYPES))] = None,
             order: Annotated[str, Query(pattern="^(mentions|documents|name)$",
                                         description="mentions (default), documents or name.")] = "mentions",
             ) -> dict[str, Any]:
    """Actors merged across documents, the most mentioned first."""
    store = _store(corpus)
    kind = _one_of(type, ENTITY_TYPES, "entity type", upper=True)
    return _page(browse.list_entities(store, q=q, type=kind, limit=limit, offset=offset, order=order), limit, offset,
                 browse.count_entities(store, q=q, type=kind))


@router.get("/entities/profile", response_model=dict[str, Any], summary="An entity's profile, by name")
def profile_by_name(corpus: CorpusDep, name: Annotated[str, Query(min_length=1, max_length=200,
                                                                  description="A name, alias, acronym or surname.")],
                    ) -> dict[str, Any]:
    """Aliases, documents, co-occurring entities, relations, events, claims by it and about it."""
    found = corpus.entity(name)
    if found is None:
        raise HTTPException(404, f"no entity called {name!r}")
    return found


@router.get("/entities/{entity_id}", response_model=dict[str, Any], summary="An entity's profile, by id")
def entity(entity_id: str, corpus: CorpusDep) -> dict[str, Any]:
    """The profile of one corpus entity (as ``/api/entities/profile``)."""
    found = browse.entity_profile_by_id(_store(corpus), entity_id)
    if found is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return found


@router.get("/entities/{entity_id}/members", response_model=list[dict[str, Any]],
            summary="The document entities merged into one corpus entity")
def members(entity_id: str, corpus: CorpusDep) -> list[dict[str, Any]]:
    """Each member as ``DOC_ID#LOCAL_ID`` with the name it had and why it was linked: what a split names."""
    store = _store(corpus)
    if browse.entity_by_id(store, entity_id) is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return members_of(store, entity_id)


@router.get("/graph", response_model=dict[str, list[dict[str, Any]]], summary="Actors and their ties")
def graph(corpus: CorpusDep,
          entity_id: Annotated[str | None, Query(description="Its neighbourhood; the whole corpus when absent.")]
          = None,
          limit: Annotated[int, Query(ge=1, le=300, description="Nodes at most.")] = 60) -> dict[str, Any]:
    """Nodes (id, name, type, docs) and edges (relation or co-mention, with a weight)."""
    store = _store(corpus)
    if entity_id is not None and browse.entity_by_id(store, entity_id) is None:
        raise HTTPException(404, f"no entity {entity_id!r}")
    return browse.graph(store, entity_id=entity_id, limit=limit)


# -- claims, events, search ------------------------------------------------------------------------------

@router.get("/claims", response_model=Page[dict[str, Any]], summary="Claims with their sources")
def claims(corpus: CorpusDep, limit: Limit = 50, offset: BoundedOffset = 0,
           source: Annotated[str | None, Query(max_length=200, description="Who says it (an entity or source "
                                                                          "words).")] = None,
           about: Annotated[str | None, Query(max_length=200, description="An entity the content mentions.")] = None,
           source_type: Annotated[str | None, Query(description="One of " + ", ".join(SOURCE_TYPES))] = None,
           single_source: Annotated[bool, Query(description="Only claims one outlet or one source stands "
                                                            "behind.")] = False,
           order: Annotated[str, Query(pattern="^(date|corroboration)$",
                                       description="date (default) or corroboration: the most reported first.")]
           = "date",
           multi_word: Annotated[bool, Query(description="Leave out one-word contents.")] = False,
           ) -> dict[str, Any]:
    """Claims in publication order (or the most corroborated first), each with the outlets
    reporting it and whether one source stands behind it. ``total`` is null with
    ``single_source`` (decided per group after the query)."""
    kind = _one_of(source_type, SOURCE_TYPES, "source type")
    rows = corpus.claims(source=source, about=about, source_type=kind, single_source=single_source,
                         limit=limit, offset=offset, order=order, multi_word=multi_word)
    total = None if single_source else queries.count_claims(_store(corpus), source=source, about=about,
                                                             source_type=kind, multi_word=multi_word)
    return _page(rows, limit, offset, total)


@router.get("/events", response_model=Page[dict[str, Any]], summary="Events")
def events(corpus: CorpusDep, limit: Limit = 50, offset: BoundedOffset = 0,
           type: Annotated[str | None, Query(description="A PLOVER root type: " + ", ".join(EVENT_TYPES))] = None,
           actor: Annotated[str | None, Query(max_length=200, description="Who acts.")] = None,
           place: Annotated[str | None, Query(max_length=200, description="Where.")] = None,
           since: Annotated[str | None, Query(pattern=ISO_PREFIX, description="From this date (2018, 2025-03).")]
           = None,
           until: Annotated[str | None, Query(pattern=ISO_PREFIX, description="Up to this date, inclusive.")]
           = None) -> dict[str, Any]:
    """Events in date order (undated ones last), with who, whom, where and the document."""
    kind = _one_of(type, EVENT_TYPES, "event type", upper=True)
    chosen: dict[str, Any] = {"type": kind, "actor": actor, "place": place, "since": _date(since, "since"),
                              "until": _date(until, "until")}
    rows = corpus.events(**chosen, limit=limit, offset=offset)
    return _page(rows, limit, offset, queries.count_events(_store(corpus), **chosen))


@router.get("/disagreements", response_model=Page[dict[str, Any]],
            summary="Incidents and claim groups whose versions differ")
def disagreements(corpus: CorpusDep, limit: Annotated[int, Query(ge=1, le=100, description="Groups per page.")] = 20,
                  offset: BoundedOffset = 0,
                  kind: Annotated[str | None, Query(pattern="^(event|claim)$", description="event (incidents) or "
                                                    "claim (claim groups); both when absent.")] = None,
                  differing: Annotated[bool, Query(description="Only groups whose numbers or sources differ.")]
                  = False) -> dict[str, Any]:
    """Each incident (an event reported by several documents) and claim group with its versions
    side by side: outlet, date, source, casualty numbers (``counts``), wording; ``tolls`` lists
    each number with who gives it. Groups whose numbers differ come first, then those whose
    sources differ."""
    groups, total = find_disagreements(_store(corpus), kind=kind, differing=differing, limit=limit, offset=offset)
    return _page(groups, limit, offset, total)


@router.get("/timeline", response_model=Page[dict[str, Any]], summary="An entity's events in date order")
def timeline(corpus: CorpusDep, name: Annotated[str, Query(min_length=1, max_length=200)], limit: Limit = 50,
             offset: BoundedOffset = 0) -> dict[str, Any]:
    """Every event the entity takes part in, as actor, recipient or place."""
    store = _store(corpus)
    if not queries.find_entities(store, name, limit=1):
        raise HTTPException(404, f"no entity called {name!r}")
    rows = queries.events(store, involving=name, limit=limit, offset=offset)
    return _page(rows, limit, offset)


@router.get("/search", response_model=Page[dict[str, Any]], summary="Search entities, articles and claims")
def search(corpus: CorpusDep, q: Annotated[str, Query(min_length=1, max_length=500,
                                                      description=queries.SEARCH_HELP)],
           limit: Limit = 50, offset: BoundedOffset = 0) -> dict[str, Any]:
    """Entities whose name contains ``q``, then articles and claims matching it (best first);
    each item has a ``kind``: entity, document or claim."""
    store = _store(corpus)
    n = offset + limit
    try:
        found = queries.search(store, q, limit=n)
    except QueryTooComplex as exc:
        raise HTTPException(422, f"{q[:80]!r}: {exc}") from None
    except QueryTimeout as exc:
        raise HTTPException(504, f"{q[:80]!r}: {exc}; use fewer or rarer words") from None
    except OperationalError:
        raise HTTPException(422, f"{q[:80]!r} is not a valid search query") from None
    ents = [{"kind": "entity", "entity_id": e["id"], "name": e["name"], "type": e["type"],
             "documents": e["documents"]} for e in browse.list_entities(store, q=q, limit=n)]
    docs = [r for r in found if r["kind"] == "document"]
    claims_found = [r for r in found if r["kind"] == "claim"]
    return _page((ents + docs + claims_found)[offset:n], limit, offset)


@router.get("/stats", response_model=dict[str, Any], summary="Corpus statistics")
def stats(corpus: CorpusDep) -> dict[str, Any]:
    """Counts of every layer, claims by source type, events by type, anonymous share per outlet."""
    return corpus.stats()


# -- computing and correcting -----------------------------------------------------------------------------

def require_json(request: Request) -> None:
    """The writing endpoints take JSON only, and only from a page of this server: a form on
    another site can post neither JSON nor, past the Origin check, to here."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json":
        raise HTTPException(415, "send the body as application/json")
    origin = request.headers.get("origin")
    if origin is not None and not same_origin(origin, request.url.scheme, request.headers.get("host", "")):
        raise HTTPException(403, "cross-origin request refused")


@router.post("/analyze", response_model=dict[str, Any], summary="Analyse one article",
             dependencies=[Depends(require_json)], openapi_extra=OPENAPI_BODY,
             responses={413: {"description": "Body over the size limit"},
                        503: {"description": "Too many analyses waiting"},
                        504: {"description": "Analysis over the time limit"}})
async def analyze(request: Request) -> dict[str, Any]:
    """One article in (``text`` or ``html``, with ``url``, ``title``, ``published``, ``site``),
    its ``claimgraph.document/1`` object out. Nothing is stored."""
    worker: AnalyzeWorker = request.app.state.analyze_worker
    body = await worker.read_body(request)
    try:
        req = AnalyzeRequest.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_context=False)) from None
    return await worker.analyze(req)


def _may_correct(request: Request) -> None:
    """Corrections need the token when one is set (the gate has checked it by now); without one,
    only a client on this machine may make them."""
    if request.app.state.token:
        return
    client = request.client.host if request.client else None
    if client is not None and not is_loopback(client):
        raise HTTPException(403, "entity corrections without a token are allowed from this machine only")


_correct_lock = threading.Lock()
#: one linker per served store, built at the first correction: building it reads every linked
#: document entity (seconds at 100k documents), and a kept one catches up with what ingests in
#: other processes linked meanwhile (see :class:`claimgraph.corpus.link.Linker`)
_linkers: weakref.WeakKeyDictionary[Store, Any] = weakref.WeakKeyDictionary()


def _correct(store: Store, action: Any) -> Any:
    with _correct_lock:
        linker = _linkers.get(store)
        if linker is None:
            linker = _linkers[store] = Linker(store)
        try:
            return action(linker)
        except Exception as exc:
            _linkers.pop(store, None)  # its resolver may no longer match the store: rebuild next time
            if isinstance(exc, ResolveError):
                raise HTTPException(422, str(exc)) from None
            raise


@router.post("/entities/merge", response_model=MergeResult, summary="Merge one entity into another",
             dependencies=[Depends(require_json), Depends(_may_correct)])
def merge(body: MergeRequest, corpus: CorpusDep) -> dict[str, Any]:
    """Fold entity ``from`` into ``into``: recorded in the merge log, reversible."""
    store = _store(corpus)
    for eid in (body.into, body.from_):
        if browse.entity_by_id(store, eid) is None:
            raise HTTPException(404, f"no entity {eid!r}")
    index = _correct(store, lambda linker: linker.merge(body.into, body.from_, body.reason))
    return {"log_index": index, "entity": browse.entity_by_id(store, body.into)}


@router.post("/entities/split", response_model=SplitResult, summary="Split members out of an entity",
             dependencies=[Depends(require_json), Depends(_may_correct)])
def split(body: SplitRequest, corpus: CorpusDep) -> dict[str, Any]:
    """Move some document mentions of an entity into a new entity: recorded, reversible."""
    store = _store(corpus)
    if browse.entity_by_id(store, body.entity_id) is None:
        raise HTTPException(404, f"no entity {body.entity_id!r}")
    new_id, index = _correct(store, lambda linker: (linker.split(body.entity_id, body.members, body.reason),
                                                    linker.log_size() - 1))
    return {"new_id": new_id, "log_index": index, "entity": browse.entity_by_id(store, body.entity_id),
            "new_entity": browse.entity_by_id(store, new_id)}


@router.post("/entities/undo", response_model=UndoResult, summary="Undo a merge, a split or a link",
             dependencies=[Depends(require_json), Depends(_may_correct)])
def undo(body: UndoRequest, corpus: CorpusDep) -> dict[str, Any]:
    """Reverse log entry ``log_index`` (as ``claimgraph entities undo N``): the undo is logged
    too, and members that later corrections moved elsewhere stay where they are. 404 for an
    index past the log, 422 for an entry already undone or itself an undo."""
    store = _store(corpus)

    def action(linker: Linker) -> tuple[int, str, dict[str, Any]]:
        entry = linker.log_entry(body.log_index)
        if entry is None and body.log_index >= 0:
            raise HTTPException(404, f"no log entry {body.log_index} (the log has {linker.log_size()})")
        if entry is None:
            raise HTTPException(422, f"no log entry {body.log_index}")
        return linker.undo(body.log_index, body.reason), entry.op, dict(entry.data)

    new, op, data = _correct(store, action)
    touched = [str(data[k]) for k in ("into", "from") if k in data]
    touched += [str(d["corpus_id"]) for d in data.get("decisions", ()) if str(d["corpus_id"]) not in touched]
    found = [e for e in (browse.entity_by_id(store, eid) for eid in touched) if e is not None]
    look = data.get("into") if op == "merge" else data.get("from") if op == "split" else None
    return {"log_index": new, "undone": body.log_index, "action": op, "entity_id": look, "entities": found}


@router.get("/merges", response_model=Page[LogEntry], summary="The log of entity corrections")
def merges(corpus: CorpusDep, limit: Limit = 50, offset: Offset = 0,
           links: Annotated[bool, Query(alias="all", description="Include the automatic links (one entry per "
                                                                 "document).")] = False) -> dict[str, Any]:
    """Merges, splits and undos, the latest first, each with the ``index`` that
    ``POST /api/entities/undo`` takes and whether it has been undone."""
    items, total = corrections.log_page(_store(corpus), limit=limit, offset=offset, everything=links)
    return _page(items, limit, offset, total)
