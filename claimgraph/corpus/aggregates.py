"""What the pages count, kept by the database as documents are linked, relinked and deleted (#18):
per corpus entity, its documents in date order (``entity_docs``), its document, mention, claim
and event counts (``entity_stats``), and per pair of entities the documents they share
(``co_mentions``).

Why triggers: an entity page, its neighbourhood graph and the corpus graph counted these with
self-joins over every document of a hub (two seconds at 10,000 documents). Counting them as rows
change makes each page read a bounded number of rows. The rows change in several places —
writing and deleting a document (:mod:`claimgraph.corpus.store`), linking and the corrections
(merge, split, undo in :mod:`claimgraph.corpus.link`) — and all of them go through
``doc_entities.entity_id``, ``claims`` and ``events``; triggers on those tables keep the counts
in the transaction that changes them, whatever code changes them. So they stay right with two
writers at once (each transaction's own increments, committed or rolled back with it; #20's
"corrupt counts"), and no path can forget them.

The chain: a document entity linked to (or moved off) a corpus entity adds (or takes away) its
share of ``entity_docs`` (one row per entity and document, ``locals`` counting the document's
entities linked to it); a row appearing or disappearing there adds or takes away one shared
document for every other entity of that document, both ways round, and one document of the
entity's stats. Claims count for the entity of their source, events for the entity of each of
their actor, recipient and place (once per role), from whichever side arrives last.

:func:`install` creates the triggers (idempotent: every open); :func:`fill` computes the tables
from the base tables in bulk (a store migrated from an older version; the triggers are created
after it, so they do not fire for it); :func:`derived` is the same computation read back, which
the tests compare the kept tables with.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

# -- SQLite ------------------------------------------------------------------------------------------

#: what a linked document entity adds to its corpus entity (``{r}``: new or old row; ``{s}``: +1/-1)
_LINK_SQLITE = """
  INSERT INTO entity_docs (entity_id, doc_id, locals, mentions, published)
    SELECT {r}.entity_id, {r}.doc_id, {s}1, {s}{r}.mentions, {r}.published WHERE {r}.entity_id IS NOT NULL
    ON CONFLICT (entity_id, doc_id) DO UPDATE SET locals = locals + excluded.locals,
      mentions = mentions + excluded.mentions;
  DELETE FROM entity_docs WHERE entity_id = {r}.entity_id AND doc_id = {r}.doc_id AND locals <= 0;
  UPDATE entity_stats SET
    claims = claims {s} (SELECT count(*) FROM claims c WHERE c.doc_id = {r}.doc_id AND c.source_local = {r}.local_id),
    events = events {s} (SELECT count(*) FROM events e WHERE e.doc_id = {r}.doc_id AND e.actor_local = {r}.local_id)
      {s} (SELECT count(*) FROM events e WHERE e.doc_id = {r}.doc_id AND e.recipient_local = {r}.local_id)
      {s} (SELECT count(*) FROM events e WHERE e.doc_id = {r}.doc_id AND e.where_local = {r}.local_id)
    WHERE entity_id = {r}.entity_id;
