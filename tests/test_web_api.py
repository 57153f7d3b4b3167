"""The REST API (#6), in process through ``httpx.ASGITransport`` over the sample corpus in a real
SQLite file: the schema, pages and their bounds, every filter, errors as JSON, the analyze
limits, the token, entity corrections, and the security headers on every kind of response."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from claimgraph.cli import app as cli_app
from claimgraph.cli_web import url_for
from claimgraph.corpus import queries
from claimgraph.corpus.store import Store
from claimgraph.web.app import create_app
from claimgraph.web.security import SECURITY_HEADERS, is_loopback
from tests.conftest import BACKENDS, SCHEMA, copy_store

ROUTES = {("/api/documents", "get"), ("/api/documents/{doc_id}", "get"), ("/api/entities", "get"),
          ("/api/entities/profile", "get"), ("/api/entities/{entity_id}", "get"),
          ("/api/entities/{entity_id}/members", "get"), ("/api/graph", "get"), ("/api/claims", "get"),
          ("/api/events", "get"), ("/api/timeline", "get"), ("/api/search", "get"), ("/api/stats", "get"),
          ("/api/analyze", "post"), ("/api/entities/merge", "post"), ("/api/entities/split", "post"),
          ("/api/entities/undo", "post"), ("/api/merges", "get")}
ARTICLE = ("Army says militants attacked a checkpoint\n\nPESHAWAR — Militants attacked an army checkpoint in "
           "Bannu on Saturday, the army's media wing said. \"Three soldiers were killed,\" said Major General "
           "Ahmed Sharif, the spokesman. Officials who spoke on condition of anonymity said the attackers "
           "belonged to Harakat al-Nasr al-Islami.")


def request(app: FastAPI, method: str, url: str, *, client: tuple[str, int] = ("127.0.0.1", 50000),
            **kwargs: Any) -> httpx.Response:
    """One request through the ASGI transport (a fresh client and event loop per call)."""
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=client)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.request(method, url, **kwargs)
    return asyncio.run(go())


@pytest.fixture(scope="module")
def store(sample_corpus: str) -> Iterator[Store]:
    st = Store.open(sample_corpus, create=False)
    yield st
    st.close()


@pytest.fixture(scope="module")
def app(store: Store) -> FastAPI:
    return create_app(store)


def get(app: FastAPI, url: str, status: int = 200) -> Any:
    r = request(app, "GET", url)
    assert r.status_code == status, (url, r.status_code, r.text[:300])
    return r.json()


@pytest.fixture(params=BACKENDS)
def private_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the sample store for a test that writes: the SQLite file copied, or a
    new PostgreSQL database with every stored analysis written and linked again."""
    if request.param == "sqlite":
        target = str(copy_db(request.getfixturevalue("sample_corpus_db"), tmp_path))
    else:
        target = str(request.getfixturevalue("pg_server").create_database("private"))
        copy_store(request.getfixturevalue("sample_corpus_pg"), target)
    st = Store.open(target, create=False)
    yield st
    st.close()


def copy_db(src: Path, dst: Path) -> Path:
    """A private copy of the sample store (with its write-ahead log) for tests that write."""
    target = dst / "corpus.db"
    for suffix in ("", "-wal"):
        if Path(f"{src}{suffix}").exists():
            shutil.copy(f"{src}{suffix}", f"{target}{suffix}")
    return target


# -- the schema and the reference ------------------------------------------------------------------------

