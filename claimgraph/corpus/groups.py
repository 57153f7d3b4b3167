"""The same claim, or the same event, reported by several documents: grouped.

Claims group by their content: two claims from different documents join when their content
words overlap enough (Jaccard on lower-cased content words, stop words out). Candidates come
from the full-text index (the claim's rarest words), so grouping one document costs a few
index lookups however large the corpus: FTS5 and its vocabulary on SQLite, the GIN index and
the ``claim_terms`` counts on PostgreSQL (:mod:`claimgraph.corpus.postgres`), which count words
alike so that a corpus groups the same on both. Events group by a scored pairwise decision
(:mod:`claimgraph.corpus.incidents`, #17): the same type, a near day or none, a shared
participant or place (a nearby place counts); differing casualty counts never keep two apart.

A group's id is its first member's; the report per group (outlets, first report, whether
every report rests on one source or on anonymous ones) is kept up to date as reports join
(:mod:`claimgraph.corpus.group_summaries`).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, text, update
from sqlalchemy.engine import Connection

from claimgraph.corpus import group_summaries as summaries
from claimgraph.corpus import incidents
from claimgraph.corpus import postgres as pg
from claimgraph.corpus import schema as s
from claimgraph.pipeline.names import country_keys, name_key

#: words that carry no claim: function words and reporting verbs
STOP = frozenset([
    "a", "an", "the", "and", "or",
    "but", "if", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are", "was", "were", "be",
    "been", "being", "has", "have", "had", "do", "does", "did", "that", "this", "these", "those", "it", "its",
    "he", "she", "they", "them", "his", "her", "their", "we", "our", "you", "your", "i", "me", "my", "not", "no",
    "so", "than", "then", "there", "here", "which", "who", "whom", "whose", "what", "when", "where", "why", "how",
    "all", "any", "some", "such", "into", "over", "after", "before", "about", "up", "down", "out", "said", "says",
    "say", "told", "tell", "according", "also", "would", "could", "should", "will", "may", "might", "can", "must",
    "just", "more", "most", "very",
])
#: two claims are the same claim when this share of their content words is common to both
CLAIM_JACCARD = 0.5
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d[\d,.]*")


def content_words(text: str) -> frozenset[str]:
    return frozenset(w.lower().strip("'’") for w in _WORD.findall(text) if w.lower() not in STOP and len(w) > 1)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _frequencies(conn: Connection, words: set[str], *, sqlite: bool) -> dict[str, int]:
    """How many stored claims use each word (FTS5's vocabulary table, or PostgreSQL's word
    counts), for all the words of a document's claims in one query."""
    plain = sorted(w for w in words if w.isalnum())
    if not plain:
        return {}
    if not sqlite:
        return pg.term_frequencies(conn, set(plain))
    marks = ", ".join(f":w{i}" for i in range(len(plain)))
    rows = conn.execute(text(f"SELECT term, doc FROM claims_vocab WHERE term IN ({marks})"),
                        {f"w{i}": w for i, w in enumerate(plain)}).all()
    return {term: int(doc) for term, doc in rows}


def _rarest(words: frozenset[str], freq: dict[str, int], n: int = 2) -> list[str]:
    """The claim's words fewest stored claims use: two of them are a sharp, cheap filter however
    large the corpus grows."""
    return sorted((w for w in words if w.isalnum()), key=lambda w: (freq.get(w, 0), -len(w), w))[:n]


def _candidates(conn: Connection, rare: list[str], doc_id: str, *, sqlite: bool) -> list[Any]:
    """Claims of other documents that use all of these words (at most 50, in index order)."""
    if not sqlite:
        return pg.claims_with(conn, rare, doc_id)
    query = " AND ".join(f'"{w}"' for w in rare)
    return list(conn.execute(text("SELECT doc_id, local_id, content FROM claims_fts WHERE claims_fts MATCH :q "
                                  "AND doc_id != :d LIMIT 50"), {"q": query, "d": doc_id}).all())