"""


def _sqlite_triggers() -> list[str]:
    unlink, link = _LINK_SQLITE.format(r="old", s="-"), _LINK_SQLITE.format(r="new", s="+")
    role = ("(SELECT entity_id FROM doc_entities d WHERE d.doc_id = {r}.doc_id AND d.local_id = {r}.{col})")

    def events_by(r: str, sign: str) -> str:
        return "".join(f"UPDATE entity_stats SET events = events {sign} 1 WHERE entity_id = "
                       f"{role.format(r=r, col=col)};\n" for col in ("actor_local", "recipient_local", "where_local"))

    claims_by = ("UPDATE entity_stats SET claims = claims {sign} 1 WHERE entity_id = "
                 + role.format(r="{r}", col="source_local") + ";\n")
    return [
        # a document entity written already linked (a copy of a store), deleted, or linked/moved
        f"CREATE TRIGGER IF NOT EXISTS agg_de_insert AFTER INSERT ON doc_entities "
        f"WHEN new.entity_id IS NOT NULL BEGIN {link} END",
        f"CREATE TRIGGER IF NOT EXISTS agg_de_delete AFTER DELETE ON doc_entities "
        f"WHEN old.entity_id IS NOT NULL BEGIN {unlink} END",
        f"CREATE TRIGGER IF NOT EXISTS agg_de_update AFTER UPDATE OF entity_id, mentions ON doc_entities "
        f"WHEN old.entity_id IS NOT new.entity_id OR old.mentions IS NOT new.mentions BEGIN {unlink} {link} END",
        # an entity appearing in a document, or leaving it
        """CREATE TRIGGER IF NOT EXISTS agg_ed_insert AFTER INSERT ON entity_docs BEGIN
          INSERT INTO co_mentions (entity_id, other_id, documents)
            SELECT new.entity_id, o.entity_id, 1 FROM entity_docs o WHERE o.doc_id = new.doc_id
              AND o.entity_id != new.entity_id
            ON CONFLICT (entity_id, other_id) DO UPDATE SET documents = documents + 1;
          INSERT INTO co_mentions (entity_id, other_id, documents)
            SELECT o.entity_id, new.entity_id, 1 FROM entity_docs o WHERE o.doc_id = new.doc_id
              AND o.entity_id != new.entity_id
            ON CONFLICT (entity_id, other_id) DO UPDATE SET documents = documents + 1;
          INSERT INTO entity_stats (entity_id, documents, mentions, claims, events)
            VALUES (new.entity_id, 1, new.mentions, 0, 0)
            ON CONFLICT (entity_id) DO UPDATE SET documents = documents + 1, mentions = mentions + excluded.mentions;
        END""",
        """CREATE TRIGGER IF NOT EXISTS agg_ed_delete AFTER DELETE ON entity_docs BEGIN
          UPDATE co_mentions SET documents = documents - 1 WHERE entity_id = old.entity_id
            AND other_id IN (SELECT entity_id FROM entity_docs WHERE doc_id = old.doc_id);
          UPDATE co_mentions SET documents = documents - 1 WHERE other_id = old.entity_id
            AND entity_id IN (SELECT entity_id FROM entity_docs WHERE doc_id = old.doc_id);
          DELETE FROM co_mentions WHERE entity_id = old.entity_id AND documents <= 0
            AND other_id IN (SELECT entity_id FROM entity_docs WHERE doc_id = old.doc_id);
          DELETE FROM co_mentions WHERE other_id = old.entity_id AND documents <= 0
            AND entity_id IN (SELECT entity_id FROM entity_docs WHERE doc_id = old.doc_id);
          UPDATE entity_stats SET documents = documents - 1, mentions = mentions - old.mentions
            WHERE entity_id = old.entity_id;
        END""",
        """CREATE TRIGGER IF NOT EXISTS agg_ed_update AFTER UPDATE OF mentions ON entity_docs BEGIN
          UPDATE entity_stats SET mentions = mentions + new.mentions - old.mentions WHERE entity_id = new.entity_id;
        END""",
        # an entity whose last document went: no row (a corpus entity the linker deletes)
        """CREATE TRIGGER IF NOT EXISTS agg_stats_gone AFTER UPDATE OF documents ON entity_stats
          WHEN new.documents <= 0 BEGIN DELETE FROM entity_stats WHERE entity_id = new.entity_id; END""",
        # claims and events written or deleted while their entities are linked (a deleted document's)
        "CREATE TRIGGER IF NOT EXISTS agg_claim_insert AFTER INSERT ON claims WHEN new.source_local IS NOT NULL "
        f"BEGIN {claims_by.format(sign='+', r='new')} END",
        "CREATE TRIGGER IF NOT EXISTS agg_claim_delete AFTER DELETE ON claims WHEN old.source_local IS NOT NULL "
        f"BEGIN {claims_by.format(sign='-', r='old')} END",
        f"CREATE TRIGGER IF NOT EXISTS agg_event_insert AFTER INSERT ON events BEGIN {events_by('new', '+')} END",
        f"CREATE TRIGGER IF NOT EXISTS agg_event_delete AFTER DELETE ON events BEGIN {events_by('old', '-')} END",
    ]


# -- PostgreSQL ----------------------------------------------------------------------------------------

_PG_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION agg_entity_doc(eid text, did text, n integer, m integer, pub text, sgn integer,
                                                  lid text) RETURNS void AS $$
    BEGIN
      IF eid IS NULL THEN RETURN; END IF;
      INSERT INTO entity_docs AS t (entity_id, doc_id, locals, mentions, published) VALUES (eid, did, n, m, pub)
        ON CONFLICT (entity_id, doc_id) DO UPDATE SET locals = t.locals + excluded.locals,
          mentions = t.mentions + excluded.mentions;
      DELETE FROM entity_docs WHERE entity_id = eid AND doc_id = did AND locals <= 0;
      UPDATE entity_stats SET
        claims = claims + sgn * (SELECT count(*) FROM claims c WHERE c.doc_id = did AND c.source_local = lid),
        events = events + sgn * (SELECT count(*) FROM events e WHERE e.doc_id = did AND e.actor_local = lid)
          + sgn * (SELECT count(*) FROM events e WHERE e.doc_id = did AND e.recipient_local = lid)
          + sgn * (SELECT count(*) FROM events e WHERE e.doc_id = did AND e.where_local = lid)
        WHERE entity_id = eid;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION agg_de() RETURNS trigger AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF TG_OP = 'UPDATE' AND OLD.entity_id IS NOT DISTINCT FROM NEW.entity_id
           AND OLD.mentions IS NOT DISTINCT FROM NEW.mentions THEN RETURN NULL; END IF;
        PERFORM agg_entity_doc(OLD.entity_id, OLD.doc_id, -1, -OLD.mentions, OLD.published, -1, OLD.local_id);
      END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM agg_entity_doc(NEW.entity_id, NEW.doc_id, 1, NEW.mentions, NEW.published, 1, NEW.local_id);
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION agg_ed() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO co_mentions AS t (entity_id, other_id, documents)
          SELECT NEW.entity_id, o.entity_id, 1 FROM entity_docs o WHERE o.doc_id = NEW.doc_id
            AND o.entity_id <> NEW.entity_id ORDER BY o.entity_id
          ON CONFLICT (entity_id, other_id) DO UPDATE SET documents = t.documents + 1;
        INSERT INTO co_mentions AS t (entity_id, other_id, documents)
          SELECT o.entity_id, NEW.entity_id, 1 FROM entity_docs o WHERE o.doc_id = NEW.doc_id
            AND o.entity_id <> NEW.entity_id ORDER BY o.entity_id
          ON CONFLICT (entity_id, other_id) DO UPDATE SET documents = t.documents + 1;
        INSERT INTO entity_stats AS t (entity_id, documents, mentions, claims, events)
          VALUES (NEW.entity_id, 1, NEW.mentions, 0, 0)
          ON CONFLICT (entity_id) DO UPDATE SET documents = t.documents + 1, mentions = t.mentions + excluded.mentions;
      ELSIF TG_OP = 'DELETE' THEN
        UPDATE co_mentions SET documents = documents - 1 WHERE entity_id = OLD.entity_id
          AND other_id IN (SELECT entity_id FROM entity_docs WHERE doc_id = OLD.doc_id);
        UPDATE co_mentions SET documents = documents - 1 WHERE other_id = OLD.entity_id
          AND entity_id IN (SELECT entity_id FROM entity_docs WHERE doc_id = OLD.doc_id);
        DELETE FROM co_mentions WHERE entity_id = OLD.entity_id AND documents <= 0
          AND other_id IN (SELECT entity_id FROM entity_docs WHERE doc_id = OLD.doc_id);
        DELETE FROM co_mentions WHERE other_id = OLD.entity_id AND documents <= 0
          AND entity_id IN (SELECT entity_id FROM entity_docs WHERE doc_id = OLD.doc_id);
        UPDATE entity_stats SET documents = documents - 1, mentions = mentions - OLD.mentions
          WHERE entity_id = OLD.entity_id;
        DELETE FROM entity_stats WHERE entity_id = OLD.entity_id AND documents <= 0;
      ELSE
        UPDATE entity_stats SET mentions = mentions + NEW.mentions - OLD.mentions WHERE entity_id = NEW.entity_id;
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION agg_role(did text, lid text, sgn integer, col text) RETURNS void AS $$
    BEGIN
      IF lid IS NULL THEN RETURN; END IF;
      EXECUTE format('UPDATE entity_stats SET %I = %I + $1 WHERE entity_id = '
                     '(SELECT entity_id FROM doc_entities WHERE doc_id = $2 AND local_id = $3)', col, col)
        USING sgn, did, lid;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION agg_claim() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN PERFORM agg_role(NEW.doc_id, NEW.source_local, 1, 'claims');
      ELSE PERFORM agg_role(OLD.doc_id, OLD.source_local, -1, 'claims'); END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION agg_event() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM agg_role(NEW.doc_id, NEW.actor_local, 1, 'events');
        PERFORM agg_role(NEW.doc_id, NEW.recipient_local, 1, 'events');
        PERFORM agg_role(NEW.doc_id, NEW.where_local, 1, 'events');
      ELSE
        PERFORM agg_role(OLD.doc_id, OLD.actor_local, -1, 'events');
        PERFORM agg_role(OLD.doc_id, OLD.recipient_local, -1, 'events');
        PERFORM agg_role(OLD.doc_id, OLD.where_local, -1, 'events');
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql""",
]

