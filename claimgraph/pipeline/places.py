"""Stage ``places``: resolve GPE, LOC and FAC entities to a point and a country, offline.

Each place entity's names (canonical name, aliases, mention texts) are looked up in the
gazetteer; same-named candidates are then ranked (:mod:`geo_rank`) by how salient they
are and by what the article is about: the countries its unambiguous places and its
demonyms ("Pakistani officials") point to, and the provinces it names. "Hyderabad" is
the Indian city in an article about India and the Pakistani one in an article about
Pakistan.

Nothing is guessed: a name that is not in the gazetteer, a plain word that some
province happens to bear ("West"), or a name that several distant places share with no
evidence to choose between them, gets no ``geo``.

Admin-unit words ("Helmand province", "Kupwara district", "the city of Mosul") are
stripped before the look-up and say which kind of place is meant; a name used as a
demonym by the entity layer ("Russian" typed GPE) resolves to its country.

Besides place entities, a people word (NORP "Pakistani", "European") gets the country or
continent it names, and an organisation named after a well-known place ("Peshawar High
Court", "University of Texas") gets that place: both are what the article associates
with them, and :attr:`Geo.precision` says how exact each answer is (a country's centre
is never an event's location). Disputed names and acronyms ("PoK", "IIOJK",
"Pakistan-occupied Kashmir") are aliases in ``lexicons/places.yaml``; place cue words
("-Khel", "Kalay", "tehsil") are offered to the entity layer through :func:`place_cue`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from claimgraph.model import PLACE_TYPES, Analysis, Entity, Geo
from claimgraph.pipeline import Stage
from claimgraph.pipeline.gazetteer import Gazetteer, Match, load_gazetteer, name_key
from claimgraph.pipeline.geo_rank import EVIDENCE_MARGIN, Candidate, Decision, Evidence, Query, Ranker
from claimgraph.pipeline.geo_sources import Place, read_place_words
from claimgraph.settings import Settings

#: a town found through an alternate name must be at least this big, unless that name is
#: a spelling variant of its own ("Kupiansk" for Kupyansk, "Lakki Marwat" for Lakki):
#: GeoNames also lists former and local names of small towns, which often equal a
#: famous name elsewhere ("Washington Square" is a former name of a Long Island village)
ALTERNATE_MIN_POPULATION = 100_000
#: how alike (difflib ratio of the folded names) a spelling variant must be
VARIANT_SIMILARITY = 0.75
#: a city named like its own province is meant unless the text says "province" or
#: "state", when it is big or holds a good share of the province (New York, Kabul)
DOMINANT_CITY = 1_000_000
DOMINANT_SHARE = 0.25
#: a LOC or FAC entity (a sea, a region, an airport) that matches only a town is usually
#: a namesake ("Atlantic", Iowa; "Heathrow", Florida): only big towns are taken
LOC_CITY_MIN_POPULATION = 100_000
#: a place counts fully as evidence of its country from this size on, and in proportion
#: below it, so that small namesake towns cannot outvote the article's real subject
NOTABLE_POPULATION = 100_000


@dataclass(frozen=True, slots=True)
class PlaceWords:
    suffixes: dict[str, str]
    prefixes: dict[str, str]
    qualifiers: frozenset[str]
    generic: frozenset[str]
    compass: tuple[str, ...]
    country_prefixes: tuple[str, ...]
    facilities: frozenset[str] = frozenset()
    name_endings: tuple[str, ...] = ()
    words_after: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def place_words() -> PlaceWords:
    """The admin-unit, qualifier, generic, facility and cue words of ``lexicons/places.yaml``."""
    raw = read_place_words()
    suffixes = {str(w).lower(): feature for feature, words in raw["admin_units"].items() for w in words}
    prefixes = {str(w).lower(): feature for feature, words in raw["of_prefixes"].items() for w in words}
    longest_first = sorted((str(w).lower() for w in raw["compass"]), key=len, reverse=True)
    cues = raw.get("place_cues", {})
    return PlaceWords(suffixes, prefixes, frozenset(str(w).lower() for w in raw["qualifiers"]),
                      frozenset(name_key(str(w)) for w in raw["generic_names"]), tuple(longest_first),
                      tuple(sorted((str(w).lower() for w in raw["country_prefixes"]), key=len, reverse=True)),
                      frozenset(str(w).lower() for w in raw.get("facility_words", ())),
                      tuple(str(w).lower() for w in cues.get("name_endings", ())),
                      frozenset(str(w).lower() for w in cues.get("words_after", ())))


def place_cue(name: str, next_word: str | None = None, words: PlaceWords | None = None) -> str | None:
    """The cue that marks ``name`` as a place, or None: a village ending ("Datta Khel",
    "Tangai Kalay", "Jalalabad") or a unit word after it ("Balakot tehsil").

    Evidence for the entity typer, not a decision: "Khel" or "-abad" make a place likely,
    and the gazetteer still decides where it is."""
    words = words or place_words()
    if next_word and next_word.lower() in words.words_after:
        return next_word.lower()
    tokens = name.replace("-", " ").split()
    if not tokens or not tokens[0][:1].isupper():
        return None
    last = tokens[-1].lower()
    for ending in words.name_endings:
        if last == ending or (len(last) > len(ending) + 2 and last.endswith(ending)):
            return ending
    return None


def readings(surface: str, words: PlaceWords | None = None) -> Iterator[Query]:
    """Readings of a name, most literal first; the caller keeps the first that matches."""
    words = words or place_words()
    name = " ".join(surface.split()).strip(" ,;:'\"“”‘’()")
    if not name:
        return
    yield Query(name)
    qualifier = None
    if "," in name:
        head, _, tail = name.partition(",")
        name, qualifier = head.strip(), tail.strip() or None
        yield Query(name, None, qualifier)
    hint, tokens = _split_unit(name.split(), words)
    if hint and tokens:
        yield Query(" ".join(tokens), hint, qualifier)
    rest = " ".join(tokens)
    lowered = rest.lower()
    for prefix in words.country_prefixes:
        if lowered.startswith(prefix + " "):
            yield Query(rest[len(prefix) + 1:], "country", qualifier)
            break
    occupied = _OCCUPIED.match(rest)
    if occupied:  # "Israeli-occupied Golan Heights": the place itself; who holds it says
        # nothing about which country the gazetteer files it under (see the aliases of Kashmir)
        yield Query(occupied.group("rest"), hint, qualifier)
    if len(tokens) > 1 and tokens[0].lower() in words.qualifiers:
        yield Query(" ".join(tokens[1:]), hint, qualifier, vague=True)
    place = _facility_place(tokens, words)
    if place:
        yield Query(place, None, qualifier, facility=True)
    for compass in words.compass:
        if lowered.startswith(compass + " ") and len(rest) > len(compass) + 1:
            yield Query(rest[len(compass) + 1:], hint, qualifier, vague=True)
            break


_HELD_BY = re.compile(r"\b(?P<who>[A-Z][a-z]+)[- ](?P<verb>occupied|administered|controlled|held) $")
_OCCUPIED = re.compile(r"^(?P<who>[A-Z][\w]+)[- ](?:occupied|administered|controlled|held|annexed) (?P<rest>.+)$")


def _facility_place(tokens: list[str], words: PlaceWords) -> str | None:
    """The place a facility's name holds: "Amsterdam airport" -> Amsterdam, "University of
    California" -> California, "Cavan Institute" -> Cavan; None for other names."""
    if len(tokens) < 2:
        return None
    if tokens[0].lower() in words.facilities and len(tokens) > 2 and tokens[1].lower() == "of":
        return " ".join(tokens[2:])
    heads = [i for i, t in enumerate(tokens) if i > 0 and t.lower() in words.facilities]
    if heads:
        return " ".join(tokens[:heads[0]])
    return None