def test_openapi_lists_every_route_and_docs_renders_them_offline(app: FastAPI) -> None:
    schema = get(app, "/openapi.json")
    listed = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert listed >= ROUTES
    api_routes = {(str(getattr(r, "path", "")), m.lower()) for r in app.routes
                  if str(getattr(r, "path", "")).startswith("/api") for m in getattr(r, "methods", ())}
    assert api_routes <= listed
    params = {p["name"]: p for p in schema["paths"]["/api/documents"]["get"]["parameters"]}
    assert params["limit"]["schema"]["maximum"] == 500 and params["offset"]["schema"]["minimum"] == 0
    assert "text" in schema["paths"]["/api/analyze"]["post"]["requestBody"]["content"]["application/json"][
        "schema"]["properties"]
    r = request(app, "GET", "/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<script" not in page.lower() and "cdn" not in page.lower()
    for path, _ in ROUTES:
        assert path in page
    assert "limit" in page and "Items per page" in page
    assert request(app, "GET", "/redoc").status_code == 404


# -- pages of documents and entities -----------------------------------------------------------------------

def test_documents_paginate_with_a_total(app: FastAPI, store: Store) -> None:
    total = store.count("documents")
    first = get(app, "/api/documents?limit=5")
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (total, 5, 0, 5)
    second = get(app, "/api/documents?limit=5&offset=5")
    assert not {d["id"] for d in first["items"]} & {d["id"] for d in second["items"]}
    seen = [d["id"] for page in range(0, total, 7) for d in get(app, f"/api/documents?limit=7&offset={page}")["items"]]
    assert len(seen) == len(set(seen)) == total
    assert get(app, f"/api/documents?offset={total}")["items"] == []
    published = [d["published"] or "" for d in get(app, "/api/documents?limit=500")["items"]]
    assert published[:10] == sorted(published, reverse=True)[:10]
    one = first["items"][0]
    assert one["claims"] >= 0 and one["entities"] > 0 and one["source"]
    site = one["site"]
    by_site = get(app, f"/api/documents?site={httpx.QueryParams({'s': site})['s']}&limit=500")
    assert by_site["total"] == len(by_site["items"]) > 0 and {d["site"] for d in by_site["items"]} == {site}


@pytest.mark.parametrize("url", ["/api/documents?limit=0", "/api/documents?limit=501", "/api/documents?offset=-1",
                                 "/api/entities?limit=abc", "/api/claims?offset=10001", "/api/events?since=May",
                                 "/api/search", "/api/timeline", "/api/entities?order=random",
                                 "/api/claims?source_type=rumour", "/api/events?type=PICNIC", "/api/entities?type=x"])
def test_bad_parameters_are_422_json(app: FastAPI, url: str) -> None:
    body = get(app, url, 422)
    assert body["status"] == 422 and isinstance(body["error"], str) and body["error"]


def test_entity_filters_and_order(app: FastAPI) -> None:
    people = get(app, "/api/entities?type=person&limit=500")
    assert people["total"] == len(people["items"]) > 5 and {e["type"] for e in people["items"]} == {"PERSON"}
    mentions = [e["mentions"] for e in people["items"]]
    assert mentions == sorted(mentions, reverse=True)
    by_docs = [e["documents"] for e in get(app, "/api/entities?order=documents&limit=30")["items"]]
    assert by_docs == sorted(by_docs, reverse=True)
    found = get(app, "/api/entities?q=ghazanfar")["items"]
    assert found and all("ghazanfar" in (e["name"] + " ".join(e["aliases"])).lower() for e in found)
    assert any(e["name"] == "Harakat al-Nasr al-Islami" for e in get(app, "/api/entities?q=HNI")["items"])  # alias
    assert get(app, "/api/entities?q=zzzqqq")["total"] == 0


def test_entity_by_id_by_name_and_404s(app: FastAPI) -> None:
    hni = get(app, "/api/entities/profile?name=HNI")
    assert hni["name"] == "Harakat al-Nasr al-Islami" and hni["documents_list"] and hni["claims_about"]
    same = get(app, f"/api/entities/{hni['id']}")
    assert same["id"] == hni["id"] and same["documents"] == len(same["documents_list"])
    members = get(app, f"/api/entities/{hni['id']}/members")
    assert len({m["member"].split("#")[0] for m in members}) == hni["documents"]
    for url in ("/api/entities/ce-nothere", "/api/entities/ce-nothere/members", "/api/entities/profile?name=Nobody "
                "Atall", "/api/documents/0000", "/api/timeline?name=Nobody%20Atall", "/api/graph?entity_id=ce-no",
                "/api/no-such-route"):
        body = get(app, url, 404)
        assert body["status"] == 404 and body["error"]


def test_document_is_the_contract_object(app: FastAPI) -> None:
    doc_id = get(app, "/api/documents?limit=1")["items"][0]["id"]
    obj = get(app, f"/api/documents/{doc_id}")
    jsonschema.validate(obj, json.loads(SCHEMA.read_text(encoding="utf-8")))
    text = obj["document"]["text"]
    assert obj["document"]["id"] == doc_id and obj["source"] and obj["pipeline_version"]
    for ent in obj["entities"]:
        for m in ent["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


# -- claims, events, timeline, search, stats, graph -----------------------------------------------------------

def test_claims_filters_and_pages(app: FastAPI, store: Store) -> None:
    anon = get(app, "/api/claims?source_type=anonymous&limit=500")["items"]
    assert anon and {c["source_type"] for c in anon} == {"anonymous"}
    by = get(app, "/api/claims?source=Ghazanfar&limit=100")["items"]
    assert by == json.loads(json.dumps(queries.claims(store, source="Ghazanfar", limit=100)))
    about = get(app, "/api/claims?about=HNI&limit=100")["items"]
    assert about and len(about) == len(queries.claims(store, about="HNI", limit=100))
    single = get(app, "/api/claims?single_source=true&limit=200")["items"]
    assert single and all(c["one_source"] or len(set(c["outlets"])) <= 1 for c in single)
    whole = get(app, "/api/claims?limit=60")["items"]
    page = get(app, "/api/claims?limit=20&offset=40")
    assert page["items"] == whole[40:60] and page["total"] == store.count("claims") and page["offset"] == 40
    assert get(app, "/api/claims?single_source=true&limit=5")["total"] is None  # decided after the query


def test_events_filters(app: FastAPI) -> None:
    assaults = get(app, "/api/events?type=assault&limit=500")["items"]
    assert assaults and {e["type"] for e in assaults} == {"ASSAULT"}
    dated = get(app, "/api/events?since=2025-03&until=2025-05&limit=500")["items"]
    assert dated and all("2025-03" <= e["when_value"] < "2025-06" for e in dated)
    bannu = get(app, "/api/events?place=Bannu&limit=500")["items"]
    assert bannu and all("bannu" in (e["where_text"] or "").lower() or e["where_entity"] for e in bannu)
    by_actor = get(app, "/api/events?actor=HNI&limit=500")["items"]
    hni = get(app, "/api/entities/profile?name=HNI")["id"]
    assert by_actor and {e["actor_entity"] for e in by_actor} == {hni}
    page = get(app, "/api/events?limit=3&offset=2")["items"]
    assert page == get(app, "/api/events?limit=5")["items"][2:5]


def test_timeline_search_stats(app: FastAPI, store: Store) -> None:
    tl = get(app, "/api/timeline?name=Ghazanfar&limit=500")["items"]
    values = [e["when_value"] for e in tl if e["when_value"]]
    assert tl and values == sorted(values)
    found = get(app, "/api/search?q=Ghazanfar&limit=500")["items"]
    assert {"entity", "document", "claim"} <= {r["kind"] for r in found}
    assert found[0]["kind"] == "entity"
    assert get(app, "/api/search?q=Ghazanfar&limit=4&offset=2")["items"] == found[2:6]
    assert get(app, "/api/search?q=%22unbalanced", 422)["error"]
    stats = get(app, "/api/stats")
    assert stats["documents"] == store.count("documents") and stats["claims"] == store.count("claims")
    assert sum(stats["claims_by_source_type"].values()) == stats["claims"]


def test_graph_whole_and_neighbourhood(app: FastAPI) -> None:
    whole = get(app, "/api/graph?limit=12")
    ids = {n["id"] for n in whole["nodes"]}
    assert len(ids) == 12 and whole["edges"]
    assert all(e["source"] in ids and e["target"] in ids and e["weight"] >= 1 for e in whole["edges"])
    assert {e["kind"] for e in whole["edges"]} == {"relation", "co-mention"}
    hni = get(app, "/api/entities/profile?name=HNI")["id"]
    near = get(app, f"/api/graph?entity_id={hni}&limit=6")
    assert near["nodes"][0]["id"] == hni and near["nodes"][0]["center"] and len(near["nodes"]) == 6


# -- analyze -------------------------------------------------------------------------------------------------

def test_analyze_returns_the_contract_object(app: FastAPI) -> None:
    r = request(app, "POST", "/api/analyze", json={"text": ARTICLE, "published": "2025-05-12",
                                                    "url": "https://example.org/a"})
    assert r.status_code == 200, r.text[:300]
    obj = r.json()
    jsonschema.validate(obj, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert obj["document"]["published"] == "2025-05-12" and obj["document"]["url"] == "https://example.org/a"
    assert obj["document"]["title"] == "Army says militants attacked a checkpoint"
    assert any(e["name"] == "Bannu" for e in obj["entities"]) and obj["claims"] and obj["events"]
    page = "<html><head><title>T</title></head><body><article><p>" + ARTICLE.replace("\n\n", "</p><p>") + \
           "</p></article></body></html>"
    r = request(app, "POST", "/api/analyze", json={"html": page})
    assert r.status_code == 200 and "Bannu" in r.json()["document"]["text"]


@pytest.mark.parametrize("body", ['{"text": ', '[]', '{}', '{"text": "a", "html": "<p>a</p>"}',
                                  '{"text": "x", "colour": "red"}', '{"text": "x", "published": "soon"}',
                                  '{"text": "   "}', '{"html": "<html><body><nav>Home</nav></body></html>"}',
                                  '{"text": "Share this article"}'])
def test_analyze_bad_body_is_422(app: FastAPI, body: str) -> None:
    r = request(app, "POST", "/api/analyze", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["status"] == 422 and r.json()["error"]


def test_analyze_limits(store: Store) -> None:
    small = create_app(store, max_analyze_bytes=2000)
    big = json.dumps({"text": "word " * 1000})
    r = request(small, "POST", "/api/analyze", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json() == {"error": "the body is over the limit of 2000 bytes", "status": 413}

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams in
        for _ in range(10):
            yield b" " * 500
    r = request(small, "POST", "/api/analyze", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    r = request(small, "POST", "/api/analyze", data={"text": "x"})
    assert r.status_code == 415
    slow = create_app(store, analyze_timeout=0)  # no analysis is done the moment it is queued
    r = request(slow, "POST", "/api/analyze", json={"text": ARTICLE})
    assert r.status_code == 504 and r.json()["status"] == 504
    assert request(small, "GET", "/api/analyze").status_code == 405
    small.state.analyze_worker.max_pending = 0
    r = request(small, "POST", "/api/analyze", json={"text": ARTICLE})
    assert r.status_code == 503 and r.headers["retry-after"] == "5" and r.json()["status"] == 503


# -- the token, the host, the headers ---------------------------------------------------------------------------

def test_token_guards_every_path(store: Store) -> None:
    guarded = create_app(store, token="t0k-3n")
    for url in ("/api/stats", "/docs", "/openapi.json", "/static/nothing.css", "/"):
        r = request(guarded, "GET", url)
        assert r.status_code == 401, url
        assert r.headers["www-authenticate"] == "Bearer"
    assert request(guarded, "GET", "/api/stats").json()["status"] == 401
    assert request(guarded, "GET", "/docs").headers["content-type"].startswith("text/html")
    assert request(guarded, "GET", "/api/stats", headers={"authorization": "Bearer wrong"}).status_code == 401
    assert request(guarded, "GET", "/api/stats", headers={"authorization": "Bearer t0k-3n"}).status_code == 200
    assert request(guarded, "GET", "/docs", headers={"authorization": "Bearer t0k-3n"}).status_code == 200
    r = request(guarded, "GET", "/docs?token=t0k-3n&x=1")
    assert r.status_code == 303 and r.headers["location"] == "/docs?x=1"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    r = request(guarded, "GET", "http://testserver//evil.example/?token=t0k-3n")
    assert r.headers["location"] == "/evil.example/"  # a path on this site, not another host
    jar = {"cookie": f"claimgraph_token={r.cookies['claimgraph_token']}"}
    assert request(guarded, "GET", "/api/stats", headers=jar).status_code == 200
    assert request(guarded, "GET", "/", headers=jar).status_code != 401
    assert request(guarded, "GET", "/api/stats", headers={"cookie": "claimgraph_token=nope"}).status_code == 401
    r = request(guarded, "GET", "/api/stats?token=t0k-3n")
    assert r.status_code == 200 and "claimgraph_token" in r.headers["set-cookie"]
    r = request(guarded, "POST", "/api/entities/merge", json={"into": "a", "from": "b"})
    assert r.status_code == 401


def test_host_check_and_headers_everywhere(store: Store, app: FastAPI, tmp_path: Path,
                                           sample_corpus_db: Path) -> None:
    local = create_app(store, allowed_hosts={"localhost", "127.0.0.1"})
    assert request(local, "GET", "/api/stats", headers={"host": "evil.example"}).status_code == 400
    assert request(local, "GET", "/api/stats", headers={"host": "127.0.0.1:8000"}).status_code == 200
    broken_db = copy_db(sample_corpus_db, tmp_path)
    broken = create_app(broken_db)
    with sqlite3.connect(broken_db) as conn:
        conn.execute("DROP TABLE entity_keys")
    r500 = request(broken, "GET", "/api/entities/profile?name=HNI")
    assert r500.status_code == 500 and r500.json() == {"error": "internal error", "status": 500}
    responses = [request(app, "GET", u) for u in ("/api/stats", "/api/nothing", "/docs", "/static/missing.js")]
    responses += [r500, request(create_app(store, token="x"), "GET", "/api/stats")]
    for r in responses:
        for name, value in SECURITY_HEADERS:
            assert r.headers[name] == value, (r.url, name)


# -- corrections -------------------------------------------------------------------------------------------------

def test_merge_and_split_round_trip(private_store: Store) -> None:
    st = private_store
    try:
        app = create_app(st)
        found = get(app, "/api/entities?q=Ghazanfar&type=PERSON&order=documents")["items"]
        keep, fold = found[0], found[1]
        fold_members = [m["member"] for m in get(app, f"/api/entities/{fold['id']}/members")]
        r = request(app, "POST", "/api/entities/merge", json={"into": keep["id"], "from": fold["id"]})
        assert r.status_code == 200, r.text
        assert r.json()["entity"]["mentions"] == keep["mentions"] + fold["mentions"]
        assert isinstance(r.json()["log_index"], int)
        get(app, f"/api/entities/{fold['id']}", 404)
        assert set(fold_members) <= {m["member"] for m in get(app, f"/api/entities/{keep['id']}/members")}
        r = request(app, "POST", "/api/entities/split", json={"entity_id": keep["id"], "members": fold_members})
        assert r.status_code == 200, r.text
        back = r.json()
        assert back["entity"]["mentions"] == keep["mentions"] and back["entity"]["documents"] == keep["documents"]
        assert back["new_entity"]["mentions"] == fold["mentions"]
        assert {m["member"] for m in get(app, f"/api/entities/{back['new_id']}/members")} == set(fold_members)
        bad = request(app, "POST", "/api/entities/split", json={"entity_id": keep["id"], "members": ["x#y"]})
        assert bad.status_code == 422 and "no member" in bad.json()["error"]
        assert request(app, "POST", "/api/entities/merge", json={"into": keep["id"], "from": "ce-none"}
                       ).status_code == 404
        assert request(app, "POST", "/api/entities/merge", json={"into": keep["id"], "from": back["new_id"]},
                       client=("203.0.113.9", 4000)).status_code == 403  # no token: this machine only
        assert request(app, "POST", "/api/entities/merge", json={"into": keep["id"], "from": back["new_id"]},
                       headers={"origin": "http://evil.example"}).status_code == 403
        assert request(app, "POST", "/api/entities/merge", data={"into": keep["id"], "from": back["new_id"]}
                       ).status_code == 415
        assert get(app, f"/api/entities/{back['new_id']}")["mentions"] == fold["mentions"]  # nothing merged
        with_token = create_app(st, token="tk")
        r = request(with_token, "POST", "/api/entities/merge", json={"into": keep["id"], "from": back["new_id"]},
                    headers={"authorization": "Bearer tk"}, client=("203.0.113.9", 4000))
        assert r.status_code == 200
    finally:
        st.close()


def same(now: dict[str, Any], before: dict[str, Any]) -> bool:
    """An entity as it was: id, type, counts and names (the linker may pick another of its
    names for display when it recomputes the entity)."""
    return all(now[k] == before[k] for k in ("id", "type", "documents", "mentions")) and (
        {now["name"], *now["aliases"]} == {before["name"], *before["aliases"]})


def test_undo_round_trips_and_the_log(private_store: Store) -> None:
    st = private_store
    try:
        app = create_app(st)
        assert get(app, "/api/merges") == {"items": [], "total": 0, "limit": 50, "offset": 0}
        links = get(app, "/api/merges?all=true&limit=500")
        assert links["total"] > 0 and {e["action"] for e in links["items"]} == {"resolve"}
        size = links["total"]
        found = get(app, "/api/entities?q=Ghazanfar&type=PERSON&order=documents")["items"]
        keep, fold = found[0], found[1]
        fold_members = {m["member"] for m in get(app, f"/api/entities/{fold['id']}/members")}
        merged = request(app, "POST", "/api/entities/merge", json={"into": keep["id"], "from": fold["id"],
                                                                   "reason": "same person"}).json()
        assert merged["log_index"] == size  # its position in the whole log, automatic links included
        r = request(app, "POST", "/api/entities/undo", json={"log_index": merged["log_index"]})
        assert r.status_code == 200, r.text
        undone = r.json()
        assert undone["undone"] == merged["log_index"] and undone["log_index"] == size + 1
        assert undone["action"] == "merge" and undone["entity_id"] == keep["id"]
        assert {e["id"] for e in undone["entities"]} == {keep["id"], fold["id"]}
        assert same(get(app, f"/api/entities/{keep['id']}"), keep)
        assert same(get(app, f"/api/entities/{fold['id']}"), fold)
        assert {m["member"] for m in get(app, f"/api/entities/{fold['id']}/members")} == fold_members
        again = request(app, "POST", "/api/entities/undo", json={"log_index": merged["log_index"]})
        assert again.status_code == 422 and "cannot be undone again" in again.json()["error"]
        assert request(app, "POST", "/api/entities/undo", json={"log_index": undone["log_index"]}
                       ).status_code == 422  # an undo is not undone
        missing = request(app, "POST", "/api/entities/undo", json={"log_index": size + 99})
        assert missing.status_code == 404 and missing.json()["status"] == 404
        assert request(app, "POST", "/api/entities/undo", json={"log_index": -1}).status_code == 422
        # split one document out, then undo it: the new entity is gone, the old one whole again
        member = sorted(m["member"] for m in get(app, f"/api/entities/{keep['id']}/members"))[0]
        split = request(app, "POST", "/api/entities/split", json={"entity_id": keep["id"], "members": [member]}
                        ).json()
        assert split["log_index"] == size + 2 and split["new_entity"]["documents"] == 1
        r = request(app, "POST", "/api/entities/undo", json={"log_index": split["log_index"], "reason": "oops"})
        assert r.status_code == 200 and r.json()["entity_id"] == keep["id"]
        get(app, f"/api/entities/{split['new_id']}", 404)
        assert same(get(app, f"/api/entities/{keep['id']}"), keep)
        # the log: latest first, with the indexes undo takes, what was undone, and paging
        log = get(app, "/api/merges")
        assert log["total"] == 4
        assert [(e["index"], e["action"], e["undone"]) for e in log["items"]] == [
            (size + 3, "undo", False), (size + 2, "split", True), (size + 1, "undo", False), (size, "merge", True)]
        undo_entry, split_entry, _, merge_entry = log["items"]
        assert merge_entry["entity_id"] == keep["id"] and merge_entry["other_id"] == fold["id"]
        assert merge_entry["reason"] == "same person" and merge_entry["by"] == "user"
        assert merge_entry["members"] == len(fold_members)
        assert split_entry["other_id"] == keep["id"] and split_entry["entity_id"] == split["new_id"]
        assert undo_entry["target"] == size + 2 and undo_entry["entity_id"] == split["new_id"]
        assert undo_entry["reason"] == "oops"
        page = get(app, "/api/merges?limit=1&offset=1")
        assert page["total"] == 4 and [e["index"] for e in page["items"]] == [size + 2]
        assert get(app, "/api/merges?all=true")["total"] == size + 4
        get(app, "/api/merges?limit=0", 422)
    finally:
        st.close()


def test_undo_is_guarded_like_merge(private_store: Store) -> None:
    st = private_store
    try:
        app = create_app(st)
        found = get(app, "/api/entities?q=Ghazanfar&type=PERSON&order=documents")["items"]
        index = request(app, "POST", "/api/entities/merge", json={"into": found[0]["id"], "from": found[1]["id"]}
                        ).json()["log_index"]
        body = {"log_index": index}
        assert request(app, "POST", "/api/entities/undo", json=body, client=("203.0.113.9", 4000)
                       ).status_code == 403  # no token: this machine only
        assert request(app, "POST", "/api/entities/undo", data={"log_index": str(index)}).status_code == 415
        assert request(app, "POST", "/api/entities/undo", json=body, headers={"origin": "http://evil.example"}
                       ).status_code == 403
        assert request(app, "POST", "/api/entities/undo", json={**body, "extra": 1}).status_code == 422
        guarded = create_app(st, token="tk")
        assert request(guarded, "POST", "/api/entities/undo", json=body).status_code == 401
        assert request(guarded, "GET", "/api/merges").status_code == 401
        get(app, f"/api/entities/{found[1]['id']}", 404)  # none of those undid the merge
        assert not get(app, "/api/merges")["items"][0]["undone"]
        r = request(guarded, "POST", "/api/entities/undo", json=body, headers={"authorization": "Bearer tk"},
                    client=("203.0.113.9", 4000))
        assert r.status_code == 200, r.text
        assert get(app, "/api/merges")["items"][1]["undone"]
    finally:
        st.close()


# -- the command ----------------------------------------------------------------------------------------------------

def test_serve_refuses_an_open_address_without_a_token(sample_corpus_db: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMGRAPH_TOKEN", raising=False)
    runner = CliRunner()
    r = runner.invoke(cli_app, ["serve", "--db", str(sample_corpus_db), "--host", "0.0.0.0"])
    assert r.exit_code == 2 and "without a token" in r.output
    r = runner.invoke(cli_app, ["serve", "--db", str(tmp_path / "none.db")])
    assert r.exit_code == 2 and "no store" in r.output
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")
    r = runner.invoke(cli_app, ["serve", "--db", str(sample_corpus_db), "--token", "has space"])
    assert r.exit_code == 2 and "token must be" in r.output
    with pytest.raises(ValueError, match="token must be"):
        create_app(sample_corpus_db, token="caf\u00e9")
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "uvicorn", None)  # as if the web extra were not installed
        r = runner.invoke(cli_app, ["serve", "--db", str(sample_corpus_db)])
        assert r.exit_code == 2 and "pip install 'claimgraph[web]'" in r.output
    assert url_for("127.0.0.1", 8000, None) == "http://127.0.0.1:8000/"
    assert url_for("::1", 9000, "t") == "http://[::1]:9000/?token=t"


def test_serve_never_prints_a_database_password() -> None:
    from claimgraph.cli_web import _shown

    assert _shown("postgresql://claimgraph:s3cret@db.example:5432/news") == "postgresql://claimgraph:***@db.example:5432/news"
    assert _shown("build/corpus.db") == "build/corpus.db"
