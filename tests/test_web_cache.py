"""Answers kept until the store changes (#19/#20 load): a write by any other connection — another
process's ingest, another Store — is seen by the very next request; failures are never kept; a
PostgreSQL store keeps nothing. Real SQLite files, the app in process."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import httpx
from fastapi import FastAPI

from claimgraph.corpus.store import Store
from claimgraph.model import Analysis, Document
from claimgraph.web.app import create_app
from claimgraph.web.cache import DataVersion
from tests.test_search_limits import make_store


def get(app: FastAPI, url: str) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.get(url)
    return asyncio.run(go())


def test_a_write_elsewhere_is_seen_by_the_next_request(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db"
    make_store(path).close()
    app = create_app(str(path))
    first = get(app, "/api/stats").json()["documents"]
    assert get(app, "/api/stats").json()["documents"] == first  # kept
    page = get(app, "/documents").text
    other = Store.open(path)  # another engine, another connection: as an ingest in another process
    other.write(Analysis(document=Document.from_text("A new article\n\nSomething happened.", title="A new article")),
                "new.txt")
    other.close()
    assert get(app, "/api/stats").json()["documents"] == first + 1
    assert "A new article" in get(app, "/documents").text and "A new article" not in page
    with sqlite3.connect(path) as raw:  # a raw write too
        raw.execute("UPDATE documents SET site = 'changed.example' WHERE title = 'A new article'")
    assert "changed.example" in get(app, "/api/documents?limit=500").text


def test_failures_are_not_kept_and_other_stores_keep_nothing(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db"
    store = make_store(path)
    app = create_app(store)
    assert get(app, "/api/documents/nope").status_code == 404
    assert get(app, "/api/documents/nope").status_code == 404
    version = DataVersion.of(store)
    assert version is not None and isinstance(version(), int)
    memory = Store.open("sqlite://")
    assert DataVersion.of(memory) is None
    memory.close()
    store.close()
