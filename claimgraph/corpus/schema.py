"""The store's tables, in SQLAlchemy Core, so the same schema runs on SQLite (one file, the
default) and on PostgreSQL (#7).

One row per document holds its whole analysis as the contract JSON (so nothing the pipeline
found is lost and a document can be exported exactly), and the layers users query are
flattened into their own tables with the document's id: entities (per document, each linked
to a corpus entity), mentions, claims, events, relations. Corpus entities and the log of
every merge and split sit beside them. Full-text search is each backend's own and sits
outside these tables: FTS5 tables on SQLite (:mod:`claimgraph.corpus.store`), generated
``tsvector`` columns with GIN indexes and a word-count table on PostgreSQL
(:mod:`claimgraph.corpus.postgres`), both made when a store is opened.

``SCHEMA_VERSION`` is stored in ``meta``; :data:`MIGRATIONS` upgrades an older store step
by step, and a newer store than this code refuses to open rather than guess.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    select,
    text,
)
from sqlalchemy.engine import Connection

SCHEMA_VERSION = 4

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("id", String(64), primary_key=True),  # content hash of the cleaned text
    Column("url", Text), Column("title", Text), Column("site", String(255)), Column("author", Text),
    Column("published", String(32)),
    Column("source", Text, nullable=False),  # the input it came from: a path, a URL, "file.jsonl#12"
    Column("pipeline_version", String(16), nullable=False),
    Column("ingested_at", String(32), nullable=False),
    Column("text", Text, nullable=False),
    # the claimgraph.document/1 JSON without the document's text (it is the column above),
    # zlib-compressed: a tenth of the size, and read only for export and reprocessing
    Column("analysis", LargeBinary, nullable=False),
    Index("ix_documents_source", "source"),
    Index("ix_documents_published", "published"),
    Index("ix_documents_site", "site"),
    # covering: an entity's latest documents are ordered without reading the text-heavy rows
    Index("ix_documents_id_published", "id", "published"),
)

#: inputs that were rejected, with the reason: the ingest report, and what a re-run skips
rejected = Table(
    "rejected", metadata,
    Column("source", Text, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

#: inputs stored (or found present) with a hash of their content: a re-run skips an input only when
#: both its name and its content were seen, so a file or JSONL line re-used under an old name with
#: new content is analysed (#20). Created on open for older stores (a table of its own, no migration).
inputs = Table(
    "inputs", metadata,
    Column("source", Text, primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("doc_id", String(64), nullable=False),
)

entities = Table(
    "entities", metadata,  # corpus-level entities
    Column("id", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("aliases", Text, nullable=False, default="[]"),  # JSON list
    Column("documents", Integer, nullable=False, default=0),
    Column("mentions", Integer, nullable=False, default=0),
    Index("ix_entities_name", "name"),
)

#: every normalised name form of a corpus entity: what lookups by name and the resolver use
entity_keys = Table(
    "entity_keys", metadata,
    Column("key", String(255), nullable=False),
    Column("entity_id", String(32), ForeignKey("entities.id"), nullable=False),
    Index("ix_entity_keys_key", "key"),
    Index("ix_entity_keys_entity", "entity_id"),
)

doc_entities = Table(
    "doc_entities", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("entity_id", String(32), ForeignKey("entities.id")),  # null until linked
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("aliases", Text, nullable=False),
    Column("roles", Text, nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("link_reason", Text), Column("link_score", Float),
    Column("lat", Float), Column("lon", Float), Column("country", String(8)),  # a resolved place's geo
    Column("published", String(32)),  # the document's, copied: an entity's latest documents by one index seek
    Index("ix_doc_entities_entity", "entity_id"),
    Index("ix_doc_entities_entity_published", "entity_id", "published", "doc_id"),
)

mentions = Table(
    "mentions", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id"), nullable=False),
    Column("local_id", String(16), nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Index("ix_mentions_doc", "doc_id", "local_id"),
)

claims = Table(
    "claims", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("source_local", String(16)),  # the per-document entity of the source
    Column("source_text", Text), Column("source_type", String(16)),
    Column("cue", Text),
    Column("content", Text, nullable=False),  # content spans joined by " … "
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Column("group_id", String(32)),
    Index("ix_claims_source_type", "source_type"),
    Index("ix_claims_group", "group_id"),
    Index("ix_claims_source", "doc_id", "source_local"),  # "claims by X": one seek per document of X
)

events = Table(
    "events", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id"), primary_key=True),
    Column("local_id", String(16), primary_key=True),
    Column("type", String(16), nullable=False),
    Column("trigger", Text, nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Column("actor_local", String(16)), Column("actor_text", Text),
    Column("recipient_local", String(16)), Column("recipient_text", Text),
    Column("when_value", String(32)), Column("when_text", Text),
    Column("where_local", String(16)), Column("where_text", Text),
    Column("claim_local", String(16)),
    Column("modality", String(16), nullable=False),
    Column("group_id", String(32)),
    Index("ix_events_type_when", "type", "when_value"),  # grouping: same type, same day
    Index("ix_events_when", "when_value"),
)

relations = Table(
    "relations", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id"), nullable=False),
    Column("subject_local", String(16), nullable=False),
    Column("predicate", String(32), nullable=False),
    Column("object_local", String(16), nullable=False),
    Column("evidence", Text, nullable=False),
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False),
    Column("claim_local", String(16)),
    Index("ix_relations_doc", "doc_id"),
)

#: per claim group, what the reports add up to, kept up to date as reports join (see
#: :mod:`claimgraph.corpus.group_summaries`): a syndicated claim may have thousands of reports,
#: and a profile or a claims filter must not count them on every call
claim_groups = Table(
    "claim_groups", metadata,
    Column("id", String(40), primary_key=True),
    Column("reports", Integer, nullable=False),
    Column("first", String(32)),  # the earliest report's publication date
    Column("outlets", Text, nullable=False),  # JSON list of sites
    Column("sources", Text, nullable=False),  # JSON list of source keys: corpus entity id or lower-cased text
    Column("anonymous", Integer, nullable=False),  # reports whose source is anonymous
    Column("content", Text, nullable=False), Column("source_text", Text),  # the first report's words
    Column("first_report", String(128), nullable=False),  # which report that is: "published|doc id|offset"
    Index("ix_claim_groups_reports", "reports"),
)

# -- the resolver's index (#18): written as entities are linked, read per candidate lookup, so a
# linker holds nothing of the corpus in memory (:mod:`claimgraph.corpus.resolver_store`) ---------

#: every key a corpus entity is filed under (:func:`claimgraph.corpus.resolve_keys.filed_keys`)
resolver_keys = Table(
    "resolver_keys", metadata,
    Column("key", Text, primary_key=True),
    Column("entity_id", String(32), primary_key=True),
    Index("ix_resolver_keys_entity", "entity_id"),
)

#: how many corpus entities each key holds: one row tells a probe whether its key decides
#: anything (a surname hundreds of entities share does not) before their ids are read
resolver_key_counts = Table(
    "resolver_key_counts", metadata,
    Column("key", Text, primary_key=True),
    Column("entities", Integer, nullable=False),
)

#: per corpus entity, counts over its members: ``co`` the name keys of the entities their
#: articles co-mention (the context a tie is settled by), ``form`` the name keys they were written
#: as (usage), ``name`` and ``alias`` their own names and aliases as written (what the entity is
#: filed under again when its canonical name changes)
resolver_tallies = Table(
    "resolver_tallies", metadata,
    Column("entity_id", String(32), primary_key=True),
    Column("kind", String(8), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("n", Integer, nullable=False),
)

#: per corpus entity, its members' mentions by type in the order the types arrived (the type is
#: the heaviest, ties to the first seen, as :class:`claimgraph.corpus.resolve.CorpusEntity` has it)
resolver_entities = Table(
    "resolver_entities", metadata,
    Column("entity_id", String(32), primary_key=True),
    Column("type_weights", Text, nullable=False),  # JSON object, insertion-ordered
)

RESOLVER_TABLES = (resolver_keys, resolver_key_counts, resolver_tallies, resolver_entities)

#: every merge and split of corpus entities, automatic or by a user, reversible
merges = Table(
    "merges", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("action", String(16), nullable=False),  # link | merge | split | undo
    Column("by", String(16), nullable=False),  # auto | user
    Column("entity_id", String(32)), Column("other_id", String(32)),
    Column("doc_id", String(64)), Column("local_id", String(16)),
    Column("reason", Text), Column("score", Float),
    Column("detail", Text),  # JSON: what undoing it needs
    Column("undone", Integer, nullable=False, default=0),
)


# -- page aggregates (#18): kept by triggers, see claimgraph.corpus.aggregates ------------------------

#: per corpus entity and document it appears in: how many of the document's entities link to it,
#: their mentions, and the document's date — an entity's latest documents by one index range,
#: and what the two tables below are counted from
entity_docs = Table(
    "entity_docs", metadata,
    Column("entity_id", String(32), primary_key=True),
    Column("doc_id", String(64), primary_key=True),
    Column("locals", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("published", String(32)),
    Index("ix_entity_docs_latest", "entity_id", "published", "doc_id"),
    Index("ix_entity_docs_doc", "doc_id", "entity_id"),
    sqlite_with_rowid=False,  # the key is the table: no second copy of every row in a rowid table
)

#: per ordered pair of corpus entities (both ways round), the documents both appear in: a
#: neighbourhood is the first rows of one entity's index range, most shared first
co_mentions = Table(
    "co_mentions", metadata,
    Column("entity_id", String(32), primary_key=True),
    Column("other_id", String(32), primary_key=True),
    Column("documents", Integer, nullable=False),
    sqlite_with_rowid=False,
)
Index("ix_co_mentions_strongest", co_mentions.c.entity_id, co_mentions.c.documents.desc(), co_mentions.c.other_id)

#: per corpus entity: documents, mentions, claims it is the source of, event roles it plays
#: (actor, recipient, place: once per role); the most documented entities by one index
entity_stats = Table(
    "entity_stats", metadata,
    Column("entity_id", String(32), primary_key=True),
    Column("documents", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("events", Integer, nullable=False),
)
Index("ix_entity_stats_documents", entity_stats.c.documents.desc(), entity_stats.c.entity_id)


def _v1_to_v2(conn: Connection) -> None:
    """Version 2: documents' dates copied onto their entities (with an index), and the claim
    group summaries, computed once from the claims."""
    from claimgraph.corpus.group_summaries import refresh

    conn.execute(text("ALTER TABLE doc_entities ADD COLUMN published VARCHAR(32)"))
    conn.execute(text("UPDATE doc_entities SET published = (SELECT published FROM documents "
                      "WHERE documents.id = doc_entities.doc_id)"))
    conn.execute(text("DROP INDEX IF EXISTS ix_events_type"))
    for index in (*doc_entities.indexes, *events.indexes):
        if index.name in ("ix_doc_entities_entity_published", "ix_events_type_when"):
            index.create(conn, checkfirst=True)
    groups = [r[0] for r in conn.execute(select(claims.c.group_id).where(claims.c.group_id.is_not(None)).distinct())]
    refresh(conn, groups)


def _v2_to_v3_page_aggregates(conn: Connection) -> None:
    """Version 3 (#18): the page aggregates — ``entity_docs``, ``co_mentions``, ``entity_stats``
    — computed once from the linked document entities, claims and events. The tables themselves
    were created by ``create_all`` before the migrations ran (empty), and the triggers that keep
    them are created after the migrations (:meth:`Store._prepare`), so none fires for this bulk
    fill. Self-contained: it reads only the base tables of version 2."""
    from claimgraph.corpus.aggregates import fill

    fill(conn)



def _v3_to_v4_resolver_index(conn: Connection) -> None:
    """Version 4 (#18): the resolver's index in the store. Built once from the linked document
    entities as the linker of versions 2 and 3 rebuilt it in memory at every start (members in document
    order), so the first link after the upgrade decides as that linker would have."""
    from claimgraph.corpus.resolver_store import rebuild_index

    for table in RESOLVER_TABLES:
        table.create(conn, checkfirst=True)
    rebuild_index(conn)  # emptied first: tables a newer claimgraph left behind are rebuilt, not doubled


#: version -> the step that brings a store at that version to the next one
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _v1_to_v2, 2: _v2_to_v3_page_aggregates,
                                                       3: _v3_to_v4_resolver_index}
