"""Where outlets and their sources disagree: for each incident (an event reported by several
documents) and each claim group, the versions side by side — outlet, date, source, the
casualty numbers, the wording — with the ones whose numbers or sources differ first.

Why incidents and not only event groups: the event groups of the store join reports whose
dates and places agree, and the point of this view is reports that do not quite agree ("a
police station" on the 15th, "the Jani Khel police station" on the 14th). So an incident joins
event groups with the other events of the same type, on the same or the next day, whose target
ends in the same words or is the same corpus entity; and a document's version of an incident
includes its claims near the event that give numbers (the police's "three", the militants' "11"
in one article). Numbers come from the events stage's stored ``counts`` when the analysis has
them, else from the wording (:mod:`claimgraph.corpus.casualties`).

Bounded: the latest :data:`MAX_EVENTS` events, :data:`MAX_ANALYSES` documents' analyses and the
:data:`MAX_CLAIM_GROUPS` most reported claim groups are considered, so the view costs about the
same on any store; the rest is in the CLI's ``events`` and
``claims`` lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from claimgraph.corpus import schema as s
from claimgraph.corpus.casualties import KINDS, counts_in, stored_counts, tally
from claimgraph.corpus.store import Store

MAX_EVENTS = 5000
MAX_CLAIM_GROUPS = 500
#: documents whose stored analysis is read (for the event's sentence and stored counts); past
#: them a version's wording is its claim's content or its trigger
MAX_ANALYSES = 400
#: a claim this close (characters) to one of the incident's events in a document, and nearer
#: to it than to any other event, is part of that document's version of it
NEAR = 800
#: kinds of disagreement list
GROUP_KINDS = ("event", "claim")
_ARTICLES = re.compile(r"^(the|a|an|its|their|his|her)\s+", re.I)


# -- reading ---------------------------------------------------------------------------------------------

def _events(store: Store) -> list[dict[str, Any]]:
    e, d, c, de = s.events, s.documents, s.claims, s.doc_entities
    rec = de.alias("drec")
    query = (select(e.c.doc_id, e.c.local_id, e.c.type, e.c.trigger, e.c.start, e.c.end, e.c.when_value,
                    e.c.where_text, e.c.actor_text, e.c.recipient_text, e.c.group_id,
                    rec.c.entity_id.label("recipient_entity"), d.c.site, d.c.published, d.c.url, d.c.title,
                    c.c.source_text, c.c.source_type, c.c.content.label("claim_content"))
             .select_from(e.join(d, e.c.doc_id == d.c.id)
                          .outerjoin(rec, (rec.c.doc_id == e.c.doc_id) & (rec.c.local_id == e.c.recipient_local))
                          .outerjoin(c, (c.c.doc_id == e.c.doc_id) & (c.c.local_id == e.c.claim_local)))
             .order_by(store.latest_first(d.c.published), e.c.doc_id, e.c.start).limit(MAX_EVENTS))
    with store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def _day(value: Any) -> date | None:
    text = str(value or "")
    if not re.match(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _target_tail(text: Any) -> str | None:
    """The last two words of a target ("the Jani Khel police station" -> "police station")."""
    words = re.findall(r"[a-z]+", _ARTICLES.sub("", str(text or "").lower()))
    return " ".join(words[-2:]) if len(words) >= 2 else None


class _Union:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def incidents(rows: Sequence[Mapping[str, Any]]) -> list[list[int]]:
    """Indices of ``rows`` (events) gathered into incidents reported by two or more documents."""
    union = _Union()
    first: dict[Any, int] = {}
    for i, r in enumerate(rows):
        union.find(i)
        if r.get("group_id"):
            union.join(i, first.setdefault(("g", r["group_id"]), i))
        day = _day(r.get("when_value"))
        if day is None:
            continue
        targets = [("e", r.get("recipient_entity")), ("t", _target_tail(r.get("recipient_text")))]
        for kind, target in targets:
            if not target:
                continue
            for d in (day - timedelta(days=1), day, day + timedelta(days=1)):  # a report a day off
                key = (str(r["type"]), kind, target, d.isoformat())
                if key in first:
                    union.join(i, first[key])
            first.setdefault((str(r["type"]), kind, target, day.isoformat()), i)
    _attach_casualties(rows, union)
    by_root: dict[int, list[int]] = {}
    for i in range(len(rows)):
        by_root.setdefault(union.find(i), []).append(i)
    return [ids for ids in by_root.values() if len({rows[i]["doc_id"] for i in ids}) > 1]


def _attach_casualties(rows: Sequence[Mapping[str, Any]], union: _Union) -> None:
    """An event whose own words give a toll ("killed 11 policemen") joins the incident of the
    nearest event of the same type in its document, within :data:`NEAR` characters: the
    article's telling of that incident, which carries no date or place of its own."""
    docs: dict[Any, set[Any]] = {}
    for i, r in enumerate(rows):
        docs.setdefault(union.find(i), set()).add(r["doc_id"])
    anchors: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for i, r in enumerate(rows):
        if len(docs[union.find(i)]) > 1:
            anchors.setdefault((str(r["doc_id"]), str(r["type"])), []).append((int(r["start"]), i))
    for i, r in enumerate(rows):
        if len(docs[union.find(i)]) > 1 or not counts_in(f"{r['trigger']} {r.get('recipient_text') or ''}"):
            continue
        near = anchors.get((str(r["doc_id"]), str(r["type"])), [])
        best = min(near, key=lambda p: abs(p[0] - int(r["start"])), default=None)
        if best is not None and abs(best[0] - int(r["start"])) <= NEAR:
            union.join(i, best[1])


