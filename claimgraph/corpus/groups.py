"""The same claim, or the same event, reported by several documents: grouped.

Claims group by their content: two claims from different documents join when their content
words overlap enough (Jaccard on lower-cased content words, stop words out). Candidates come
from the full-text index (the claim's rarest words), so grouping one document costs a few
index lookups however large the corpus: FTS5 and its vocabulary on SQLite, the GIN index and
the ``claim_terms`` counts on PostgreSQL (:mod:`claimgraph.corpus.postgres`), which count words
alike so that a corpus groups the same on both. Events group when their type and date agree and they
share a participant or a place (by corpus entity), or, with no date on one side, share both.

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
from claimgraph.corpus import postgres as pg
from claimgraph.corpus import schema as s

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


def _corpus_ids(conn: Connection, doc_id: str) -> dict[str, str]:
    rows = conn.execute(select(s.doc_entities.c.local_id, s.doc_entities.c.entity_id)
                        .where(s.doc_entities.c.doc_id == doc_id)).all()
    return {r[0]: r[1] for r in rows if r[1]}


def _same_day(column: Any, value: str) -> Any:
    """Dates agree when they name the same day ("2025-01-14" and "2025-01-14TNI": "on Tuesday"
    and "Tuesday night", or "overnight" in the next morning's paper); coarser dates must be equal."""
    if len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return func.substr(column, 1, 10) == value[:10]
    return column == value


def group_events(conn: Connection, doc_id: str) -> int:
    """Events of a new document join an event of another document with the same type and date
    that shares a participant or place (corpus entities); one indexed query per event."""
    ids = _corpus_ids(conn, doc_id)
    e = s.events
    act, rec, whr = (s.doc_entities.alias(n) for n in ("act", "rec", "whr"))
    mine = conn.execute(select(e).where(e.c.doc_id == doc_id)).mappings().all()
    joined = 0
    for ev in mine:
        if not ev["when_value"]:
            continue
        parts = sorted({ids[ev[k]] for k in ("actor_local", "recipient_local", "where_local") if ev[k] in ids})
        if not parts:
            continue
        match = conn.execute(
            select(e.c.doc_id, e.c.local_id, e.c.group_id)
            .select_from(e.outerjoin(act, and_(act.c.doc_id == e.c.doc_id, act.c.local_id == e.c.actor_local))
                         .outerjoin(rec, and_(rec.c.doc_id == e.c.doc_id, rec.c.local_id == e.c.recipient_local))
                         .outerjoin(whr, and_(whr.c.doc_id == e.c.doc_id, whr.c.local_id == e.c.where_local)))
            .where(e.c.type == ev["type"], _same_day(e.c.when_value, ev["when_value"]), e.c.doc_id != doc_id,
                   or_(act.c.entity_id.in_(parts), rec.c.entity_id.in_(parts), whr.c.entity_id.in_(parts)))
            .order_by(e.c.group_id.is_(None)).limit(1)).first()
        if match is None:
            continue
        other_doc, other_local, group = match
        if group is None:
            group = f"eg-{other_doc[:12]}-{other_local}"
            conn.execute(update(e).where(and_(e.c.doc_id == other_doc, e.c.local_id == other_local))
                         .values(group_id=group))
        conn.execute(update(e).where(and_(e.c.doc_id == doc_id, e.c.local_id == ev["local_id"])).values(group_id=group))
        joined += 1
    return joined
