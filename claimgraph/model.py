"""The data every layer shares, and its JSON form (contract ``claimgraph.document/1``).

Everything is an immutable dataclass: a pipeline stage cannot edit a layer an
earlier stage wrote, it can only return a new :class:`Analysis` with its own
layer added (``dataclasses.replace``). Offsets are Python ``str`` indices into
``Document.text``; :meth:`Span.of` is the only way code should build a span, so
that ``span.text == document.text[span.start:span.end]`` holds by construction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

SCHEMA_ID = "claimgraph.document/1"

ENTITY_TYPES = (
    "PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "OTHER",
)
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})
EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)

JSON = dict[str, Any]


def content_id(text: str) -> str:
    """Stable document id: the same cleaned text always gets the same id (idempotent ingest)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """Build a span that re-slices by construction."""
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span [{start}, {end}) outside text of length {len(text)}")
        return cls(start, end, text[start:end])

    def to_json(self) -> JSON:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Span:
        return cls(int(obj["start"]), int(obj["end"]), str(obj["text"]))

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class Document:
    """One article after ingest: cleaned text plus what the source said about it."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    site: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = "en"
    #: how the text was obtained (``html``, ``text``) and anything worth telling the user
    #: about it, e.g. a guessed charset; carried in JSON as extra keys.
    source_format: str | None = None
    notes: tuple[str, ...] = ()

    @classmethod
    def from_text(cls, text: str, **meta: Any) -> Document:
        return cls(id=content_id(text), text=text, **meta)

    def to_json(self) -> JSON:
        out: JSON = {
            "id": self.id, "url": self.url, "title": self.title, "site": self.site,
            "author": self.author, "published": self.published, "language": self.language,
            "text": self.text,
        }
        if self.source_format:
            out["source_format"] = self.source_format
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Document:
        return cls(
            id=obj["id"], text=obj["text"], url=obj.get("url"), title=obj.get("title"),
            site=obj.get("site"), author=obj.get("author"), published=obj.get("published"),
            language=obj.get("language"), source_format=obj.get("source_format"),
            notes=tuple(obj.get("notes", ())),
        )


@dataclass(frozen=True, slots=True)
class Geo:
    lat: float
    lon: float
    country: str | None
    geonameid: str | None = None
    #: the gazetteer name it matched and what kind of place it is (city, country, admin1, ...)
    name: str | None = None
    feature: str | None = None

    @property
    def precision(self) -> str | None:
        """How exact the point is: "point" for a town or village; "area" for a district or
        province; "country", "region" (a sea, a macro-region) or "continent" for the
        representative point of something large. Only a "point" (or, at a pinch, an
        "area") is a place an event can be shown at; a country's centre is not."""
        if self.feature is None:
            return None
        return {"city": "point", "admin1": "area", "admin2": "area"}.get(self.feature, self.feature)

    def to_json(self) -> JSON:
        out: JSON = {"lat": self.lat, "lon": self.lon, "country": self.country, "geonameid": self.geonameid}
        if self.name:
            out["name"] = self.name
        if self.feature:
            out["feature"] = self.feature
            out["precision"] = self.precision
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Geo:
        return cls(float(obj["lat"]), float(obj["lon"]), obj.get("country"), obj.get("geonameid"),
                   obj.get("name"), obj.get("feature"))


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[Span, ...]
    #: role and kind nouns the text attaches to it ("commander", "spokesman", "group"),
    #: most frequent first: what descriptions like "the commander" are resolved against
    roles: tuple[str, ...] = ()

    def to_json(self, geo: Geo | None = None) -> JSON:
        return {
            "id": self.id, "name": self.name, "type": self.type, "aliases": list(self.aliases),
            "mentions": [m.to_json() for m in self.mentions],
            "geo": geo.to_json() if geo else None,
            "roles": list(self.roles),
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Entity:
        return cls(obj["id"], obj["name"], obj["type"], tuple(obj.get("aliases", ())),
                   tuple(Span.from_json(m) for m in obj.get("mentions", ())), tuple(obj.get("roles", ())))


@dataclass(frozen=True, slots=True)
class Timex:
    """A time expression: ``value`` is ISO 8601 at the precision the text gives, or None.

    ``type`` follows TIMEX3 (DATE, TIME, DURATION, SET) and ``value`` TimeML: a duration's
    value is its length (``P33Y``, also in ``duration``), and "now", "the past", "soon" are
    ``PRESENT_REF``, ``PAST_REF``, ``FUTURE_REF``. :attr:`point` is the value only when it
    names a calendar date or time, which is what a timeline or an event's date may use.
    """

    id: str
    span: Span
    type: str
    value: str | None
    duration: str | None = None

    @property
    def point(self) -> str | None:
        """The value when it is a calendar date or time ("2025-03", "199", "2025-W10",
        "2025-03-08TNI"), else None (a length, a REF value, an unknown "XXXX")."""
        value = self.value
        if not value or value.startswith("P") or value.endswith("_REF") or not value[:1].isdigit():
            return None
        return value

    def to_json(self) -> JSON:
        out: JSON = {"id": self.id, "type": self.type, "value": self.value, "span": self.span.to_json()}
        if self.duration:
            out["duration"] = self.duration
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Timex:
        return cls(obj["id"], Span.from_json(obj["span"]), obj["type"], obj.get("value"), obj.get("duration"))


@dataclass(frozen=True, slots=True)
class Ref:
    entity: str | None
    span: Span

    def to_json(self) -> JSON:
        return {"entity": self.entity, "span": self.span.to_json()}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any] | None) -> Ref | None:
        return None if obj is None else cls(obj.get("entity"), Span.from_json(obj["span"]))