def group_claims(conn: Connection, doc_id: str, *, sqlite: bool) -> int:
    """Give each claim of a newly stored document the group of its twin in another document
    (or leave it alone), and count it into that group's summary. Returns how many joined.

    A claim that already has a group is left alone: another document found it as its twin
    before this one was linked (a reprocess links documents after writing them all; concurrent
    writers link each other's documents), and it was counted then."""
    mine = conn.execute(select(s.claims.c.local_id, s.claims.c.content)
                        .where(s.claims.c.doc_id == doc_id, s.claims.c.group_id.is_(None))).all()
    words = {local_id: content_words(content) for local_id, content in mine}
    freq = _frequencies(conn, set().union(*words.values()), sqlite=sqlite) if words else {}
    joins: dict[str, list[str]] = {}  # group -> this document's claims joining it
    for local_id, _content in mine:
        rare = _rarest(words[local_id], freq)
        if len(rare) < 2 or len(words[local_id]) < 3:
            continue
        rows = _candidates(conn, rare, doc_id, sqlite=sqlite)
        best: tuple[float, str, str] | None = None
        for other_doc, other_local, other_content in rows:
            score = jaccard(words[local_id], content_words(other_content))
            if score >= CLAIM_JACCARD and (best is None or score > best[0]):
                best = (score, other_doc, other_local)
                if score == 1.0:
                    break  # the same words: a copy, nothing can beat it
        if best is None:
            continue
        _, other_doc, other_local = best
        twin = and_(s.claims.c.doc_id == other_doc, s.claims.c.local_id == other_local)
        group = conn.execute(select(s.claims.c.group_id).where(twin)).scalar_one_or_none()
        if group is None:  # the twin starts the group: count it first
            group = f"cg-{other_doc[:12]}-{other_local}"
            conn.execute(update(s.claims).where(twin).values(group_id=group))
            summaries.add(conn, group, [r for _g, r in summaries.reports_of(conn, twin)])
        joins.setdefault(group, []).append(local_id)
    if not joins:
        return 0
    conn.execute(update(s.claims).where(and_(s.claims.c.doc_id == doc_id, s.claims.c.local_id == bindparam("lid")))
                 .values(group_id=bindparam("gid")),
                 [{"lid": lid, "gid": gid} for gid, lids in joins.items() for lid in lids])
    by_group: dict[str, list[summaries.Report]] = {}
    joined = [lid for lids in joins.values() for lid in lids]
    for gid, report in summaries.reports_of(conn, and_(s.claims.c.doc_id == doc_id,
                                                       s.claims.c.local_id.in_(joined))):
        by_group.setdefault(str(gid), []).append(report)
    for gid, reports in by_group.items():
        summaries.add(conn, gid, reports)
    return sum(len(v) for v in joins.values())


def _same_day(column: Any, value: str) -> Any:
    """Dates agree when they name the same day ("2025-01-14" and "2025-01-14TNI": "on Tuesday"
    and "Tuesday night", or "overnight" in the next morning's paper); coarser dates must be equal."""
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return func.substr(column, 1, 10) == value[:10]
    return column == value


#: candidate events read per event and route (a bound on the cost of grouping one document)
MAX_CANDIDATES = 200


def _reports() -> tuple[Any, Any, Any, Any, Any]:
    """Events with their participants' and place's corpus entities, the place's point and the
    article's publication date: what :func:`incidents.same_incident` compares."""
    e = s.events
    act, rec, whr = (s.doc_entities.alias(n) for n in ("act", "rec", "whr"))
    query = (select(e.c.doc_id, e.c.local_id, e.c.group_id, e.c.type, e.c.trigger, e.c.when_value,
                    act.c.entity_id.label("actor"), rec.c.entity_id.label("target"), whr.c.entity_id.label("place"),
                    whr.c.name.label("place_name"), whr.c.lat, whr.c.lon, s.documents.c.published)
             .select_from(e.join(s.documents, s.documents.c.id == e.c.doc_id)
                          .outerjoin(act, and_(act.c.doc_id == e.c.doc_id, act.c.local_id == e.c.actor_local))
                          .outerjoin(rec, and_(rec.c.doc_id == e.c.doc_id, rec.c.local_id == e.c.recipient_local))
                          .outerjoin(whr, and_(whr.c.doc_id == e.c.doc_id, whr.c.local_id == e.c.where_local))))
    return query, e, act, rec, whr


PLACE_TYPES = ("GPE", "LOC", "FAC")


def _scene(conn: Connection, doc_id: str, cache: dict[str, str | None]) -> str | None:
    """The corpus entity of a document's most mentioned place below a country (one indexed read)."""
    if doc_id not in cache:
        de = s.doc_entities
        rows = conn.execute(select(de.c.entity_id, de.c.name).where(
            de.c.doc_id == doc_id, de.c.type.in_(PLACE_TYPES), de.c.entity_id.is_not(None))
            .order_by(de.c.mentions.desc(), de.c.local_id)).all()
        cache[doc_id] = next((str(r[0]) for r in rows if name_key(r[1]) not in country_keys()), None)
    return cache[doc_id]


