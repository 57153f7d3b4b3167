"""The packaged gazetteer file (geo_store): written, read back, and refused when broken."""

from __future__ import annotations

import gzip
import math
import sqlite3
from pathlib import Path

import pytest

from claimgraph.pipeline.geo_sources import Place
from claimgraph.pipeline.geo_store import (
    ALTERNATE,
    OWN,
    PlaceStore,
    StoredGazetteer,
    StoreError,
    kept_alternates,
    store_path,
    write_store,
)

DATTA_KHEL = Place("Datta Khel", 32.9, 69.8, "PK", "1180000", "city", 1037, "Khyber Pakhtunkhwa", False, 3)
LAHORE = Place("Lahore", 31.55, 74.34, "PK", "1172451", "city", 6_310_888, "Punjab", True, 80)
NOWHERE = Place("Atlantis", math.nan, math.nan, "XA", None, "country", 0)


@pytest.fixture()
def small_store(tmp_path: Path) -> Path:
    path = tmp_path / "gazetteer.sqlite.gz"
    write_store(path, [(DATTA_KHEL, ["Dattakhel", "Shewa Village"]), (LAHORE, ["Lahor", "Lhr"]), (NOWHERE, [])])
    return path


def test_places_round_trip(small_store: Path) -> None:
    store = PlaceStore(small_store)
    assert store.size == 3
    got = store.place(0)
    assert (got.name, got.country, got.geonameid, got.admin1, got.population, got.fame, got.feature) == (
        "Datta Khel", "PK", "1180000", "Khyber Pakhtunkhwa", 1037, 3, "city")
    assert abs(got.lat - 32.9) < 1e-5 and abs(got.lon - 69.8) < 1e-5
    assert store.place(1).capital and math.isnan(store.place(2).lat)
    assert store.geonameids()["1172451"] == 1
    assert [p.name for _, p in store.by_feature("country")] == ["Atlantis"]


def test_names_are_folded_and_small_towns_keep_only_spelling_variants(small_store: Path) -> None:
    store = PlaceStore(small_store)
    assert store.postings("datta khel", OWN) == (0,)
    assert store.postings("dattakhel", ALTERNATE) == (0,)  # a spelling variant of a village
    assert store.postings("shewa village", ALTERNATE) == ()  # another name of it: never usable
    assert store.postings("lhr", ALTERNATE) == (1,)  # a big town keeps all its names
    assert kept_alternates(DATTA_KHEL, ["Dattakhel", "Miranshah"]) == ["Dattakhel"]


def test_a_missing_file_names_the_build_command(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"missing.*python -m claimgraph\.pipeline\.geo_store"):
        PlaceStore(tmp_path / "nothing.sqlite.gz")


def test_a_corrupt_file_is_an_error_not_other_places(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite.gz"
    bad.write_bytes(b"not gzip at all")
    with pytest.raises(StoreError, match="unreadable"):
        PlaceStore(bad)
    bad.write_bytes(gzip.compress(b"SQLite format 3\x00" + b"\x00" * 200))
    with pytest.raises(StoreError, match="rebuild it with"):
        PlaceStore(bad)


def test_another_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES ('version', '0')")
    conn.commit()
    conn.close()
    old = tmp_path / "old.sqlite.gz"
    old.write_bytes(gzip.compress(db.read_bytes()))
    with pytest.raises(StoreError, match="version '0'"):
        PlaceStore(old)


def test_the_packaged_file_with_the_lexicon_laid_over_it() -> None:
    gaz = StoredGazetteer(PlaceStore(store_path()))
    assert len(gaz.store.provinces) > 3000 and gaz.store.size > 250_000
    assert gaz.lookup("PoK")[0].place.name == "Azad Kashmir"  # an alias names its target first
    assert {(m.place.country, m.place.feature) for m in gaz.lookup("Britain")} >= {("GB", "country")}
    assert gaz.lookup("Mir Ali")[0].place.feature == "city"  # a lexicon town comes first
    assert any(m.place.name == "California" for m in gaz.lookup("Calif."))
    kandahar = [m.place for m in gaz.lookup("Kandahar") if m.place.country == "AF"]
    assert kandahar and kandahar[0].population > 300_000
    assert gaz.by_geonameid("1138958") is not None  # Kabul
    assert gaz.lookup("Kabul") == gaz.lookup("kabul")  # served from the per-name cache the second time


def test_divisions_give_ids_and_other_names_and_fill_what_the_town_table_lacks() -> None:
    from claimgraph.pipeline.gazetteer import name_key
    from claimgraph.pipeline.geo_divisions import Division, Divisions, enrich
    from claimgraph.pipeline.geo_sources import _usable

    rows = {1: Division(1, "Azad Jammu and Kashmir", "PK", "1184196", 1, None,
                        ("Azad Kashmir", "Pakistan Occupied Kashmir", "آزاد کشمیر")),
            2: Division(2, "Helmand", "AF", "1140043", 1, None, ("Helmand Province",)),
            3: Division(3, "Bagh District", "PK", "1183882", 2, 1, ("Bagh",)),
            4: Division(4, "Poonch Division", "PK", None, 2, 1, ())}
    divisions = Divisions(rows, {4: [(33.8, 73.8, 50_000)]})
    out = enrich(divisions, [("PK", "Azad Kashmir"), ("AF", "Helmand")], [("PK", "Azad Kashmir", "Bagh District")],
                 name_key, _usable)
    gid, others = out.admin1[("PK", "Azad Kashmir")]
    assert gid == "1184196" and "Pakistan Occupied Kashmir" in others and "آزاد کشمیر" not in others
    assert out.admin1[("AF", "Helmand")] == ("1140043", [])  # "Helmand Province" is the resolver's business
    assert out.admin2[("PK", "Azad Kashmir", "Bagh District")][0] == "1183882"
    [(added, province, towns)] = out.added  # a district with a town that the town table does not name
    assert added.name == "Poonch Division" and province == "Azad Kashmir" and towns


def test_the_old_build_command_points_to_the_packaged_file(capsys: pytest.CaptureFixture[str]) -> None:
    from claimgraph.pipeline import gazetteer

    assert gazetteer.main(["500"]) == 2
    assert "python -m claimgraph.pipeline.geo_store" in capsys.readouterr().err
