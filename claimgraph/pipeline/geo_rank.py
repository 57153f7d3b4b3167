"""Choosing among same-named places: salience, article evidence, and a refusal to guess.

Every candidate gets a score on a log10 scale: its population, plus bonuses for what
makes a place the likely referent in news (a country or a national capital; a town known
widely enough to have many names in GeoNames), plus evidence from the article itself
(the countries it is about, the provinces it names, the place after a comma as in
"Paris, Texas"). The best candidate is taken only when it beats every rival lying
elsewhere by :data:`MIN_MARGIN`; rivals within 161 km are the same answer on a map.
Two more refusals keep namesakes out: a small town in a country the article does not
talk about, and a minor town (under 15,000 people) that neither a named province nor a
nearby place of the same article supports.

The weights are round numbers chosen for the reasons given beside each, not fitted to a
benchmark: one unit is a factor of ten in population.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from claimgraph.pipeline.gazetteer import Gazetteer, name_key
from claimgraph.pipeline.geo_sources import Place, haversine_km

#: rivals nearer than this to the chosen place are the same answer on a map
SAME_PLACE_KM = 161.0
#: the chosen candidate must beat every distant rival by this much (a factor of ~3)
MIN_MARGIN = 0.5
#: a resolution this clear is trusted as evidence for the other places of the article
EVIDENCE_MARGIN = 1.0
#: countries and continents outrank same-named towns ("Mexico", "Georgia" with no context)
FEATURE_BONUS = {"continent": 3.0, "country": 2.0, "region": 3.0, "admin1": 0.0, "admin2": -0.5, "city": 0.0}
#: a national capital is what a bare name means in news (Washington, Kabul)
CAPITAL_BONUS = 1.5
#: per factor of ten in the number of GeoNames alternate names of a town
FAME_WEIGHT = 0.5
#: a historic or foreign-language name is weaker evidence than the place's own name
ALTERNATE_PENALTY = 1.5
#: the text named another kind of unit ("Kabul province" is not the city)
HINT_PENALTY = 2.0
#: a candidate in a country the article is about, in proportion to that country's share
#: of the article's evidence (its main country gets the full weight)
COUNTRY_EVIDENCE = 2.0
#: the share of COUNTRY_EVIDENCE that any country the article names earns
MENTIONED_SHARE = 0.5
#: a town smaller than this takes only SMALL_TOWN_COUNTRY_SHARE of the country evidence
#: unless its province or a neighbour is named too
NOTABLE_TOWN = 100_000
SMALL_TOWN_COUNTRY_SHARE = 0.6
#: a country with less than this share of the article's evidence is not what it is about
MIN_SHARE = 0.1
#: a candidate in (or being) a province the article names, scaled by that province's share
ADMIN1_EVIDENCE = 1.0
#: a town smaller than this, in a country the article never mentions while it does
#: mention others, is more likely a namesake than the place meant: not resolved
FOREIGN_MIN_POPULATION = 100_000
#: a town smaller than this is taken only with support from the article: its province
#: is named, or another place of the article lies within :data:`NEIGHBOUR_KM`. Small
#: towns are mostly namesakes of something else ("Atlantic", Iowa; "Arab", Alabama)
MINOR_POPULATION = 15_000
NEIGHBOUR_KM = 150.0


@dataclass(frozen=True, slots=True)
class Query:
    """One reading of a name: what to look up, the kind of unit the text named, and
    the place after a comma that the answer must lie in ("Paris, Texas")."""

    name: str
    hint: str | None = None
    qualifier: str | None = None
    #: a word like "northern" was stripped: the text means a part of the place
    vague: bool = False
    #: a facility word was stripped ("Amsterdam airport", "University of California"):
    #: the place is where the facility stands, so a town is what is meant
    facility: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    place: Place
    alternate: bool
    query: Query


@dataclass(frozen=True, slots=True)
class Decision:
    """The chosen place (None: unresolved) and how far ahead of its best distant rival."""

    place: Place | None
    margin: float


@dataclass(slots=True)
class Evidence:
    """What the article is about: weights per country (ISO2) and per (country, province key)."""

    countries: dict[str, float] = field(default_factory=dict)
    admin1: dict[tuple[str, str], float] = field(default_factory=dict)
    #: the points of the article's confidently resolved places below country level
    points: list[tuple[float, float]] = field(default_factory=list)

    def vote(self, iso2: str, weight: float, admin1: str | None = None) -> None:
        self.countries[iso2] = self.countries.get(iso2, 0.0) + weight
        if admin1:
            key = (iso2, name_key(admin1))
            self.admin1[key] = self.admin1.get(key, 0.0) + weight

    def add(self, other: Evidence) -> None:
        for iso2, weight in other.countries.items():
            self.countries[iso2] = self.countries.get(iso2, 0.0) + weight
        for key, weight in other.admin1.items():
            self.admin1[key] = self.admin1.get(key, 0.0) + weight
        self.points.extend(other.points)

    def without(self, other: Evidence) -> Evidence:
        """The evidence minus one entity's own share, so that no place votes for itself."""
        countries = {k: w - other.countries.get(k, 0.0) for k, w in self.countries.items()}
        admin1 = {k: w - other.admin1.get(k, 0.0) for k, w in self.admin1.items()}
        own = set(other.points)
        return Evidence({k: w for k, w in countries.items() if w > 1e-9},
                        {k: w for k, w in admin1.items() if w > 1e-9},
                        [p for p in self.points if p not in own])

    def near(self, place: Place) -> bool:
        return any(haversine_km(place.lat, place.lon, lat, lon) <= NEIGHBOUR_KM for lat, lon in self.points)

    def country_share(self, iso2: str | None) -> float:
        if not iso2 or not self.countries.get(iso2):
            return 0.0
        return self.countries[iso2] / max(self.countries.values())

    def admin1_share(self, iso2: str | None, admin1: str | None) -> float:
        if not iso2 or not admin1:
            return 0.0
        weight = self.admin1.get((iso2, name_key(admin1)), 0)
        return weight / max(self.admin1.values()) if weight else 0.0