@dataclass(frozen=True, slots=True)
class Source:
    entity: str | None
    span: Span
    type: str  # person | organization | anonymous | document | other
    #: for an anonymous source, its kind: security | official | agency | police | witness | family | other
    subtype: str | None = None

    def to_json(self) -> JSON:
        return {"entity": self.entity, "span": self.span.to_json(), "type": self.type, "subtype": self.subtype}


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    kind: str  # direct | indirect | mixed | according_to
    source: Source | None
    cue: Span | None
    content: tuple[Span, ...]

    def covers(self, span: Span) -> bool:
        """Does this claim's content lie (in part) in ``span``, e.g. a sentence?"""
        return any(part.overlaps(span) for part in self.content)

    def to_json(self) -> JSON:
        return {
            "id": self.id, "kind": self.kind,
            "source": self.source.to_json() if self.source else None,
            "cue": self.cue.to_json() if self.cue else None,
            "content": [c.to_json() for c in self.content],
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Claim:
        src = obj.get("source")
        return cls(
            obj["id"], obj["kind"],
            Source(src.get("entity"), Span.from_json(src["span"]), src["type"], src.get("subtype")) if src else None,
            Span.from_json(obj["cue"]) if obj.get("cue") else None,
            tuple(Span.from_json(c) for c in obj["content"]),
        )


@dataclass(frozen=True, slots=True)
class DateRef:
    value: str | None
    span: Span

    def to_json(self) -> JSON:
        return {"value": self.value, "span": self.span.to_json()}


@dataclass(frozen=True, slots=True)
class Count:
    """A number of people an event harmed or held, as one report gives it: ``kind`` is killed,
    injured, abducted or arrested; ``value`` the number (None for "dozens"); ``span`` the words
    that give it; ``claim`` the claim that reports it (None: the outlet's own)."""

    kind: str
    value: int | None
    span: Span
    claim: str | None = None

    def to_json(self) -> JSON:
        return {"kind": self.kind, "value": self.value, "span": self.span.to_json(), "claim": self.claim}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Count:
        return cls(obj["kind"], obj.get("value"), Span.from_json(obj["span"]), obj.get("claim"))


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    trigger: Span
    actor: Ref | None
    recipient: Ref | None
    when: DateRef | None
    where: Ref | None
    claim: str | None
    modality: str = "asserted"
    #: casualty and arrest counts the text gives for this event (added to the contract in #14)
    counts: tuple[Count, ...] = ()

    def to_json(self) -> JSON:
        return {
            "id": self.id, "type": self.type, "trigger": self.trigger.to_json(),
            "actor": self.actor.to_json() if self.actor else None,
            "recipient": self.recipient.to_json() if self.recipient else None,
            "when": self.when.to_json() if self.when else None,
            "where": self.where.to_json() if self.where else None,
            "claim": self.claim, "modality": self.modality,
            "counts": [c.to_json() for c in self.counts],
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Event:
        when = obj.get("when")
        return cls(
            obj["id"], obj["type"], Span.from_json(obj["trigger"]),
            Ref.from_json(obj.get("actor")), Ref.from_json(obj.get("recipient")),
            DateRef(when.get("value"), Span.from_json(when["span"])) if when else None,
            Ref.from_json(obj.get("where")), obj.get("claim"), obj.get("modality", "asserted"),
            tuple(Count.from_json(c) for c in obj.get("counts") or ()),
        )


@dataclass(frozen=True, slots=True)
class Relation:
    subject: str
    predicate: str
    object: str
    evidence: Span
    claim: str | None = None

    def to_json(self) -> JSON:
        return {"subject": self.subject, "predicate": self.predicate, "object": self.object,
                "evidence": self.evidence.to_json(), "claim": self.claim}

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Relation:
        return cls(obj["subject"], obj["predicate"], obj["object"], Span.from_json(obj["evidence"]),
                   obj.get("claim"))


@dataclass(frozen=True)
class Analysis:
    """One document and the layers the pipeline stages added to it.

    ``doc`` is the spaCy ``Doc`` of ``document.text`` (set by the ``nlp`` stage); it is
    a working layer for later stages and is not serialised. ``places`` maps the ids of
    the place entities that resolved to their :class:`Geo` (an unresolvable place is
    simply absent); in JSON it appears as each entity's ``geo`` (null when absent).
    """

    document: Document
    doc: Any = None
    sentences: tuple[Span, ...] = ()
    entities: tuple[Entity, ...] = ()
    timex: tuple[Timex, ...] = ()
    places: Mapping[str, Geo] = field(default_factory=dict)
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    relations: tuple[Relation, ...] = ()
    stages: tuple[str, ...] = ()

    def add(self, **layers: Any) -> Analysis:
        """Return a copy with new layers set; stages use this, never mutation."""
        return replace(self, **layers)

    def entity(self, entity_id: str) -> Entity:
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)

    def to_json(self) -> JSON:
        return {
            "schema": SCHEMA_ID,
            "document": self.document.to_json(),
            # each sentence lists the claims whose content it holds: the rest is the outlet's own
            "sentences": [{**s.to_json(), "claims": [c.id for c in self.claims if c.covers(s)]}
                          for s in self.sentences],
            "entities": [e.to_json(self.places.get(e.id)) for e in self.entities],
            "timex": [t.to_json() for t in self.timex],
            "claims": [c.to_json() for c in self.claims],
            "events": [e.to_json() for e in self.events],
            "relations": [r.to_json() for r in self.relations],
            "stages": list(self.stages),
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Analysis:
        if obj.get("schema") != SCHEMA_ID:
            raise ValueError(f"not a {SCHEMA_ID} object (schema={obj.get('schema')!r})")
        entities = tuple(Entity.from_json(e) for e in obj["entities"])
        places = {e["id"]: Geo.from_json(e["geo"]) for e in obj["entities"] if e.get("geo")}
        return cls(
            document=Document.from_json(obj["document"]),
            sentences=tuple(Span.from_json(s) for s in obj.get("sentences", ())),
            entities=entities,
            timex=tuple(Timex.from_json(t) for t in obj.get("timex", ())),
            places=places,
            claims=tuple(Claim.from_json(c) for c in obj.get("claims", ())),
            events=tuple(Event.from_json(e) for e in obj.get("events", ())),
            relations=tuple(Relation.from_json(r) for r in obj.get("relations", ())),
            stages=tuple(obj.get("stages", ())),
        )