def _report(row: Any, scene: str | None = None) -> incidents.Report:
    point = (float(row.lat), float(row.lon)) if row.lat is not None and row.lon is not None else None
    return incidents.Report(type=row.type, trigger=row.trigger or "", day=incidents.day_of(row.when_value),
                            published=incidents.day_of(row.published),
                            actors=frozenset([row.actor]) if row.actor else frozenset(),
                            targets=frozenset([row.target]) if row.target else frozenset(),
                            place=row.place, place_name=row.place_name or "", point=point, scene=scene)


def _candidates_of(conn: Connection, me: incidents.Report, doc_id: str) -> list[Any]:
    """Events of other documents that may tell the same incident, by two indexed routes: those
    that name one of its participants or its place (the corpus entity's members, within the
    publication window when there is one), and, for a place with a point, the events of its type
    dated within a few days at a place nearby."""
    query, e, _act, _rec, whr = _reports()
    parts = sorted(me.actors | me.targets | {p for p in (me.place, me.scene) if p})
    ref = me.day or me.published
    rows: list[Any] = []
    if parts:
        de = s.doc_entities
        sharing = select(de.c.doc_id).where(de.c.entity_id.in_(parts), de.c.doc_id != doc_id)
        if ref is not None:
            lo, hi = incidents.window(ref)
            sharing = sharing.where(or_(and_(de.c.published >= lo, de.c.published < hi), de.c.published.is_(None)))
        rows += conn.execute(query.where(
            e.c.type == me.type, e.c.doc_id.in_(sharing.distinct().limit(MAX_CANDIDATES).scalar_subquery()))
            .limit(MAX_CANDIDATES)).all()
    if me.point is not None and me.day is not None:
        lo, hi = incidents.window(me.day)
        lat, lon = me.point
        rows += conn.execute(query.where(
            e.c.type == me.type, e.c.when_value >= lo, e.c.when_value < hi, e.c.doc_id != doc_id,
            whr.c.lat.between(lat - 0.4, lat + 0.4), whr.c.lon.between(lon - 0.5, lon + 0.5))
            .limit(MAX_CANDIDATES)).all()
    return rows


def group_events(conn: Connection, doc_id: str) -> int:
    """Each event of a new document joins the group of the best-scoring event of another
    document that tells the same incident (:func:`incidents.same_incident` at or above its
    threshold: the same type, a near day or none, a shared participant or place); one or two
    indexed queries per event. Returns how many joined."""
    query, e, *_ = _reports()
    mine = conn.execute(query.where(e.c.doc_id == doc_id)).all()
    scenes: dict[str, str | None] = {}
    joined = 0
    for ev in mine:
        me = _report(ev, _scene(conn, doc_id, scenes))
        if not (me.actors or me.targets or me.place or me.point or me.scene):
            continue  # nothing another report could share
        matches: list[tuple[bool, float, str, str, str | None]] = []
        for row in _candidates_of(conn, me, doc_id):
            score, _why = incidents.same_incident(me, _report(row, _scene(conn, row.doc_id, scenes)))
            if score >= incidents.THRESHOLD:
                matches.append((row.group_id is not None, score, row.doc_id, row.local_id, row.group_id))
        if not matches:
            continue
        # an existing group first (the incident is known), then the best score
        matches.sort(key=lambda m: (not m[0], -m[1], m[2], m[3]))
        _, _, other_doc, other_local, group = matches[0]
        if group is None:
            group = f"eg-{other_doc[:12]}-{other_local}"
            conn.execute(update(e).where(and_(e.c.doc_id == other_doc, e.c.local_id == other_local))
                         .values(group_id=group))
        conn.execute(update(e).where(and_(e.c.doc_id == doc_id, e.c.local_id == ev.local_id)).values(group_id=group))
        # the clustering step: this report is as sure to be the incident of another group (reports
        # that had found no common ground before it came): that group joins this one
        others = sorted({m[4] for m in matches if m[4] and m[4] != group and m[1] >= incidents.MERGE_GROUPS})
        if others:
            conn.execute(update(e).where(e.c.group_id.in_(others)).values(group_id=group))
        joined += 1
    return joined
