"""No module of ours is imported while a request is served: every one the pages and the API use
is imported when the app is built. CPython 3.11's compile() is not thread-safe ("AST
constructor recursion depth mismatch"): a module compiled inside a request thread while another
thread compiles (pytest's assertion rewriter did) broke a response mid-body once."""

from __future__ import annotations

import sys
from pathlib import Path

from fastapi.testclient import TestClient

from claimgraph.corpus import browse
from claimgraph.corpus.store import Store
from claimgraph.web.app import create_app


def test_serving_every_page_imports_nothing_of_ours(sample_corpus_db: Path) -> None:
    store = Store.open(sample_corpus_db, create=False)
    try:
        ent = browse.list_entities(store, limit=1)[0]
        doc = browse.list_documents(store, limit=1)[0]
        app = create_app(store, cache=False)
        before = {name for name in sys.modules if name.startswith("claimgraph")}
        paths = ["/", "/search?q=police", "/documents", "/entities", f"/entity/{ent['id']}", f"/document/{doc['id']}",
                 "/claims", "/disagreements", "/events", "/map", "/graph", "/api/stats", "/api/documents",
                 f"/api/documents/{doc['id']}", "/api/entities", f"/api/entities/{ent['id']}",
                 f"/api/entities/{ent['id']}/members", "/api/search?q=police", "/api/claims", "/api/events",
                 "/api/graph", "/api/disagreements", f"/api/timeline?name={ent['id']}", "/api/merges"]
        with TestClient(app) as client:
            for path in paths:
                assert client.get(path).status_code in (200, 404), path
        after = {name for name in sys.modules if name.startswith("claimgraph")}
        assert after - before == set()
    finally:
        store.close()
