"""What the store does differently on PostgreSQL: its own full-text search, the word counts
claim grouping needs, and the locks that let several processes write one store at once.

SQLite searches with FTS5 tables beside the schema (:mod:`claimgraph.corpus.store`); here each
searchable table gets a generated ``tsvector`` column with a GIN index, filled by the server on
every insert, so a writer never keeps a second copy in step. The ``simple`` configuration (lower
case, no stemming) is used because it is what FTS5's default tokenizer does: the same query
finds the same rows on both backends.

Claim grouping looks up how many stored claims use each word, to pick a claim's rarest words
(:mod:`claimgraph.corpus.groups`). FTS5 keeps those counts in its vocabulary table; PostgreSQL's
GIN index does not expose them cheaply, so ``claim_terms`` holds them, maintained by upserts in
the transaction that writes or deletes a document's claims. Words are counted the way FTS5
counts them (runs of letters and digits, lower-cased), so the counts, and therefore the groups,
match SQLite's.

Concurrent writers: the document's content hash is its primary key, so two processes storing the
same article collide on it and the loser reports "present" (:meth:`Store.write`). Linking (entity
resolution and grouping) reads and rewrites corpus-wide state, so each link transaction takes one
advisory transaction lock: links run one at a time across every process, while analysis and
document writes stay parallel.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, inspect, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

#: advisory lock keys (any two distinct 64-bit numbers no other application is likely to take)
PREPARE_LOCK = 0x636C61696D670001
LINK_LOCK = 0x636C61696D670002
#: the text search configuration: lower case, no stop words, no stemming, like FTS5's unicode61
CONFIG = "simple"

terms_metadata = MetaData()

#: how many stored claims use each word (only words grouping may look up)
claim_terms = Table(
    "claim_terms", terms_metadata,
    Column("term", String(255), primary_key=True),
    Column("claims", Integer, nullable=False),
)

DDL = (
    f"ALTER TABLE documents ADD COLUMN IF NOT EXISTS fts tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('{CONFIG}'::regconfig, coalesce(title, '') || ' ' || text)) STORED",
    "CREATE INDEX IF NOT EXISTS ix_documents_fts ON documents USING gin (fts)",
    f"ALTER TABLE claims ADD COLUMN IF NOT EXISTS fts tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('{CONFIG}'::regconfig, content)) STORED",
    "CREATE INDEX IF NOT EXISTS ix_claims_fts ON claims USING gin (fts)",
    # an entity's latest documents, undated last (``Store.latest_first``) by one index seek: the
    # portable index, read backwards, would put the undated first here
    "CREATE INDEX IF NOT EXISTS ix_doc_entities_entity_latest ON doc_entities "
    "(entity_id, published DESC NULLS LAST, doc_id)",
)

#: a word as FTS5's default tokenizer sees it: a run of letters and digits
_TOKEN = re.compile(r"[^\W_]+")


def lock_prepare(conn: Connection) -> None:
    """Serialise schema creation and migration: two processes opening a new database at once
    would otherwise both try to create the same tables."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PREPARE_LOCK})


