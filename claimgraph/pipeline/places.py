"""Stage ``places``: resolve GPE, LOC and FAC entities to a point and a country, offline.

Each place entity's names (canonical name, aliases, mention texts) are looked up in the
gazetteer; same-named candidates are then ranked by how salient they are (population,
on a log scale; countries and national capitals first) and by what the article is about:
the countries its unambiguous places and its demonyms ("Pakistani officials") point to,
and the provinces it names. "Hyderabad" is the Indian city in an article about India and
the Pakistani one in an article about Pakistan.

A candidate is only taken when it beats every rival that lies elsewhere (more than
161 km away, the benchmark's tolerance) by a clear margin; otherwise the entity stays
unresolved. Nothing is guessed: a name that is not in the gazetteer, or that several
distant places share with no evidence to choose, gets no ``geo``.

Admin-unit words ("Helmand province", "Kupwara district", "the city of Mosul") are
stripped before the look-up and say which kind of place is meant.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from claimgraph.model import PLACE_TYPES, Analysis, Entity, Geo
from claimgraph.pipeline import Stage
from claimgraph.pipeline.gazetteer import Gazetteer, load_gazetteer, name_key
from claimgraph.pipeline.geo_sources import Place, haversine_km
from claimgraph.settings import Settings

#: rivals nearer than this to the chosen place are the same answer on a map
SAME_PLACE_KM = 161.0
#: the chosen candidate must beat every distant rival by this much (log10 units)
MIN_MARGIN = 0.5
#: a resolution this clear is trusted as evidence for the other places of the article
EVIDENCE_MARGIN = 1.0
FEATURE_BONUS = {"continent": 3.0, "country": 2.0, "admin1": 0.0, "admin2": -0.5, "city": 0.0}
CAPITAL_BONUS = 1.5
ALTERNATE_PENALTY = 1.5
HINT_PENALTY = 2.0
#: a candidate in a country the article is about; up to one more for its main country
COUNTRY_EVIDENCE = 2.0
ADMIN1_EVIDENCE = 1.0
#: "Paris, Texas": the candidate lies in the place named after the comma
QUALIFIER_BONUS = 4.0
#: a city named like its own province is meant unless the text says "province" or
#: "state", when it is big or holds a good share of the province (New York, Kabul)
DOMINANT_CITY = 1_000_000
DOMINANT_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class UnitWords:
    suffixes: dict[str, str]
    prefixes: dict[str, str]
    qualifiers: frozenset[str]


@lru_cache(maxsize=1)
def unit_words() -> UnitWords:
    """The admin-unit and qualifier words of ``lexicons/places.yaml``."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("claimgraph.lexicons").joinpath("places.yaml").read_text(encoding="utf-8"))
    suffixes = {str(w).lower(): feature for feature, words in raw["admin_units"].items() for w in words}
    prefixes = {str(w).lower(): feature for feature, words in raw["of_prefixes"].items() for w in words}
    return UnitWords(suffixes, prefixes, frozenset(str(w).lower() for w in raw["qualifiers"]))


@dataclass(frozen=True, slots=True)
class Query:
    """One reading of a name: what to look up, the kind of unit the text named, and
    the place after a comma that the answer must lie in ("Paris, Texas")."""

    name: str
    hint: str | None = None
    qualifier: str | None = None


def readings(surface: str, words: UnitWords | None = None) -> Iterator[Query]:
    """Readings of a name, most literal first; the caller keeps the first that matches."""
    words = words or unit_words()
    name = " ".join(surface.split()).strip(" ,.;:'\"“”‘’()")
    if not name:
        return
    yield Query(name)
    qualifier = None
    if "," in name:
        head, _, tail = name.partition(",")
        name, qualifier = head.strip(), tail.strip() or None
        yield Query(name, None, qualifier)
    tokens = name.split()
    if tokens and tokens[0].lower() == "the":
        tokens = tokens[1:]
    hint = None
    if len(tokens) > 2 and tokens[1].lower() == "of" and tokens[0].lower() in words.prefixes:
        hint, tokens = words.prefixes[tokens[0].lower()], tokens[2:]
    elif len(tokens) > 1 and tokens[-1].lower() in words.suffixes:
        hint, tokens = words.suffixes[tokens[-1].lower()], tokens[:-1]
    if hint:
        yield Query(" ".join(tokens), hint, qualifier)
    if len(tokens) > 1 and tokens[0].lower() in words.qualifiers:
        yield Query(" ".join(tokens[1:]), hint, qualifier)


@dataclass(slots=True)
class Evidence:
    """What the article is about: weights per country (ISO2) and per (country, province key)."""

    countries: Counter[str] = field(default_factory=Counter)
    admin1: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, other: Evidence) -> None:
        self.countries.update(other.countries)
        self.admin1.update(other.admin1)

    def without(self, other: Evidence) -> Evidence:
        return Evidence(self.countries - other.countries, self.admin1 - other.admin1)


@dataclass(frozen=True, slots=True)
class Candidate:
    place: Place
    alternate: bool
    query: Query
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Decision:
    place: Place | None
    margin: float


