"""Search cannot hold the server (#20): queries over the bounds are refused before they run, with
one clear line (API 422, CLI exit 2); an article repeating one word 50,000 times is searched with
a bounded snippet; a statement past its deadline is stopped inside the database. On a real
SQLite file and, when a server is at hand, a real PostgreSQL database. No timings are asserted:
each case only has to finish, or be refused."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from claimgraph.cli import app as cli_app
from claimgraph.corpus import deadline
from claimgraph.corpus.search import (
    MAX_TERMS,
    QueryTooComplex,
    Term,
    check_query,
    make_snippet,
    search,
)
from claimgraph.corpus.store import Store
from claimgraph.model import Analysis, Document
from claimgraph.web.app import create_app
from tests.conftest import BACKENDS, open_backend

ARTICLES = [
    ("Police station attacked in Bannu", "Militants attacked the Jani Khel police station in Bannu on Friday, "
     "police said. Two constables were wounded in the attack."),
    ("Ceasefire talks resume", "Negotiators from both sides met in Doha to resume ceasefire talks, officials "
     "said, after a pause of three weeks."),
    ("Sanctions committee lists commander", "The Security Council sanctions committee designated a commander "
     "of the group on Tuesday."),
]
REPEATED = "Zebra count\n\nThe survey counted one animal. " + "zebra " * 50_000
FORTY_EIGHT_PREFIXES = " ".join(["ab*"] * 48)


def make_store(target: str | Path) -> Store:
    """A small store of our own articles plus one that repeats a word 50,000 times (no pipeline:
    documents without layers, which is all that search reads)."""
    store = Store.open(target)
    for title, body in [*ARTICLES, ("Zebra count", REPEATED)]:
        store.write(Analysis(document=Document.from_text(f"{title}\n\n{body}", title=title, site="example.org")),
                    f"{title}.txt")
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    st = make_store(open_backend(request, request.param, tmp_path))
    yield st
    st.close()


@pytest.mark.parametrize("query, bound", [
    (FORTY_EIGHT_PREFIXES, "prefix terms"),
    (" ".join(["ab*"] * 166), "characters"),
    ("a* police", "too short"),
    (" ".join(f"w{i}" for i in range(MAX_TERMS + 1)), "words"),
    (" OR ".join(["police", "station"] * 5), "operators"),
    ("((((police))))", "parentheses"),
])
def test_queries_over_the_bounds_are_refused_before_they_run(query: str, bound: str) -> None:
    with pytest.raises(QueryTooComplex, match=bound):
        check_query(query)


def test_queries_within_the_bounds_pass() -> None:
    assert check_query('designated AND "Security Council"') == [Term("designated", False), Term("security", False),
                                                                 Term("council", False)]
    assert check_query("polic* NOT Bannu") == [Term("polic", True), Term("bannu", False)]


def test_search_refuses_and_finishes_on_both_backends(store: Store) -> None:
    with pytest.raises(QueryTooComplex):
        search(store, FORTY_EIGHT_PREFIXES)
    hits = search(store, "zebra")
    assert [h["doc_id"] for h in hits if h["kind"] == "document"]
    snippet = hits[0]["snippet"]
    assert "[zebra]" in snippet and len(snippet) < 400
    assert any("[police]" in h["snippet"] for h in search(store, "police station"))


def test_a_statement_past_its_deadline_is_stopped(store: Store) -> None:
    deadline.install(store.engine)
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
            "SELECT count(*) FROM n") if store.sqlite else "SELECT pg_sleep(30)"
    started = time.monotonic()
    with pytest.raises(OperationalError) as caught, deadline.time_limit(0.2), store.engine.connect() as conn:
        conn.execute(text(slow))
    assert deadline.is_timeout(caught.value)
    assert time.monotonic() - started < 20  # stopped, not run to the end
    with store.engine.connect() as conn:  # the connection went back to the pool without the limit
        assert conn.execute(text("SELECT 1")).scalar_one() == 1


def test_search_past_its_deadline_is_a_clear_error(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    if not store.sqlite:
        pytest.skip("an expired deadline still gives PostgreSQL a millisecond, enough for this small store")
    monkeypatch.setattr(deadline, "PROGRESS_STEPS", 1)  # this small store's queries end within the default
    with pytest.raises(deadline.QueryTimeout, match="took longer"), deadline.time_limit(-1):
        search(store, "police")


def test_api_and_cli_refuse_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db"
    make_store(path).close()
    app = create_app(str(path))

    async def get(url: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.get(url)

    r = asyncio.run(get("/api/search?" + str(httpx.QueryParams({"q": FORTY_EIGHT_PREFIXES}))))
    assert r.status_code == 422 and "prefix terms" in r.json()["error"]
    r = asyncio.run(get("/search?" + str(httpx.QueryParams({"q": FORTY_EIGHT_PREFIXES}))))
    assert r.status_code == 200 and "refused this query" in r.text
    assert "[zebra]" in asyncio.run(get("/api/search?q=zebra")).json()["items"][0]["snippet"]
    result = CliRunner().invoke(cli_app, ["search", FORTY_EIGHT_PREFIXES, "--db", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "prefix terms" in lines[0], result.output


def test_every_get_runs_under_the_request_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A request whose database work passes the limit is stopped and answered 503, as JSON."""
    monkeypatch.setattr(deadline, "PROGRESS_STEPS", 1)
    path = tmp_path / "corpus.db"
    make_store(path).close()
    app = create_app(str(path), request_seconds=-1)

    async def get(url: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await c.get(url)

    r = asyncio.run(get("/api/documents"))
    assert r.status_code == 503 and "took longer" in r.json()["error"]


def test_snippet_is_linear_and_marks_terms() -> None:
    terms = check_query("zebra")
    snippet = make_snippet("A herd. " + "zebra " * 500_000, terms)  # cut to the scanned part first
    assert snippet.startswith("A herd. [zebra]") and snippet.endswith("…")
    assert make_snippet("Police said the station was hit", check_query("polic* station")) == \
        "[Police] said the [station] was hit"
    assert make_snippet("", terms) == ""


def test_stop_ends_a_running_statement(tmp_path: Path) -> None:
    """What ``serve`` does at SIGTERM for a request still running: its statement ends at once."""
    import threading

    store = make_store(tmp_path / "corpus.db")
    deadline.install(store.engine)
    failure: list[BaseException] = []

    def slow() -> None:
        try:
            with store.engine.connect() as conn:
                conn.execute(text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                                  "WHERE i < 1000000000) SELECT count(*) FROM n"))
        except OperationalError as exc:
            failure.append(exc)

    worker = threading.Thread(target=slow)
    worker.start()
    time.sleep(0.5)
    deadline.stop(store.engine)
    worker.join(timeout=30)
    assert not worker.is_alive() and failure and deadline.is_timeout(failure[0])
    store.close()