def lock_link(conn: Connection) -> None:
    """One link transaction at a time across every process writing this store (released at
    commit or rollback)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LINK_LOCK})


def prepare(conn: Connection, stop: frozenset[str]) -> None:
    """Create what only PostgreSQL has, idempotently (on a new store and on one made by an older
    claimgraph alike): the search columns and indexes, and the word counts — counted from the
    stored claims when the table is new to a store that has some."""
    for ddl in DDL:
        conn.execute(text(ddl))
    new = not inspect(conn).has_table(claim_terms.name)
    terms_metadata.create_all(conn)
    if new:
        counts: Counter[str] = Counter()
        for (content,) in conn.execute(text("SELECT content FROM claims")):
            counts.update(claim_terms_of([content], stop))
        add_terms(conn, counts)


# -- word counts for claim grouping ---------------------------------------------------------------

def countable(word: str, stop: frozenset[str]) -> bool:
    """Whether grouping may ever look this word up (see ``groups._rarest``): the table holds
    those only, which keeps it a fraction of the vocabulary."""
    return len(word) > 1 and word.isalnum() and word not in stop


def claim_terms_of(contents: Iterable[str], stop: frozenset[str]) -> Counter[str]:
    """Per word, how many of these claims use it."""
    counts: Counter[str] = Counter()
    for content in contents:
        counts.update({w for w in (t.lower() for t in _TOKEN.findall(content)) if countable(w, stop)})
    return counts


def add_terms(conn: Connection, counts: Counter[str], sign: int = 1) -> None:
    """Add (or with ``sign=-1`` take away) these claims' words. Rows are touched in sorted
    order, so two writers sharing words wait for each other instead of deadlocking."""
    rows = [{"term": t[:255], "claims": n * sign} for t, n in sorted(counts.items()) if n]
    if not rows:
        return
    if sign > 0:
        stmt = pg_insert(claim_terms)
        conn.execute(stmt.on_conflict_do_update(index_elements=[claim_terms.c.term],
                                                set_={"claims": claim_terms.c.claims + stmt.excluded.claims}), rows)
    else:
        conn.execute(claim_terms.update().where(claim_terms.c.term == bindparam("t"))
                     .values(claims=claim_terms.c.claims + bindparam("n")),
                     [{"t": r["term"], "n": r["claims"]} for r in rows])


def term_frequencies(conn: Connection, words: set[str]) -> dict[str, int]:
    """How many stored claims use each of these words."""
    if not words:
        return {}
    rows = conn.execute(select(claim_terms.c.term, claim_terms.c.claims)
                        .where(claim_terms.c.term.in_(sorted(words)))).all()
    return {r[0]: int(r[1]) for r in rows}


def claims_with(conn: Connection, words: list[str], doc_id: str, limit: int = 50) -> list[Any]:
    """(doc id, local id, content) of claims of other documents that use every one of these
    words, by the GIN index (the words are letters and digits only: safe in a tsquery)."""
    query = " & ".join(words)
    return list(conn.execute(text(
        f"SELECT doc_id, local_id, content FROM claims WHERE fts @@ to_tsquery('{CONFIG}', :q) "
        "AND doc_id != :d LIMIT :n"), {"q": query, "d": doc_id, "n": limit}).all())


# -- search ------------------------------------------------------------------------------------------

def websearch(query: str) -> str:
    """A query as ``websearch_to_tsquery`` reads it, accepting the FTS5 operators users of the
    SQLite store type as well: ``AND`` is what adjacent words mean already, ``NOT x`` is ``-x``
    (``OR`` and quotes mean the same in both). An unbalanced quote is refused as FTS5 refuses
    it, with the database error the API and CLI already report as a bad query, so a query
    valid on one backend is valid on the other."""
    if query.count('"') % 2:
        raise OperationalError("websearch_to_tsquery", {"q": query}, ValueError(f"unbalanced quote in {query!r}"))
    words = query.split()
    out: list[str] = []
    negate = False
    for word in words:
        if word == "AND":
            continue
        if word == "NOT":
            negate = True
            continue
        out.append(("-" + word) if negate else word)
        negate = False
    return " ".join(out)


def search(conn: Connection, query: str, limit: int, scan: int) -> tuple[list[Any], list[Any]]:
    """Documents and claims matching a web-search style query (words, "a phrase", or, -not),
    best ranked first, each with the first ``scan`` characters of its text for the snippet
    (made in Python, see :func:`claimgraph.corpus.search.make_snippet`: ``ts_headline`` re-reads
    and re-parses the whole text, minutes for an article that repeats the word 50,000 times)."""
    query = websearch(query)
    tsq = f"websearch_to_tsquery('{CONFIG}', :q)"
    docs = conn.execute(text(
        f"SELECT d.id, d.title, d.site, d.published, d.url, left(d.text, :scan) "
        f"FROM (SELECT id, ts_rank(fts, {tsq}) AS rank FROM documents WHERE fts @@ {tsq} "
        f"ORDER BY rank DESC, id LIMIT :n) AS hit JOIN documents d ON d.id = hit.id ORDER BY hit.rank DESC, d.id"),
        {"q": query, "n": limit, "scan": scan}).all()
    claims = conn.execute(text(
        f"SELECT doc_id, local_id, left(content, :scan), source_text, source_type FROM claims WHERE fts @@ {tsq} "
        f"ORDER BY ts_rank(fts, {tsq}) DESC, doc_id, local_id LIMIT :n"), {"q": query, "n": limit, "scan": scan}).all()
    return list(docs), list(claims)