class Resolver:
    """Resolves the place entities of one article at a time against one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.words = unit_words()

    # -- candidates ---------------------------------------------------------------
    def candidates(self, entity: Entity) -> list[Candidate]:
        """Every place any of the entity's names may denote, one entry per place."""
        found: dict[int, Candidate] = {}
        for surface in _surfaces(entity):
            for query in readings(surface, self.words):
                matches = self.gazetteer.lookup(query.name)
                if matches:
                    for m in matches:
                        old = found.get(id(m.place))
                        if old is None or (old.alternate and not m.alternate):
                            found[id(m.place)] = Candidate(m.place, m.alternate, query)
                    break
        return _merge_eponymous(list(found.values()))

    def _qualifies(self, place: Place, qualifier: str) -> bool:
        for m in self.gazetteer.lookup(qualifier):
            q = m.place
            if q.feature == "country" and q.country == place.country:
                return True
            if q.feature == "admin1" and q.country == place.country and place.admin1 and \
                    name_key(place.admin1) == name_key(q.name):
                return True
        return False

    def score(self, cand: Candidate, evidence: Evidence) -> float:
        place, query = cand.place, cand.query
        s = math.log10(max(place.population, 1000)) + FEATURE_BONUS[place.feature]
        if place.capital:
            s += CAPITAL_BONUS
        if cand.alternate:
            s -= ALTERNATE_PENALTY
        if query.hint:
            if query.hint == "admin2" and place.feature in ("admin2", "city"):
                s += 1.0 if place.feature == "admin2" else 0.0
            elif place.feature != query.hint:
                s -= HINT_PENALTY
        if query.qualifier and self._qualifies(place, query.qualifier):
            s += QUALIFIER_BONUS
        if place.country and evidence.countries.get(place.country, 0) > 0:
            top = max(evidence.countries.values())
            s += COUNTRY_EVIDENCE + evidence.countries[place.country] / top
        if place.feature in ("city", "admin2") and place.country and place.admin1 and \
                evidence.admin1.get((place.country, name_key(place.admin1)), 0) > 0:
            s += ADMIN1_EVIDENCE
        return s

    def decide(self, candidates: list[Candidate], evidence: Evidence) -> Decision:
        """The best candidate, if it clearly beats every rival that lies elsewhere."""
        if not candidates:
            return Decision(None, 0.0)
        scored = sorted(((self.score(c, evidence), c) for c in candidates), key=lambda t: -t[0])
        best_score, best = scored[0]
        rivals = [s for s, c in scored[1:] if _distance(best.place, c.place) > SAME_PLACE_KM]
        margin = best_score - rivals[0] if rivals else math.inf
        return Decision(best.place if margin >= MIN_MARGIN else None, margin)

    # -- the article ----------------------------------------------------------------
    def contribution(self, entity: Entity, candidates: list[Candidate]) -> Evidence:
        """What one entity says about the article's countries and provinces."""
        ev = Evidence()
        weight = len(entity.mentions) or 1
        if entity.type == "NORP":
            for surface in _surfaces(entity):
                iso = self.gazetteer.demonym(surface)
                if iso:
                    ev.countries[iso] += weight
                    break
            return ev
        decision = self.decide(candidates, Evidence())
        place = decision.place
        if place is None or decision.margin < EVIDENCE_MARGIN or not place.country:
            return ev
        ev.countries[place.country] += weight
        if place.feature in ("admin1", "city", "admin2") and place.admin1:
            ev.admin1[(place.country, name_key(place.admin1))] += weight
        return ev

    def resolve(self, entities: Iterable[Entity]) -> dict[str, Geo]:
        """Map each resolvable place entity's id to its Geo; the rest are left out."""
        places = [e for e in entities if e.type in PLACE_TYPES]
        people = [e for e in entities if e.type == "NORP"]
        cands = {e.id: self.candidates(e) for e in places}
        contrib = {e.id: self.contribution(e, cands.get(e.id, [])) for e in (*places, *people)}
        total = Evidence()
        for ev in contrib.values():
            total.add(ev)
        out: dict[str, Geo] = {}
        for entity in places:
            decision = self.decide(cands[entity.id], total.without(contrib[entity.id]))
            if decision.place is not None:
                out[entity.id] = to_geo(decision.place)
        return out


def _surfaces(entity: Entity) -> list[str]:
    """The entity's distinct names: canonical first, then aliases, then mention texts."""
    seen: dict[str, str] = {}
    for s in (entity.name, *entity.aliases, *(m.text for m in entity.mentions)):
        seen.setdefault(name_key(s), s)
    return [s for k, s in seen.items() if k]


def _distance(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _merge_eponymous(cands: list[Candidate]) -> list[Candidate]:
    """Drop a province when a city of the same name dominates it (New York, Kabul),
    unless the text named the unit ("Kabul province"); the city is what news means."""
    cities = [c for c in cands if c.place.feature == "city" and c.place.admin1]
    drop: set[int] = set()
    for c in cands:
        p = c.place
        if p.feature != "admin1" or c.query.hint == "admin1":
            continue
        for city in cities:
            q = city.place
            if q.country == p.country and name_key(q.admin1 or "") == name_key(p.name) and \
                    (q.population >= DOMINANT_CITY or q.population >= DOMINANT_SHARE * p.population):
                drop.add(id(p))
    return [c for c in cands if id(c.place) not in drop]


def to_geo(place: Place) -> Geo:
    return Geo(round(place.lat, 5), round(place.lon, 5), place.country, place.geonameid, place.name, place.feature)


def make_stage(settings: Settings) -> Stage:
    """The places stage; the gazetteer loads once here and is shared by every document."""
    resolver = Resolver(load_gazetteer(settings.gazetteer_min_population))

    def run(analysis: Analysis) -> Analysis:
        return analysis.add(places=resolver.resolve(analysis.entities))

    return run


__all__ = ["Candidate", "Decision", "Evidence", "Query", "Resolver", "make_stage", "readings", "to_geo"]