def _split_unit(tokens: list[str], words: PlaceWords) -> tuple[str | None, list[str]]:
    """("Helmand", "province") -> ("admin1", ["Helmand"]); ("city", "of", "Mosul") likewise."""
    if tokens and tokens[0].lower() == "the":
        tokens = tokens[1:]
    if len(tokens) > 2 and tokens[1].lower() == "of" and tokens[0].lower() in words.prefixes:
        return words.prefixes[tokens[0].lower()], tokens[2:]
    if len(tokens) > 1 and tokens[-1].lower() in words.suffixes:
        return words.suffixes[tokens[-1].lower()], tokens[:-1]
    return None, tokens


def unit_hint(surface: str, words: PlaceWords | None = None) -> str | None:
    """The kind of unit a name says it is: "Helmand province" -> admin1, else None."""
    return _split_unit(surface.replace(",", " ").split(), words or place_words())[0]


@lru_cache(maxsize=1 << 14)
def spelling_variant(name: str, own: str) -> bool:
    """Is ``name`` the same name as ``own`` spelt another way ("Kupiansk"/"Kupyansk"),
    or ``own`` with a word added ("Lakki Marwat"/"Lakki")? Used only to trust a listed
    alternate name, never to match a name the gazetteer does not list."""
    a, b = name_key(name), name_key(own)
    if a.startswith(b + " ") or b.startswith(a + " "):
        return True
    return SequenceMatcher(None, a, b).ratio() >= VARIANT_SIMILARITY