def _sentence(obj: Mapping[str, Any] | None, start: int) -> str | None:
    if not obj:
        return None
    for sent in obj.get("sentences") or []:
        if sent["start"] <= start < sent["end"]:
            return str(sent["text"]).strip()
    return None


def _claims_near(store: Store, events: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per document, its claims within :data:`NEAR` characters of the given events."""
    c = s.claims
    docs = sorted({str(e["doc_id"]) for e in events})
    out: dict[str, list[dict[str, Any]]] = {}
    if not docs:
        return out
    with store.engine.connect() as conn:
        for r in conn.execute(select(c.c.doc_id, c.c.local_id, c.c.source_text, c.c.source_type, c.c.content,
                                     c.c.start).where(c.c.doc_id.in_(docs))).mappings():
            out.setdefault(str(r["doc_id"]), []).append(dict(r))
    return out


def _nearest_event(rows: Sequence[Mapping[str, Any]],
                   claims: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[tuple[str, str], int]:
    """Each claim's nearest event of its document (an index of ``rows``), when within
    :data:`NEAR` characters: an overview article tells of several incidents, and a claim's
    numbers belong to the one it stands next to."""
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for i, r in enumerate(rows):
        by_doc.setdefault(str(r["doc_id"]), []).append((int(r["start"]), i))
    out: dict[tuple[str, str], int] = {}
    for doc_id, found in claims.items():
        for claim in found:
            start = int(claim["start"])
            best = min(by_doc.get(doc_id, []), key=lambda p: abs(p[0] - start), default=None)
            if best is not None and abs(best[0] - start) <= NEAR:
                out[(doc_id, str(claim["local_id"]))] = best[1]
    return out


# -- versions and flags --------------------------------------------------------------------------------

def _version(doc: Mapping[str, Any], *, source: Any, source_type: Any, wording: str, counts: dict[str, int],
             ref: str) -> dict[str, Any]:
    return {"doc_id": doc["doc_id"], "site": doc.get("site"), "published": doc.get("published"),
            "url": doc.get("url"), "title": doc.get("title"), "source": source or None,
            "source_type": source_type or None, "wording": wording, "counts": counts, "ref": ref}


def _flags(versions: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Which numbers the versions give (per kind, each value with who gives it) and whether
    the numbers or the sources differ."""
    tolls: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for v in versions:
        for kind, number in v["counts"].items():
            tolls.setdefault(kind, {}).setdefault(number, []).append(
                {"site": v["site"], "source": v["source"], "doc_id": v["doc_id"], "ref": v["ref"]})
    sources = {str(v["source"]).lower() for v in versions if v["source"]}
    return {"tolls": {kind: [{"number": n, "by": by} for n, by in sorted(tolls[kind].items())]
                      for kind in KINDS if kind in tolls},
            "numbers_differ": any(len(values) > 1 for values in tolls.values()),
            "sources_differ": len(sources) > 1}


def event_disagreements(store: Store) -> list[dict[str, Any]]:
    """Every incident reported by two or more documents, with its versions and flags."""
    rows = _events(store)
    found = incidents(rows)
    # rows are latest first: the analyses (sentences, stored counts) of the latest documents are read
    docs = list(dict.fromkeys(str(rows[i]["doc_id"]) for i in sorted(i for ids in found for i in ids)))
    analyses = {doc_id: store.analysis_json(doc_id) for doc_id in docs[:MAX_ANALYSES]}
    stored = {(doc_id, str(e.get("id"))): stored_counts(e) for doc_id, obj in analyses.items() if obj
              for e in obj.get("events") or [] if isinstance(e, Mapping)}
    near = _claims_near(store, [rows[i] for ids in found for i in ids])
    nearest = _nearest_event(rows, near)
    out = []
    for ids in found:
        members = set(ids)
        events = sorted((rows[i] for i in ids), key=lambda r: (str(r.get("published") or ""), r["doc_id"], r["start"]))
        versions: list[dict[str, Any]] = []
        seen: set[tuple[str, str]] = set()
        for e in events:
            doc_id = str(e["doc_id"])
            wording = e.get("claim_content") or _sentence(analyses.get(doc_id), int(e["start"])) or str(e["trigger"])
            counts = stored.get((doc_id, str(e["local_id"]))) or tally(counts_in(wording))
            if (doc_id, wording) not in seen:
                seen.add((doc_id, wording))
                versions.append(_version(e, source=e.get("source_text"), source_type=e.get("source_type"),
                                         wording=wording, counts=counts, ref=f"event-{e['local_id']}"))
        for doc_id in sorted({str(e["doc_id"]) for e in events}):
            doc = next(e for e in events if str(e["doc_id"]) == doc_id)
            for claim in near.get(doc_id, []):
                if nearest.get((doc_id, str(claim["local_id"]))) not in members:
                    continue
                counts = tally(counts_in(str(claim["content"])))
                if not counts or (doc_id, str(claim["content"])) in seen:
                    continue
                seen.add((doc_id, str(claim["content"])))
                versions.append(_version(doc, source=claim["source_text"], source_type=claim["source_type"],
                                         wording=str(claim["content"]), counts=counts,
                                         ref=f"claim-{claim['local_id']}"))
        dates = sorted({str(e["when_value"]) for e in events if e.get("when_value")})
        head = events[0]
        out.append({"kind": "event", "id": str(head.get("group_id") or f"{head['doc_id']}#{head['local_id']}"),
                    "type": head["type"], "date": dates[0][:10] if dates else None,
                    "where": next((e["where_text"] for e in events if e.get("where_text")), None),
                    # the fullest naming of the target ("the Jani Khel police station", not "a police station")
                    "what": max((str(e["recipient_text"]) for e in events if e.get("recipient_text")), key=len,
                                default=str(head["trigger"])),
                    "outlets": sorted({str(e["site"]) for e in events if e.get("site")}),
                    "versions": versions, **_flags(versions)})
    return out


def claim_disagreements(store: Store) -> list[dict[str, Any]]:
    """Every claim group reported by two or more documents, with its reports as versions."""
    g, c, d = s.claim_groups, s.claims, s.documents
    with store.engine.connect() as conn:
        gids = [r[0] for r in conn.execute(select(g.c.id).where(g.c.reports > 1)
                                           .order_by(g.c.reports.desc(), g.c.id).limit(MAX_CLAIM_GROUPS))]
        rows = [dict(r) for r in conn.execute(
            select(c.c.group_id, c.c.doc_id, c.c.local_id, c.c.source_text, c.c.source_type, c.c.content,
                   d.c.site, d.c.published, d.c.url, d.c.title)
            .select_from(c.join(d, c.c.doc_id == d.c.id)).where(c.c.group_id.in_(gids))
            .order_by(store.earliest_first(d.c.published), c.c.doc_id, c.c.start)).mappings()] if gids else []
    by_group: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_group.setdefault(str(r["group_id"]), []).append(r)
    out = []
    for gid in gids:
        versions = [_version(r, source=r["source_text"], source_type=r["source_type"], wording=str(r["content"]),
                             counts=tally(counts_in(str(r["content"]))), ref=f"claim-{r['local_id']}")
                    for r in by_group.get(gid, [])]
        if len({v["doc_id"] for v in versions}) < 2:
            continue
        out.append({"kind": "claim", "id": gid, "type": "CLAIM",
                    "date": str(versions[0]["published"] or "")[:10] or None, "where": None,
                    "what": versions[0]["wording"], "outlets": sorted({str(v["site"]) for v in versions if v["site"]}),
                    "versions": versions, **_flags(versions)})
    return out


def _rank(group: Mapping[str, Any]) -> tuple[int, int, str]:
    """Differing numbers first, then differing sources, then the rest; newest first within."""
    flag = 0 if group["numbers_differ"] else 1 if group["sources_differ"] else 2
    stamp = str(group.get("date") or "")
    return (flag, -int(re.sub(r"\D", "", stamp[:10]) or 0), str(group["id"]))


def disagreements(store: Store, *, kind: str | None = None, differing: bool = False, limit: int = 20,
                  offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    """A page of incidents and claim groups with their versions, the ones whose numbers or
    sources differ first, and how many there are in all. ``kind``: event or claim only;
    ``differing``: only those whose numbers or sources differ."""
    if kind is not None and kind not in GROUP_KINDS:
        raise ValueError(f"no kind {kind!r}; one of {', '.join(GROUP_KINDS)}")
    groups: list[dict[str, Any]] = []
    if kind in (None, "event"):
        groups += event_disagreements(store)
    if kind in (None, "claim"):
        groups += claim_disagreements(store)
    if differing:
        groups = [x for x in groups if x["numbers_differ"] or x["sources_differ"]]
    groups.sort(key=_rank)
    return groups[offset:offset + limit], len(groups)


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def summary_rows(groups: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per version, for the CLI's table: the group, the outlet, the source, the numbers."""
    out = []
    for g in groups:
        flag = "numbers" if g["numbers_differ"] else "sources" if g["sources_differ"] else ""
        for v in g["versions"]:
            out.append({"group": g["id"], "kind": g["kind"], "date": g.get("date") or "", "differ": flag,
                        "outlet": v["site"] or "", "published": v["published"] or "", "source": v["source"] or "",
                        "numbers": ", ".join(f"{n} {k}" for k, n in v["counts"].items()),
                        "wording": _short(v["wording"])})
    return out
