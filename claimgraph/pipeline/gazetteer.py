"""An offline gazetteer: normalised place name -> every place that bears it.

The places stage's gazetteer (towns of 500 people or more) is the packaged file of
:mod:`geo_store`, opened in memory with the lexicon laid over it (:class:`geo_store.StoredGazetteer`).
The others (the entity layer's 5,000) are built here from PyPI-packaged GeoNames data (see
:mod:`geo_sources`) and loaded once per process per population threshold
(:func:`load_gazetteer` is cached). Building one parses
up to 180 MB of JSON and CSV (a minute, ~600 MB), so it runs once, in a child process
(``python -m claimgraph.pipeline.gazetteer 500`` does the same by hand), and the finished
index is kept under the user's cache directory as a compact columnar table
(:class:`PlaceTable`), keyed by the size and date of every source file and of this code:
any change rebuilds it, and a missing or unreadable cache is rebuilt, which gives the
same places. A missing source file is an error naming it (:func:`geo_sources.source_files`).

Names are compared by :func:`name_key`, which folds case, accents, dots, hyphens,
apostrophes, a leading "the" and the "St."/"Saint" family, so "the U.S.", "US" and
"U.S" are one key, as are "St. Louis" and "Saint Louis". Nothing fuzzier: two names
that differ after folding are different names, because a near-miss match would be a
guess about a different place.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import subprocess
import sys
import tempfile
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import overload

from claimgraph.pipeline.geo_sources import (
    FEATURES,
    Place,
    build_places,
    read_country_lexicon,
    read_place_words,
    source_files,
)

log = logging.getLogger(__name__)

#: bump when the pickled layout changes (code changes already invalidate the cache)
_CACHE_FORMAT = 4
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_/,;:()\[\]\"“”]+")
_DROP = re.compile(r"[.]")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "&": "and"}


def abbreviation_key(name: str) -> str:
    """Abbreviations match as written, dots included: "Ill." is Illinois, "ill" is not."""
    return " ".join(name.casefold().split())


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The folded form two names must share to be the same gazetteer name (cached: the
    ranker folds the same few hundred names of an article many times)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _APOSTROPHES.sub("'", text)
    if text.endswith("'s"):
        text = text[:-2]
    text = _DROP.sub("", _APOSTROPHES.sub("", text))
    words = [w for w in _SEPARATORS.split(text) if w]
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


@dataclass(frozen=True, slots=True)
class Match:
    """A place a name may refer to; ``alternate`` when the name is not the place's own."""

    place: Place
    alternate: bool