class Ranker:
    """Scores candidates and decides, given the article's evidence."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def within_qualifier(self, candidates: list[Candidate]) -> list[Candidate]:
        """"Paris, Texas": keep the candidates inside the country or province named after
        the comma. When that names a known unit and no candidate lies in it, the town is
        one the gazetteer lacks, so none is kept; an unknown qualifier is ignored."""
        qualifier = candidates[0].query.qualifier if candidates else None
        if not qualifier:
            return candidates
        units = [m.place for m in self.gazetteer.lookup(qualifier) if m.place.feature in ("country", "admin1")]
        iso = self.gazetteer.demonym(qualifier) if not units else None  # "Israeli-occupied ..."
        country = self.gazetteer.country(iso) if iso else None
        if country is not None:
            units = [country]
        if not units:
            return candidates
        return [c for c in candidates if any(_inside(c.place, u) for u in units)]

    def score(self, cand: Candidate, evidence: Evidence) -> float:
        place, query = cand.place, cand.query
        s = math.log10(max(place.population, 1000)) + FEATURE_BONUS[place.feature]
        if place.feature == "city":
            s += FAME_WEIGHT * math.log10(1 + place.fame)
            if place.capital and query.hint != "admin2":
                s += CAPITAL_BONUS
        if cand.alternate:
            s -= ALTERNATE_PENALTY
        if query.hint and place.feature != query.hint and not (query.hint == "admin2" and place.feature == "city"):
            s -= HINT_PENALTY
        share = evidence.country_share(place.country)
        if share:
            # a country the article names at all earns half the weight, its main country all
            # of it; a town under 100,000 that nothing nearer supports (its province, a
            # neighbour) earns less: that the article is about India does not make an obscure
            # Indian town the "Kandahar" meant when a city of half a million bears the name
            weight = COUNTRY_EVIDENCE * (MENTIONED_SHARE + (1 - MENTIONED_SHARE) * share)
            if place.feature == "city" and place.population < NOTABLE_TOWN and \
                    not evidence.admin1_share(place.country, place.admin1) and not evidence.near(place):
                weight *= SMALL_TOWN_COUNTRY_SHARE
            s += weight
        if place.feature in ("city", "admin2", "admin1"):
            s += ADMIN1_EVIDENCE * evidence.admin1_share(place.country, place.admin1)
        return s

    def decide(self, candidates: list[Candidate], evidence: Evidence) -> Decision:
        """The best candidate, if it clearly beats every rival that lies elsewhere."""
        if not candidates:
            return Decision(None, 0.0)
        scored = sorted(((self.score(c, evidence), c) for c in candidates), key=lambda t: -t[0])
        best_score, best = scored[0]
        rivals = [s for s, c in scored[1:] if _distance(best.place, c.place) > SAME_PLACE_KM]
        margin = best_score - rivals[0] if rivals else math.inf
        if margin < MIN_MARGIN or _stray(best.place, evidence, sole=not rivals and not best.alternate) or \
                (best.alternate and evidence.countries and evidence.country_share(best.place.country) < MIN_SHARE):
            # an old or foreign name of a town abroad ("Hamid" for Isparta) in an article
            # about other countries is a namesake of something else, not that town
            return Decision(None, margin)
        return Decision(best.place, margin)


def _inside(place: Place, unit: Place) -> bool:
    if place.country != unit.country:
        return False
    return unit.feature == "country" or bool(place.admin1 and name_key(place.admin1) == name_key(unit.name))


def _stray(place: Place, evidence: Evidence, *, sole: bool = False) -> bool:
    """A small place abroad in an article plainly about other countries, or a minor town
    that nothing else in the article supports. A town that is the only place of its
    name anywhere is supported enough by the article talking about its country
    ("Nenagh" in a story about Ireland); one of many namesakes needs its province or a
    neighbour named too."""
    if place.feature in ("country", "continent", "region") or place.capital:
        return False
    if place.feature == "city" and place.population < MINOR_POPULATION and \
            not evidence.admin1_share(place.country, place.admin1) and not evidence.near(place) and \
            not (sole and evidence.country_share(place.country) >= MIN_SHARE):
        return True
    if not evidence.countries:
        return False
    return evidence.country_share(place.country) < MIN_SHARE and place.population < FOREIGN_MIN_POPULATION


def _distance(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


__all__ = ["MIN_MARGIN", "SAME_PLACE_KM", "Candidate", "Decision", "Evidence", "Query", "Ranker"]
