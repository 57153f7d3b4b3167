"""What each claim group's reports add up to — how many, by which outlets, first when, resting
on how many sources, how many of them anonymous — kept in ``claim_groups`` as reports join.

Why stored and not counted when asked: a claim copied by a wire service may have thousands of
reports, and every profile, claims filter and corpus report shows the group of each claim it
lists. Counting them on each call made an entity's profile cost what its busiest claim group
had; reading one row per group costs the same at any size. Grouping (:mod:`claimgraph.corpus.groups`)
adds each report as it links a document; deleting a document's claims (a reprocess) recounts the
groups it reported in, and so does the migration that introduced the table.

A report's source is the corpus entity its source phrase was linked to when it joined, or the
phrase itself lower-cased; a later merge of two source entities is not replayed here, so the
count of sources may then be one too high until the group is recounted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.engine import Connection

from claimgraph.corpus import schema as s

#: a group lists at most this many distinct sources (enough to tell one from several)
MAX_SOURCES = 50
#: groups recounted per query (a bound on the IN list)
CHUNK = 500


@dataclass(frozen=True, slots=True)
class Report:
    """One claim of one document, as its group counts it."""

    site: str
    published: str | None
    source: str | None
    anonymous: bool
    content: str
    source_text: str | None
    #: where it sorts among the group's reports: date, then document and offset (ties broken alike
    #: whether the group is counted report by report or all at once)
    order: str


def source_key(entity_id: str | None, source_text: str | None) -> str | None:
    if entity_id:
        return entity_id
    return source_text.lower() if source_text else None


def reports_of(conn: Connection, where: Any) -> list[tuple[str | None, Report]]:
    """(group id, report) for the claims this condition selects, oldest first."""
    c, d, de = s.claims, s.documents, s.doc_entities
    rows = conn.execute(
        select(c.c.group_id, d.c.site, d.c.published, de.c.entity_id, c.c.source_text, c.c.source_type, c.c.content,
               c.c.doc_id, c.c.start)
        .select_from(c.join(d, c.c.doc_id == d.c.id)
                     .outerjoin(de, and_(de.c.doc_id == c.c.doc_id, de.c.local_id == c.c.source_local)))
        .where(where).order_by(d.c.published, c.c.doc_id, c.c.start)).all()
    return [(r[0], Report(site=r[1] or "(unknown)", published=r[2], source=source_key(r[3], r[4]),
                          anonymous=r[5] == "anonymous", content=r[6], source_text=r[4],
                          order=f"{r[2] or '~'}|{r[7]}|{int(r[8]):09d}")) for r in rows]


def _row(reports: Sequence[Report]) -> dict[str, Any]:
    first = min(reports, key=lambda r: r.order)
    dated = [r.published for r in reports if r.published]
    sources = sorted({r.source for r in reports if r.source})[:MAX_SOURCES]
    return {"reports": len(reports), "first": min(dated) if dated else None,
            "outlets": json.dumps(sorted({r.site for r in reports}), ensure_ascii=False),
            "sources": json.dumps(sources, ensure_ascii=False),
            "anonymous": sum(r.anonymous for r in reports),
            "content": first.content, "source_text": first.source_text, "first_report": first.order}


def add(conn: Connection, group_id: str, reports: Sequence[Report]) -> None:
    """Count these reports into the group (created with them when it is new)."""
    if not reports:
        return
    g = s.claim_groups
    row = conn.execute(select(g).where(g.c.id == group_id)).mappings().first()
    if row is None:
        conn.execute(insert(g).values(id=group_id, **_row(reports)))
        return
    outlets = set(json.loads(row["outlets"])) | {r.site for r in reports}
    sources = set(json.loads(row["sources"]))
    for r in reports:
        if r.source and len(sources) < MAX_SOURCES:
            sources.add(r.source)
    dated = [d for d in (row["first"], *(r.published for r in reports)) if d]
    first = min(reports, key=lambda r: r.order)
    words = ({"content": first.content, "source_text": first.source_text, "first_report": first.order}
             if first.order < row["first_report"] else {})
    conn.execute(update(g).where(g.c.id == group_id).values(**words,
        reports=row["reports"] + len(reports), first=min(dated) if dated else None,
        outlets=json.dumps(sorted(outlets), ensure_ascii=False),
        sources=json.dumps(sorted(sources), ensure_ascii=False),
        anonymous=row["anonymous"] + sum(r.anonymous for r in reports)))


def refresh(conn: Connection, group_ids: Iterable[str]) -> None:
    """Recount these groups from their claims (a group whose claims are all gone is dropped)."""
    ids = sorted(set(group_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        conn.execute(delete(s.claim_groups).where(s.claim_groups.c.id.in_(chunk)))
        by_group: dict[str, list[Report]] = {}
        for gid, report in reports_of(conn, s.claims.c.group_id.in_(chunk)):
            by_group.setdefault(str(gid), []).append(report)
        rows = [{"id": gid, **_row(reports)} for gid, reports in by_group.items()]
        if rows:
            conn.execute(insert(s.claim_groups), rows)


def summarise(conn: Connection, group_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Per group: reports, first report, outlets, distinct sources, anonymous reports, and
    whether every report rests on one source (or on anonymous ones only)."""
    ids = sorted(set(group_ids))
    out: dict[str, dict[str, Any]] = {}
    g = s.claim_groups
    for start in range(0, len(ids), CHUNK):
        for r in conn.execute(select(g).where(g.c.id.in_(ids[start:start + CHUNK]))).mappings():
            sources = len(json.loads(r["sources"]))
            out[r["id"]] = {"reports": int(r["reports"]), "first": r["first"], "outlets": json.loads(r["outlets"]),
                            "sources": sources, "anonymous": int(r["anonymous"]),
                            "one_source": sources <= 1 or int(r["anonymous"]) == int(r["reports"]),
                            "content": r["content"], "source_text": r["source_text"]}
    return out