class PlaceTable(Sequence[Place]):
    """The gazetteer's places as columns (arrays of numbers and one list of names), turned
    into :class:`Place` objects only when looked up.

    cities500 holds a quarter of a million places: as objects they take ~400 MB and ten
    seconds to unpickle; as columns ~40 MB and a fraction of that."""

    def __init__(self, places: Iterable[Place] = ()) -> None:
        self.names: list[str] = []
        self.coords = array("f")
        self.population = array("Q")
        self.fame = array("I")
        self.flags = array("B")  # feature index * 2 + capital
        self.countries = array("H")
        self.admin1 = array("I")
        self.geonameids = array("Q")
        self.codes: list[str] = [""]  # country codes; 0 = none
        self.provinces: list[str] = [""]  # admin-1 names; 0 = none
        code_ids: dict[str, int] = {}
        province_ids: dict[str, int] = {}
        for p in places:
            self.names.append(p.name)
            self.coords.extend((p.lat, p.lon))
            self.population.append(max(0, p.population))
            self.fame.append(p.fame)
            self.flags.append(FEATURES.index(p.feature) * 2 + int(p.capital))
            self.countries.append(_intern(code_ids, self.codes, p.country))
            self.admin1.append(_intern(province_ids, self.provinces, p.admin1))
            self.geonameids.append(int(p.geonameid) if p.geonameid and p.geonameid.isdigit() else 0)

    def __len__(self) -> int:
        return len(self.names)

    @overload
    def __getitem__(self, index: int) -> Place: ...

    @overload
    def __getitem__(self, index: slice) -> list[Place]: ...

    def __getitem__(self, index: int | slice) -> Place | list[Place]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        flags = self.flags[index]
        gid = self.geonameids[index]
        return Place(self.names[index], float(self.coords[2 * index]), float(self.coords[2 * index + 1]),
                     self.codes[self.countries[index]] or None, str(gid) if gid else None, FEATURES[flags // 2],
                     int(self.population[index]), self.provinces[self.admin1[index]] or None, bool(flags % 2),
                     int(self.fame[index]))

    def feature(self, index: int) -> str:
        return FEATURES[self.flags[index] // 2]


def _intern(ids: dict[str, int], table: list[str], value: str | None) -> int:
    if not value:
        return 0
    if value not in ids:
        ids[value] = len(table)
        table.append(value)
    return ids[value]


#: index values: one place's position, or a tuple of several (most names have one place)
Postings = int | tuple[int, ...]


def _postings(value: Postings | None) -> tuple[int, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, int) else value


def _pack(index: dict[str, list[int]]) -> dict[str, Postings]:
    return {k: v[0] if len(v) == 1 else tuple(v) for k, v in index.items()}


class Gazetteer:
    """Look-ups over the place table; built by :func:`load_gazetteer`, read-only after."""

    def __init__(self, places: PlaceTable, names: dict[str, Postings], alternates: dict[str, Postings],
                 demonyms: dict[str, str], abbreviations: dict[str, Postings]) -> None:
        self.places: Sequence[Place] = places
        self._table = places
        self._names = names
        self._alternates = alternates
        self._demonyms = demonyms
        self._abbreviations = abbreviations
        self._countries = {p.country: p for p in (places[i] for i in range(len(places))
                                                   if places.feature(i) == "country") if p.country}
        self._ids: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.places)

    def lookup(self, name: str) -> list[Match]:
        """Every place named ``name``: own names first, then alternate names."""
        key = name_key(name)
        own = [*_postings(self._names.get(key)), *_postings(self._abbreviations.get(abbreviation_key(name)))]
        seen = set(own)
        matches = [Match(self.places[i], False) for i in own]
        matches += [Match(self.places[i], True) for i in _postings(self._alternates.get(key)) if i not in seen]
        return matches

    def country(self, iso2: str) -> Place | None:
        return self._countries.get(iso2)

    def by_geonameid(self, geonameid: str) -> Place | None:
        if self._ids is None:  # only the evaluator asks: built on first use
            self._ids = {str(g): i for i, g in enumerate(self._table.geonameids) if g}
        index = self._ids.get(geonameid)
        return None if index is None else self.places[index]

    def demonym(self, word: str) -> str | None:
        """The ISO2 country a people word names ("Pakistanis" -> PK), or None."""
        key = name_key(word)
        found = self._demonyms.get(key)
        if found is None and key.endswith("s"):
            found = self._demonyms.get(key[:-1])
        return found


def build_gazetteer(min_population: int) -> Gazetteer:
    """Build the index from the sources (slow: seconds); :func:`load_gazetteer` caches it."""
    places: list[Place] = []
    names: dict[str, list[int]] = {}
    alternates: dict[str, list[int]] = {}
    abbreviations: dict[str, list[int]] = {}
    for place, alt_names in build_places(min_population):
        index = len(places)
        places.append(place)
        key = name_key(place.name)
        # "The Valley" is found as "Valley" only as an alternate name: a bare common word
        # must not reach a small town through its article
        own = alternates if place.feature == "city" and place.name.casefold().startswith("the ") else names
        if key:
            own.setdefault(key, []).append(index)
        if place.feature == "admin1":
            # a province's only other names are newspaper abbreviations ("Calif.", "B.C."),
            # which must keep their dots: without them they are words ("Miss", "Man")
            for abbreviation in alt_names:
                abbreviations.setdefault(abbreviation_key(abbreviation), []).append(index)
            continue
        for alt in {name_key(a) for a in alt_names} - {key}:
            if alt:
                # the lexicon's country and region variants count as own names
                target = names if place.feature in ("country", "region") else alternates
                target.setdefault(alt, []).append(index)
    _add_aliases(places, names)
    lexicon = read_country_lexicon()
    demonyms = {name_key(d): iso for iso, words in lexicon.demonyms.items() for d in words}
    return Gazetteer(PlaceTable(places), _pack(names), _pack(alternates), demonyms, _pack(abbreviations))


#: which place an alias means when its target name has several in the same country
ALIAS_PREFERENCE = {"continent": 0, "country": 1, "region": 2, "admin1": 3, "admin2": 4, "city": 5}


def _add_aliases(places: list[Place], names: dict[str, list[int]]) -> None:
    """``aliases`` of ``lexicons/places.yaml`` ("PoK", "IIOJK", "European") as own names of
    the place they stand for; an alias whose target the gazetteer lacks is an error in
    the lexicon, reported by name rather than silently dropped."""
    for alias, (target, country, *feature) in read_place_words().get("aliases", {}).items():
        found = [i for i in names.get(name_key(str(target)), [])
                 if (places[i].country or "") == (country or "") and (not feature or places[i].feature == feature[0])]
        if not found:
            raise ValueError(f"lexicons/places.yaml: alias {alias!r} names {target!r} ({country or 'no country'}), "
                             "which the gazetteer does not hold")
        best = min(found, key=lambda i: (ALIAS_PREFERENCE[places[i].feature], -places[i].population))
        key = name_key(str(alias))
        names[key] = [best, *(i for i in names.get(key, []) if i != best)]


def _cache_path(min_population: int) -> Path:
    stamp = hashlib.sha256(repr((_CACHE_FORMAT, min_population)).encode())
    code = [Path(__file__), Path(__file__).with_name("geo_sources.py")]
    for path in [*source_files(min_population), *code]:
        stat = path.stat()
        stamp.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return Path.home() / ".cache" / "claimgraph" / f"gazetteer-{min_population}-{stamp.hexdigest()[:16]}.pickle"


def _read_cache(path: Path) -> Gazetteer | None:
    try:
        with path.open("rb") as fh:
            places, names, alternates, demonyms, abbreviations = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as exc:
        # the cache is derived data: rebuilding it from the sources gives the same places
        log.warning("gazetteer cache %s is unreadable (%s); rebuilding it", path, exc)
        return None
    return Gazetteer(places, names, alternates, demonyms, abbreviations)


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    """Write atomically; a failure only costs the next process a rebuild."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob(f"gazetteer-{path.name.split('-')[1]}-*.pickle"):
            stale.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            state = (gazetteer.places, gazetteer._names, gazetteer._alternates, gazetteer._demonyms,
                     gazetteer._abbreviations)
            pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("could not cache the gazetteer at %s: %s", path, exc)


@lru_cache(maxsize=2)
def load_gazetteer(min_population: int = 15000, *, use_cache: bool = True) -> Gazetteer:
    """The gazetteer for cities of at least ``min_population`` (500, 1000, 5000 or 15000).

    500 (the places stage's) is the packaged file of :mod:`geo_store`; the others (the
    entity layer's 5,000) are built from the PyPI tables and cached per machine.
    ``use_cache=False`` builds any of them from the sources in this process."""
    if min_population not in (500, 1000, 5000, 15000):
        raise ValueError(f"gazetteer_min_population must be one of 500, 1000, 5000, 15000, not {min_population}")
    if min_population == 500 and use_cache:
        # the packaged file (geo_store): nothing to parse or cache, opened in milliseconds
        from claimgraph.pipeline.geo_store import PlaceStore, StoredGazetteer

        return StoredGazetteer(PlaceStore())
    source_files(min_population)  # a missing source is an error naming it, never a smaller gazetteer
    try:
        path = _cache_path(min_population) if use_cache else None
    except (RuntimeError, OSError) as exc:  # no home directory, unreadable source stats
        log.warning("not caching the gazetteer: %s", exc)
        path = None
    if path is not None and not path.is_file():
        _build_in_child(min_population)
    if path is not None and path.is_file():
        cached = _read_cache(path)
        if cached is not None:
            return cached
    gazetteer = build_gazetteer(min_population)
    if path is not None:
        _write_cache(path, gazetteer)
    return gazetteer


def _build_in_child(min_population: int) -> None:
    """Build and cache the index in a separate process: parsing GeoNames' tables takes
    ~600 MB for a minute, which the analysing process then never holds (its peak stays
    that of the compact index). A child that fails leaves the build to this process."""
    command = [sys.executable, "-m", "claimgraph.pipeline.gazetteer", str(min_population)]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=900)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("building the gazetteer in a child process failed (%s); building it here", exc)


def main(argv: list[str] | None = None) -> int:
    """``python -m claimgraph.pipeline.gazetteer [MIN_POPULATION]``: build the cached index now
    (default 5,000, the entity layer's; 1,000 and 15,000 too)."""
    # the package's own module, not ``__main__``: the pickle must name classes by their
    # importable path (claimgraph.pipeline.gazetteer.PlaceTable) for other processes to load it
    from claimgraph.pipeline import gazetteer

    args = sys.argv[1:] if argv is None else argv
    min_population = int(args[0]) if args else 5000
    if min_population == 500:
        print("the 500-town gazetteer is the packaged file: rebuild it with `python -m claimgraph.pipeline.geo_store`",
              file=sys.stderr)
        return 2
    path = gazetteer._cache_path(min_population)
    gazetteer._write_cache(path, gazetteer.build_gazetteer(min_population))
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["FEATURES", "Gazetteer", "Match", "Place", "PlaceTable", "abbreviation_key", "build_gazetteer",
           "load_gazetteer", "name_key"]