_PG_TRIGGERS = {
    "agg_de": "AFTER INSERT OR DELETE OR UPDATE OF entity_id, mentions ON doc_entities FOR EACH ROW EXECUTE "
              "FUNCTION agg_de()",
    "agg_ed": "AFTER INSERT OR DELETE OR UPDATE OF mentions ON entity_docs FOR EACH ROW EXECUTE FUNCTION agg_ed()",
    "agg_claim": "AFTER INSERT OR DELETE ON claims FOR EACH ROW EXECUTE FUNCTION agg_claim()",
    "agg_event": "AFTER INSERT OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION agg_event()",
}


def install(conn: Connection, *, sqlite: bool) -> None:
    """Create the triggers that keep the aggregates (idempotent)."""
    if sqlite:
        for ddl in _sqlite_triggers():
            conn.execute(text(ddl))
        return
    for ddl in _PG_FUNCTIONS:
        conn.execute(text(ddl))
    present = {r[0] for r in conn.execute(text("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'agg_%'"))}
    for name, body in _PG_TRIGGERS.items():
        if name not in present:
            conn.execute(text(f"CREATE TRIGGER {name} {body}"))


# -- computed from the base tables ----------------------------------------------------------------------

def _role_count(table: str, column: str) -> str:
    return (f"coalesce((SELECT count(*) FROM {table} x JOIN doc_entities d ON d.doc_id = x.doc_id "
            f"AND d.local_id = x.{column} WHERE d.entity_id = ed.entity_id), 0)")