def _is_code(surface: str) -> bool:
    """"UK", "USA", "NSW": a short all-capitals code, which only a country or province answers."""
    letters = surface.replace(".", "").replace(" ", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 4


class Resolver:
    """Resolves the place entities of one article at a time against one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.ranker = Ranker(gazetteer)
        self.words = place_words()
        self.peoples = peoples(gazetteer)

    def _usable(self, match: Match, surface: str, query: str, entity_type: str, facility: bool = False) -> bool:
        place = match.place
        if match.alternate and entity_type == "FAC":
            return False  # a building is not a city under another name ("White House")
        if entity_type in ("LOC", "FAC") and place.feature == "city" and place.population < LOC_CITY_MIN_POPULATION \
                and not facility:
            return False
        if _is_code(surface) and (match.alternate or place.feature not in ("country", "admin1", "region")):
            return False
        if match.alternate and place.feature == "city" and place.population < ALTERNATE_MIN_POPULATION:
            return spelling_variant(query, place.name)
        return True

    def candidates(self, entity: Entity) -> list[Candidate]:
        """The places the entity's most specific name may denote, one entry per place."""
        surfaces = _surfaces(entity)
        people = self.gazetteer.demonym(entity.name) if entity.type in ("GPE", "LOC") else None
        land = self.gazetteer.country(people) if people else None
        if land is not None and not any(_notable(m) for m in self.gazetteer.lookup(entity.name)):
            # "Canadian" typed GPE is Canada, not the Texas town of Canadian
            return [Candidate(land, False, Query(entity.name))]
        part = self.peoples.get(name_key(entity.name)) if entity.type in ("GPE", "LOC") else None
        if part is not None and not any(_notable(m) for m in self.gazetteer.lookup(entity.name)):
            # "English" typed GPE is England, not the Indiana village of English
            return [Candidate(part, False, Query(entity.name))]
        hint = next((h for h in (unit_hint(s, self.words) for s in surfaces) if h), None)
        # a name that says what unit it is ("Hamilton County") is the most specific one
        surfaces.sort(key=lambda s: unit_hint(s, self.words) is None)
        for surface in surfaces:
            for query in readings(surface, self.words):
                if name_key(query.name) in self.words.generic:
                    continue
                matches = [m for m in self.gazetteer.lookup(query.name)
                           if self._usable(m, surface, query.name, entity.type, query.facility)
                           and not (query.vague and not _notable(m))]
                if matches:
                    cands = [Candidate(m.place, m.alternate, replace(query, hint=hint)) for m in matches]
                    return _refine(self.ranker.within_qualifier(cands))
        # the entity layer sometimes types a bare demonym as a place ("Russian" GPE)
        iso = self.gazetteer.demonym(entity.name) if entity.type in ("GPE", "LOC") else None
        country = self.gazetteer.country(iso) if iso else None
        return [Candidate(country, False, Query(entity.name))] if country is not None else []

    def decide(self, candidates: list[Candidate], evidence: Evidence) -> Decision:
        return self.ranker.decide(candidates, evidence)

    def contribution(self, entity: Entity, candidates: list[Candidate]) -> Evidence:
        """What one entity says about the article's countries and provinces."""
        ev = Evidence()
        weight = float(len(entity.mentions) or 1)
        if entity.type == "NORP":
            for surface in _surfaces(entity):
                part = self.peoples.get(name_key(surface))
                iso = self.gazetteer.demonym(surface) or (part.country if part is not None else None)
                if iso:
                    ev.vote(iso, weight)
                    break
            return ev
        decision = self.decide(candidates, Evidence())
        place = decision.place
        if place is None or decision.margin < EVIDENCE_MARGIN or not place.country:
            return ev
        if place.feature in ("city", "admin1", "admin2"):
            weight *= min(1.0, place.population / NOTABLE_POPULATION)
        ev.vote(place.country, weight, place.admin1)
        if place.feature in ("city", "admin2", "region"):
            ev.points.append((place.lat, place.lon))
        return ev

    def resolve(self, entities: Iterable[Entity], text: str | None = None) -> dict[str, Geo]:
        """Map each resolvable place entity's id to its Geo; the rest are left out.

        With the article's ``text``, a place written after "Pakistan-occupied" or
        "Indian-administered" (which the entity layer leaves outside the name) is read
        with those words: "Kashmir" there is Azad Kashmir, not the Indian state."""
        entities = list(entities)
        places = [e for e in entities if e.type in PLACE_TYPES]
        people = [e for e in entities if e.type == "NORP"]
        cands = {e.id: (self.held_by(e, text) if text else []) or self.candidates(e) for e in places}
        contrib = {e.id: self.contribution(e, cands.get(e.id, [])) for e in (*places, *people)}
        total = Evidence()
        for ev in contrib.values():
            total.add(ev)
        out: dict[str, Geo] = {}
        for entity in places:
            decision = self.decide(cands[entity.id], total.without(contrib[entity.id]))
            if decision.place is not None:
                out[entity.id] = to_geo(decision.place)
        for entity in people:
            land = self.people_place(entity)
            if land is not None:
                out[entity.id] = to_geo(land)
        for entity in entities:
            if entity.type == "ORG":
                home = self.named_place(entity, total)
                if home is not None:
                    out[entity.id] = to_geo(home)
        return out

    def named_place(self, entity: Entity, evidence: Evidence) -> Place | None:
        """The place an organisation is named after ("Peshawar High Court", "Kenya Airways",
        "University of Texas", "Pakistani Taliban"): where it is based or whose it is,
        which the article names inside the organisation's name. A country, province or
        region is taken; a town only when it has 100,000 people or more or the article
        names its province or a place near it: elsewhere a small town that shares a word
        with a company's name is a coincidence."""
        name = " ".join(entity.name.split())
        if not name or _is_code(name):
            return None
        for part, town in _named_parts(name.split()):
            iso = self.gazetteer.demonym(part)
            if iso and len(part.split()) == 1 and town:
                return self.gazetteer.country(iso)
            proxy = Entity(entity.id, part, "GPE", (), entity.mentions)
            decision = self.decide(self.candidates(proxy), evidence)
            place = decision.place
            if place is None or (part == name and not _whole_name_place(place, part)):
                continue
            if place.feature in ("country", "admin1", "region"):
                return place
            if town and (place.population >= NOTABLE_POPULATION or _local(place, evidence)):
                return place
        return None

    def held_by(self, entity: Entity, text: str) -> list[Candidate]:
        """Candidates of the name with the "X-occupied" words before one of its mentions,
        when the gazetteer knows that longer name (an alias such as "Pakistan-occupied
        Kashmir"); otherwise none."""
        for mention in entity.mentions:
            before = _HELD_BY.search(text, max(0, mention.start - 40), mention.start)
            if before is None:
                continue
            name = f"{before.group('who')}-{before.group('verb')} {mention.text}"
            matches = [m for m in self.gazetteer.lookup(name) if not m.alternate]
            if matches:
                return [Candidate(m.place, False, Query(name)) for m in matches]
        return []

    def people_place(self, entity: Entity) -> Place | None:
        """The country or region a people word names ("Pakistani" -> Pakistan, "European"
        -> Europe): the place the article associates with them, at country or region
        precision, never a point where something happened."""
        for surface in _surfaces(entity):
            part = self.peoples.get(name_key(surface))
            if part is not None:
                return part
            iso = self.gazetteer.demonym(surface)
            if iso:
                return self.gazetteer.country(iso)
            wide = [m.place for m in self.gazetteer.lookup(surface)
                    if not m.alternate and m.place.feature in ("continent", "region")]
            if len(wide) == 1:
                return wide[0]
        return None


def peoples(gazetteer: Gazetteer) -> dict[str, Place]:
    """``peoples`` of ``lexicons/places.yaml``: the people word of a part of a country
    ("English", "Scottish", "Bavarian") -> that part, as the gazetteer holds it. A target
    the gazetteer lacks is an error in the lexicon, reported by name."""
    found: dict[str, Place] = {}
    for word, (target, country, *feature) in read_place_words().get("peoples", {}).items():
        places = [m.place for m in gazetteer.lookup(str(target)) if not m.alternate
                  and (m.place.country or "") == (country or "") and (not feature or m.place.feature == feature[0])]
        if not places:
            raise ValueError(f"lexicons/places.yaml: people word {word!r} names {target!r} "
                             f"({country or 'no country'}), which the gazetteer does not hold")
        found[name_key(str(word))] = max(places, key=lambda p: p.population)
    return found


def _named_parts(tokens: list[str]) -> Iterator[tuple[str, bool]]:
    """The names an organisation's name may hold a place in, longest first, each with
    whether a town may be meant: the words after "of" ("Bank of England"), the whole name
    ("Pittsburgh" for its team) and its leading words ("Kenya Airways", "Peshawar High
    Court", "New York Police Department") may name a town; the trailing words ("Air Zimbabwe", "DeSmog Canada")
    only a country, province or region, since a company called "Bank Alfalah" is not in
    a town called Alfalah."""
    if "of" in tokens[:-1]:
        after = tokens[tokens.index("of") + 1:]
        if after and after[0].lower() == "the":
            after = after[1:]
        if after:
            yield " ".join(after), True
    for end in range(min(len(tokens), 3), 0, -1):
        if all(t[:1].isupper() for t in tokens[:end]):
            yield " ".join(tokens[:end]), True
    for start in range(max(1, len(tokens) - 2), len(tokens)):
        if "of" not in tokens and all(t[:1].isupper() for t in tokens[start:]):
            yield " ".join(tokens[start:]), False


def _whole_name_place(place: Place, name: str) -> bool:
    """An organisation called just like a place: a region ("Ghouta", mistyped) or a town of
    that very name ("Pittsburgh" the team) is where it is; a country or province is not
    taken ("Georgia" may be the state's university, the country's government or a firm,
    and the entity layer said it is no place), nor a town or district the name is only
    another name of ("Samsung" for Samseung, "Ocean" for Ocean County)."""
    if place.feature == "region":
        return True
    return place.feature == "city" and name_key(place.name) == name_key(name)


def _local(place: Place, evidence: Evidence) -> bool:
    """The article is about the place's surroundings: it names its province or another
    place within :data:`geo_rank.NEIGHBOUR_KM` ("Cavan Institute" in a story about County
    Cavan; "Nenagh MDC" beside "Tipperary")."""
    return bool(evidence.admin1_share(place.country, place.admin1)) or evidence.near(place)


def _notable(match: Match) -> bool:
    """After "northern" or "West" is stripped, only a well-known place is meant ("East
    Jerusalem"); "West Bank" must not become a village called Bank, nor "North Africa"
    the centre of Africa."""
    place = match.place
    if match.alternate or place.feature == "continent":
        return False
    return place.feature in ("country", "region", "admin1") or place.population >= NOTABLE_POPULATION


def _surfaces(entity: Entity) -> list[str]:
    """The entity's distinct names: canonical first, then aliases, then mention texts."""
    # distinct as written, not as folded: "Calif." must survive next to "Calif"
    names = dict.fromkeys(s.strip() for s in (entity.name, *entity.aliases, *(m.text for m in entity.mentions)))
    return [s for s in names if name_key(s)]


def _refine(cands: list[Candidate]) -> list[Candidate]:
    """Apply what the kind of unit says: with "district"/"county", a district of that name
    (when the gazetteer has one) is meant rather than a town; and a province gives way to
    a dominant city of the same name (New York, Kabul) unless the text named the unit."""
    hint = cands[0].query.hint if cands else None
    if hint == "admin2" and any(c.place.feature == "admin2" for c in cands):
        cands = [c for c in cands if c.place.feature != "city"]
    cities = [c.place for c in cands if c.place.feature == "city" and c.place.admin1]
    keep = []
    for c in cands:
        p = c.place
        if p.feature == "admin1" and hint != "admin1" and any(_dominates(q, p) for q in cities):
            continue
        keep.append(c)
    return keep


def _dominates(city: Place, province: Place) -> bool:
    return city.country == province.country and name_key(city.admin1 or "") == name_key(province.name) and (
        city.population >= DOMINANT_CITY or city.population >= DOMINANT_SHARE * province.population)


def to_geo(place: Place) -> Geo:
    return Geo(round(place.lat, 5), round(place.lon, 5), place.country, place.geonameid, place.name, place.feature)


def make_stage(settings: Settings) -> Stage:
    """The places stage; the gazetteer loads once here and is shared by every document."""
    resolver = Resolver(load_gazetteer(settings.places_min_population))

    def run(analysis: Analysis) -> Analysis:
        return analysis.add(places=resolver.resolve(analysis.entities, analysis.document.text))

    return run


__all__ = ["PlaceWords", "Resolver", "make_stage", "peoples", "place_words", "readings", "to_geo", "unit_hint"]
