"""The entity corrections as users read them: the log of merges, splits and undos, one entry
of it, and an entity's members with the documents they come from — read queries over the
store (the ``/api/merges`` list and the entity page's "Correct this entity" panel show them);
the writing stays with :class:`claimgraph.corpus.link.Linker`. Why a log entry's *index* is computed, not its row id:
``Linker.undo`` (and ``claimgraph entities undo N``) number the entries by their position in
the whole log, automatic links included, and row ids need not be contiguous (a database
sequence may skip); the position over the rows ordered by id is what undo means by N.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlalchemy import func, select

from claimgraph.corpus import schema as s
from claimgraph.corpus.browse import entity_by_id
from claimgraph.corpus.store import Store

#: the log entries a user makes and sees; "resolve" entries (automatic links) are one per document
USER_ACTIONS = ("merge", "split", "undo")
#: members listed on an entity page (a country may have thousands; the API lists them all)
MEMBER_LIMIT = 300


def _numbered() -> Any:
    """Every log row with its position in the whole log (the index ``undo`` takes)."""
    m = s.merges
    return select(m, (func.row_number().over(order_by=m.c.id) - 1).label("index")).subquery("numbered")


def _entry(row: Any) -> dict[str, Any]:
    detail = json.loads(row["detail"] or "{}")
    members = detail.get("members")
    return {"index": int(row["index"]), "id": int(row["id"]), "at": row["at"], "action": row["action"],
            "by": row["by"], "entity_id": row["entity_id"], "other_id": row["other_id"],
            "target": detail.get("target"), "members": len(members) if isinstance(members, list) else None,
            "reason": row["reason"] or "", "undone": bool(row["undone"])}


def log_page(store: Store, *, limit: int, offset: int, everything: bool = False
             ) -> tuple[list[dict[str, Any]], int]:
    """Log entries, the latest first, and how many there are: merges, splits and undos (with
    ``everything`` the automatic links too).

    ``entity_id`` is where an entry moved members to, ``other_id`` where they came from; an
    undo carries the ids of the entry it reversed (its own row stores only that entry's index)."""
    n = _numbered()
    cond = [] if everything else [n.c.action.in_(USER_ACTIONS)]
    with store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(n).where(*cond)).scalar_one())
        rows = conn.execute(select(n).where(*cond).order_by(n.c.index.desc()).limit(limit).offset(offset)
                            ).mappings().all()
        items = [_entry(r) for r in rows]
        wanted = {e["target"] for e in items if e["action"] == "undo" and isinstance(e["target"], int)}
        if wanted:
            found = {int(r["index"]): r for r in conn.execute(select(n).where(n.c.index.in_(wanted))).mappings()}
            for e in items:
                target = found.get(e["target"]) if e["action"] == "undo" else None
                if target is not None:
                    e["entity_id"], e["other_id"] = target["entity_id"], target["other_id"]
    return items, total


def log_entry(store: Store, index: int) -> dict[str, Any] | None:
    """One log entry by its index, with the members it moved (``DOC_ID#LOCAL_ID``), or None."""
    n = _numbered()
    with store.engine.connect() as conn:
        row = conn.execute(select(n).where(n.c.index == index)).mappings().first()
    if row is None:
        return None
    entry = _entry(row)
    members = json.loads(row["detail"] or "{}").get("members")
    entry["member_keys"] = [str(m) for m in members] if isinstance(members, list) else []
    return entry


def member_names(store: Store, keys: list[str], limit: int = 3) -> list[str]:
    """The names members had in their documents (most frequent first): how a notice names an
    entity that a merge folded away, whose own row is gone. The first 500 members suffice."""
    wanted = {(d, local) for d, _, local in (k.partition("#") for k in keys[:500]) if local}
    if not wanted:
        return []
    de = s.doc_entities
    with store.engine.connect() as conn:
        rows = conn.execute(select(de.c.doc_id, de.c.local_id, de.c.name)
                            .where(de.c.doc_id.in_(sorted({d for d, _ in wanted})))).all()
    counts = Counter(str(r[2]) for r in rows if (r[0], r[1]) in wanted and r[2])
    return [name for name, _ in counts.most_common(limit)]


def members(store: Store, entity_id: str, limit: int = MEMBER_LIMIT) -> tuple[list[dict[str, Any]], int]:
    """An entity's members for the split form — the document (title, outlet, date), the name
    the entity had there, why it was linked and how sure — latest documents first, and how many."""
    de, d = s.doc_entities, s.documents
    with store.engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(de).where(de.c.entity_id == entity_id)
                                 ).scalar_one())
        rows = conn.execute(
            select(de.c.doc_id, de.c.local_id, de.c.name, de.c.mentions, de.c.link_reason, de.c.link_score,
                   d.c.title, d.c.site, d.c.published)
            .select_from(de.join(d, d.c.id == de.c.doc_id)).where(de.c.entity_id == entity_id)
            # the date on the member's own row: its index gives a hub's latest members without a sort
            .order_by(store.latest_first(de.c.published), de.c.doc_id.desc(), de.c.local_id.desc())
            .limit(limit)).mappings().all()
    return [{"member": f"{r['doc_id']}#{r['local_id']}", "doc_id": r["doc_id"], "name": r["name"],
             "mentions": int(r["mentions"] or 0), "reason": r["link_reason"] or "",
             "score": None if r["link_score"] is None else float(r["link_score"]),
             "title": r["title"], "site": r["site"], "published": r["published"]} for r in rows], total


def notice(store: Store, entity_id: str, index: int) -> dict[str, Any] | None:
    """What the entity page says after a correction made through it (``?log=N``): the merge
    or split, whether it has been undone, and where an undo leads (a merge's undo keeps the
    page's entity; a split's undo empties the new entity, so it leads back to the original).
    None when entry N is not a merge or split of this entity."""
    entry = log_entry(store, index)
    if entry is None or entry["action"] not in ("merge", "split") or entity_id not in (
            entry["entity_id"], entry["other_id"]):
        return None
    back = entry["entity_id"] if entry["action"] == "merge" else entry["other_id"]
    other = entity_by_id(store, entry["other_id"] if entity_id == entry["entity_id"] else entry["entity_id"])
    docs = len({k.split("#", 1)[0] for k in entry["member_keys"]})
    return {**entry, "names": member_names(store, entry["member_keys"]), "back": back, "docs": docs,
            "other_name": other["name"] if other else None,
            "here_is_new": entry["action"] == "split" and entity_id == entry["entity_id"]}