#: each aggregate as a query over the tables below it (how :func:`fill` builds a store's)
_FILL = {
    "entity_docs": "SELECT entity_id, doc_id, count(*) AS locals, sum(mentions) AS mentions, "
                   "max(published) AS published FROM doc_entities WHERE entity_id IS NOT NULL "
                   "GROUP BY entity_id, doc_id",
    "co_mentions": "SELECT a.entity_id, b.entity_id AS other_id, count(*) AS documents FROM entity_docs a "
                   "JOIN entity_docs b ON a.doc_id = b.doc_id AND a.entity_id <> b.entity_id "
                   "GROUP BY a.entity_id, b.entity_id",
    "entity_stats": f"SELECT ed.entity_id, count(*) AS documents, sum(ed.mentions) AS mentions, "
                    f"{_role_count('claims', 'source_local')} AS claims, "
                    f"{_role_count('events', 'actor_local')} + {_role_count('events', 'recipient_local')} "
                    f"+ {_role_count('events', 'where_local')} AS events "
                    f"FROM entity_docs ed GROUP BY ed.entity_id",
}
#: the same from the base tables alone (what the tests compare the kept tables with)
_DERIVED = {
    **_FILL,
    "co_mentions": "SELECT a.entity_id, b.entity_id AS other_id, count(DISTINCT a.doc_id) AS documents "
                   "FROM doc_entities a JOIN doc_entities b ON a.doc_id = b.doc_id AND a.entity_id <> b.entity_id "
                   "WHERE a.entity_id IS NOT NULL AND b.entity_id IS NOT NULL GROUP BY a.entity_id, b.entity_id",
    "entity_stats": _FILL["entity_stats"].replace(
        "FROM entity_docs ed GROUP BY ed.entity_id",
        "FROM (SELECT entity_id, doc_id, sum(mentions) AS mentions FROM doc_entities WHERE entity_id IS NOT NULL "
        "GROUP BY entity_id, doc_id) ed GROUP BY ed.entity_id"),
}
_COLUMNS = {"entity_docs": "entity_id, doc_id, locals, mentions, published",
            "co_mentions": "entity_id, other_id, documents",
            "entity_stats": "entity_id, documents, mentions, claims, events"}


def fill(conn: Connection) -> None:
    """Compute the aggregate tables from the base tables, in bulk (in this order: each reads the
    one before). For a store that had none; the triggers must not exist yet."""
    for table in ("entity_docs", "co_mentions", "entity_stats"):
        conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(text(f"INSERT INTO {table} ({_COLUMNS[table]}) {_FILL[table]}"))


def derived(conn: Connection, table: str) -> set[tuple[Any, ...]]:
    """The rows a table should hold, computed from the base tables."""
    return {tuple(r) for r in conn.execute(text(_DERIVED[table]))}


def kept(conn: Connection, table: str) -> set[tuple[Any, ...]]:
    """The rows a table holds."""
    return {tuple(r) for r in conn.execute(text(f"SELECT {_COLUMNS[table]} FROM {table}"))}
