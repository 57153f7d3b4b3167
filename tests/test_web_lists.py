"""The analyst's lists and views (#16): the entity list page, the paged claims explorer, the
totals of the API's lists, and what the map and graph pages hand their scripts, over the
sample corpus in process."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from claimgraph.corpus import browse, queries
from claimgraph.corpus.store import Store
from claimgraph.web.app import create_app


@pytest.fixture(scope="module")
def store(sample_corpus_db: Path) -> Iterator[Store]:
    s = Store.open(sample_corpus_db, create=False)
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store))


def rows(body: str) -> list[str]:
    return re.findall(r'<tr><td><a href="/entity/(ce-[0-9a-f]+)">', body)


def test_entity_list_pages_with_a_total_and_filters_by_type(client: TestClient, store: Store) -> None:
    total = browse.count_entities(store)
    first = client.get("/entities")
    assert first.status_code == 200 and f"({total})" in first.text
    assert len(rows(first.text)) == min(total, 50) and f"page 1 of {-(-total // 50)}" in first.text
    if total > 50:
        second = client.get("/entities", params={"page_no": 2}).text
        assert not set(rows(second)) & set(rows(first.text))
        assert 'rel="prev"' in second
    people = client.get("/entities", params={"type": "PERSON"}).text
    assert set(re.findall(r'class="badge et-(\w+)"', people)) == {"PERSON"}
    assert 'value="PERSON" selected' in people
    named = client.get("/entities", params={"q": "Ghazanfar", "order": "name"}).text
    names = re.findall(r'<a href="/entity/ce-[0-9a-f]+">([^<]+)</a>', named)
    assert names and names == sorted(names)
    assert client.get("/entities", params={"q": "<script>x"}).text.count("<script>x") == 0


def test_entity_list_in_the_navigation_and_api_total(client: TestClient) -> None:
    assert 'href="/entities"' in client.get("/").text
    page = client.get("/api/entities", params={"q": "Ghazanfar", "limit": 2}).json()
    assert page["total"] >= len(page["items"]) > 0


def test_claims_explorer_pages_sorts_by_corroboration_and_hides_one_word_claims(client: TestClient,
                                                                                store: Store) -> None:
    total = store.count("claims")
    first = client.get("/claims").text
    assert f"{total} claims" in first and "the first 300" not in first
    if total > 100:
        assert f"page 1 of {-(-total // 100)}" in first
        second = client.get("/claims", params={"page_no": 2}).text
        assert 'rel="prev"' in second and second.count('class="claim-group"') > 0
    ranked = queries.claims(store, order="corroboration", limit=50)
    reports = [r["reports"] for r in ranked]
    assert reports == sorted(reports, reverse=True) and reports[0] >= 2
    multi = queries.claims(store, multi_word=True, limit=1000)
    assert multi and all(" " in c["content"] for c in multi)
    assert queries.count_claims(store, multi_word=True) == len(multi) <= total
    hidden = client.get("/claims", params={"short": "hide"}).text
    assert 'name="short" value="hide" checked' in hidden


def test_api_lists_have_totals(client: TestClient, store: Store) -> None:
    events = client.get("/api/events", params={"limit": 3}).json()
    assert events["total"] == store.count("events") and len(events["items"]) == 3
    claims = client.get("/api/claims", params={"limit": 3, "order": "corroboration", "multi_word": "true"}).json()
    assert claims["total"] == queries.count_claims(store, multi_word=True)
    assert client.get("/api/claims", params={"order": "loudest"}).status_code == 422


def embedded(body: str, marker: str) -> Any:
    found = re.search(marker + r"\">(.*?)</script>", body, flags=re.S)
    assert found, marker
    return json.loads(found.group(1))


def test_map_page_points_only_below_country_level_and_shaded_countries(client: TestClient) -> None:
    body = client.get("/map").text
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer>' in body and "<script>" not in body
    data = embedded(body, 'id="world-map-data')
    assert data["points"] and all(p["precision"] in ("point", "area", None) for p in data["points"])
    assert all(e["precision"] in ("country", "region", "continent") for c in data["countries"].values()
               for e in c["events"])
    assert "586" in data["countries"]  # Pakistan, by Natural Earth's ISO numeric id
    narrow = embedded(client.get("/map", params={"since": "2025-03", "until": "2025-03"}).text,
                      'id="world-map-data')
    dates = [e["when_value"] for p in narrow["points"] for e in p["events"]]
    assert dates and all(str(d).startswith("2025-03") for d in dates)
    assert client.get("/static/vendor/world-atlas/countries-50m.json").status_code == 200


def test_graph_page_carries_typed_ties_with_preset_positions(client: TestClient) -> None:
    body = client.get("/graph").text
    data = embedded(body, 'class="graph-data')
    assert {"co-mention", "event", "claim"} <= set(data["kinds"])
    ids = {n["id"] for n in data["nodes"]}
    assert all(isinstance(n["x"], float | int) and isinstance(n["y"], float | int) for n in data["nodes"])
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    assert all(e["label"] for e in data["edges"] if e["kind"] == "event")
    assert '<svg class="graph"' in body  # the drawing stays for a browser without scripts
